"""RightsGraph: copyright along the generative-AI chain, as an OWL knowledge graph with explained legal rules."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from rightsgraph.api import Determination, KnowledgeBase, LoadReport
from rightsgraph.errors import (InputError, NegationCycleError, ParseError, ReasoningError, RightsGraphError,
                                RuleError, StoreError)

try:
    __version__ = version("rightsgraph")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = ["KnowledgeBase", "Determination", "LoadReport", "RightsGraphError", "InputError", "ParseError",
           "RuleError", "NegationCycleError", "ReasoningError", "StoreError", "__version__"]
