"""The Python API: a :class:`KnowledgeBase` holds facts, reasons over them and answers questions.

>>> from rightsgraph import KnowledgeBase
>>> kb = KnowledgeBase()
>>> kb.load_case("li-v-liu").triples > 0
True
>>> run = kb.reason(["CN"], as_of="2023-11-27")
>>> holders = kb.rights_holders("case:li-v-liu/image", jurisdiction="CN")
>>> sorted({kb.label(h.values("holder")[0]) for h in holders})
['Li (plaintiff)']
>>> [kb.label(d.values("right")[0]) for d in kb.possible_infringements(jurisdiction="CN")]  # doctest: +NORMALIZE_WHITESPACE
['CN attribution right (Art. 10(1)(2))', 'CN information-network dissemination right (Art. 10(1)(12))']
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Identifier, Node

from rightsgraph import graphs as G
from rightsgraph import resources
from rightsgraph.errors import InputError
from rightsgraph.explain import Explainer, Explanation
from rightsgraph.namespace import RG
from rightsgraph.loading import (ParsedInput, SourceMap, deskolemize, from_rdflib, native_input, parse_error,
                                 parse_file, parse_text)
from rightsgraph.owl import TBox
from rightsgraph.rules import engine, incremental
from rightsgraph.rules.analysis import Analyses
from rightsgraph.rules.model import RuleBase, load_rule_base
from rightsgraph.store import open_store
from rightsgraph.store.base import Row, Store, query_form
from rightsgraph.store.oxigraph import OxigraphStore
from rightsgraph.store.terms import to_rdflib
from rightsgraph.terms import compact, expand, parse_date
from rightsgraph.validation import ValidationReport, data_shape_files, load_shapes, validate_graph

RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: ``validate(engine="auto")`` runs the shapes as SPARQL in the store above this many facts
AUTO_SPARQL_VALIDATION = 10_000


@dataclass(frozen=True)
class LoadReport:
    sources: tuple[str, ...]
    triples: int


@dataclass
class Determination:
    """A conclusion node: what kind, about what, where, with which status, and its other properties."""

    iri: str
    kinds: tuple[str, ...]
    about: str | None
    jurisdiction: str | None
    status: str | None
    properties: dict[str, list[Identifier]] = field(default_factory=dict)

    def values(self, local_name: str) -> list[Identifier]:
        """Values of ``rg:<local_name>``, e.g. ``values("holder")``."""
        return self.properties.get(G.RG + local_name, [])

    @property
    def kind(self) -> str:
        """The most specific kind (``kinds`` come most specific first)."""
        specific = [k for k in self.kinds if k != G.RG + "Determination"]
        return (specific or list(self.kinds) or [""])[0]

    def to_json(self) -> dict[str, Any]:
        return {"iri": self.iri, "kind": compact(URIRef(self.kind)), "about": self.about,
                "jurisdiction": self.jurisdiction, "status": self.status,
                "properties": {compact(URIRef(k)): [compact(v) for v in vs] for k, vs in sorted(self.properties.items())}}


class KnowledgeBase:
    """Facts, the ontology, the rule base and what reasoning derived, in one store.

    ``path`` keeps the store on disk; ``store`` plugs in any back end (``open_store("sparql", ...)``).
    The ontology is loaded into its own graph on creation unless the store already holds it.
    """

    def __init__(self, path: str | Path | None = None, *, store: Store | None = None,
                 rules_dir: Path | None = None) -> None:
        self.store: Store = store or open_store("oxigraph", path=path)
        self._rules_dir = rules_dir
        self._rule_base: RuleBase | None = None
        self._tbox: TBox | None = None
        self._sources = SourceMap()
        if not self.store.has_triples(G.ONTOLOGY):
            self._load_into(G.ONTOLOGY, [parse_file(p) for p in resources.ontology_files()])
        engine.recover(self.store)  # a run cut short by a killed process leaves nothing behind

    # -- input ---------------------------------------------------------------------------------
    def _load_into(self, graph: str, parsed: list[ParsedInput]) -> int:
        triples = [t for p in parsed for t in p.triples]
        if isinstance(self.store, OxigraphStore):
            g = ox.NamedNode(graph)
            self.store.add_oxigraph_quads([ox.Quad(s, p, o, g) for s, p, o in triples])
        else:
            self.store.add(graph, ((to_rdflib(s), to_rdflib(p), to_rdflib(o)) for s, p, o in triples))
        return len(triples)

    def load(self, *sources: str | Path | Graph, format: str | None = None) -> LoadReport:
        """Add facts from files or rdflib graphs. Everything parses before anything is written,
        so a bad file leaves the store exactly as it was."""
        if len(sources) == 1 and not isinstance(sources[0], Graph):
            native = self._load_natively(sources[0], format)
            if native is not None:
                return native
        parsed = []
        for source in sources:
            if isinstance(source, Graph):
                parsed.append(from_rdflib(source))
            else:
                parsed.append(parse_file(source, format=format))
        count = self._load_into(G.FACTS, parsed)
        for p in parsed:
            for s, _, _ in p.triples:
                self._sources.setdefault(s.value, p.source)
        return LoadReport(tuple(p.source for p in parsed), count)

    def _load_natively(self, source: str | Path, format: str | None) -> LoadReport | None:
        """The first file of facts goes straight from disk into the embedded store, parsed by
        Oxigraph in one transaction, when nothing in it needs Python (see :class:`NativeInput`)."""
        if not isinstance(self.store, OxigraphStore) or self.store.has_triples(G.FACTS):
            return None
        native = native_input(source, format=format)
        if native is None:
            return None
        try:
            self.store.load_bytes(G.FACTS, native.data, native.format, base_iri=native.base_iri)
        except SyntaxError as exc:  # the transaction wrote nothing
            raise parse_error(native.source, exc) from None
        self._sources.fallback = native.source  # the facts were empty: every subject came from it
        return LoadReport((native.source,), self.store.count(G.FACTS))

    def load_text(self, text: str, *, format: str = "turtle", source: str = "<string>") -> LoadReport:
        parsed = parse_text(text, format=format, source=source)
        count = self._load_into(G.FACTS, [parsed])
        return LoadReport((source,), count)

    def load_case(self, name: str) -> LoadReport:
        """Load a bundled case graph (``li-v-liu``, ``ultraman-tab``, ...) or a case file path."""
        path = resources.case_file(name)
        if not path.exists():
            known = sorted(p.stem for p in resources.CASES_DIR.glob("*.ttl"))
            raise InputError(f"no case {name!r}; bundled cases: {', '.join(known)}")
        return self.load(path)

    # -- the vocabulary of jurisdictions -------------------------------------------------------
    def jurisdictions(self) -> dict[str, str]:
        """Known jurisdictions by code (``CN``) to IRI."""
        rows = self.store.select(
            f"SELECT ?j WHERE {{ ?j a <{G.RG}Jurisdiction> }}", default_graphs=[G.ONTOLOGY])
        return {str(r["j"]).rsplit("/", 1)[-1]: str(r["j"]) for r in rows}

    def resolve_jurisdictions(self, codes: Iterable[str]) -> list[str]:
        """Codes or IRIs to IRIs, with the jurisdictions each is part of (``DE`` brings ``EU``)."""
        known = self.jurisdictions()
        chosen: list[str] = []
        for code in codes:
            iri = known.get(code.strip().upper()) if "/" not in code else code
            if iri is None or iri not in known.values():
                raise InputError(f"unknown jurisdiction {code!r}; known: {', '.join(sorted(known))}")
            chosen.append(iri)
        rows = self.store.select(f"SELECT ?a ?b WHERE {{ ?a <{G.RG}partOf>+ ?b }}", default_graphs=[G.ONTOLOGY])
        parents: dict[str, set[str]] = {}
        for row in rows:
            parents.setdefault(str(row["a"]), set()).add(str(row["b"]))
        for iri in list(chosen):
            chosen += [p for p in sorted(parents.get(iri, ())) if p not in chosen]
        return chosen

    # -- validation and reasoning -------------------------------------------------------------
    def facts_graph(self) -> Graph:
        graph = Graph()
        for triple in self.store.triples(G.FACTS):
            graph.add(triple)
        return graph

    def validate(self, *, shapes: Sequence[Path] | None = None, engine: str = "auto") -> ValidationReport:
        """Check the facts against the SHACL shapes (all data shapes of the ontology by default).

        ``engine="pyshacl"`` runs the reference implementation; ``"sparql"`` runs the same shapes as
        SPARQL inside the store (:mod:`rightsgraph.shacl_sparql`, proved equal to pyshacl on every
        bundled case); ``"auto"`` picks SPARQL above 10,000 facts, where it is already nine times
        faster (1.3 s against 17 s at 100k facts: ``benchmarks/README.md``). pyshacl gets the class
        hierarchy and the types of the ontology's individuals, which is all the shapes need: mixing
        in the whole ontology made it two orders of magnitude slower.
        """
        if engine not in ("auto", "pyshacl", "sparql"):
            raise InputError(f"unknown validation engine {engine!r}: use auto, pyshacl or sparql")
        shape_graph = load_shapes(shapes if shapes is not None else data_shape_files())
        if engine == "sparql" or (engine == "auto" and self._more_facts_than(AUTO_SPARQL_VALIDATION)):
            from rightsgraph.shacl_sparql import UnsupportedShape, validate_in_store
            try:
                return validate_in_store(self.store, shape_graph, graphs=[G.FACTS, G.ONTOLOGY],
                                         sources=self._sources)
            except UnsupportedShape:
                if engine == "sparql":
                    raise
        context = Graph()
        for triple in self.store.construct(
                """CONSTRUCT { ?a ?p ?b } WHERE { { ?a ?p ?b FILTER(?p = <http://www.w3.org/2000/01/rdf-schema#subClassOf>) }
                   UNION { ?a ?p ?b FILTER(?p = <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> && isIRI(?a)
                           && ?b NOT IN (<http://www.w3.org/2002/07/owl#Class>, <http://www.w3.org/2002/07/owl#ObjectProperty>,
                           <http://www.w3.org/2002/07/owl#DatatypeProperty>, <http://www.w3.org/2002/07/owl#AnnotationProperty>,
                           <http://www.w3.org/2002/07/owl#Ontology>, <http://www.w3.org/2002/07/owl#TransitiveProperty>,
                           <http://www.w3.org/2002/07/owl#FunctionalProperty>)) } }""",
                default_graphs=[G.ONTOLOGY]):
            context.add(triple)
        return validate_graph(self.facts_graph(), shape_graph, context, self._sources)

    def _more_facts_than(self, n: int) -> bool:
        """Counting stops at ``n + 1``: counting a million facts is a scan."""
        rows = self.store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ GRAPH <{G.FACTS}> "
                                 f"{{ ?s ?p ?o }} }} LIMIT {n + 1} }}")
        return int(rows[0]["n"]) > n

    @property
    def rule_base(self) -> RuleBase:
        if self._rule_base is None:
            self._rule_base = load_rule_base(resources.rule_files(self._rules_dir))
        return self._rule_base

    @property
    def tbox(self) -> TBox:
        if self._tbox is None:
            self._tbox = TBox.read(self.store)
        return self._tbox

    def reason(self, jurisdictions: Sequence[str] = ("CN",), as_of: str | dt.date | None = None, *,
               progress: engine.Progress | None = None) -> engine.RunReport:
        """Derive conclusions for the jurisdictions as of a date (today by default).

        Earlier conclusions are replaced only when the run succeeds; a failing rule leaves them.
        """
        day = parse_date(as_of) if as_of is not None else dt.date.today()
        if isinstance(jurisdictions, str):
            jurisdictions = [jurisdictions]
        iris = self.resolve_jurisdictions(jurisdictions)
        return engine.run(self.store, self.rule_base, self.tbox, jurisdictions=iris, as_of=day, progress=progress)

    def add(self, *sources: str | Path | Graph, format: str | None = None,
            progress: engine.Progress | None = None) -> incremental.IncrementalReport:
        """Add facts to a reasoned knowledge base and bring its conclusions up to date incrementally.

        The result equals a full :meth:`reason` over all the facts, for the jurisdictions and as-of
        date of the last run; only the rules and focus nodes the new facts can reach are re-applied.
        Everything parses before anything is written, and a failure leaves the store as it was.
        """
        parsed = [from_rdflib(s) if isinstance(s, Graph) else parse_file(s, format=format) for s in sources]
        triples = [(to_rdflib(s), to_rdflib(p), to_rdflib(o)) for item in parsed for s, p, o in item.triples]
        report = incremental.add_facts(self.store, self.rule_base, self.tbox, triples, progress=progress)
        for item in parsed:
            for s, _, _ in item.triples:
                self._sources.setdefault(s.value, item.source)
        return report

    def clear_conclusions(self) -> None:
        """Drop everything reasoning derived; the facts stay exactly as loaded."""
        self.store.clear(*G.DERIVED)

    # -- answers ------------------------------------------------------------------------------
    def query(self, sparql: str, *, graphs: Sequence[str] | None = None,
              bindings: Mapping[str, Node | str] | None = None) -> list[Row] | bool | Graph:
        """Run any SPARQL query over the union of all graphs (or the given ones).

        ``bindings`` are substituted as terms, never pasted into the text: strings are read as IRIs
        or CURIEs when they look like one.
        """
        terms = {k: (v if isinstance(v, Identifier) else expand(v)) for k, v in (bindings or {}).items()}
        kind = query_form(sparql)
        if kind == "ASK":
            return self.store.ask(sparql, default_graphs=graphs, bindings=terms)
        if kind in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for t in self.store.construct(sparql, default_graphs=graphs, bindings=terms):
                graph.add(t)
            return graph
        return self.store.select(sparql, default_graphs=graphs, bindings=terms)

    def determinations(self, kind: str | None = None, *, about: str | None = None,
                       jurisdiction: str | None = None, status: str | None = None) -> list[Determination]:
        """Conclusions, filtered by kind (``InfringementDetermination`` or an IRI), subject, jurisdiction, status."""
        filters = []
        bindings: dict[str, Identifier] = {}
        if kind:
            bindings["kind"] = _term(kind)
            filters.append("?d a ?kind .")
        if about:
            bindings["about"] = expand(about)
            filters.append(f"?d <{G.RG}about> ?about .")
        if jurisdiction:
            code = self.resolve_jurisdictions([jurisdiction])[0]
            bindings["jur"] = URIRef(code)
            filters.append(f"?d <{G.RG}jurisdiction> ?jur .")
        if status:
            bindings["status"] = _term(status)
            filters.append(f"?d <{G.RG}status> ?status .")
        rows = self.store.select(
            f"""SELECT ?d ?p ?o WHERE {{ ?d a <{G.RG}Determination> . {' '.join(filters)} ?d ?p ?o }}
                ORDER BY ?d ?p ?o""", default_graphs=[G.CONCLUSIONS], bindings=bindings)
        found: dict[str, Determination] = {}
        for row in rows:
            d = found.setdefault(str(row["d"]), Determination(str(row["d"]), (), None, None, None))
            p, o = str(row["p"]), row["o"]
            if p == str(RDF_TYPE):
                d.kinds = tuple(sorted({*d.kinds, str(o)}))
            elif p == G.RG + "about":
                d.about = str(o)
            elif p == G.RG + "jurisdiction":
                d.jurisdiction = str(o)
            elif p == G.RG + "status":
                d.status = str(o)
            else:
                d.properties.setdefault(p, []).append(o)
        depth = self.tbox.superclasses  # the most specific kind first: it is the one ``kind`` names
        for d in found.values():
            d.kinds = tuple(sorted(d.kinds, key=lambda k: (-len(depth.get(k, ())), k)))
        return list(found.values())

    def rights_holders(self, work: str, *, jurisdiction: str | None = None) -> list[Determination]:
        """Who owns which right in ``work``: established ownership determinations."""
        return self.determinations("OwnershipDetermination", about=work, jurisdiction=jurisdiction,
                                   status="Established")

    def possible_infringements(self, *, jurisdiction: str | None = None) -> list[Determination]:
        return [d for d in self.determinations("InfringementDetermination", jurisdiction=jurisdiction)
                if d.status != G.RG + "NotEstablished"]

    def open_questions(self, *, jurisdiction: str | None = None) -> list[Determination]:
        return self.determinations(jurisdiction=jurisdiction, status="Open")

    def missed_duties(self, *, jurisdiction: str | None = None) -> list[Determination]:
        return self.determinations("DutyBreachDetermination", jurisdiction=jurisdiction, status="Established")

    def contract_conflicts(self, *, jurisdiction: str | None = None) -> list[Determination]:
        return self.determinations("ContractConflictDetermination", jurisdiction=jurisdiction)

    def contributors(self, output: str, *, jurisdiction: str | None = None) -> list[Determination]:
        """The works, creators and datasets behind an output, and which of them opted out."""
        return self.determinations("ContributionDetermination", about=output, jurisdiction=jurisdiction)

    def explain(self, node: str) -> Explanation:
        """The proof tree of every statement derived about ``node``."""
        return Explainer(self.store, Analyses(self.rule_base.rules)).explain(str(expand(node)))

    def label(self, node: Node | str) -> str:
        """The English label of a node, or its compact IRI."""
        iri = expand(str(node)) if not isinstance(node, URIRef) else node
        rows = self.store.select(
            "SELECT ?l WHERE { ?n <http://www.w3.org/2000/01/rdf-schema#label> ?l "
            "FILTER(LANG(?l) = '' || LANGMATCHES(LANG(?l), 'en')) } LIMIT 1", bindings={"n": iri})
        return str(rows[0]["l"]) if rows else compact(iri)

    # -- output -------------------------------------------------------------------------------
    def export(self, which: str = "facts", *, format: str = "turtle") -> str:
        """Serialise ``facts`` (as loaded, blank nodes restored), ``conclusions``, ``justifications`` or ``all``."""
        graphs = {"facts": [G.FACTS], "conclusions": [G.CONCLUSIONS], "justifications": [G.JUSTIFICATIONS],
                  "all": [G.FACTS, G.ENTAILMENTS, G.CONCLUSIONS, G.JUSTIFICATIONS]}
        if which not in graphs:
            raise InputError(f"cannot export {which!r}: choose one of {', '.join(graphs)}")
        graph = deskolemize(t for g in graphs[which] for t in self.store.triples(g))
        for prefix, ns in (("rg", G.RG), ("jur", G.JURISDICTION_BASE)):
            graph.bind(prefix, ns)
        return graph.serialize(format=format)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _term(name: str) -> URIRef:
    """An ontology term by local name (checked against the closed namespace), or any CURIE/IRI."""
    if ":" in name:
        return expand(name)
    try:
        return URIRef(RG[name])
    except AttributeError:
        raise InputError(f"{name!r} is not a term of the RightsGraph ontology") from None
