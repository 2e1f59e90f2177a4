"""Which focus nodes a change of data can reach through a rule: the basis of incremental reasoning.

A rule is applied per focus node (SHACL-AF ``$this``). If adding or removing a triple changes what
the rule derives for focus ``t``, some triple pattern of the rule (read positively, under
``OPTIONAL`` or ``UNION``, or under ``FILTER (NOT) EXISTS`` / ``MINUS``) matches that triple in a
solution for ``t``, and every pattern evaluated jointly with it holds in that solution. So ``t`` is
joined to the changed triple by a chain of those jointly-held patterns, and the chain, evaluated
over the old graph plus the new one, finds every focus node the change can affect (and perhaps a
few more: it is an over-approximation, never an under-approximation).

For each triple pattern of a rule this module records the shortest such chain to ``$this``, read
off rdflib's SPARQL algebra. A pattern that no chain joins to ``$this`` (a constant triple, a path
whose length is not fixed, a pattern behind an aggregate or a named graph), or a rule without
``$this``, is *non-local*: when the change can match it, the rule is re-applied to every focus node.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from rdflib import URIRef, Variable
from rdflib.paths import Path
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
from rdflib.plugins.sparql.parserutils import CompValue

Pattern = tuple[object, object, object]
THIS = Variable("this")
#: algebra a chain cannot see through: aggregates, sub-selects (their variables are not the outer
#: ones unless projected), named graphs
_OPAQUE = {"Group", "AggregateJoin", "Slice", "OrderBy", "Graph", "ServiceGraphPattern", "Project", "Distinct", "Reduced"}
_EXISTS = ("Builtin_EXISTS", "Builtin_NOTEXISTS")


@dataclass(frozen=True)
class Alias:
    """``BIND(?source AS ?var)``: the two variables hold the same node."""

    var: Variable
    source: Variable


@dataclass(frozen=True)
class Alternatives:
    """A ``UNION`` every solution went through one branch of; it joins the variables all branches bind."""

    branches: tuple[tuple[object, ...], ...]


Link = object  # a triple pattern, an Alias or Alternatives


@dataclass(frozen=True)
class Locality:
    """A triple pattern of a rule and the SPARQL group text that joins its variables to ``$this``
    (``""``: the pattern holds ``$this`` itself; ``None``: no chain, the pattern is non-local). A
    path pattern (``?a rg:derivedFromModel* ?b``) is non-local as a pattern a change may match, but
    may serve in another pattern's chain."""

    pattern: Pattern
    chain: str | None
    #: where the pattern sits under UNION or OPTIONAL, the rule's mandatory links as well: such a
    #: premise is recorded in a firing of any branch when the store holds it (rules/compile.py), so
    #: a change to it reaches every focus node the mandatory part binds it with (see :func:`render`)
    also: tuple[Link, ...] = ()


def _term(term: object) -> str:
    return term.n3()  # type: ignore[attr-defined]


def _variables(link: Link) -> set[Variable]:
    if isinstance(link, Alias):
        return {link.var, link.source}
    if isinstance(link, Alternatives):
        sets = [set().union(*(_variables(x) for x in branch)) for branch in link.branches]
        return set.intersection(*sets) if sets else set()
    return {t for t in link if isinstance(t, Variable)}  # type: ignore[union-attr]


def _text(link: Link, known: Variable | None = None) -> str:
    if isinstance(link, Alias):
        new, old = (link.source, link.var) if known == link.var else (link.var, link.source)
        return f"BIND({_term(old)} AS {_term(new)})"
    if isinstance(link, Alternatives):
        return " UNION ".join("{ " + " ".join(_text(x) for x in branch) + " }" for branch in link.branches)
    return " ".join(_term(t) for t in link) + " ."  # type: ignore[union-attr]


def _required(node: object) -> list[Link]:
    """What every solution of ``node`` satisfies (not OPTIONAL parts nor MINUS; a UNION as alternatives)."""
    if not isinstance(node, CompValue):
        return []
    if node.name == "BGP":
        return list(node.triples)
    if node.name == "Join":
        return _required(node.p1) + _required(node.p2)
    if node.name in ("LeftJoin", "Minus"):
        return _required(node.p1)
    if node.name == "Union":
        left, right = _required(node.p1), _required(node.p2)
        return [Alternatives((tuple(left), tuple(right)))] if left and right else []
    if node.name == "Extend":
        alias = [Alias(node.var, node.expr)] if isinstance(node.expr, Variable) else []
        return _required(node.p) + alias
    if node.name in ("Filter", "Project", "Distinct", "Reduced", "ToMultiSet"):
        return _required(node.p)
    return []


