"""What the reference stack needs from RightsGraph: the rule base as plain SHACL-AF (the package's
:func:`rightsgraph.rules.export.export_shacl_af`, also used by the differential test) and the
statements the engine produced, to compare conclusions."""
from __future__ import annotations

import datetime as dt

from rdflib import Graph

from rightsgraph import graphs as G
from rightsgraph.rules.analysis import Analyses
from rightsgraph.rules.export import export_shacl_af
from rightsgraph.rules.firings import all_products


def rule_shapes(kb, jurisdictions: list[str], as_of: dt.date) -> Graph:
    return export_shacl_af(kb.rule_base, kb.tbox, jurisdictions=kb.resolve_jurisdictions(jurisdictions),
                           as_of=as_of)


def produced_statements(kb) -> list[list[str]]:
    """What the engine's rules produced (read back from the justifications graph), as [s, p, o.n3()]."""
    triples = all_products(kb.store, G.JUSTIFICATIONS, Analyses(kb.rule_base.rules))
    return [[str(s), str(p), o.n3()] for s, p, o in triples]
