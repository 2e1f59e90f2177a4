"""Store back ends. The engine talks to a store only through :class:`~rightsgraph.store.base.Store`.

Back ends are registered by name, as rdflib registers its plugins, so ``KnowledgeBase(store="oxigraph")``
and ``KnowledgeBase(store="sparql", endpoint=...)`` pick one without the engine knowing which.
"""
from __future__ import annotations

from typing import Any, Callable

from rightsgraph.store.base import Store

_REGISTRY: dict[str, Callable[..., Store]] = {}


def register(name: str, factory: Callable[..., Store]) -> None:
    _REGISTRY[name] = factory


def open_store(name: str = "oxigraph", **options: Any) -> Store:
    """Open a store back end by its registered name with keyword-only options."""
    from rightsgraph.errors import InputError

    if name not in _REGISTRY:
        raise InputError(f"unknown store back end {name!r}; known: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[name](**options)


def _oxigraph(**options: Any) -> Store:
    from rightsgraph.store.oxigraph import OxigraphStore

    return OxigraphStore(**options)


def _sparql(**options: Any) -> Store:
    from rightsgraph.store.sparql import SparqlEndpointStore

    return SparqlEndpointStore(**options)


register("oxigraph", _oxigraph)
register("sparql", _sparql)

__all__ = ["Store", "open_store", "register"]
