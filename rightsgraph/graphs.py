"""The named graphs of a knowledge base and the few vocabulary IRIs the engine itself writes.

The engine owns these graphs (see docs/decisions/0001): asserted facts are never mixed with
what reasoning derives, so clearing the derived graphs gives back the input exactly.
"""
from __future__ import annotations

from dataclasses import dataclass

RG = "https://w3id.org/rightsgraph/ontology#"
GRAPH_BASE = "https://w3id.org/rightsgraph/graph/"
FACTS = GRAPH_BASE + "facts"
ONTOLOGY = GRAPH_BASE + "ontology"
ENTAILMENTS = GRAPH_BASE + "entailments"
CONCLUSIONS = GRAPH_BASE + "conclusions"
JUSTIFICATIONS = GRAPH_BASE + "justifications"
CONTEXT = GRAPH_BASE + "context"
STAGING_CONCLUSIONS = GRAPH_BASE + "staging/conclusions"
STAGING_JUSTIFICATIONS = GRAPH_BASE + "staging/justifications"
STAGING_ENTAILMENTS = GRAPH_BASE + "staging/entailments"
STAGING_CONTEXT = GRAPH_BASE + "staging/context"
#: present while a run writes straight into the published graphs (see rules/engine.py)
RUNNING = GRAPH_BASE + "running"

#: Graphs a reasoning run replaces; everything else is input.
DERIVED = (ENTAILMENTS, CONCLUSIONS, JUSTIFICATIONS, CONTEXT)


@dataclass(frozen=True)
class RunGraphs:
    """Where a reasoning run writes: the published derived graphs, or staging graphs standing in for them."""

    entailments: str
    conclusions: str
    justifications: str
    context: str

    @property
    def derived(self) -> tuple[str, str, str, str]:
        return (self.entailments, self.conclusions, self.justifications, self.context)

    @property
    def rule_input(self) -> tuple[str, ...]:
        """What the legal rules read."""
        return (FACTS, ONTOLOGY, self.entailments, self.conclusions, self.context)


PUBLISHED = RunGraphs(ENTAILMENTS, CONCLUSIONS, JUSTIFICATIONS, CONTEXT)
STAGED = RunGraphs(STAGING_ENTAILMENTS, STAGING_CONCLUSIONS, STAGING_JUSTIFICATIONS, STAGING_CONTEXT)

FIRING_BASE = "https://w3id.org/rightsgraph/firing/"
#: one property per rule variable: ``binding/author`` holds the value of ``?author`` in a firing
BINDING_BASE = "https://w3id.org/rightsgraph/binding/"
SKOLEM_BASE = "https://w3id.org/rightsgraph/.well-known/genid/"
JURISDICTION_BASE = "https://w3id.org/rightsgraph/jurisdiction/"
