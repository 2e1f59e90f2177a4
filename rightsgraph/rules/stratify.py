"""Ordering rules so that negation is read only after everything it negates is complete.

Rule B depends on rule A when A may write a triple matching a pattern B reads; the dependency is
negative when B reads it under ``FILTER NOT EXISTS`` or ``MINUS``. The strongly connected components
of that graph (Tarjan) are run in topological order, each to its own fixpoint. A negative dependency
inside one component has no stratified meaning (Apt, Blair and Walker 1988), so it is refused with
the names of the rules involved. ``rg:overrides`` adds an ordering edge: the overriding rule runs
no later than the rule it overrides.
"""
from __future__ import annotations

from dataclasses import dataclass

from rightsgraph.errors import NegationCycleError
from rightsgraph.owl import TBox
from rightsgraph.rules.analysis import RuleAnalysis, Signature
from rightsgraph.rules.model import Rule


def _matches(read: Signature, write: Signature, tbox: TBox) -> bool:
    if read.predicate is not None and write.predicate is not None:
        if not tbox.is_subproperty(write.predicate, read.predicate):
            return False
    if read.constants and write.constants:
        written = {}
        for prop, value in write.constants:
            written.setdefault(prop, set()).add(value)
        if any(prop in written and value not in written[prop] for prop, value in read.constants):
            return False  # the writer's node has another constant value: a different node
    if read.classes and write.classes:
        return any(tbox.is_subclass(w, r) for w in write.classes for r in read.classes)
    return True


def depends(reader: set[Signature], writer: set[Signature], tbox: TBox) -> bool:
    return any(_matches(r, w, tbox) for r in reader for w in writer)


@dataclass
class Component:
    """Rules that may feed each other; ``recursive`` when they must be iterated to a fixpoint."""

    rules: list[Rule]
    recursive: bool


def stratify(rules: list[Rule], analyses: dict[str, RuleAnalysis], tbox: TBox) -> list[Component]:
    ordered = sorted(rules, key=lambda r: (r.order, r.iri))
    index = {r.iri: i for i, r in enumerate(ordered)}
    edges: dict[int, set[int]] = {i: set() for i in range(len(ordered))}
    negative: set[tuple[int, int]] = set()
    for a, writer in enumerate(ordered):
        writes = analyses[writer.iri].writes
        for b, reader in enumerate(ordered):
            if depends(analyses[reader.iri].reads, writes, tbox):
                edges[a].add(b)
            if depends(analyses[reader.iri].negates, writes, tbox):
                edges[a].add(b)
                negative.add((a, b))
        for overridden in writer.overrides:
            if overridden in index:
                edges[a].add(index[overridden])

    # Tarjan's algorithm, iterative so a long chain of rules cannot hit the recursion limit.
    counter, stack, on_stack = 0, [], set()
    low: dict[int, int] = {}
    num: dict[int, int] = {}
    components: list[list[int]] = []
    for root in range(len(ordered)):
        if root in num:
            continue
        work = [(root, iter(sorted(edges[root])))]
        num[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in num:
                    num[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], num[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == num[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    components.reverse()  # Tarjan emits sinks first; writers must run before readers
    result = []
    for component in components:
        members = set(component)
        cycle = [(a, b) for a, b in negative if a in members and b in members]
        if cycle:
            raise NegationCycleError(sorted({ordered[i].iri for pair in cycle for i in pair}))
        recursive = len(component) > 1 or component[0] in edges[component[0]]
        result.append(Component([ordered[i] for i in component], recursive))
    return result
