"""A small on-disk cache for work that depends only on text: rule analyses and rule-base plans.

rdflib's SPARQL parser takes about 0.4 s a rule and stratifying the bundled rule base about 0.8 s,
against a fraction of a second for reasoning over a case graph; both are kept between runs in
``~/.cache/rightsgraph`` (``$XDG_CACHE_HOME``, or ``RIGHTSGRAPH_CACHE``: a directory, or ``0`` for
none), keyed by a hash of everything they depend on. A cache entry that cannot be read or written
is simply not used.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


def cache_dir() -> Path | None:
    setting = os.environ.get("RIGHTSGRAPH_CACHE")
    if setting == "0":
        return None
    if setting:
        return Path(setting)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rightsgraph"


def cached(kind: str, key_text: str, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave before for the same ``kind`` and ``key_text``."""
    directory = cache_dir()
    path = directory / f"{kind}-{hashlib.sha1(key_text.encode('utf-8')).hexdigest()}.pickle" if directory else None
    if path is not None and path.exists():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # noqa: BLE001 - a stale or corrupt entry is recomputed
            pass
    value = compute()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as handle:
                pickle.dump(value, handle)
            tmp.replace(path)
        except OSError:
            pass
    return value
