"""The vocabulary reference: Markdown generated from the ontology, one section per module.

For each class, property and named individual it gives the English and Chinese labels, the
definition, the superclasses or superproperties, and for properties the domain and range, so
that a new user can encode a case without reading Turtle. ``docs/vocabulary.md`` is generated
by this module and checked for freshness by the tests; never edit it by hand::

    python -m rightsgraph.vocabdoc > docs/vocabulary.md

>>> text = generate_reference(ONTOLOGY_DIR)
>>> text.startswith("# RightsGraph vocabulary")
True
>>> "### rg:AIGeneratedOutput" in text
True
"""
from __future__ import annotations

import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS

from .owlcheck import ONTOLOGY_DIR, load_import_closure

PREFIXES = {
    "https://w3id.org/rightsgraph/ontology#": "rg:",
    "https://w3id.org/rightsgraph/jurisdiction/": "jur:",
    "https://w3id.org/rightsgraph/source/": "src:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/odrl/2/": "odrl:",
    "http://cv.iptc.org/newscodes/digitalsourcetype/": "iptc:",
}
KINDS = [
    (OWL.Class, "Classes"),
    (OWL.ObjectProperty, "Object properties"),
    (OWL.DatatypeProperty, "Datatype properties"),
    (OWL.AnnotationProperty, "Annotation properties"),
    (OWL.NamedIndividual, "Individuals"),
]


def _curie(term) -> str:
    text = str(term)
    for base, prefix in PREFIXES.items():
        if text.startswith(base):
            return prefix + text[len(base):]
    return f"<{text}>"


def _expr(g: Graph, node) -> str:
    if isinstance(node, BNode):
        members = g.value(node, OWL.unionOf)
        if members is not None:
            return " or ".join(f"`{_curie(m)}`" for m in Collection(g, members))
        return "(anonymous class)"
    return f"`{_curie(node)}`"


def _label(g: Graph, term, lang: str) -> str:
    for label in sorted(g.objects(term, RDFS.label)):
        if isinstance(label, Literal) and label.language == lang:
            return str(label)
    return ""


def _term_section(g: Graph, term, kind) -> list[str]:
    lines = [f"### {_curie(term)}", ""]
    en, zh = _label(g, term, "en"), _label(g, term, "zh")
    lines.append(f"**{en}**" + (f" · {zh}" if zh else ""))
    lines.append("")
    for d in sorted(g.objects(term, SKOS.definition)):
        lines.append(str(d))
        lines.append("")
    facts = []
    if kind == OWL.Class:
        supers = sorted(_expr(g, s) for s in g.objects(term, RDFS.subClassOf))
        if supers:
            facts.append("Subclass of: " + ", ".join(supers))
        subs = sorted(_expr(g, s) for s in g.subjects(RDFS.subClassOf, term) if isinstance(s, URIRef))
        if subs:
            facts.append("Subclasses: " + ", ".join(subs))
    elif kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for pred, name in ((RDFS.domain, "Domain"), (RDFS.range, "Range"), (RDFS.subPropertyOf, "Subproperty of")):
            values = sorted(_expr(g, v) for v in g.objects(term, pred))
            if values:
                facts.append(f"{name}: " + ", ".join(values))
        if (term, RDF.type, OWL.TransitiveProperty) in g:
            facts.append("Transitive")
    else:
        types = sorted(_expr(g, t) for t in g.objects(term, RDF.type) if t != OWL.NamedIndividual)
        if types:
            facts.append("Type: " + ", ".join(types))
        for part in sorted(g.objects(term, URIRef("https://w3id.org/rightsgraph/ontology#partOf"))):
            facts.append(f"Part of: `{_curie(part)}`")
    for src in sorted(g.objects(term, DCTERMS.source)):
        facts.append(f"Source: <{src}>")
    for note in sorted(g.objects(term, SKOS.note)):
        facts.append(f"Note: {note}")
    lines += [f"- {f}" for f in facts]
    if facts:
        lines.append("")
    return lines


def generate_reference(ontology_dir: Path) -> str:
    """Markdown reference of every module of the ontology under ``ontology_dir`` (import closure of rightsgraph.ttl)."""
    ontology_dir = Path(ontology_dir)
    g = load_import_closure(ontology_dir / "rightsgraph.ttl", ontology_dir / "catalog-v001.xml")
    entry = URIRef("https://w3id.org/rightsgraph/ontology")
    modules = sorted(m for m in g.subjects(RDF.type, OWL.Ontology) if m != entry)
    out = ["# RightsGraph vocabulary", "",
           f"Generated from `ontology/` (version {g.value(entry, OWL.versionInfo)}) by "
           "`python -m rightsgraph.vocabdoc`; do not edit by hand.", "",
           "Prefixes: " + ", ".join(f"`{p}` = <{b}>" for b, p in PREFIXES.items()), "",
           "## Modules", ""]
    for m in modules:
        out.append(f"- [{_label(g, m, 'en')}](#{_anchor(_label(g, m, 'en'))}) · {_label(g, m, 'zh')} — <{m}>")
    out.append("")
    for m in modules:
        out += [f"## {_label(g, m, 'en')}", "", f"{_label(g, m, 'zh')} · <{m}>", ""]
        for d in g.objects(m, DCTERMS.description):
            out += [str(d), ""]
        for kind, title in KINDS:
            terms = sorted({t for t in g.subjects(RDFS.isDefinedBy, m) if (t, RDF.type, kind) in g
                            and not (kind == OWL.NamedIndividual and (t, RDF.type, OWL.Class) in g)},
                           key=_curie)
            if not terms:
                continue
            out += [f"#### {title}", ""]
            for t in terms:
                out += _term_section(g, t, kind)
    return "\n".join(out).rstrip("\n") + "\n"


def _anchor(text: str) -> str:
    keep = "".join(c for c in text.lower() if c.isalnum() or c in " -")
    return keep.replace(" ", "-")


if __name__ == "__main__":
    sys.stdout.write(generate_reference(Path(sys.argv[1]) if len(sys.argv) > 1 else ONTOLOGY_DIR))
