"""The named graphs of a knowledge base and the few vocabulary IRIs the engine itself writes.

The engine owns these graphs (see docs/decisions/0001): asserted facts are never mixed with
what reasoning derives, so clearing the derived graphs gives back the input exactly.
"""
from __future__ import annotations

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

#: Graphs a reasoning run replaces; everything else is input.
DERIVED = (ENTAILMENTS, CONCLUSIONS, JUSTIFICATIONS, CONTEXT)
#: What the legal rules read, in a reasoning run (staging graphs stand in for the derived ones).
RULE_INPUT = (FACTS, ONTOLOGY, STAGING_ENTAILMENTS, STAGING_CONCLUSIONS, STAGING_CONTEXT)

STATEMENT_BASE = "https://w3id.org/rightsgraph/statement/"
FIRING_BASE = "https://w3id.org/rightsgraph/firing/"
SKOLEM_BASE = "https://w3id.org/rightsgraph/.well-known/genid/"
JURISDICTION_BASE = "https://w3id.org/rightsgraph/jurisdiction/"
