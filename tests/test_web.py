"""The web page: its JSON API, the freshness of the committed build, and the page itself in a real browser.

The browser tests drive Debian's Chromium (``apt-get install chromium``) headless with Playwright from
pip, launched with ``executable_path="/usr/bin/chromium"`` (Playwright's own browser download is never
used) and with the flags that keep Chromium off the network. The server runs in-process on
127.0.0.1, port 0. They are skipped, saying why, when /usr/bin/chromium or Playwright is missing.
"""
from __future__ import annotations

import hashlib
import json
import io
import os
import re
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from rightsgraph.api import KnowledgeBase
from rightsgraph import graphs as G
from rightsgraph.server import make_server
from rightsgraph.web_api import DIST

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "docs" / "screenshots" / "case-view.png"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
LI_DATE = "2023-11-27"
ANALYSIS_TIMEOUT_MS = 180_000

pytestmark = pytest.mark.server


# -- the committed build -----------------------------------------------------------------------
def sources_hash() -> tuple[str, list[str]]:
    """The hash web/scripts/build-info.mjs records: sorted relative paths, each with its bytes."""
    fixed = ["index.html", "vite.config.js", "package.json", "package-lock.json", "scripts/build-info.mjs"]
    names = sorted(fixed + [p.relative_to(WEB).as_posix() for p in (WEB / "src").rglob("*") if p.is_file()])
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update((WEB / name).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest(), names


def test_dist_is_built_from_the_current_sources():
    info = json.loads((DIST / "build-info.json").read_text(encoding="utf-8"))
    digest, names = sources_hash()
    assert info["files"] == names, "web/ sources were added or removed since the last build"
    assert info["sources_sha256"] == digest, (
        "rightsgraph/web/dist is stale: run `npm ci && npm run build` in web/ and commit rightsgraph/web/dist")
    index = (DIST / "index.html").read_text(encoding="utf-8")
    assert "./assets/index.js" in index and (DIST / "assets" / "index.js").is_file()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", index), "no CDN: everything is bundled"


# -- the API -------------------------------------------------------------------------------------
class Running:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.server = make_server(kb, "127.0.0.1", 0, timeout_s=120)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.server.server_address[:2]
        self.base = f"http://{host}:{port}"

    def get(self, path: str) -> tuple[int, bytes, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=120) as r:
                return r.status, r.read(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            return e.code, e.read(), e.headers.get("Content-Type", "")

    def post_json(self, path: str, payload: dict) -> tuple[int, dict]:
        request = urllib.request.Request(self.base + path, data=json.dumps(payload).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=300) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def running():
    kb = KnowledgeBase()
    server = Running(kb)
    yield server
    server.stop()
    kb.close()


@pytest.fixture(scope="module")
def li_analysis(running):
    status, body = running.post_json("/api/analyse", {"case": "li-v-liu", "jurisdictions": ["CN", "US"],
                                                      "as_of": LI_DATE})
    assert status == 200, body
    return body


def test_page_and_assets_are_served(running):
    status, body, media = running.get("/")
    assert status == 200 and media.startswith("text/html") and b"RightsGraph" in body
    status, _, media = running.get("/assets/index.js")
    assert status == 200 and "javascript" in media
    assert running.get("/../pyproject.toml")[0] == 404
    assert running.get("/assets/..%2F..%2F..%2Fpyproject.toml")[0] == 404


def test_cases_lists_the_bundled_cases(running):
    status, body, _ = running.get("/api/cases")
    assert status == 200
    assert "li-v-liu" in {c["name"] for c in json.loads(body)}


def test_analyse_uses_a_fresh_knowledge_base(running, li_analysis):
    assert running.server.kb.store.count(G.FACTS) == 0, "the server's own knowledge base is unchanged"
    report = li_analysis["report"]
    cn_holders = {li_analysis["labels"].get(h) for d in report["determinations"]
                  if d["kind"] == "rg:OwnershipDetermination" and d["jurisdiction"].endswith("/CN")
                  and d["status"].endswith("#Established") for h in d["properties"]["rg:holder"]}
    assert cn_holders == {"Li (plaintiff)"}
    assert [j["code"] for j in li_analysis["jurisdictions"]] == ["CN", "US"]


def test_chain_graph_comes_from_the_query(li_analysis):
    chain = li_analysis["chain"]
    kinds = {k for n in chain["nodes"] for k in n["kinds"]}
    assert {"output", "generation", "user", "model", "licence", "act"} <= kinds
    edges = {(e["source"].rsplit("/", 1)[-1], e["label"], e["target"].rsplit("/", 1)[-1]) for e in chain["edges"]}
    assert ("LoRA", "derived from", "Checkpoint") in edges
    assert ("StableDiffusion", "licence", "CreativeML-OpenRAIL-M") in edges


def test_explain_and_session_queries(running, li_analysis):
    infringement = next(d for d in li_analysis["report"]["determinations"]
                        if d["kind"] == "rg:InfringementDetermination" and d["jurisdiction"].endswith("/CN"))
    status, body, _ = running.get(f"/api/explain?id={li_analysis['id']}&iri={urllib.parse.quote(infringement['iri'])}")
    tree = json.loads(body)
    assert status == 200 and tree["derivations"][0]["legal_sources"]
    assert all(label != iri for iri, label in tree["source_labels"].items())
    status, body, _ = running.get(f"/queries/possible-infringements?session={li_analysis['id']}")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2
    assert running.get("/api/explain?id=nope&iri=x")[0] == 404
    assert running.get("/queries/possible-infringements?session=nope")[0] == 404
    status, body = running.post_json("/api/analyse", {"turtle": "this is not turtle", "jurisdictions": ["CN"]})
    assert status == 400 and body["error"]


# -- the page in Chromium ----------------------------------------------------------------------------
def _browser_or_skip():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: apt-get install chromium (Debian's package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is missing: pip install playwright (never `playwright install`)")
    return sync_playwright


@pytest.fixture(scope="module")
def page(running):
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
        page = context.new_page()
        page.goto(running.base + "/")
        page.wait_for_selector("body[data-ready=true]")
        yield page
        context.close()
        browser.close()


def analyse_in_page(page, case: str, codes: list[str], date: str) -> float:
    page.select_option("#case-select", case)
    for code in ("CN", "US", "EU", "DE", "UK", "JP"):
        page.set_checked(f"#j-{code}", code in codes)
    page.fill("#as-of", date)
    started = time.perf_counter()
    page.click("#analyse")
    page.wait_for_function("document.getElementById('status').textContent.includes('conclusions')",
                           timeout=ANALYSIS_TIMEOUT_MS)
    return time.perf_counter() - started


def test_case_view_li_v_liu(page):
    analyse_in_page(page, "li-v-liu", ["CN", "US", "UK"], LI_DATE)
    cn = page.locator(".jur[data-jurisdiction=CN]")
    us = page.locator(".jur[data-jurisdiction=US]")
    assert cn.locator("h3").inner_text().startswith("CN") and us.locator("h3").inner_text().startswith("US")
    uk = page.locator(".jur[data-jurisdiction=UK]")
    # side by side: the columns share a row
    assert abs(cn.bounding_box()["y"] - us.bounding_box()["y"]) < 2 and abs(cn.bounding_box()["y"] - uk.bounding_box()["y"]) < 2
    # the UK protects the image as a computer-generated work; Li is its author there too
    assert any(t.endswith(": protected") for t in uk.locator("[data-section=protection] .headline").all_inner_texts())

    holders = cn.locator("[data-section=holders] > ul .headline")
    assert holders.count() == 5
    assert all(text.startswith("Li (plaintiff): CN ") for text in holders.all_inner_texts())

    infringements = " | ".join(cn.locator("[data-section=infringements] > ul .headline").all_inner_texts())
    assert "information-network dissemination" in infringements
    assert "attribution" in infringements
    assert "Liu" in infringements

    us_protection = us.locator("[data-section=protection] .headline").all_inner_texts()
    assert any(t.startswith('The image "Spring breeze brings tenderness": not protected') for t in us_protection)
    assert us.locator("[data-section=infringements]").count() == 0
    assert us.locator("[data-section=holders] > ul").count() == 0

    # the chain is drawn (a canvas) and listed
    assert page.locator("#cy canvas").count() > 0
    assert "StableDiffusion" in page.locator("#chain-list").inner_html() or \
        "Stable Diffusion" in page.locator("#chain-list").inner_html()

    page.evaluate("window.scrollTo(0, 0)")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    clip = page.locator("main").bounding_box()
    findings = page.locator("#findings").bounding_box()
    page.screenshot(path=str(SCREENSHOT), clip={"x": 0, "y": 0, "width": 1440,
                                                "height": min(findings["y"] + findings["height"] + 16, 1900)},
                    full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000 and clip


def test_proof_view(page):
    if page.locator(".jur[data-jurisdiction=CN]").count() == 0:
        analyse_in_page(page, "li-v-liu", ["CN", "US"], LI_DATE)
    button = page.locator(".jur[data-jurisdiction=CN] [data-section=infringements] li", has_text="attribution") \
        .locator("button.concl-button")
    button.focus()
    page.keyboard.press("Enter")  # keyboard reachable
    proof = page.locator("#proof")
    proof.locator(".rule-label").first.wait_for()
    assert proof.is_visible()
    rules = proof.locator(".rule-label").all_inner_texts()
    assert any(r.startswith("CN") for r in rules), rules
    source = proof.locator("a.legal-source").first
    assert source.inner_text() == "PRC Copyright Law, Art. 10(1)(2) (right of attribution)"
    assert source.get_attribute("href").startswith("https://w3id.org/rightsgraph/source/cn/")
    assert proof.locator(".basis-fact").count() > 0, "the tree reaches the facts"


def test_library_query_in_page(page):
    if page.locator(".jur[data-jurisdiction=CN]").count() == 0:
        analyse_in_page(page, "li-v-liu", ["CN", "US"], LI_DATE)
    page.select_option("#query-select", "rights-holders")
    page.fill("#param-work", "case:li-v-liu/image")
    page.select_option("#query-target", "session")
    page.click("#run-query")
    page.wait_for_selector("#results-table tbody tr")
    rows = page.locator("#results-table tbody tr")
    assert rows.count() == 5
    assert "Li (plaintiff)" in rows.first.inner_text()
    assert page.locator("#download-csv").is_visible()
    with page.expect_download() as download:
        page.click("#download-csv")
    csv = Path(download.value.path()).read_text(encoding="utf-8")
    assert "holderLabel" in csv.splitlines()[0].split(",") and len(csv.splitlines()) == 6
    # an own query, edited in the box, goes to /sparql
    page.fill("#query-text", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    page.click("#run-query")
    page.wait_for_function("document.querySelector('#results-table th')?.textContent === 'n'")


@pytest.mark.skipif(not os.environ.get("RIGHTSGRAPH_WEB_100K"),
                    reason="slow (minutes: about two of reasoning at 100k triples and six jurisdictions): set "
                           "RIGHTSGRAPH_WEB_100K=1 (or a number of triples) to time the case view for a large graph")
def test_case_view_time_for_100k_triples(page):
    """Paste a synthetic graph (100k triples) into the page, all six jurisdictions: time until the case view is drawn."""
    from rightsgraph import synthetic
    size = int(os.environ["RIGHTSGRAPH_WEB_100K"])
    buffer = io.StringIO()
    written = synthetic.write(buffer, 100_000 if size == 1 else size, seed=1)
    page.check("#source-turtle")
    page.evaluate("text => { document.getElementById('turtle').value = text; }", buffer.getvalue())
    page.check("#source-turtle")
    for code in ("CN", "US", "EU", "DE", "UK", "JP"):
        page.set_checked(f"#j-{code}", True)
    page.fill("#as-of", synthetic.AS_OF)
    started = time.perf_counter()
    page.click("#analyse")
    page.wait_for_function("document.getElementById('status').textContent.includes('conclusions')", timeout=1_800_000)
    page.locator(".jur[data-jurisdiction=JP]").wait_for()
    seconds = time.perf_counter() - started
    server_seconds = page.evaluate("document.getElementById('status').textContent")
    print(f"\nsynthetic graph of {written} triples: case view drawn {seconds:.1f} s after Analyse; {server_seconds}")
    assert page.locator(".jur").count() == 6
    # the page stays usable: a proof opens
    page.locator(".jur[data-jurisdiction=CN] button.concl-button").first.click()
    page.locator("#proof .rule-label").first.wait_for(timeout=120_000)
