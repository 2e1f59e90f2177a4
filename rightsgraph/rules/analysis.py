"""What a rule reads, negates and writes, read off its query with rdflib's SPARQL algebra.

Three things come out of a rule's ``CONSTRUCT``: the template (what it writes), the positive triple
patterns of its ``WHERE`` (its premises, recorded in every justification) and a *signature* of
everything it reads positively or under negation (``FILTER NOT EXISTS``, ``MINUS``), used to
stratify the rule base. A signature is a predicate plus, where the pattern's subject is typed in
the same group, the classes of that subject; ``rdf:type`` patterns carry their class. The author's
``WHERE`` text is kept verbatim and located by :func:`split_construct`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
from rdflib.plugins.sparql.parserutils import CompValue

from rightsgraph.errors import RuleError
from rightsgraph.rules.cache import cached
from rightsgraph.rules.locality import Locality, localities
from rightsgraph.rules.model import Rule
from rightsgraph.sparqltext import match_brace

RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
Pattern = tuple[object, object, object]


@dataclass(frozen=True)
class Signature:
    """A predicate (None: any), the classes known for the subject (empty: unknown), and the
    constant values the same pattern group gives the subject for other properties, such as
    ``rg:jurisdiction jur:CN``: a writer that gives its node ``jur:US`` cannot feed a reader
    that needs ``jur:CN``."""

    predicate: str | None
    classes: frozenset[str] = frozenset()
    constants: frozenset[tuple[str, str]] = frozenset()


@dataclass
class RuleAnalysis:
    template: list[Pattern]
    premises: list[Pattern]
    path_premises: list[Pattern]
    #: premises read under UNION or OPTIONAL: recorded only when the store confirms them
    conditional_premises: set[Pattern] = field(default_factory=set)
    reads: set[Signature] = field(default_factory=set)
    negates: set[Signature] = field(default_factory=set)
    writes: set[Signature] = field(default_factory=set)
    where_text: str = ""
    uses_this: bool = True
    #: every triple pattern with its chain to ``$this`` (see :mod:`rightsgraph.rules.locality`)
    localities: list[Locality] = field(default_factory=list)
    #: False if a change must re-apply the rule to every focus node (no ``$this``, an aggregate, ...)
    local: bool = True
    #: the WHERE rewritten for a full run on each store dialect (:mod:`rightsgraph.rules.optimise`)
    rewritten: dict[str, str] = field(default_factory=dict)


def split_construct(query: str) -> tuple[str, str, str]:
    """Split a CONSTRUCT query text into (prologue, template text, WHERE group text with its braces)."""
    upper = query.upper()
    i = 0
    while True:  # find the CONSTRUCT keyword outside IRIs, strings and comments
        i = upper.find("CONSTRUCT", i)
        if i < 0:
            raise ValueError("not a CONSTRUCT query")
        before = query[:i]
        if before.count("<") == before.count(">") and before.count('"') % 2 == 0:
            break
        i += 9
    prologue = query[:i]
    t_start = query.index("{", i)
    if query[i + 9:t_start].strip():
        raise ValueError("datasets (FROM) are not allowed in rules")
    t_end = match_brace(query, t_start)
    rest = query[t_end:]
    w_rel = rest.index("{")
    head = rest[:w_rel].strip().upper()
    if head not in ("", "WHERE"):
        raise ValueError(f"unexpected {head!r} between the template and WHERE (no FROM in rules)")
    w_start = t_end + w_rel
    w_end = match_brace(query, w_start)
    if re.sub(r"#[^\n]*", "", query[w_end:]).strip():
        raise ValueError("solution modifiers (ORDER BY, LIMIT, ...) are not allowed in rules")
    return prologue, query[t_start + 1:t_end - 1], query[w_start:w_end]


def path_predicates(path: Path) -> tuple[set[str | None], bool]:
    """IRIs a path reads; the flag is True if it may read any predicate (negated property sets)."""
    if isinstance(path, URIRef):
        return {str(path)}, False
    if isinstance(path, (SequencePath, AlternativePath)):
        found: set[str | None] = set()
        anything = False
        for arg in path.args:
            sub, any_ = path_predicates(arg)
            found |= sub
            anything |= any_
        return found, anything
    if isinstance(path, InvPath):
        return path_predicates(path.arg)
    if isinstance(path, MulPath):
        return path_predicates(path.path)
    if isinstance(path, NegatedPath):
        return {None}, True
    return {None}, True


def _signatures(triples: list[Pattern]) -> set[Signature]:
    types: dict[object, set[str]] = {}
    constants: dict[object, set[tuple[str, str]]] = {}
    for s, p, o in triples:
        if p == RDF_TYPE and isinstance(o, URIRef):
            types.setdefault(s, set()).add(str(o))
        elif isinstance(p, URIRef) and isinstance(o, (URIRef, Literal)):
            constants.setdefault(s, set()).add((str(p), o.n3()))
    sigs: set[Signature] = set()
    for s, p, o in triples:
        consts = frozenset(constants.get(s, ()))
        if p == RDF_TYPE:
            sigs.add(Signature(str(RDF_TYPE), frozenset({str(o)}) if isinstance(o, URIRef) else frozenset(), consts))
        elif isinstance(p, Path):
            preds, _ = path_predicates(p)
            sigs |= {Signature(q) for q in preds}
        elif isinstance(p, URIRef):
            sigs.add(Signature(str(p), frozenset(types.get(s, ())), consts))
        else:
            sigs.add(Signature(None))
    return sigs


class _Walker:
    """Collects BGPs by how they are read: positively (mandatory or under UNION/OPTIONAL), negated, in EXISTS."""

    def __init__(self) -> None:
        self.positive: list[list[Pattern]] = []
        self.conditional: list[list[Pattern]] = []
        self.negative: list[list[Pattern]] = []
        self.existential: list[list[Pattern]] = []

    def walk(self, node: object, mode: str = "pos", optional: bool = False) -> None:
        if isinstance(node, CompValue):
            name = node.name
            if name == "BGP":
                if mode == "pos" and optional:
                    self.conditional.append(list(node.triples))
                else:
                    {"pos": self.positive, "neg": self.negative, "exists": self.existential}[mode].append(
                        list(node.triples))
                return
            if name == "Union":
                self.walk(node.p1, mode, True)
                self.walk(node.p2, mode, True)
                return
            if name == "LeftJoin":
                self.walk(node.p1, mode, optional)
                self.walk(node.p2, mode, True)
                self.walk(node.get("expr"), mode, optional)
                return
            if name in ("Builtin_NOTEXISTS", "Builtin_EXISTS"):
                inner = "neg" if name == "Builtin_NOTEXISTS" or mode == "neg" else "exists"
                graph = node.graph
                if isinstance(graph, CompValue) and graph.name not in ("BGP", "Join", "Filter", "LeftJoin", "Union",
                                                                       "Minus", "Extend", "Graph", "ToMultiSet", "Project"):
                    graph = translateGroupGraphPattern(graph)
                self.walk(graph, inner)
                return
            if name == "Minus":
                self.walk(node.p1, mode, optional)
                self.walk(node.p2, "neg")
                return
            for key, value in node.items():
                if key.startswith("_"):
                    continue
                self.walk(value, mode, optional)
        elif isinstance(node, (list, tuple)):
            for item in node:
                self.walk(item, mode, optional)


def _expression_variables(expr: object, found: set[Variable]) -> None:
    """Variables an expression reads, leaving out those inside EXISTS / NOT EXISTS (correlated)."""
    if isinstance(expr, Variable):
        found.add(expr)
    elif isinstance(expr, CompValue):
        if expr.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            return
        for key, value in expr.items():
            if not key.startswith("_"):
                _expression_variables(value, found)
    elif isinstance(expr, (list, tuple)):
        for item in expr:
            _expression_variables(item, found)


def _values_variables(node: object, found: set[Variable]) -> set[Variable]:
    if isinstance(node, CompValue):
        if node.name == "values":
            for row in node.get("res") or []:
                found |= {v for v in row if isinstance(v, Variable)}
        for key, value in node.items():
            if not key.startswith("_"):
                _values_variables(value, found)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _values_variables(item, found)
    return found


def _out_of_scope_binds(node: object, values: set[Variable] | None = None) -> list[tuple[str, list[str]]]:
    """BINDs whose expression reads variables their own group cannot have bound: SPARQL evaluates
    groups bottom-up, so such a variable is always unbound there (a frequent, silent rule bug).
    Variables of inline VALUES count as bound: rdflib's algebra joins them after the group's BINDs."""
    if values is None:
        values = _values_variables(node, set())
    problems: list[tuple[str, list[str]]] = []
    if isinstance(node, CompValue):
        if node.name == "Extend":
            used: set[Variable] = set()
            _expression_variables(node.expr, used)
            in_scope = set(getattr(node.p, "_vars", set()) or set()) | values
            missing = sorted(str(v) for v in used - in_scope)
            if missing:
                problems.append((str(node.var), missing))
        for key, value in node.items():
            if not key.startswith("_"):
                problems += _out_of_scope_binds(value, values)
    elif isinstance(node, (list, tuple)):
        for item in node:
            problems += _out_of_scope_binds(item, values)
    return problems


def _plain(term: object) -> bool:
    return isinstance(term, (URIRef, Variable, Literal))


def cache_key(rule: Rule) -> str:
    """Everything a rule's analysis depends on."""
    import rdflib
    return repr((rule.construct, rule.prefixes, rule.targets, rdflib.__version__, _ANALYSIS_VERSION))


