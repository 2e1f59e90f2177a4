"""What the reference stack needs from RightsGraph: the rule base as plain SHACL-AF (the package's
:func:`rightsgraph.rules.export.export_shacl_af`, also used by the differential test) and the
statements the engine produced, to compare conclusions."""
from __future__ import annotations

import datetime as dt

from rdflib import Graph

from rightsgraph import graphs as G
from rightsgraph.rules.export import export_shacl_af


def rule_shapes(kb, jurisdictions: list[str], as_of: dt.date) -> Graph:
    return export_shacl_af(kb.rule_base, kb.tbox, jurisdictions=kb.resolve_jurisdictions(jurisdictions),
                           as_of=as_of)


def produced_statements(kb) -> list[list[str]]:
    """What the engine's rules produced (from the justifications graph), as [s, p, o.n3()]."""
    rows = kb.query(f"""SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH <{G.JUSTIFICATIONS}> {{
        ?f <{G.RG}produced> ?st . ?st <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ;
        <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o }} }}""")
    return [[str(r["s"]), str(r["p"]), r["o"].n3()] for r in rows]
