"""Rendering results for people (tables) and programs (JSON, CSV, Turtle). Only the CLI prints."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

from rightsgraph.terms import compact


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    return "\n".join(out)


def rows_table(rows: list[dict[str, Any]], variables: Sequence[str] | None = None) -> tuple[list[str], list[list[str]]]:
    names = list(variables) if variables else sorted({k for r in rows for k in r})
    return names, [[compact(r[n]) if n in r else "" for n in names] for r in rows]


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


def to_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)