_ANALYSIS_VERSION = 10  # bump when RuleAnalysis, the analysis or the rewrites change


@lru_cache(maxsize=None)
def analyse(rule: Rule) -> RuleAnalysis:
    """Parse a rule's query and work out its template, premises and signatures (cached in the
    process and on disk: :mod:`rightsgraph.rules.cache`)."""
    return cached("analysis", cache_key(rule), lambda: _analyse(rule))


def _analyse(rule: Rule) -> RuleAnalysis:
    try:
        prologue, _, where = split_construct(rule.construct)
    except ValueError as exc:
        raise RuleError(rule.iri, rule.source_file, f"sh:construct: {exc}") from None
    try:
        parsed = prepareQuery(rule.prologue + rule.construct)
    except Exception as exc:  # pyparsing's ParseException and rdflib's own errors
        raise RuleError(rule.iri, rule.source_file, f"SPARQL syntax error in sh:construct: {exc}") from None
    algebra = parsed.algebra
    if algebra.name != "ConstructQuery":
        raise RuleError(rule.iri, rule.source_file, "sh:construct must hold a CONSTRUCT query")
    for var, missing in _out_of_scope_binds(algebra.p):
        raise RuleError(rule.iri, rule.source_file,
                        f"BIND(... AS ?{var}) reads {', '.join('?' + m for m in missing)}, which its group does not "
                        "bind before it (SPARQL evaluates each { } group on its own, so it is always unbound "
                        "there); move the BIND after the pattern that binds it, or use a property path")
    template = list(algebra.template or [])
    for triple in template:
        if any(isinstance(t, BNode) for t in triple):
            raise RuleError(rule.iri, rule.source_file,
                            "a blank node in the CONSTRUCT template would mint a fresh node on every run; "
                            "mint a deterministic IRI with BIND(IRI(CONCAT(..., SHA1(...))) AS ?node) instead")
    walker = _Walker()
    walker.walk(algebra.p)
    target_patterns = []
    for target in rule.targets:
        if target.kind == "class":
            target_patterns.append((Variable("this"), RDF_TYPE, URIRef(target.value)))
        elif target.kind == "subjectsOf":
            target_patterns.append((Variable("this"), URIRef(target.value), Variable("__target_o")))
        elif target.kind == "objectsOf":
            target_patterns.append((Variable("__target_s"), URIRef(target.value), Variable("this")))
    mentioned = {t for group in walker.positive + walker.conditional + walker.negative + walker.existential
                 for triple in group
                 for t in triple} | {t for triple in template for t in triple}
    uses_this = Variable("this") in mentioned or re.search(r"[?$]this\b", where) is not None
    if not uses_this:
        target_patterns = []
    analysis = RuleAnalysis(template=template, premises=[], path_premises=[], where_text=where,
                            uses_this=uses_this)
    seen: set[Pattern] = set()
    conditional = {t for group in walker.conditional for t in group}
    for group in [target_patterns, *walker.positive, *walker.conditional]:
        for triple in group:
            if triple in seen:
                continue
            seen.add(triple)
            s, p, o = triple
            if isinstance(p, Path) and not isinstance(p, URIRef):
                if _plain(s) and _plain(o):
                    analysis.path_premises.append(triple)
            elif all(_plain(t) for t in triple):
                analysis.premises.append(triple)
                if triple in conditional and triple not in {t for g in walker.positive for t in g}:
                    analysis.conditional_premises.add(triple)
    for group in [*walker.positive, *walker.conditional, *walker.existential]:
        analysis.reads |= _signatures(target_patterns + group)
    analysis.reads |= _signatures(target_patterns)
    for group in walker.negative:
        analysis.negates |= _signatures(target_patterns + group) - _signatures(target_patterns)
    analysis.writes = _signatures(template)
    analysis.localities, analysis.local = localities(algebra.p, target_patterns, uses_this=uses_this)
    from rightsgraph.rules.optimise import DIALECTS, optimise  # it reads WHERE texts with this module's scanner
    analysis.rewritten = {d: optimise(rule.prologue, where, uses_this, dialect=d) for d in DIALECTS}
    return analysis


class Analyses(Mapping):
    """The analyses of a rule base's rules by rule IRI, made on first use (for reading firings back)."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._rules = {rule.iri: rule for rule in rules}

    def __getitem__(self, iri: str) -> RuleAnalysis:
        return analyse(self._rules[iri])

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)
