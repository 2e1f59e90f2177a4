"""OWL materialisation before the legal rules run.

The rules rely on a small part of OWL 2 RL: subclass and equivalent-class closure of types
(cax-sco, cax-eqc), subproperties and equivalent properties (prp-spo1, prp-eqp), inverses
(prp-inv), symmetric (prp-symp) and transitive properties (prp-trp). The TBox is small, so its
closure is computed here once; the ABox is large, so its entailments are SPARQL updates inside the
store, which keeps them fast on Oxigraph and lets them run unchanged on a remote endpoint.
``tests/test_owl.py`` checks the result against owlrl, the reference OWL RL reasoner.
Domain and range axioms are not applied: they type nodes by mere use, which is for SHACL to check.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rightsgraph.graphs import ONTOLOGY
from rightsgraph.store.base import Store

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _closure(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """Reflexive-transitive closure of a small relation, by depth-first search from each node."""
    result: dict[str, set[str]] = {}
    for start in edges:
        seen, todo = {start}, [start]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        result[start] = seen
    return result


@dataclass
class TBox:
    """What the materialiser and the rule stratifier need to know of the ontology."""

    superclasses: dict[str, set[str]] = field(default_factory=dict)
    superproperties: dict[str, set[str]] = field(default_factory=dict)
    inverses: set[tuple[str, str]] = field(default_factory=set)
    transitive: set[str] = field(default_factory=set)
    symmetric: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, store: Store, graphs: tuple[str, ...] = (ONTOLOGY,)) -> "TBox":
        rows = store.select(
            """PREFIX owl: <http://www.w3.org/2002/07/owl#>
               PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
               SELECT DISTINCT ?kind ?a ?b WHERE {
                 { ?a rdfs:subClassOf ?b BIND("sc" AS ?kind) }
                 UNION { ?a owl:equivalentClass ?b BIND("ec" AS ?kind) }
                 UNION { ?a rdfs:subPropertyOf ?b BIND("sp" AS ?kind) }
                 UNION { ?a owl:equivalentProperty ?b BIND("ep" AS ?kind) }
                 UNION { ?a owl:inverseOf ?b BIND("inv" AS ?kind) }
                 UNION { ?a a owl:TransitiveProperty BIND("tr" AS ?kind) }
                 UNION { ?a a owl:SymmetricProperty BIND("sym" AS ?kind) }
                 FILTER(isIRI(?a) && (!BOUND(?b) || isIRI(?b)))
               }""",
            default_graphs=list(graphs),
        )
        sc: dict[str, set[str]] = defaultdict(set)
        sp: dict[str, set[str]] = defaultdict(set)
        tbox = cls()
        for row in rows:
            kind, a, b = str(row["kind"]), str(row["a"]), str(row.get("b", ""))
            if kind == "sc":
                sc[a].add(b)
            elif kind == "ec":
                sc[a].add(b)
                sc[b].add(a)
            elif kind == "sp":
                sp[a].add(b)
            elif kind == "ep":
                sp[a].add(b)
                sp[b].add(a)
            elif kind == "inv":
                tbox.inverses.add((a, b))
            elif kind == "tr":
                tbox.transitive.add(a)
            elif kind == "sym":
                tbox.symmetric.add(a)
        tbox.superclasses = _closure(sc)
        tbox.superproperties = _closure(sp)
        return tbox

    def fingerprint(self) -> str:
        """Everything stratification depends on, as text (a cache key)."""
        def closed(relation: dict[str, set[str]]) -> list:
            return sorted((k, sorted(v)) for k, v in relation.items())
        return repr((closed(self.superclasses), closed(self.superproperties), sorted(self.inverses),
                     sorted(self.transitive), sorted(self.symmetric)))

    def is_subclass(self, sub: str, sup: str) -> bool:
        return sub == sup or sup in self.superclasses.get(sub, ())

    def is_subproperty(self, sub: str, sup: str) -> bool:
        return sub == sup or sup in self.superproperties.get(sub, ())


def _values(pairs: list[tuple[str, str]], a: str, b: str) -> str:
    rows = " ".join(f"(<{x}> <{y}>)" for x, y in pairs)
    return f"VALUES (?{a} ?{b}) {{ {rows} }}"


def materialise(store: Store, tbox: TBox, *, sources: tuple[str, ...], target: str,
                max_rounds: int = 20) -> int:
    """Write the entailments of ``sources`` into ``target`` until nothing changes; returns rounds run.

    ``target`` is read as well as written, so entailments feed each other (a subproperty of a
    transitive property, say). Triples already asserted are removed from ``target`` at the end.
    """
    using = " ".join(f"USING <{g}>" for g in (*sources, target))
    sub_props = [(p, q) for p, sups in tbox.superproperties.items() for q in sups if p != q]
    inverse_pairs = sorted(tbox.inverses | {(b, a) for a, b in tbox.inverses})
    sub_classes = [(c, d) for c, sups in tbox.superclasses.items() for d in sups if c != d]
    updates: list[str] = []
    if sub_props:
        updates.append(f"INSERT {{ GRAPH <{target}> {{ ?x ?q ?y }} }} {using} "
                       f"WHERE {{ {_values(sub_props, 'p', 'q')} ?x ?p ?y }}")
    if inverse_pairs:
        updates.append(f"INSERT {{ GRAPH <{target}> {{ ?y ?q ?x }} }} {using} "
                       f"WHERE {{ {_values(inverse_pairs, 'p', 'q')} ?x ?p ?y }}")
    for prop in sorted(tbox.symmetric):
        updates.append(f"INSERT {{ GRAPH <{target}> {{ ?y <{prop}> ?x }} }} {using} WHERE {{ ?x <{prop}> ?y }}")
    for prop in sorted(tbox.transitive):
        updates.append(f"INSERT {{ GRAPH <{target}> {{ ?x <{prop}> ?z }} }} {using} "
                       f"WHERE {{ ?x <{prop}> ?y . ?y <{prop}>+ ?z }}")
    if sub_classes:
        updates.append(f"INSERT {{ GRAPH <{target}> {{ ?x a ?d }} }} {using} "
                       f"WHERE {{ {_values(sub_classes, 'c', 'd')} ?x a ?c }}")
    rounds = 0
    if updates:
        before = -1
        while rounds < max_rounds:
            rounds += 1
            for update in updates:
                store.update(update)
            size = store.count(target)
            if size == before:
                break
            before = size
    for source in sources:
        if source != target:
            store.update(f"DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} "
                         f"GRAPH <{source}> {{ ?s ?p ?o }} }}")
    return rounds
