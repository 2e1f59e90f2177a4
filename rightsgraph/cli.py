"""The ``rightsgraph`` command.

Exit codes (as pyshacl documents its own): 0 the command ran and found nothing to flag;
1 findings: the facts do not conform to the shapes, or possible infringements were found with
``--fail-on-findings``; 2 a usage or input error (bad option, missing file, malformed RDF, unknown
jurisdiction, bad date, unusable rule), reported in one line on stderr.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from rightsgraph import __version__
from rightsgraph.errors import RightsGraphError
from rightsgraph.output import rows_table, table, to_csv, to_json
from rightsgraph.terms import compact

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


class _Group(click.Group):
    """Turns every RightsGraphError into one clear line and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RightsGraphError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_INPUT)


def _progress(quiet: bool):
    """Progress on stderr: one line rewritten in place on a terminal, one line a step otherwise."""
    if quiet:
        return None
    if sys.stderr.isatty():
        return lambda message: click.echo(f"\r\033[K… {message[:100]}", err=True, nl=False)
    return lambda message: click.echo(f"… {message}", err=True)


def _kb(files: tuple[str, ...], cases: tuple[str, ...], store: str | None, endpoint: str | None = None,
        update_endpoint: str | None = None, graph_prefix: str | None = None):
    from rightsgraph.api import KnowledgeBase
    if endpoint:
        from rightsgraph.store import open_store
        backend = open_store("sparql", endpoint=endpoint, update_endpoint=update_endpoint or endpoint)
        kb = KnowledgeBase(store=backend)
    else:
        kb = KnowledgeBase(store)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:  # a store on disk is locked while open: release it when the command ends
        ctx.call_on_close(kb.store.close)
    for case in cases:
        kb.load_case(case)
    if files:
        kb.load(*files)
    return kb


_files = click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=str))
_case = click.option("--case", "cases", multiple=True, metavar="NAME",
                     help="Load a bundled case graph (li-v-liu, ultraman-tab, ...); repeatable.")
_store = click.option("--store", type=click.Path(file_okay=False), default=None,
                      help="Keep the store on disk in this directory (default: in memory).")
_endpoint = click.option("--endpoint", default=None, metavar="URL",
                         help="Use a SPARQL 1.1 endpoint as the store instead of the embedded one.")
_update_endpoint = click.option("--update-endpoint", default=None, metavar="URL",
                                help="The endpoint's SPARQL Update URL, if different.")
_juris = click.option("-j", "--jurisdiction", "jurisdictions", multiple=True, default=("CN",), show_default=True,
                      help="Jurisdiction code (CN, US, EU, DE, CZ, UK, JP); repeatable.")
_as_of = click.option("-d", "--as-of", default=None, metavar="YYYY-MM-DD",
                      help="Judge as of this date (default: today).")
_quiet = click.option("-q", "--quiet", is_flag=True, help="No progress messages on stderr.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rightsgraph")
def main() -> None:
    """RightsGraph: who holds what, and who may infringe whom, along the generative-AI chain.

    \b
    Exit codes: 0 fine; 1 findings (non-conformance; infringements with --fail-on-findings);
    2 usage or input error.
    """


