"""The benchmark measures what its table says it does (benchmarks/run.py; no timing is asserted)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import run as bench  # noqa: E402

from rightsgraph.synthetic import AS_OF, write  # noqa: E402


def test_a_run_loads_validates_reasons_answers_every_query_and_adds_generation_events(tmp_path):
    data = tmp_path / "chain.nt"
    facts = write(data, 2000, 0)
    record = bench.run_child("rightsgraph", data, 600, None, AS_OF)
    assert record["returncode"] == 0 and "did_not_finish" not in record
    assert set(record["steps"]) == set(bench.STEPS)
    assert record["triples"] == facts and record["conforms"]
    assert record["conclusion_triples"] > facts and record["justification_triples"] > 0
    # every library query ran; the questions about block 0's outputs have answers
    assert set(record["query_rows"]) == set(name for name, _, _ in bench._queries())
    for name in ("rights-holders", "contributors-behind-output", "chain-behind-output", "justification-tree"):
        assert record["query_rows"][name][0] > 0, name
    added = record["incremental"]
    assert len(added["seconds"]) == bench.EVENTS
    assert added["facts"] == 33 and not added["full_run"] and added["conclusions_added"] > 0


def summary(reason: float | None, did_not_finish: str | None = None) -> dict:
    steps = {"load": 0.1, "validate": 0.1, "reason": reason, "queries": 0.1 if reason else None}
    return {"steps": steps, "total": None if did_not_finish else sum(steps.values()), "peak_mb": 100,
            "did_not_finish": did_not_finish, "repeats": 1, "triples": None}


def test_the_table_gives_the_ratio_and_says_why_a_row_was_not_run():
    results = {"sizes": {
        "2000": {"rightsgraph": summary(0.5), "reference": summary(400.0)},
        "10000": {"rightsgraph": summary(1.0), "reference": summary(None, "reason")},
        "100000": {"rightsgraph": summary(10.0), "reference": None},
        "1000000": {"rightsgraph": summary(100.0)},
    }}
    rows = {(line.split("|")[1].strip(), line.split("|")[2].strip()): line for line in bench.table(results).splitlines()[2:]}
    assert "800×" in rows[("2000", "reference")]
    assert "did not finish: reason" in rows[("10000", "reference (did not finish: reason)")]
    assert "a smaller size did not finish" in rows[("100000", "reference")]
    assert "a smaller size did not finish" in rows[("1000000", "reference")]  # stopped at 10k, not asked again