class _Collector:
    def __init__(self) -> None:
        self.found: list[tuple[Pattern, tuple[Link, ...]]] = []
        self.filtering: set[Pattern] = set()  # read under (NOT) EXISTS or MINUS: never a premise
        self.depth = 0
        self.opaque = False

    def pattern(self, node: object, joint: tuple[Link, ...]) -> None:
        if not isinstance(node, CompValue):
            return
        name = node.name
        if name in _OPAQUE:
            self.opaque = True
            return
        if name == "BGP":
            for triple in node.triples:
                self.found.append((triple, joint))
                if self.depth:
                    self.filtering.add(triple)
        elif name == "Join":
            inner = joint + tuple(_required(node))
            self.pattern(node.p1, inner)
            self.pattern(node.p2, inner)
        elif name in ("Filter", "Extend"):
            inner = joint + tuple(_required(node.p))
            self.pattern(node.p, inner)
            self.expression(node.expr, inner)
        elif name == "LeftJoin":
            left = joint + tuple(_required(node.p1))
            self.pattern(node.p1, left)
            right = left + tuple(_required(node.p2))
            self.pattern(node.p2, right)
            self.expression(node.get("expr"), right)
        elif name in ("Union", "Minus"):
            first = joint + tuple(_required(node.p1))
            self.pattern(node.p1, first)
            second = (joint if name == "Union" else first) + tuple(_required(node.p2))
            self.depth += name == "Minus"
            self.pattern(node.p2, second)
            self.depth -= name == "Minus"
        elif name == "ToMultiSet":
            self.pattern(node.p, joint)
        elif name == "values":
            return
        else:  # an algebra node this walk does not know: be safe
            self.opaque = True

    def expression(self, expr: object, joint: tuple[Link, ...]) -> None:
        if isinstance(expr, CompValue):
            if expr.name in _EXISTS:
                graph = expr.graph
                if isinstance(graph, CompValue) and graph.name not in (
                        "BGP", "Join", "Filter", "LeftJoin", "Union", "Minus", "Extend", "ToMultiSet", "Project"):
                    graph = translateGroupGraphPattern(graph)
                self.depth += 1
                self.pattern(graph, joint + tuple(_required(graph)))
                self.depth -= 1
                return
            for key, value in expr.items():
                if not key.startswith("_"):
                    self.expression(value, joint)
        elif isinstance(expr, (list, tuple)):
            for item in expr:
                self.expression(item, joint)


def _chain(triple: Pattern, joint: tuple[Link, ...]) -> str | None:
    """SPARQL joining a variable of ``triple`` to ``$this`` by the fewest links of ``joint`` (breadth first)."""
    start = _variables(triple)
    if THIS in start:
        return ""
    if not start:
        return None
    links = [t for t in dict.fromkeys(joint) if t != triple and _variables(t)]
    came: dict[Variable, tuple[Variable | None, Link | None]] = {v: (None, None) for v in start}
    todo = deque(start)
    while todo:
        var = todo.popleft()
        if var == THIS:
            steps: list[str] = []
            while came[var][1] is not None:
                previous, link = came[var]
                steps.append(_text(link, known=previous))
                var = previous  # type: ignore[assignment]
            return " ".join(reversed(steps))
        for link in links:
            names = _variables(link)
            if var in names:
                for other in names - came.keys():
                    came[other] = (var, link)
                    todo.append(other)
    return None


def render(links: tuple[Link, ...], bound: set[Variable]) -> str:
    """SPARQL for ``links`` after a ``VALUES`` binding ``bound``: an alias is a ``BIND`` towards the
    variable not bound yet (a ``FILTER`` if both are), so the text is valid SPARQL whatever is bound."""
    known = set(bound)
    parts = []
    for link in links:
        if not isinstance(link, Alias):
            parts.append(_text(link))
            known |= _variables(link)
    for link in links:
        if isinstance(link, Alias):
            if link.var in known and link.source in known:
                parts.append(f"FILTER(sameTerm({_term(link.var)}, {_term(link.source)}))")
            else:
                parts.append(_text(link, known=link.var if link.var in known else link.source))
                known |= {link.var, link.source}
    return " ".join(parts)


def localities(where: object, targets: list[Pattern], *, uses_this: bool) -> tuple[list[Locality], bool]:
    """The rule's patterns with their chains to ``$this``, and whether the rule is local at all."""
    while isinstance(where, CompValue) and where.name in ("Project", "Distinct", "Reduced"):
        where = where.p  # the rule's own projection, not a sub-select
    collector = _Collector()
    root = tuple(targets) if len(targets) == 1 else ()
    collector.pattern(where, root + tuple(_required(where)))
    found = [(t, root) for t in targets] + collector.found
    mandatory = tuple(dict.fromkeys(root + tuple(_required(where))))
    bound = set().union(*(_variables(link) for link in mandatory)) if mandatory else set()
    result = []
    for triple, joint in found:
        if isinstance(triple[1], Path) and not isinstance(triple[1], URIRef):
            result.append(Locality(triple, None))
            continue
        chain = _chain(triple, joint)
        premise = triple not in collector.filtering and not _variables(triple).isdisjoint(bound)
        if set(joint) <= set(mandatory) or chain is None or not premise:
            result.append(Locality(triple, chain))
        else:
            result.append(Locality(triple, chain if THIS in bound else None, mandatory))
    return list(dict.fromkeys(result)), uses_this and not collector.opaque
