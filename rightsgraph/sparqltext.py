"""Reading SPARQL text without parsing it: where strings, IRIs, comments and groups begin and end.

The engine keeps a rule author's ``WHERE`` text verbatim and rewrites it in a few well-delimited
places (rules/optimise.py), and binds query parameters inside a query's ``WHERE`` group; both need
to find braces and keywords that are code, not part of a string literal, an IRI or a comment.
rdflib's parser would do it at about 0.4 s a query, and gives back an algebra, not the text.
"""
from __future__ import annotations

import re
from typing import Iterator

_WORD = re.compile(r"[A-Za-z_]\w*")


def skip_string(text: str, i: int) -> int:
    """Index after the string literal starting at ``i`` (short or long form, either quote)."""
    quote = text[i]
    if text.startswith(quote * 3, i):
        end = text.find(quote * 3, i + 3)
        return len(text) if end < 0 else end + 3
    j = i + 1
    while j < len(text) and text[j] != quote:
        j += 2 if text[j] == "\\" else 1
    return j + 1


def iri_end(text: str, i: int) -> int:
    """If an IRI reference starts at ``i``, the index after its ``>``; else -1 (a ``<`` operator)."""
    j = i + 1
    while j < len(text) and text[j] not in '<>"{}|^`\\ \t\r\n':
        j += 1
    return j + 1 if j < len(text) and text[j] == ">" else -1


def skip_space(text: str, i: int) -> int:
    """Index of the next character that is neither white space nor in a comment."""
    while i < len(text):
        if text[i].isspace():
            i += 1
        elif text[i] == "#":
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl + 1
        else:
            break
    return i


class Scanner:
    """The code characters of ``text`` from ``start``, with the brace depth each is at.

    Iterating yields ``(index, character, depth)``; string literals, IRIs and comments are stepped
    over. Setting :attr:`i` jumps (past a balanced group, say) without changing the depth."""

    def __init__(self, text: str, start: int = 0) -> None:
        self.text, self.i, self.depth = text, start, 0

    def __iter__(self) -> Iterator[tuple[int, str, int]]:
        text = self.text
        while self.i < len(text):
            i = self.i
            ch = text[i]
            if ch in "\"'":
                self.i = skip_string(text, i)
                continue
            if ch == "<":
                end = iri_end(text, i)
                if end > 0:
                    self.i = end
                    continue
            if ch == "#":
                nl = text.find("\n", i)
                self.i = len(text) if nl < 0 else nl + 1
                continue
            self.i = i + 1
            yield i, ch, self.depth
            if self.i == i + 1:  # the caller did not jump
                if ch == "{":
                    self.depth += 1
                elif ch == "}":
                    self.depth -= 1


def match_brace(text: str, start: int) -> int:
    """Index just after the ``}`` matching the ``{`` at ``start``."""
    for i, ch, depth in Scanner(text, start):
        if ch == "}" and depth == 1:
            return i + 1
    raise ValueError("unbalanced braces")


def match_paren(text: str, start: int) -> int:
    """Index just after the ``)`` matching the ``(`` at ``start`` (groups inside are stepped over)."""
    level = 0
    scanner = Scanner(text, start)
    for i, ch, _ in scanner:
        if ch == "{":
            scanner.i = match_brace(text, i)
        elif ch == "(":
            level += 1
        elif ch == ")":
            level -= 1
            if level == 0:
                return i + 1
    raise ValueError("unbalanced parentheses")


def keyword_at(text: str, i: int, word: str) -> bool:
    """Whether the keyword ``word`` (any case) starts at ``i`` as a whole word."""
    match = _WORD.match(text, i)
    before = text[i - 1] if i > 0 else " "
    return (match is not None and match.group(0).upper() == word.upper()
            and not (before.isalnum() or before in "_?$:"))


def where_group(query: str) -> int:
    """Index of the ``{`` opening a query's ``WHERE`` group (-1 if the query has no ``WHERE`` keyword)."""
    scanner = Scanner(query)
    for i, ch, depth in scanner:
        if depth == 0 and ch in "wW" and keyword_at(query, i, "WHERE"):
            j = skip_space(query, i + 5)
            return j if j < len(query) and query[j] == "{" else -1
        if ch == "{" and depth == 0:  # a group before WHERE: CONSTRUCT's template, say
            scanner.i = match_brace(query, i)
    return -1


def joined_unions(text: str, start: int) -> list[list[int]]:
    """The ``{`` of each branch of every ``{A} UNION {B} ...`` joined into the group at ``start``:
    at its top level and not the group of an ``OPTIONAL``, ``MINUS``, ``GRAPH``, ``SERVICE`` or
    ``EXISTS``, which the character before the first branch (``{``, ``}`` or ``.``) tells."""
    unions: list[list[int]] = []
    scanner = Scanner(text, start + 1)
    previous = "{"
    for i, ch, depth in scanner:
        if depth == 0 and ch == "}":
            break
        if ch.isspace():
            continue
        if ch == "(":
            scanner.i, previous = match_paren(text, i), ")"
            continue
        if ch != "{":
            previous = ch
            continue
        after = match_brace(text, i)
        if previous in "{}.":
            branches = [i]
            k = skip_space(text, after)
            while keyword_at(text, k, "UNION"):
                branch = skip_space(text, k + 5)
                if branch >= len(text) or text[branch] != "{":
                    break
                branches.append(branch)
                after = match_brace(text, branch)
                k = skip_space(text, after)
            if len(branches) > 1:
                unions.append(branches)
        scanner.i, previous = after, "}"
    return unions


def required_in_group(text: str, start: int, variable: str) -> bool:
    """Whether every solution of the group at ``start`` binds ``?variable``: it occurs in a triple
    pattern of the group itself (not in an ``OPTIONAL``, a ``MINUS``, an expression or a ``VALUES``
    block), or in one of every branch of a ``UNION`` joined into the group."""
    mention = re.compile(r"[?$]" + re.escape(variable) + r"(?!\w)")
    scanner = Scanner(text, start + 1)
    for i, ch, depth in scanner:
        if ch == "}" and depth == 0:
            break
        if ch == "{":
            scanner.i = match_brace(text, i)
        elif ch == "(":
            scanner.i = match_paren(text, i)
        elif ch in "vV" and keyword_at(text, i, "VALUES"):
            return False  # UNDEF could leave it unbound; not worth reading
        elif ch in "?$" and mention.match(text, i):
            return True
    return any(all(required_in_group(text, b, variable) for b in branches)
               for branches in joined_unions(text, start))
