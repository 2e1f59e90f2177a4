"""RightsGraph against the reference Python stack, on the same synthetic AIGC supply chain.

    python benchmarks/run.py        # every size, both stacks: the table in benchmarks/README.md (about 45 min)
    python benchmarks/run.py --sizes 10000,100000 --stacks rightsgraph --repeat 3

For each size the synthetic graph (``rightsgraph.synthetic``, seed 0) is written once as N-Triples;
then, for each stack and repeat, a fresh Python process loads it, validates it against the SHACL
shapes, runs OWL materialisation and the legal rules of all six jurisdictions, and answers the
query library, timing each step; the parent reads the child's peak memory (``ru_maxrss``).

* ``rightsgraph``: ``KnowledgeBase`` on the embedded Oxigraph store (``load``, ``validate``,
  ``reason``, the library queries through ``KnowledgeBase.query``).
* ``reference``: what a Python user would assemble: an rdflib ``Graph`` (facts and ontology),
  pyshacl for validation (same shapes, same class-hierarchy context as ``KnowledgeBase.validate``),
  owlrl's OWL RL closure, then pyshacl's SHACL-AF execution of the same rules (``advanced=True,
  iterate_rules=True``, each rule in a shape of its own ordered by stratum, as in
  ``tests/test_differential_pyshacl.py``), and the same queries through rdflib's SPARQL engine.

RightsGraph runs ``--repeat`` times below a million triples and ``--large-repeat`` times from there;
the reference stack runs ``--reference-repeat`` times (one run at 1,668 facts takes about eight minutes).
A run that goes past ``--timeout`` seconds is killed and recorded as "did not finish"; larger sizes
of that stack are then skipped. At the largest size where both stacks finish, the statements the
rules produced are compared. Results go to ``benchmarks/results.json`` and the table in
``benchmarks/README.md`` (between the ``<!-- results -->`` markers) is regenerated.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

JURISDICTIONS = os.environ.get("RIGHTSGRAPH_BENCH_JURISDICTIONS", "CN,US,EU,DE,UK,JP").split(",")
#: One more generation event is added this many times to the reasoned graph (incremental reasoning).
EVENTS = 5
STEPS = ("load", "validate", "reason", "queries")
ALL = ["CN", "US", "EU", "DE", "UK", "JP"]
SYN = "https://w3id.org/rightsgraph/synthetic/"
#: Query parameters on the synthetic graph (block 0 always exists).
QUERY_PARAMS = {
    "rights-holders": {"work": SYN + "0/crafted-output"},
    "contributors-behind-output": {"output": SYN + "0/traced-output"},
    # one output's chain, as the web page asks it; without the parameter the query returns every
    # output's chain (an export, not a question: about 80 s at 100k triples)
    "chain-behind-output": {"output": SYN + "0/traced-output"},
    "rules-citing-source": {"source": "https://w3id.org/rightsgraph/source/cn/copyright-law/2020/art/11"},
}


# --- the child: one stack, one input, every step ---------------------------------------------------
def _progress(out: Path, record: dict) -> None:
    record["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write_text(json.dumps(record))


def _queries():
    from rightsgraph import queries
    lib = queries.library()
    return [(name, q, {} if name == "justification-tree" else q.bind(QUERY_PARAMS.get(name, {})))
            for name, q in sorted(lib.items())]


def child_rightsgraph(data: Path, out: Path, rules_dir: Path | None, as_of: str, conclusions: Path | None) -> None:
    from rightsgraph import KnowledgeBase
    from rightsgraph import graphs as G
    rec: dict = {"stack": "rightsgraph", "steps": {}}
    t0 = time.perf_counter()
    kb = KnowledgeBase(rules_dir=rules_dir)
    rec["setup"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rec["triples"] = kb.load(data).triples
    rec["steps"]["load"] = time.perf_counter() - t0
    _progress(out, rec)
    t0 = time.perf_counter()
    report = kb.validate()
    rec["steps"]["validate"] = time.perf_counter() - t0
    rec["conforms"] = report.conforms
    _progress(out, rec)
    _ = kb.rule_base  # parsing the rule files is set-up, not reasoning
    t0 = time.perf_counter()
    run = kb.reason(JURISDICTIONS, as_of=as_of)
    rec["steps"]["reason"] = time.perf_counter() - t0
    rec["owl_seconds"] = run.owl_seconds
    rec["conclusion_triples"] = run.conclusions
    rec["firings"] = run.firings
    rec["justification_triples"] = kb.store.count(G.JUSTIFICATIONS)
    rec["entailment_triples"] = kb.store.count(G.ENTAILMENTS)
    rec["rules"] = sorted(([s.rule.split("/rule/")[-1], round(s.seconds, 3), s.runs, s.new_conclusions]
                           for s in run.rules.values()), key=lambda r: -r[1])
    _progress(out, rec)
    t0 = time.perf_counter()
    rec["query_rows"] = {}
    for name, q, bound in _queries():
        if name == "justification-tree":
            rows = kb.query(f"SELECT ?d WHERE {{ ?d <{G.RG}about> <{SYN}0/crafted-output> }} ORDER BY ?d LIMIT 1",
                            graphs=[G.CONCLUSIONS])
            bound = {"conclusion": rows[0]["d"]} if rows else {}
            if not bound:
                continue
        q0 = time.perf_counter()
        rows = kb.query(q.text, bindings=bound)
        rec["query_rows"][name] = [len(rows), round(time.perf_counter() - q0, 3)]
    rec["steps"]["queries"] = time.perf_counter() - t0
    _progress(out, rec)
    if conclusions:  # before any incremental addition: the comparison is about the same facts
        from pyshacl_rules import produced_statements
        conclusions.write_text(json.dumps(sorted(produced_statements(kb))))
    from rdflib import Graph
    from rightsgraph.synthetic import generation_event
    times, last = [], None
    for number in range(EVENTS):  # block 0 exists at every size
        event = Graph().parse(data="".join(generation_event(0, number)), format="nt")
        t0 = time.perf_counter()
        last = kb.add(event)
        times.append(time.perf_counter() - t0)
    rec["incremental"] = {"seconds": times, "facts": last.facts_added, "rules": len(last.rules),
                          "foci": sum(n for n in last.rules.values() if n > 0), "full_run": last.full_run,
                          "conclusions_added": last.conclusions_added, "conclusions_removed": last.conclusions_removed}
    _progress(out, rec)
    rec["done"] = True
    _progress(out, rec)


def child_reference(data: Path, out: Path, rules_dir: Path | None, as_of: str, conclusions: Path | None) -> None:
    import datetime as dt
    import owlrl
    import pyshacl
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, RDFS, XSD
    from rightsgraph import KnowledgeBase, resources
    from rightsgraph import graphs as G
    from rightsgraph.validation import data_shape_files, load_shapes
    from pyshacl_rules import rule_shapes
    rec: dict = {"stack": "reference", "steps": {}}
    # set-up, not timed: the rule shapes a user would have to write by hand, from our rule base
    helper = KnowledgeBase(rules_dir=rules_dir)
    day = dt.date.fromisoformat(as_of)
    shapes_rules = rule_shapes(helper, JURISDICTIONS, day)
    shapes = load_shapes(data_shape_files())
    t0 = time.perf_counter()
    facts = Graph()
    facts.parse(data, format="nt")
    ontology = Graph()
    for path in resources.ontology_files():
        ontology.parse(path, format="turtle")
    rec["triples"] = len(facts)
    rec["steps"]["load"] = time.perf_counter() - t0
    _progress(out, rec)
    t0 = time.perf_counter()
    context = Graph()
    skip = {URIRef("http://www.w3.org/2002/07/owl#" + n) for n in (
        "Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "Ontology", "TransitiveProperty",
        "FunctionalProperty")}
    for s, p, o in ontology:
        if p == RDFS.subClassOf or (p == RDF.type and isinstance(s, URIRef) and o not in skip):
            context.add((s, p, o))
    conforms, _, _ = pyshacl.validate(facts, shacl_graph=shapes, ont_graph=context, inference="none",
                                      advanced=True)
    rec["steps"]["validate"] = time.perf_counter() - t0
    rec["conforms"] = bool(conforms)
    _progress(out, rec)
    t0 = time.perf_counter()
    data_graph = Graph()
    for t in facts:
        data_graph.add(t)
    for t in ontology:
        data_graph.add(t)
    t1 = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(data_graph)
    rec["owl_seconds"] = time.perf_counter() - t1
    rec["closure_triples"] = len(data_graph)
    _progress(out, rec)
    ctx = URIRef(G.CONTEXT)
    data_graph.add((ctx, RDF.type, URIRef(G.RG + "ReasoningContext")))
    data_graph.add((ctx, URIRef(G.RG + "asOf"), Literal(as_of, datatype=XSD.date)))
    for iri in helper.resolve_jurisdictions(JURISDICTIONS):
        data_graph.add((ctx, URIRef(G.RG + "forJurisdiction"), URIRef(iri)))
    before = set(data_graph)
    pyshacl.validate(data_graph, shacl_graph=shapes_rules, advanced=True, inplace=True, iterate_rules=True,
                     inference="none")
    produced = set(data_graph) - before
    del before
    rec["steps"]["reason"] = time.perf_counter() - t0
    rec["conclusion_triples"] = len(produced)
    _progress(out, rec)
    t0 = time.perf_counter()
    rec["query_rows"] = {}
    for name, q, bound in _queries():
        if name == "justification-tree":
            continue  # needs the justifications graph, which only RightsGraph writes
        q0 = time.perf_counter()
        rows = list(data_graph.query(q.text, initBindings=bound))
        rec["query_rows"][name] = [len(rows), round(time.perf_counter() - q0, 3)]
    rec["steps"]["queries"] = time.perf_counter() - t0
    _progress(out, rec)
    if conclusions:
        conclusions.write_text(json.dumps(sorted([str(s), str(p), o.n3()] for s, p, o in produced)))
    rec["done"] = True
    _progress(out, rec)


# --- the parent ------------------------------------------------------------------------------------
def run_child(stack: str, data: Path, timeout: float, rules_dir: Path | None, as_of: str,
              conclusions: Path | None = None) -> dict:
    (HERE / ".data").mkdir(exist_ok=True)
    out = HERE / ".data" / f"progress-{stack}-{os.getpid()}.json"
    out.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", stack, "--input", str(data), "--progress", str(out),
           "--as-of", as_of]
    if rules_dir:
        cmd += ["--rules-dir", str(rules_dir)]
    if conclusions:
        cmd += ["--conclusions", str(conclusions)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    wall = time.perf_counter() - started
    rec = json.loads(out.read_text()) if out.exists() else {"steps": {}}
    out.unlink(missing_ok=True)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    rec["peak_mb"] = max(rec.get("maxrss_mb", 0), 0)
    rec["children_maxrss_mb"] = usage.ru_maxrss / 1024
    rec["wall"] = wall
    rec["returncode"] = proc.returncode
    if not rec.get("done"):
        missing = [s for s in STEPS if s not in rec["steps"]]
        rec["did_not_finish"] = missing[0] if missing else "comparison"
    return rec


def repeats(args: argparse.Namespace, stack: str, size: int) -> int:
    """Runs of one stack at one size: the reference takes minutes per run even at the smallest size,
    and RightsGraph minutes per run from a million triples, so those run fewer times."""
    if stack == "reference":
        return args.reference_repeat
    return args.large_repeat if size >= 1_000_000 else args.repeat


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(runs: list[dict]) -> dict:
    steps = {s: median([r["steps"].get(s) for r in runs]) if all(s in r["steps"] for r in runs) else None for s in STEPS}
    total = sum(steps.values()) if all(v is not None for v in steps.values()) else None
    last = runs[-1]
    return {"steps": steps, "total": total, "peak_mb": max(r["peak_mb"] for r in runs),
            "did_not_finish": next((r["did_not_finish"] for r in runs if "did_not_finish" in r), None),
            "repeats": len(runs), "triples": last.get("triples"), "conforms": last.get("conforms"),
            "owl_seconds": median([r.get("owl_seconds") for r in runs]),
            "conclusion_triples": last.get("conclusion_triples"), "justification_triples": last.get("justification_triples"),
            "rules_seconds_total": round(sum(r[1] for r in last.get("rules") or []), 2),
            "rules_top": (last.get("rules") or [])[:12], "query_rows": last.get("query_rows"),
            "closure_triples": last.get("closure_triples"),
            "incremental": median([median(r["incremental"]["seconds"]) for r in runs if r.get("incremental")]),
            "incremental_max": max((max(r["incremental"]["seconds"]) for r in runs if r.get("incremental")), default=None),
            "incremental_detail": last.get("incremental")}


def machine() -> dict:
    import importlib.metadata as md
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), None)
    versions = {}
    for pkg in ("pyoxigraph", "rdflib", "pyshacl", "owlrl"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = None
    return {"nproc": os.cpu_count(), "memory_mb": mem, "cpu": cpu, "python": platform.python_version(),
            "packages": versions}


def fmt(v, unit="s"):
    if v is None:
        return "—"
    if unit == "s":
        return f"{v:.2f}" if v < 10 else f"{v:.1f}"
    return f"{v / 1024:.2f} GB" if v >= 1024 else f"{v:.0f} MB"


def table(results: dict) -> str:
    lines = ["| size (triples) | stack | runs | load (s) | validate (s) | reason (s) | queries (s) | total (s) | peak memory "
             "| reason ratio | add one generation event (s) |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    stopped: set[str] = set()  # stacks that did not finish at a smaller size
    for size, entry in sorted(results["sizes"].items(), key=lambda item: int(item[0].split()[0])):
        rg = entry.get("rightsgraph")
        for name, key in (("RightsGraph", "rightsgraph"), ("reference", "reference")):
            s = entry.get(key)
            if s is None:
                why = ("not run: a smaller size did not finish" if key in entry or key in stopped
                       else "not run at this size")
                lines.append(f"| {size} | {name} | {why} | | | | | | | | |")
                continue
            if s["did_not_finish"]:
                stopped.add(key)
            ratio = ""
            if name == "reference" and rg and rg["steps"]["reason"] and s["steps"]["reason"]:
                ratio = f"{s['steps']['reason'] / rg['steps']['reason']:.0f}×"
            dnf = f" (did not finish: {s['did_not_finish']})" if s["did_not_finish"] else ""
            only = f" ({'+'.join(s['jurisdictions'])} only)" if s.get("jurisdictions", ALL) != ALL else ""
            added = "" if s.get("incremental") is None else f"{s['incremental']:.2f} (max {s['incremental_max']:.2f})"
            lines.append(f"| {s.get('triples') or size} | {name}{only}{dnf} | {s.get('repeats', '')} | {fmt(s['steps']['load'])} | {fmt(s['steps']['validate'])} | "
                         f"{fmt(s['steps']['reason'])} | {fmt(s['steps']['queries'])} | {fmt(s['total'])} | "
                         f"{fmt(s['peak_mb'], 'mb')} | {ratio} | {added} |")
    return "\n".join(lines)


def save(results: dict, merge: bool, ran: set[str]) -> None:
    """Write results.json; with ``merge``, keep what the file holds now (another run may have written
    it meanwhile) except the sizes and stacks run here."""
    path = HERE / "results.json"
    if merge and path.exists():
        current = json.loads(path.read_text())
        for size, entry in results["sizes"].items():
            for stack, summary in entry.items():
                if (size, stack) in ran:
                    current.setdefault("sizes", {}).setdefault(size, {})[stack] = summary
        if "comparison" in results:
            current["comparison"] = results["comparison"]
        current["machine"], current["generated"] = results["machine"], results["generated"]
        results = current
    path.write_text(json.dumps(results, indent=1))


def update_readme(results: dict) -> None:
    readme = HERE / "README.md"
    text = readme.read_text() if readme.exists() else "<!-- results -->\n<!-- /results -->\n"
    start, end = "<!-- results -->", "<!-- /results -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        m = results["machine"]
        body = (f"\n{table(results)}\n\nMachine: {m['nproc']} cores ({m['cpu']}), {m['memory_mb'] // 1024} GB, Python "
                f"{m['python']}, " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) +
                f". Times are medians over the runs shown; peak memory is the largest; "
                f"generated {results['generated']}.\n")
        readme.write_text(head + start + body + end + tail)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="2000,10000,100000,1000000,3000000")
    p.add_argument("--repeat", type=int, default=3, help="RightsGraph runs per size below a million triples")
    p.add_argument("--large-repeat", type=int, default=1, help="RightsGraph runs per size from a million triples")
    p.add_argument("--reference-repeat", type=int, default=1, help="reference-stack runs per size")
    p.add_argument("--timeout", type=float, default=900, help="seconds before a run is killed (did not finish)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--as-of", default=None)
    p.add_argument("--rules-dir", type=Path, default=None, help="rule base to use (default: the bundled one)")
    p.add_argument("--stacks", default="rightsgraph,reference")
    p.add_argument("--jurisdictions", default=",".join(ALL),
                   help="jurisdictions to reason for (default all six; fewer make a separate row)")
    p.add_argument("--no-readme", action="store_true")
    p.add_argument("--merge", action="store_true",
                   help="add to benchmarks/results.json instead of replacing it (sizes and stacks run now win)")
    p.add_argument("--child", choices=["rightsgraph", "reference"], help=argparse.SUPPRESS)
    p.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--progress", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--conclusions", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    from rightsgraph.synthetic import AS_OF, write
    as_of = args.as_of or AS_OF
    if args.child:
        fn = child_rightsgraph if args.child == "rightsgraph" else child_reference
        fn(args.input, args.progress, args.rules_dir, as_of, args.conclusions)
        return 0
    data_dir = HERE / ".data"
    data_dir.mkdir(exist_ok=True)
    chosen = args.jurisdictions.split(",")
    os.environ["RIGHTSGRAPH_BENCH_JURISDICTIONS"] = ",".join(chosen)  # read by the children
    results = {"machine": machine(), "repeat": args.repeat, "seed": args.seed, "as_of": as_of,
               "jurisdictions": chosen, "timeout": args.timeout,
               "rules_dir": str(args.rules_dir) if args.rules_dir else "reasoning/ (bundled)",
               "generated": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "sizes": {}}
    if args.merge and (HERE / "results.json").exists():
        previous = json.loads((HERE / "results.json").read_text())
        for size, entry in previous.get("sizes", {}).items():
            results["sizes"].setdefault(size, {}).update(entry)
        results["merged_from"] = previous.get("generated")
    stacks = args.stacks.split(",")
    stopped: set[str] = set()
    ran: set[tuple[str, str]] = set()
    common = None
    for size in [int(s) for s in args.sizes.split(",")]:
        data = data_dir / f"synthetic-{size}-seed{args.seed}.nt"
        if not data.exists():
            t0 = time.perf_counter()
            n = write(data, size, args.seed)
            print(f"generated {n} triples in {time.perf_counter() - t0:.1f} s -> {data}", flush=True)
        key = str(size) if chosen == ALL else f"{size} ({'+'.join(chosen)})"
        entry = results["sizes"].setdefault(key, {})
        for stack in stacks:
            if stack in stopped:
                entry[stack] = None
                continue
            runs = []
            for i in range(repeats(args, stack, size)):
                rec = run_child(stack, data, args.timeout, args.rules_dir, as_of)
                runs.append(rec)
                print(f"{size} {stack} run {i + 1}: " + ", ".join(f"{k} {v:.2f}s" for k, v in rec["steps"].items())
                      + f", peak {rec['peak_mb']:.0f} MB" + (f", DID NOT FINISH {rec['did_not_finish']}"
                                                              if "did_not_finish" in rec else ""), flush=True)
                if "did_not_finish" in rec:
                    stopped.add(stack)
                    break
            entry[stack] = summarise(runs) | {"jurisdictions": chosen}
            ran.add((key, stack))
        if all((key, s) in ran and entry.get(s) and not entry[s]["did_not_finish"] for s in ("rightsgraph", "reference")):
            common = size
        save(results, args.merge, ran)
    if common is not None:
        data = data_dir / f"synthetic-{common}-seed{args.seed}.nt"
        ours, theirs = data_dir / "conclusions-rightsgraph.json", data_dir / "conclusions-reference.json"
        ours.unlink(missing_ok=True)  # never compare a file an earlier run left
        theirs.unlink(missing_ok=True)
        run_child("rightsgraph", data, args.timeout * 2, args.rules_dir, as_of, ours)
        run_child("reference", data, args.timeout * 2, args.rules_dir, as_of, theirs)
        a = {tuple(x) for x in json.loads(ours.read_text())} if ours.exists() else None
        b = {tuple(x) for x in json.loads(theirs.read_text())} if theirs.exists() else None
        results["comparison"] = {"size": common, "identical": a == b if a is not None and b is not None else None,
                                 "rightsgraph": len(a) if a is not None else None,
                                 "reference": len(b) if b is not None else None,
                                 "only_rightsgraph": sorted(a - b)[:10] if a and b else None,
                                 "only_reference": sorted(b - a)[:10] if a and b else None}
        print("comparison:", json.dumps(results["comparison"])[:2000], flush=True)
    save(results, args.merge, ran)
    results = json.loads((HERE / "results.json").read_text())
    if not args.no_readme:
        update_readme(results)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
