"""A seeded generator of a synthetic AIGC supply chain in the RightsGraph vocabulary.

The graph is written as N-Triples, one block at a time, so any size streams in constant memory.
A block is one "platform neighbourhood": creators and their works (some licensed under Creative
Commons, some famous characters owned by a studio and licensed exclusively), opt-outs (TDM
reservations, machine-readable or not, at different dates), datasets collected in different ways
(scraped by a research organisation, licensed or purchased by a company), a foundation model shared
by four neighbouring blocks and fine-tunes and LoRAs of it, a closed model behind a commercial
service with terms of service and some duties missed, platforms with and without notice and
takedown, and users. Most users type a short prompt into the service and keep no records (the
common case); a few run open models locally with long and negative prompts, parameters, several
rounds and contemporaneous records, or edit the output afterwards. Later acts follow: posting
outputs online, cropping watermarks, removing AI labels, reproducing and adapting famous works,
merchandise, licensed uses within and beyond their licence, dataset compilation and training in
different jurisdictions.

Every block holds the pieces every rule of the rule base needs, with the jurisdictions of its acts
rotating from block to block, so that any graph of six blocks or more (a block is about 850 triples) makes
every rule fire for CN, US, EU, DE, UK and JP (``tests/test_synthetic.py``). The same seed gives the
same triples, and block ``k`` is the same whatever the requested size: a larger graph extends a
smaller one.

    python -m rightsgraph.synthetic --triples 100000 --seed 1 -o out.nt
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import IO, Iterator

RG = "https://w3id.org/rightsgraph/ontology#"
JUR = "https://w3id.org/rightsgraph/jurisdiction/"
BASE = "https://w3id.org/rightsgraph/synthetic/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: The as-of date the generated facts are meant to be judged at (after every dated rule took effect,
#: including the AI Act's grace period for models placed on the market before 2025-08-02).
AS_OF = "2028-01-01"
#: Jurisdictions that acts rotate over (the UK rules judge outputs, not acts).
ACT_JURISDICTIONS = ("CN", "US", "DE", "JP", "EU")

CC = {
    "by": "https://creativecommons.org/licenses/by/4.0/",
    "by-sa": "https://creativecommons.org/licenses/by-sa/4.0/",
    "by-nc": "https://creativecommons.org/licenses/by-nc/4.0/",
    "by-nc-sa": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "by-nd": "https://creativecommons.org/licenses/by-nd/4.0/",
}
OPENRAIL = "http://spdx.org/licenses/CreativeML-OpenRAIL-M"
CATEGORIES = ("FineArt", "Photograph", "LiteraryText", "Comic")
WORDS = ("spring", "breeze", "river", "portrait", "city", "night", "lantern", "forest", "harbour", "winter",
         "idol", "soft light", "close-up", "watercolour", "ink", "neon", "mountain", "cat", "robot", "garden")
PARAMETERS = (("sampling steps", "30"), ("guidance scale", "7.5"), ("seed", "1234567"), ("image size", "768x1024"),
              ("sampler", "DPM++ 2M"), ("temperature", "0.8"))


def _rg(name: str) -> str:
    return f"<{RG}{name}>"


def _jur(code: str) -> str:
    return f"<{JUR}{code}>"


def _date(d: dt.date) -> str:
    return f'"{d.isoformat()}"^^<{XSD}date>'


def _int(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


def _bool(b: bool) -> str:
    return f'"{"true" if b else "false"}"^^<{XSD}boolean>'


def _str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Block:
    """The triples of one block, as N-Triples lines."""

    def __init__(self, k: int, seed: int) -> None:
        self.k = k
        self.rng = random.Random(f"{seed}:{k}")
        self.lines: list[str] = []

    def iri(self, name: str, block: int | None = None) -> str:
        return f"<{BASE}{self.k if block is None else block}/{name}>"

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def a(self, s: str, cls: str) -> None:
        self.t(s, RDF_TYPE, _rg(cls))

    def day(self, start: str, end: str) -> dt.date:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        return first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))

    def words(self, n: int) -> str:
        return ", ".join(self.rng.choice(WORDS) for _ in range(n))


def _block(k: int, seed: int) -> list[str]:  # noqa: C901 - one linear story per block
    b = _Block(k, seed)
    rng, t, a, I = b.rng, b.t, b.a, b.iri
    jur = lambda i: _jur(ACT_JURISDICTIONS[(k + i) % len(ACT_JURISDICTIONS)])  # noqa: E731

    # --- agents ---------------------------------------------------------------------------------
    studio, licensee, merch = I("studio"), I("licensee"), I("merchandiser")
    research, developer, operator = I("research-org"), I("developer"), I("service-operator")
    op_good, op_lax, ft_studio = I("platform-operator-1"), I("platform-operator-2"), I("finetune-studio")
    for node, cls, label in ((studio, "LegalPerson", "Animation studio"), (licensee, "LegalPerson", "Exclusive licensee"),
                             (merch, "LegalPerson", "Merchandise maker"), (research, "ResearchOrganisation", "Research lab"),
                             (developer, "LegalPerson", "Model developer"), (operator, "LegalPerson", "AI service operator"),
                             (op_good, "LegalPerson", "Platform operator"), (op_lax, "LegalPerson", "Platform operator"),
                             (ft_studio, "LegalPerson", "Fine-tuning studio")):
        a(node, cls)
        t(node, RDFS_LABEL, _str(f"{label} {k}"))
    creators = [I(f"creator-{i}") for i in range(rng.randint(4, 6))]
    users = [I(f"user-{i}") for i in range(rng.randint(7, 9))]
    for node in creators + users:
        a(node, "NaturalPerson")

    # --- works ----------------------------------------------------------------------------------
    works = []
    for ci, creator in enumerate(creators):
        for wi in range(rng.randint(2, 3)):
            w = I(f"work-{ci}-{wi}")
            works.append(w)
            a(w, "HumanCreation")
            t(w, _rg("createdBy"), creator)
            t(w, _rg("category"), _rg(rng.choice(CATEGORIES)))
            t(w, _rg("creationDate"), _date(b.day("2005-01-01", "2021-12-31")))
            t(w, _rg("title"), _str(b.words(2).title()))
            if rng.random() < 0.2:
                t(w, _rg("widelyAvailable"), _bool(True))
    licensed = {works[1]: CC["by-nc"], works[2]: CC["by"]}
    for w in works[3:]:
        if rng.random() < 0.25:
            licensed[w] = CC[rng.choice(list(CC))]
    for w, lic in licensed.items():
        t(w, _rg("licence"), f"<{lic}>")
    famous = I("famous-character")
    a(famous, "HumanCreation")
    t(famous, _rg("category"), _rg("Character"))
    t(famous, _rg("ownedBy"), studio)
    t(famous, _rg("isFamous"), _bool(True))
    t(famous, _rg("widelyAvailable"), _bool(True))
    t(famous, _rg("title"), _str(f"Famous character {k}"))
    excl = I("exclusive-licence")
    a(excl, "ExclusiveLicence")
    t(excl, _rg("grantor"), studio)
    t(excl, _rg("grantee"), licensee)
    t(excl, _rg("concernsCreation"), famous)
    t(excl, _rg("inWriting"), _bool(True))
    t(excl, _rg("includesRightToSue"), _bool(True))
    t(excl, _rg("agreedOn"), _date(b.day("2019-01-01", "2023-12-31")))

    # --- opt-outs ---------------------------------------------------------------------------------
    for wi, w in enumerate(works):
        if wi != 0 and rng.random() > 0.3:
            continue
        res = I(f"reservation-{wi}")
        readable = wi == 0 or rng.random() < 0.6
        a(res, "TDMReservation")
        t(res, _rg("reservedBy"), creators[0] if wi == 0 else creators[min(wi // 3, len(creators) - 1)])
        t(res, _rg("reservationCovers"), w)
        t(res, _rg("machineReadable"), _bool(readable))
        t(res, _rg("reservedOn"), _date(dt.date(2020, 1, 1) if wi == 0 else b.day("2019-01-01", "2025-06-30")))
        t(res, _rg("mechanism"), _rg(rng.choice(("TDMRep", "RobotsTxt", "C2PATrainingMiningAssertion"))
                                     if readable else "NaturalLanguageTerms"))

    # --- datasets ---------------------------------------------------------------------------------
    half = 3
    d1, d2 = I("dataset-scraped"), I("dataset-licensed")
    for ds, members, method, curator, lic in (
            (d1, works[:half] + [famous], "Scraped", research, CC["by-nc"]),
            (d2, works[half:half + 3], rng.choice(("Licensed", "Purchased", "PublicDomainSource")), developer,
             CC["by-nc"] if k % 2 == 0 else CC["by"])):
        a(ds, "Dataset")
        for w in members:
            t(ds, _rg("includesWork"), w)
        t(ds, _rg("collectionMethod"), _rg(method))
        t(ds, _rg("collectedOn"), _date(b.day("2021-07-01", "2023-06-30")))
        t(ds, _rg("curatedBy"), curator)
        t(ds, _rg("licence"), f"<{lic}>")

    def act(name: str, cls: str, actor: str, when: dt.date, where: str, **props: str) -> str:
        node = I(name)
        a(node, cls)
        t(node, _rg("actor"), actor)
        t(node, _rg("actDate"), _date(when))
        t(node, _rg("actJurisdiction"), where)
        for prop, value in props.items():
            t(node, _rg(prop), value)
        return node

    act("compilation", "DatasetCompilation", research, b.day("2021-07-01", "2023-06-30"), jur(2),
        intoDataset=d1, purpose=_rg("ScientificResearch"), isCommercial=_bool(False))
    act("download", "Reproduction", research, b.day("2022-01-01", "2024-12-31"), jur(2),
        actsOn=d1, purpose=_rg("ScientificResearch"), isCommercial=_bool(False))

    # --- models -----------------------------------------------------------------------------------
    group = (k // 4) * 4
    foundation = I("foundation-model", group)
    if k == group:
        a(foundation, "AIModel")
        t(foundation, RDFS_LABEL, _str(f"Open foundation model {k}"))
        t(foundation, _rg("developedBy"), developer)
        t(foundation, _rg("trainedOn"), d1)
        t(foundation, _rg("trainedOn"), d2)
        t(foundation, _rg("release"), _rg("OpenRelease"))
        t(foundation, _rg("licence"), f"<{OPENRAIL}>")
        t(foundation, _rg("isGeneralPurpose"), _bool(True))
        t(foundation, _rg("commerciallyDeployed"), _bool(True))
        t(foundation, _rg("placedOnMarketOn"), _date(dt.date(2024, 5, 1) if k % 8 == 0 else dt.date(2025, 10, 1)))
        t(foundation, _rg("hasCopyrightPolicy"), _bool(k % 12 == 8))
        t(foundation, _rg("publishedTrainingSummary"), _bool(k % 16 == 8))
        for i in (0, 1, 3):
            act(f"foundation-training-{i}", "Training", developer, b.day("2023-09-01", "2024-04-30"), jur(i),
                actsOn=d1, isCommercial=_bool(True))
    finetune, lora = I("finetune"), I("lora")
    a(finetune, "FineTunedModel")
    t(finetune, _rg("fineTunedFrom"), foundation)
    t(finetune, _rg("developedBy"), ft_studio)
    t(finetune, _rg("trainedOn"), d2)
    t(finetune, _rg("commerciallyDeployed"), _bool(True))
    t(finetune, _rg("release"), _rg("OpenRelease"))
    if k % 2 == 0 or k % 5 == 3:
        t(finetune, _rg("memorises"), works[half])
    act("finetune-training", "FineTuning", ft_studio, b.day("2023-09-01", "2025-06-30"), jur(0),
        actsOn=d2, isCommercial=_bool(True))
    a(lora, "LoRA")
    t(lora, _rg("adapterOf"), finetune)
    t(lora, _rg("developedBy"), users[0])
    closed = I("closed-model")
    a(closed, "AIModel")
    t(closed, _rg("developedBy"), operator)
    t(closed, _rg("release"), _rg("ClosedRelease"))
    t(closed, _rg("isGeneralPurpose"), _bool(True))
    t(closed, _rg("commerciallyDeployed"), _bool(True))
    t(closed, _rg("placedOnMarketOn"), _date(b.day("2023-01-01", "2026-06-30")))
    t(closed, _rg("hasCopyrightPolicy"), _bool(True))
    t(closed, _rg("publishedTrainingSummary"), _bool(True))

    # --- the service, its terms and the platforms -------------------------------------------------
    service, tos = I("service"), I("terms-of-service")
    a(service, "AIService")
    t(service, _rg("providedBy"), operator)
    t(service, _rg("usesModel"), closed)
    t(service, _rg("accessesModelViaAPI"), _bool(rng.random() < 0.5))
    t(service, _rg("isCommercial"), _bool(True))
    t(service, _rg("hasKeywordFilter"), _bool(rng.random() < 0.7))
    for i, duty in enumerate(("hasComplaintChannel", "givesRiskWarnings", "labelsGeneratedContent")):
        t(service, _rg(duty), _bool(k % 3 != i and rng.random() < 0.8))
    t(service, _rg("termsOfService"), tos)
    a(tos, "TermsOfService")
    clause = I("output-clause")
    t(tos, _rg("clause"), clause)
    a(clause, "OutputOwnershipClause")
    t(clause, _rg("allocatesOutputTo"), _rg("ToProvider" if k % 2 else rng.choice(("ToUser", "Disclaimed"))))
    if k % 3 == 0:
        moral = I("moral-rights-clause")
        t(tos, _rg("clause"), moral)
        a(moral, "MoralRightsTransferClause")
    good, lax = I("platform-1"), I("platform-2")
    for p, op, notice, review, knew in ((good, op_good, True, True, False), (lax, op_lax, False, rng.random() < 0.5, True)):
        a(p, "Platform")
        t(p, _rg("providedBy"), op)
        t(p, _rg("hasNoticeAndTakedown"), _bool(notice))
        t(p, _rg("hasReviewMeasures"), _bool(review))
        t(p, _rg("knewOfInfringement"), _bool(knew))
        t(p, _rg("addsWatermark"), _bool(rng.random() < 0.5))

    # --- generations ------------------------------------------------------------------------------
    def output(name: str, gen: str, when: dt.date, **props: str) -> str:
        out = I(name)
        a(out, "AIGeneratedOutput")
        t(out, _rg("generatedBy"), gen)
        t(out, _rg("category"), _rg(rng.choice(CATEGORIES)))
        t(out, _rg("creationDate"), _date(when))
        t(out, _rg("digitalSourceType"), "<http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia>")
        for prop, value in props.items():
            t(out, _rg(prop), value)
        return out

    def prompt(name: str, terms: int, negative: bool = False) -> str:
        p = I(name)
        a(p, "NegativePrompt" if negative else "Prompt")
        t(p, _rg("text"), _str(b.words(terms)))
        t(p, _rg("termCount"), _int(terms))
        return p

    simple_outputs = []
    for i in range(rng.randint(14, 22)):  # the common case: a short prompt into the service, no records
        gen, when = I(f"simple-generation-{i}"), b.day("2024-01-01", "2026-12-31")
        a(gen, "Generation")
        t(gen, _rg("performedBy"), users[i % len(users)])
        t(gen, _rg("usedService"), service)
        t(gen, _rg("prompt"), prompt(f"simple-prompt-{i}", rng.randint(1, 8)))
        t(gen, _rg("generationDate"), _date(when))
        props = {}
        if i == 0:
            props = {"substantiallySimilarTo": famous}
        elif i == 1:
            props = {"substantiallySimilarTo": famous, "addsNewFeatures": _bool(True)}
        out = output(f"simple-output-{i}", gen, when, **props)
        simple_outputs.append(out)
        act(f"service-generation-{i}", "OutputGeneration", operator, when, _jur("CN"),
            producedOutput=out, isCommercial=_bool(True))

    def elaborate(name: str, user: str, *, local: bool, negative: bool, params: int, rounds: int,
                  record: bool, post_edit: bool = False, **props: str) -> str:
        gen, when = I(f"{name}-generation"), b.day("2023-01-01", "2026-06-30")
        a(gen, "Generation")
        t(gen, _rg("performedBy"), user)
        if local:
            t(gen, _rg("usedModel"), lora)
        else:
            t(gen, _rg("usedService"), service)
        t(gen, _rg("prompt"), prompt(f"{name}-prompt", rng.randint(12, 40)))
        if negative:
            t(gen, _rg("prompt"), prompt(f"{name}-negative-prompt", rng.randint(5, 15), negative=True))
        for pi in range(params):
            ps = I(f"{name}-parameter-{pi}")
            a(ps, "ParameterSetting")
            t(gen, _rg("parameterSetting"), ps)
            t(ps, _rg("parameterName"), _str(PARAMETERS[pi][0]))
            t(ps, _rg("parameterValue"), _str(PARAMETERS[pi][1]))
        t(gen, _rg("iterationCount"), _int(rounds))
        if rng.random() < 0.4:
            t(gen, _rg("candidateCount"), _int(rng.randint(1, 6)) if rounds < 2 else _int(rng.randint(2, 12)))
        t(gen, _rg("generationDate"), _date(when))
        if record:
            rec = I(f"{name}-record")
            a(rec, "ContemporaneousRecord")
            t(gen, _rg("evidencedBy"), rec)
            t(rec, _rg("recordDate"), _date(when))
        if post_edit:
            pe = I(f"{name}-post-editing")
            a(pe, "PostEditing")
            t(gen, _rg("postEditing"), pe)
            t(pe, _rg("description"), _str("retouched in an image editor"))
        return output(f"{name}-output", gen, when, claimedAuthor=user, **props)

    artist, poster, cropper = users[1], users[2], users[3]
    protected = elaborate("crafted", artist, local=True, negative=True, params=4, rounds=rng.randint(2, 6), record=True,
                          ownedBy=artist)
    elaborate("traced", users[4], local=True, negative=False, params=2, rounds=3, record=True,
              substantiallySimilarTo=works[half])
    elaborate("design-only", users[5], local=True, negative=True, params=3, rounds=1, record=True)
    elaborate("edited", users[0], local=True, negative=False, params=0, rounds=1, record=rng.random() < 0.7, post_edit=True)
    power = elaborate("power-user", users[4], local=False, negative=True, params=2, rounds=4, record=True)
    elaborate("unrecorded", users[5], local=True, negative=True, params=3, rounds=3, record=False)

    assignment = I("assignment")
    a(assignment, "Assignment")
    t(assignment, _rg("grantor"), artist)
    t(assignment, _rg("grantee"), licensee)
    t(assignment, _rg("concernsCreation"), protected if k % 2 else power)
    t(assignment, _rg("inWriting"), _bool(True))
    t(assignment, _rg("agreedOn"), _date(b.day("2025-01-01", "2026-12-31")))

    comic = I("comic")
    a(comic, "MixedCreation")
    t(comic, _rg("category"), _rg("Comic"))
    t(comic, _rg("title"), _str(f"Comic {k}"))
    for name, cls in (("comic-text", "HumanContribution"), ("comic-arrangement", "SelectionAndArrangement")):
        part = I(name)
        a(part, cls)
        t(comic, _rg("hasPart"), part)
        t(part, _rg("createdBy"), artist)

    # --- later acts -------------------------------------------------------------------------------
    cn = _jur("CN")
    act("own-posting", "OnlineDissemination", artist, b.day("2025-01-01", "2026-12-31"), cn, actsOn=protected,
        hostedOn=good)
    act("copy-posting", "OnlineDissemination", poster, b.day("2025-01-01", "2026-12-31"), cn, actsOn=protected,
        hostedOn=lax, purpose=_rg("Illustration"), isCommercial=_bool(False), sourceAttributed=_bool(False))
    act("repost", "OnlineDissemination", cropper, b.day("2025-01-01", "2026-12-31"), cn, actsOn=protected, hostedOn=good)
    act("watermark-crop", "WatermarkRemoval", poster, b.day("2025-01-01", "2026-12-31"), cn, actsOn=protected)
    act("label-removal", "AILabelRemoval", cropper, b.day("2025-09-01", "2026-12-31"), cn, actsOn=simple_outputs[-1])
    act("fan-copy", "Reproduction", users[5], b.day("2022-01-01", "2026-12-31"), cn, actsOn=famous,
        isCommercial=_bool(True))
    act("fan-adaptation", "Adaptation", users[6], b.day("2022-01-01", "2026-12-31"), cn, actsOn=famous)
    act("merchandise", "CommercialManufacture", merch, b.day("2022-01-01", "2026-12-31"), cn, actsOn=famous,
        isCommercial=_bool(True))
    act("nc-reuse", "Reproduction", users[2], b.day("2022-01-01", "2026-12-31"), cn, actsOn=works[1],
        underLicence=f"<{licensed[works[1]]}>", isCommercial=_bool(True), sourceAttributed=_bool(True))
    act("attributed-reuse", "Reproduction", users[3], b.day("2022-01-01", "2026-12-31"), cn, actsOn=works[2],
        underLicence=f"<{licensed[works[2]]}>", isCommercial=_bool(False), sourceAttributed=_bool(True))
    act("archive-copy", "Reproduction", research, b.day("2022-01-01", "2026-12-31"), jur(3), actsOn=famous,
        purpose=_rg("ScientificResearch"), isCommercial=_bool(False))
    act("work-copy", "Reproduction", developer, b.day("2022-01-01", "2026-12-31"), jur(1), actsOn=works[0],
        isCommercial=_bool(True))
    return b.lines


def generation_event(block: int, number: int, seed: int = 0) -> list[str]:
    """N-Triples of one more generation event in an existing block: a user of the block designs a
    prompt, a negative prompt and parameters, iterates with its LoRA, keeps a record and claims the
    output. The benchmark adds it to a reasoned graph to time incremental reasoning."""
    b = _Block(block, seed)
    b.rng = random.Random(f"{seed}:{block}:extra:{number}")
    t, a, I, name = b.t, b.a, b.iri, f"extra-{number}"
    gen, out, when = I(f"{name}-generation"), I(f"{name}-output"), b.day("2025-01-01", "2026-06-30")
    user = I("user-1")
    a(gen, "Generation")
    t(gen, _rg("performedBy"), user)
    t(gen, _rg("usedModel"), I("lora"))
    for suffix, cls, terms in (("prompt", "Prompt", 24), ("negative-prompt", "NegativePrompt", 8)):
        prompt = I(f"{name}-{suffix}")
        a(prompt, cls)
        t(prompt, _rg("text"), _str(b.words(terms)))
        t(prompt, _rg("termCount"), _int(terms))
        t(gen, _rg("prompt"), prompt)
    for pi in range(3):
        ps = I(f"{name}-parameter-{pi}")
        a(ps, "ParameterSetting")
        t(gen, _rg("parameterSetting"), ps)
        t(ps, _rg("parameterName"), _str(PARAMETERS[pi][0]))
        t(ps, _rg("parameterValue"), _str(PARAMETERS[pi][1]))
    t(gen, _rg("iterationCount"), _int(4))
    t(gen, _rg("generationDate"), _date(when))
    record = I(f"{name}-record")
    a(record, "ContemporaneousRecord")
    t(gen, _rg("evidencedBy"), record)
    t(record, _rg("recordDate"), _date(when))
    a(out, "AIGeneratedOutput")
    t(out, _rg("generatedBy"), gen)
    t(out, _rg("category"), _rg("FineArt"))
    t(out, _rg("creationDate"), _date(when))
    t(out, _rg("claimedAuthor"), user)
    return b.lines


def generate(triples: int, seed: int = 0) -> Iterator[str]:
    """N-Triples lines (each ending in a newline), about ``triples`` of them: whole blocks, stopping at
    the block boundary nearest the target. Deterministic for a seed."""
    count, k = 0, 0
    while count < triples:
        lines = _block(k, seed)
        if count and count + len(lines) - triples > triples - count:
            break
        count += len(lines)
        k += 1
        yield from lines


def write(path: str | Path | IO[str], triples: int, seed: int = 0) -> int:
    """Write the graph as N-Triples to a path (or an open text file); returns the number of triples."""
    count = 0
    if hasattr(path, "write"):
        for line in generate(triples, seed):
            path.write(line)  # type: ignore[union-attr]
            count += 1
        return count
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        for line in generate(triples, seed):
            out.write(line)
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rightsgraph.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=10_000, help="about how many triples (default 10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", default="-", help="N-Triples file to write (default: standard output)")
    args = parser.parse_args(argv)
    count = write(sys.stdout if args.output == "-" else args.output, args.triples, args.seed)
    print(f"wrote {count} triples", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
