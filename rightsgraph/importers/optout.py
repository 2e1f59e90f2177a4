"""Opt-out signals: robots.txt rules for AI crawlers and the W3C TDM Reservation Protocol (TDMRep).

A reservation is an ``rg:TDMReservation`` made by the operator of the site, read on ``read_on``
(the day the signal was observed, recorded as ``rg:reservedOn``: the earliest day it is known to
exist), with its mechanism (``rg:RobotsTxt``, ``rg:TDMRep``), the crawler or location pattern it
applies to, and the TDM policy. ``covers`` lists URLs of works (for example the content URLs of a
Croissant distribution): each URL the signal reserves is linked by ``rg:reservationCovers`` to the
creation at that URL, the same node the other importers mint for it.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import urllib.robotparser
from pathlib import Path
from typing import Iterable, Mapping as MappingT
from urllib.parse import urlsplit

from rdflib import RDF, Literal, URIRef, XSD

from rightsgraph.errors import InputError
from rightsgraph.importers._base import (RG, ImportResult, Mapping, date_literal, mint, read_text, work_iri)

MAX_ROBOTS = 512 * 1024  # Google reads the first 500 KiB
MAX_TDMREP = 1024 * 1024
#: User-agent tokens of crawlers that collect training data or AI input (as published by their operators).
AI_CRAWLERS = ("GPTBot", "ChatGPT-User", "OAI-SearchBot", "CCBot", "Google-Extended", "anthropic-ai", "ClaudeBot",
               "Claude-Web", "PerplexityBot", "Bytespider", "Applebot-Extended", "meta-externalagent",
               "FacebookBot", "cohere-ai", "Amazonbot", "Diffbot", "ImagesiftBot", "Omgilibot", "Timpibot")


def _operator(m: Mapping, site: str | None) -> URIRef:
    host = urlsplit(site).netloc if site and "://" in site else (site or "")
    node = mint("agent", "site-operator", host.lower())
    m.add(node, RDF.type, RG.Agent)
    m.label(node, f"operator of {host}" if host else "operator of an unnamed site")
    return node


def _reservation(m: Mapping, mechanism: URIRef, operator: URIRef, *key: object) -> URIRef:
    res = mint("reservation", m.sha256, *key)
    m.add(res, RDF.type, RG.TDMReservation)
    m.add(res, RG.mechanism, mechanism)
    m.add(res, RG.machineReadable, Literal(True))
    m.add(res, RG.reservedOn, date_literal(m.read_on))
    m.add(res, RG.reservedBy, operator)
    return res


def _cover(m: Mapping, res: URIRef, url: str) -> None:
    work = work_iri(url)
    m.add(res, RG.reservationCovers, work)
    m.add(work, RDF.type, RG.Creation)
    m.add(work, RG.contentUrl, Literal(url, datatype=XSD.anyURI))


def _absolute(url: str, site: str | None) -> str:
    if "://" in url or not site:
        return url
    return site.rstrip("/") + "/" + url.lstrip("/")


def import_robots(path: str | Path, *, read_on: dt.date | None = None, site: str | None = None,
                  covers: Iterable[str] = ()) -> ImportResult:
    data, text = read_text(path, limit=MAX_ROBOTS)
    m = Mapping("robots", path, data, read_on)
    if site is None:
        m.warn("no site given (site=...): the reservations name no site and cover no URL")
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    groups: dict[str, list[str]] = {}
    lowered = {c.lower(): c for c in AI_CRAWLERS}
    for entry in parser.entries + ([parser.default_entry] if parser.default_entry else []):
        disallowed = [str(line.path) for line in entry.rulelines if not line.allowance and line.path]
        for agent in entry.useragents:
            if agent == "*":
                if "/" in disallowed or "%2F" in disallowed:
                    m.warn("User-agent: * disallows the whole site; a general crawl ban is not recorded as a "
                           "TDM reservation (only rules naming AI crawlers are)")
                continue
            name = lowered.get(agent.lower())
            if name and disallowed:
                groups.setdefault(name, []).extend(disallowed)
    operator = _operator(m, site)
    urls = [_absolute(u, site) for u in covers]
    for crawler in sorted(groups):
        res = _reservation(m, RG.RobotsTxt, operator, "robots", site or "", crawler)
        m.add(res, RG.crawler, Literal(crawler))
        for pattern in sorted(set(groups[crawler])):
            m.add(res, RG.locationPattern, Literal(pattern))
        for url in urls:
            if not parser.can_fetch(crawler, url):
                _cover(m, res, url)
    return m.result()


def _pattern(location: str) -> re.Pattern:
    """A TDMRep location (a path with ``*`` wildcards, ``$`` to anchor the end) as a regex on the path."""
    anchored = location.endswith("$")
    body = re.escape(location.rstrip("$")).replace(r"\*", ".*")
    return re.compile("^" + body + ("$" if anchored else ""))


def _tdm_entries(m: Mapping, entries: list, site: str | None, urls: list[str], operator: URIRef) -> None:
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "location" not in entry:
            m.warn(f"entry {i} has no location: ignored")
            continue
        location = str(entry["location"])
        value = str(entry.get("tdm-reservation", "")).strip()
        if value == "0":
            continue
        if value != "1":
            m.warn(f"location {location!r}: tdm-reservation {value!r} is neither 0 nor 1: ignored")
            continue
        res = _reservation(m, RG.TDMRep, operator, "tdmrep", site or "", location)
        m.add(res, RG.locationPattern, Literal(location))
        if entry.get("tdm-policy"):
            m.add(res, RG.tdmPolicy, Literal(str(entry["tdm-policy"]), datatype=XSD.anyURI))
        regex = _pattern(location if location.startswith("/") or "://" in location else "/" + location)
        for url in urls:
            target = url if "://" in location else (urlsplit(url).path or "/")
            if regex.match(target):
                _cover(m, res, url)


def import_tdmrep(path: str | Path, *, read_on: dt.date | None = None, site: str | None = None,
                  covers: Iterable[str] = ()) -> ImportResult:
    """A ``/.well-known/tdmrep.json`` file: a list of ``{"location", "tdm-reservation", "tdm-policy"}``."""
    data, text = read_text(path, limit=MAX_TDMREP)
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if not isinstance(entries, list):
        raise InputError(f"{path}: a tdmrep.json file is a JSON array of rules")
    m = Mapping("tdmrep", path, data, read_on)
    _tdm_entries(m, entries, site, [_absolute(u, site) for u in covers], _operator(m, site))
    return m.result()


def parse_headers(text: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith(("HTTP/", " ", "\t")):
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return headers


def import_tdmrep_headers(headers: MappingT[str, str] | str | Path, *, url: str,
                          read_on: dt.date | None = None) -> ImportResult:
    """``tdm-reservation`` / ``tdm-policy`` HTTP response headers of ``url``, as a dict or a headers file."""
    if isinstance(headers, (str, Path)):
        data, text = read_text(headers, limit=MAX_TDMREP)
        path, table = str(headers), parse_headers(text)
    else:
        table = {str(k).strip().lower(): str(v).strip() for k, v in headers.items()}
        text = "\n".join(f"{k}: {v}" for k, v in sorted(table.items()))
        path, data = f"headers of {url}", f"{url}\n{text}".encode()
    m = Mapping("tdmrep-headers", path, data, read_on)
    if "tdm-reservation" not in table:
        m.warn("no tdm-reservation header")
        return m.result()
    parts = urlsplit(url)
    site = f"{parts.scheme}://{parts.netloc}"
    _tdm_entries(m, [{"location": url + "$", "tdm-reservation": table["tdm-reservation"],
                      "tdm-policy": table.get("tdm-policy")}], site, [url], _operator(m, site))
    return m.result()