@main.command()
@click.option("-j", "--jurisdiction", "jurisdictions", multiple=True, default=("CN", "US", "UK"), show_default=True,
              help="Jurisdictions to compare.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_quiet
def demo(jurisdictions: tuple[str, ...], fmt: str, quiet: bool) -> None:
    """Analyse the bundled Li v. Liu case (Beijing Internet Court, 2023-11-27).

    \b
    Example:
      rightsgraph demo
      rightsgraph demo -j CN --format json
    """
    from rightsgraph.report import case_report
    kb = _kb((), ("li-v-liu",), None)
    report = kb.validate()
    if not report.conforms:
        click.echo(report.to_text(), err=True)
        sys.exit(EXIT_FINDINGS)
    kb.reason(list(jurisdictions), as_of="2023-11-27", progress=_progress(quiet))
    from rightsgraph.namespace import RG
    result = case_report(kb, title="Li v. Liu, Beijing Internet Court, (2023) Jing 0491 Min Chu No. 11279",
                         with_proofs={str(RG.OwnershipDetermination), str(RG.InfringementDetermination)}
                         if fmt == "text" else True)
    click.echo(to_json(result.to_json()) if fmt == "json" else result.to_text())


@main.command()
@_files
@_case
@_store
@click.option("--shapes", multiple=True, type=click.Path(exists=True, dir_okay=False), help="Other shapes files.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True)
def validate(files, cases, store, shapes, fmt) -> None:
    """Check facts against the SHACL shapes. Exits 1 if they do not conform.

    \b
    Example:
      rightsgraph validate data/cases/li-v-liu.ttl
      rightsgraph validate my-case.ttl --format json
    """
    kb = _kb(files, cases, store)
    report = kb.validate(shapes=[Path(s) for s in shapes] if shapes else None)
    if fmt == "json":
        click.echo(to_json(report.to_json()))
    elif fmt == "turtle":
        click.echo(report.report_graph.serialize(format="turtle") if report.report_graph is not None else "")
    else:
        click.echo(report.to_text())
    sys.exit(EXIT_OK if report.conforms else EXIT_FINDINGS)


@main.command()
@_files
@_case
@_store
@_endpoint
@_update_endpoint
@_juris
@_as_of
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle", "csv"]), default="text",
              show_default=True)
@click.option("--explain/--no-explain", default=False, help="Print the proof tree of every conclusion (text).")
@click.option("--fail-on-findings", is_flag=True, help="Exit 1 if any possible infringement or missed duty is found.")
@_quiet
def reason(files, cases, store, endpoint, update_endpoint, jurisdictions, as_of, fmt, explain, fail_on_findings,
           quiet) -> None:
    """Derive conclusions for jurisdictions as of a date, and print them.

    \b
    Example:
      rightsgraph reason data/cases/li-v-liu.ttl -j CN -d 2023-11-27
      rightsgraph reason --case ultraman-tab -j CN --format json
      rightsgraph reason my.ttl -j DE -d 2024-09-27 --format turtle > conclusions.ttl
    """
    from rightsgraph.report import case_report
    kb = _kb(files, cases, store, endpoint, update_endpoint)
    run = kb.reason(list(jurisdictions), as_of=as_of, progress=_progress(quiet))
    if not quiet:
        if sys.stderr.isatty():
            click.echo("\r\033[K", err=True, nl=False)
        click.echo(f"… {run.conclusions} conclusion triples from {run.firings} rule firings "
                   f"in {run.seconds:.2f} s", err=True)
    result = case_report(kb, with_proofs=explain)
    if fmt == "json":
        click.echo(to_json(result.to_json()))
    elif fmt == "turtle":
        click.echo(kb.export("conclusions"))
    elif fmt == "csv":
        headers, rows = result.rows()
        click.echo(to_csv(headers, rows), nl=False)
    else:
        click.echo(result.to_text())
    if fail_on_findings and result.has_findings:
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@_store
@_endpoint
@_update_endpoint
@_quiet
def add(files, store, endpoint, update_endpoint, quiet) -> None:
    """Add facts to a reasoned store and update its conclusions incrementally.

    Only the rules and focus nodes the new facts reach are re-applied, for the jurisdictions and
    as-of date of the last `reason`; the result equals reasoning again from scratch.

    \b
    Example:
      rightsgraph reason --store kb/ platform.nt -j CN -j EU -d 2026-01-01
      rightsgraph add --store kb/ new-generation.ttl
    """
    if not store and not endpoint:
        raise click.UsageError("add needs a store that has been reasoned: --store DIR or --endpoint URL")
    kb = _kb((), (), store, endpoint, update_endpoint)
    report = kb.add(*files, progress=_progress(quiet))
    if not quiet and sys.stderr.isatty():
        click.echo("\r\033[K", err=True, nl=False)
    how = f"a full run ({report.full_run})" if report.full_run else f"{len(report.rules)} rules re-applied"
    click.echo(f"{report.facts_added} new facts; conclusions +{report.conclusions_added} "
               f"-{report.conclusions_removed} triples; {how}; {report.seconds:.2f} s")


@main.command()
@click.argument("query")
@_files
@_case
@_store
@_endpoint
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a query parameter.")
@click.option("--reason", "reason_first", is_flag=True, help="Reason before querying (with -j and -d).")
@_juris
@_as_of
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "turtle"]), default="table",
              show_default=True)
