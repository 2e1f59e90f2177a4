"""The errors RightsGraph raises: a small hierarchy whose messages say what, where and how to fix.

The CLI maps :class:`RightsGraphError` subclasses to exit code 2 (usage or input error);
anything else is a bug and keeps its traceback.
"""
from __future__ import annotations


class RightsGraphError(Exception):
    """Base class of every error a user can cause and fix."""


class InputError(RightsGraphError):
    """Bad input: a missing file, malformed RDF, an unknown jurisdiction, a bad date."""


class ParseError(InputError):
    """An RDF file that does not parse; names the file, line and column."""

    def __init__(self, source: str, message: str, line: int | None = None, column: int | None = None):
        self.source, self.line, self.column = source, line, column
        where = source if line is None else f"{source}:{line}:{column or 0}"
        super().__init__(f"{where}: {message}")


class RuleError(RightsGraphError):
    """A rule of the rule base that cannot be used; names the rule and its file."""

    def __init__(self, rule: str, source: str | None, message: str):
        self.rule, self.source = rule, source
        super().__init__(f"rule <{rule}>{f' in {source}' if source else ''}: {message}")


class NegationCycleError(RightsGraphError):
    """Rules that depend on each other through negation: no stratified meaning exists."""

    def __init__(self, rules: list[str]):
        self.rules = sorted(rules)
        super().__init__(
            "these rules depend on each other through negation (FILTER NOT EXISTS / MINUS), "
            "so no stratified order exists; break the cycle: " + ", ".join(f"<{r}>" for r in self.rules)
        )


class ReasoningError(RightsGraphError):
    """A rule failed while running; the store was left as it was before the run."""


class StoreError(RightsGraphError):
    """The store refused or failed an operation (for a remote store: names the endpoint and the step)."""
