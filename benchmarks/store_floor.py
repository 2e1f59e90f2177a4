"""What writing a triple costs in the embedded store itself, with no rule, parsing or Python in the loop.

    python benchmarks/store_floor.py [--triples 1000000]

Reasoning writes every conclusion and every firing into Oxigraph; this measures the floor under that:
one SPARQL ``INSERT ... WHERE`` copying N triples of the synthetic chain into another named graph
(new quads, no new terms), the same with a fresh IRI per triple (new terms too, as conclusions
have), and the resident memory each adds. Printed as a table row for ``benchmarks/README.md``.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    from rightsgraph.synthetic import write
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "chain.nt"
        n = write(data, args.triples, 0)
        store = ox.Store()
        store.load(path=str(data), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:facts"))
    base = rss_mb()
    t0 = time.perf_counter()
    store.update("INSERT { GRAPH <urn:copy> { ?s ?p ?o } } WHERE { GRAPH <urn:facts> { ?s ?p ?o } }")
    copy_s = time.perf_counter() - t0
    after_copy = rss_mb()
    t0 = time.perf_counter()
    store.update("INSERT { GRAPH <urn:minted> { ?m <urn:p> ?o } } WHERE { GRAPH <urn:facts> { ?s ?p ?o } "
                 "BIND(IRI(CONCAT('urn:m:', SHA1(CONCAT(STR(?s), ' ', STR(?p), ' ', STR(?o))))) AS ?m) }")
    minted_s = time.perf_counter() - t0
    after_minted = rss_mb()
    print("| triples | copy: s | µs per triple | MB per million | minted IRIs: s | µs per triple | MB per million |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {n:,} | {copy_s:.1f} | {copy_s / n * 1e6:.1f} | {(after_copy - base) / n * 1e6:.0f} | "
          f"{minted_s:.1f} | {minted_s / n * 1e6:.1f} | {(after_minted - after_copy) / n * 1e6:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