@_quiet
def query(query, files, cases, store, endpoint, params, reason_first, jurisdictions, as_of, fmt, quiet) -> None:
    """Run a library query by name (see `rightsgraph queries`) or any SPARQL text or .rq file.

    \b
    Example:
      rightsgraph query rights-holders --case li-v-liu --reason -p work=case:li-v-liu/image
      rightsgraph query 'SELECT * WHERE { ?s a <https://w3id.org/rightsgraph/ontology#Generation> }' case.ttl
    """
    from rightsgraph import queries as library
    from rightsgraph.errors import InputError
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--param {item!r}: write NAME=VALUE")
        values[name.strip()] = value.strip()
    if Path(query).suffix == ".rq" and Path(query).is_file():
        text, bindings = Path(query).read_text(encoding="utf-8"), {}
        if values:
            bindings = library.parse_header(Path(query), text).bind(values)
    elif any(k in query.upper() for k in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")) and "{" in query:
        text, bindings = query, {}
        if values:
            raise InputError("--param works with library queries; write the values into your own query")
    else:
        entry = library.get(query)
        text, bindings = entry.text, entry.bind(values)
    kb = _kb(files, cases, store, endpoint)
    if reason_first:
        kb.reason(list(jurisdictions), as_of=as_of, progress=_progress(quiet))
    result = kb.query(text, bindings=bindings)
    _print_result(result, fmt)


def _print_result(result, fmt: str) -> None:
    from rdflib import Graph
    if isinstance(result, bool):
        click.echo(to_json({"boolean": result}) if fmt == "json" else str(result).lower())
        return
    if isinstance(result, Graph):
        click.echo(result.serialize(format="json-ld" if fmt == "json" else "turtle"))
        return
    headers, rows = rows_table(result, getattr(result, "variables", None))
    if fmt == "json":
        click.echo(to_json([{k: str(v) for k, v in r.items()} for r in result]))
    elif fmt == "csv":
        click.echo(to_csv(headers, [[str(r.get(h, "")) for h in headers] for r in result]), nl=False)
    else:
        click.echo(table(headers, rows) if rows else "(no rows)")


@main.command()
@click.argument("node")
@_files
@_case
@_store
@_juris
@_as_of
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_quiet
def explain(node, files, cases, store, jurisdictions, as_of, fmt, quiet) -> None:
    """Print why a conclusion holds: its proof tree down to asserted facts, with legal sources.

    \b
    Example:
      rightsgraph explain concl:cn/authorship/... --case li-v-liu -j CN -d 2023-11-27
    """
    kb = _kb(files, cases, store)
    kb.reason(list(jurisdictions), as_of=as_of, progress=_progress(quiet))
    explanation = kb.explain(node)
    if not explanation.derivations:
        from rightsgraph.errors import InputError
        raise InputError(f"nothing was derived about {node}; list conclusions with `rightsgraph reason`")
    click.echo(to_json(explanation.to_json(compact)) if fmt == "json" else explanation.to_text(compact))


@main.command()
@click.option("-j", "--jurisdiction", "jurisdictions", multiple=True, help="Only these jurisdictions.")
@click.option("--coverage", "examples_dir", is_flag=False, flag_value="tests/legal_examples", default=None,
              metavar="DIR", help="Run the legal examples in DIR (default tests/legal_examples) and list, "
                                  "for each rule, the examples in which it fires.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
def rules(jurisdictions, examples_dir, fmt) -> None:
    """List the rule base by jurisdiction, with legal sources, dates in force and the tests that exercise each.

    \b
    Example:
      rightsgraph rules
      rightsgraph rules -j CN --format json
      rightsgraph rules --coverage
    """
    from rightsgraph.rulebook import rule_listing
    fired = None
    if examples_dir is not None:
        from rightsgraph.errors import InputError
        from rightsgraph.legal_examples import coverage, load_examples
        if not Path(examples_dir).is_dir():
            raise InputError(f"{examples_dir}: no such folder of legal examples")
        examples = load_examples(Path(examples_dir).resolve())
        with click.progressbar(examples, label="running legal examples", file=sys.stderr) as bar:
            fired = coverage(list(bar))
    listing = rule_listing(jurisdictions, fired)
    if fmt == "json":
        click.echo(to_json(listing.to_json()))
    elif fmt == "csv":
        headers, rows = listing.rows()
        click.echo(to_csv(headers, rows), nl=False)
    else:
        click.echo(listing.to_text())


@main.command("queries")
def list_queries() -> None:
    """List the query library with summaries and parameters.

    \b
    Example:
      rightsgraph queries
    """
    from rightsgraph import queries as library
    rows = [[q.name, q.summary, ", ".join(f"{p.name}:{p.type}" for p in q.params)] for q in library.library().values()]
    click.echo(table(["name", "summary", "params"], rows))


@main.command("check-ontology")
@click.option("--owlapi/--no-owlapi", default=True, help="Load through the OWL API as Protégé does (needs Java).")
@click.option("--hermit/--no-hermit", default=True, help="Check consistency with HermiT (needs Java).")
def check_ontology(owlapi: bool, hermit: bool) -> None:
    """Run the ontology checks: QC queries, SHACL-SHACL on the shapes, OWL API profile, HermiT.

    \b
    Example:
      rightsgraph check-ontology
      rightsgraph check-ontology --no-owlapi
    """
    from rightsgraph.ontology_checks import run_checks
    failures = 0
    for name, ok, detail in run_checks(owlapi=owlapi, hermit=hermit):
        click.echo(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
        failures += not ok
    sys.exit(EXIT_FINDINGS if failures else EXIT_OK)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write to this file.")
def vocab(output) -> None:
    """Generate the vocabulary reference (Markdown) from the ontology.

    \b
    Example:
      rightsgraph vocab -o docs/vocabulary.md
    """
    from rightsgraph.resources import ONTOLOGY_DIR
    from rightsgraph.vocabdoc import generate_reference
    text = generate_reference(ONTOLOGY_DIR)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--triples", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="About how many triples (whole blocks of about 850).")
@click.option("--seed", default=0, show_default=True, type=int, help="The same seed gives the same graph.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="N-Triples file (default: stdout).")
def generate(triples: int, seed: int, output: str | None) -> None:
    """Write a synthetic AIGC supply chain (creators to later acts) in the ontology, as N-Triples.

    \b
    Example:
      rightsgraph generate --triples 1000000 -o chain.nt && rightsgraph reason chain.nt -j CN -d 2028-01-01
    """
    from rightsgraph.synthetic import write
    count = write(output or click.get_text_stream("stdout"), triples, seed)
    click.echo(f"wrote {count} triples", err=True)



@main.command()
@_files
@_case
@_store
@click.option("--reason", "reason_first", is_flag=True,
              help="Reason before serving (with -j and -d); implied by giving -j or -d.")
@click.option("-j", "--jurisdiction", "jurisdictions", multiple=True,
              help="Reason for this jurisdiction before serving (CN, US, EU, DE, CZ, UK, JP); repeatable.")
@_as_of
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but 127.0.0.1 exposes the store to your network.")
@click.option("--port", default=7878, show_default=True, type=int, help="TCP port (0 picks a free one).")
@click.option("--allow-updates", is_flag=True, help="Accept SPARQL updates (refused with 403 by default).")
@click.option("--timeout", "timeout_s", default=30.0, show_default=True, type=float,
              help="Seconds a query may run before the client gets 503.")
@_quiet
def serve(files, cases, store, reason_first, jurisdictions, as_of, host, port, allow_updates, timeout_s,
          quiet) -> None:
    """Serve the knowledge base as a SPARQL 1.1 endpoint (read-only, on 127.0.0.1 by default).

    \b
    Queries go to /sparql (GET ?query=, POST form or application/sparql-query); library queries
    to /queries/NAME?param=value. The default graph is the union of all named graphs.

    \b
    Example:
      rightsgraph serve --case li-v-liu -j CN -d 2023-11-27
      curl -H 'Accept: text/csv' http://127.0.0.1:7878/queries/possible-infringements
    """
    from rightsgraph.server import serve as run_server
    kb = _kb(files, cases, store)
    if reason_first or jurisdictions or as_of:
        kb.reason(list(jurisdictions or ("CN",)), as_of=as_of, progress=_progress(quiet))
    mode = "read-write" if allow_updates else "read-only"
    run_server(kb, host, port, allow_updates=allow_updates, timeout_s=timeout_s,
               ready=lambda url: click.echo(f"SPARQL endpoint ({mode}) at {url}; Ctrl-C stops it", err=True))

@main.command("import")
@click.argument("kind")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the imported facts (Turtle) here instead of stdout.")
@_store
@click.option("--repo-id", default=None, help="Hugging Face repository id the card describes (owner/name).")
@click.option("--site", default=None, help="The site a robots.txt or tdmrep.json belongs to.")
@click.option("--covers", multiple=True, metavar="URL", help="A work (URL) an opt-out covers; repeatable.")
@click.option("--url", default=None, help="The URL whose TDMRep HTTP headers are given.")
@click.option("--read-on", default=None, metavar="YYYY-MM-DD", help="When the source was read (default: today).")
def import_(kind, paths, output, store, repo_id, site, covers, url, read_on) -> None:
    """Import real metadata: c2pa, hf-model-card, hf-dataset-card, croissant, spdx, robots, tdmrep, tdmrep-headers.

    Prints the facts as Turtle (or loads them into --store); warnings go to stderr. Every fact keeps
    the file, its SHA-256 and the date read.

    \b
    Example:
      rightsgraph import c2pa image.jpg > image.ttl
      rightsgraph import hf-model-card README.md --repo-id acme/painter-lora --store kb/
      rightsgraph import robots robots.txt --site https://example.org --covers https://example.org/a.jpg
    """
    from rdflib import Graph
    from rightsgraph.importers import import_file
    from rightsgraph.terms import parse_date
    options = {k: v for k, v in (("repo_id", repo_id), ("site", site), ("url", url)) if v is not None}
    if covers:
        options["covers"] = list(covers)
    if read_on:
        options["read_on"] = parse_date(read_on)
    merged = Graph()
    merged.bind("rg", "https://w3id.org/rightsgraph/ontology#")
    for path in paths:
        result = import_file(kind, path, **options)
        for warning in result.warnings:
            click.echo(f"warning: {path}: {warning}", err=True)
        merged += result.graph
    if store:
        report = _kb((), (), store).load(merged)
        click.echo(f"… loaded {report.triples} triples into {store}", err=True)
    text = merged.serialize(format="turtle")
    if output:
        Path(output).write_text(text, encoding="utf-8")
    elif not store:
        click.echo(text)


if __name__ == "__main__":  # pragma: no cover
    main()
