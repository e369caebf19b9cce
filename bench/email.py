"""The email benchmark (issue 3, "Speed, in a benchmark"): `python -m bench.email [--messages N]`.

On a generated corpus (`bench.corpus`: 2,000 school emails, 15% with attachments, a 2,000-pupil
roster) it measures, on one core and in one run:

1. detection: `find_identifiers` on each message's text (subject, body and attachment text, extracted
   once up front with the engine's own reader so that both sides get the same texts), against
   Microsoft Presidio's pattern recognizers (credit card, UK NHS, UK NINO, email, phone) on the same
   texts; texts/s, MB/s, the ratio, and the recall of each on the identifiers the generator planted;
2. roster overhead: the detection each text gets in the email guard (`find_identifiers`, then
   `find_names_and_terms` with the wells pack's lexicons), with the 2,000-pupil roster against no
   roster (the directory's staff names are looked for either way); and, for reference, `find_names`
   against `find_identifiers` alone;
3. the full path: `read_message` + `check_email` with the wells pack, the roster and the directory,
   messages/s and MB/s, for messages without attachments and with.

Each number is the best of `--runs` timed passes (3) after a warm-up pass, timed with
`time.perf_counter`; a pass is timed a tenth of the corpus at a time and the best of each tenth is
kept, so that a burst of load from another process spoils a tenth of a pass, not the measure. The
process is pinned to one CPU. Nothing touches the network: the benchmark
refuses every socket connection, Presidio is given a blank spaCy pipeline saved under bench/.cache/,
and tldextract is told not to fetch the public suffix list. MB means 10^6 bytes (of UTF-8 text for
detection, of raw message bytes for the full path).

The Presidio baseline, two ways (both restricted to the five recognizers, neither runs NER):

- "analyzer": `AnalyzerEngine.analyze(text, language="en", entities=[...5...])` with a registry of
  exactly those five recognizers and the blank spaCy pipeline, as the issue sets it up. This is
  Presidio as an application calls it: spaCy tokenisation, the recognizers, context-word
  enhancement and de-duplication. The issue's targets are measured against this one.
- "recognizers": each recognizer's own `analyze(text, entities, None)`: the pattern and validation
  work alone, Presidio at its cheapest. Shown too, so the ratio is never flattered by Presidio's
  fixed overhead.

The engine and both Presidio measures are interleaved a tenth of the texts at a time, so that both
sides of the ratio see the same state of the machine.

Presidio is an optional extra (`pip install -e '.[bench]'`); without it the engine numbers are
still printed.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import itertools
import logging
import os
import platform
import pstats
import re
import socket
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TypeVar

from aupguard.engine.detectors.identifiers import (
    CARD_NUMBER,
    NHS_NUMBER,
    NI_NUMBER,
    UK_MOBILE,
    UPN,
    find_identifiers,
)
from aupguard.engine.detectors.names import build_name_index, find_names
from aupguard.process import quiet_gc
from bench import corpus as generator

ROOT = Path(__file__).resolve().parent.parent
CACHE = generator.CACHE_DIR

#: The issue's targets.
TARGET_RATIO = 50.0  # detection throughput, engine / Presidio
TARGET_ROSTER_OVERHEAD = 0.10  # detection (and check_email) with 2,000 pupils, over no roster
TARGET_MESSAGES_PER_SECOND = 1000.0  # read_message + check_email, messages without attachments

PRESIDIO_ENTITIES = ("CREDIT_CARD", "UK_NHS", "UK_NINO", "EMAIL_ADDRESS", "PHONE_NUMBER")
_PRESIDIO_KIND = {
    "CREDIT_CARD": CARD_NUMBER,
    "UK_NHS": NHS_NUMBER,
    "UK_NINO": NI_NUMBER,
    "PHONE_NUMBER": UK_MOBILE,
    "EMAIL_ADDRESS": generator.EMAIL,
}
# Presidio's warm-up: its first calls compile the patterns and load phone metadata and the suffix
# list; after that its cost per text is flat, so a full warm-up pass (a minute) would change nothing.
PRESIDIO_WARMUP_TEXTS = 200

_MB = 1e6
CHUNKS = 10  # each timed pass is measured a tenth of the items at a time (see best_of)

#: The clock of every timed pass: wall time by default; `--clock cpu` times this process's CPU time
#: instead (time.process_time), which a busy shared machine disturbs far less (time spent waiting for
#: the CPU is not counted) but which also leaves out any time the engine spends waiting.
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
clock: Callable[[], float] = time.perf_counter

T = TypeVar("T")
R = TypeVar("R")


# --- the machine ---------------------------------------------------------------------------------


def forbid_network() -> None:
    """Make every outbound connection fail loudly: the benchmark must run offline."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("bench.email: network access attempted (the benchmark must run offline)")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign,assignment]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def pin_to_one_core() -> str:
    """Pin this process to one CPU (Linux); say which."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


# --- timing --------------------------------------------------------------------------------------


def chunks(items: Sequence[T], count: int = CHUNKS) -> list[Sequence[T]]:
    """`items` cut into `count` contiguous slices of (nearly) equal length."""
    count = max(1, min(count, len(items)))
    edges = [round(k * len(items) / count) for k in range(count + 1)]
    return [items[a:b] for a, b in itertools.pairwise(edges)]


def best_of(
    run: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    runs: int,
    warmup: Sequence[T] | None = None,
) -> tuple[float, list[R]]:
    """(seconds, results): `run` over every item, the best of `runs` timed passes after a warm-up.

    Each pass is timed a tenth of the items at a time and the best time of each tenth is kept, so
    that a burst of load from another process spoils one tenth of one pass, not a whole pass. The
    results are those of the first timed pass.
    """
    run(items if warmup is None else warmup)
    parts = chunks(items)
    best = [float("inf")] * len(parts)
    results: list[R] = []
    for n in range(runs):
        for k, part in enumerate(parts):
            gc.collect()
            start = clock()
            out = run(part)
            best[k] = min(best[k], clock() - start)
            if n == 0:
                results.extend(out)
    return sum(best), results


def interleaved(
    passes: dict[str, Callable[[Sequence[T]], object]], items: Sequence[T], runs: int
) -> dict[str, float]:
    """Seconds of each pass over `items`, the passes interleaved a tenth of the items at a time so
    that every pass compared sees the same state of the machine; per tenth, the best of `runs`."""
    for run in passes.values():
        run(items)  # the warm-up
    parts = chunks(items)
    best = {key: [float("inf")] * len(parts) for key in passes}
    for _ in range(runs):
        for k, part in enumerate(parts):
            for key, run in passes.items():
                gc.collect()
                start = clock()
                run(part)
                best[key][k] = min(best[key][k], clock() - start)
    return {key: sum(times) for key, times in best.items()}


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "-"


# --- the texts and their ground truth --------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_NOT_DIGIT = re.compile(r"\D")


def _compact(s: str) -> str:
    return _NOT_ALNUM.sub("", s).upper()


def normalise(kind: str, written: str) -> str:
    """What a span is, whichever way it is written: digits, capitals, a national mobile number."""
    if kind == UK_MOBILE:
        digits = _NOT_DIGIT.sub("", written)
        if digits.startswith("0044"):
            digits = digits[4:]
        elif digits.startswith("44"):
            digits = digits[2:]
        return digits if digits.startswith("0") else "0" + digits
    if kind == generator.EMAIL:
        return written.lower()
    return _compact(written)


@dataclass
class Texts:
    source: str
    texts: list[str]
    truth: list[dict[str, set[str]]]  # per text: kind -> planted values present in the text
    decoys: list[dict[str, set[str]]]  # per text: decoy kind -> values
    pupils: list[set[str]]  # per text: UPNs of the pupils named in full
    missing: Counter[str] = field(default_factory=Counter)  # planted, but not in the extracted text

    @property
    def bytes(self) -> int:
        return sum(len(t.encode("utf-8")) for t in self.texts)


def extract_texts(corpus: generator.Corpus, read: Callable[[bytes], Any] | None) -> Texts:
    """One text per message (subject, body, attachment texts), with what was planted in it."""
    texts: list[str] = []
    for m in corpus.messages:
        if read is not None:
            parsed = read(m.raw)
            pieces = [parsed.subject, parsed.body, *(a.text for a in parsed.attachments if a.text)]
        else:
            pieces = [p.text for p in m.parts]
        texts.append("\n\n".join(pieces))
    source = "extracted by aupguard.engine.mail.read_message" if read else "the generator's own texts"
    out = Texts(source, texts, [], [], [])
    kinds = (*generator.IDENTIFIER_KINDS, generator.EMAIL)
    for m, text in zip(corpus.messages, texts, strict=True):
        compact = _compact(text)
        truth: dict[str, set[str]] = {k: set() for k in kinds}
        decoys: dict[str, set[str]] = {generator.DECOY_CARD: set(), generator.DECOY_NHS: set()}
        for p in m.planted:
            if p.kind in decoys:
                decoys[p.kind].add(p.value)
            elif p.kind in truth:
                if p.written in text or (p.kind != generator.EMAIL and _compact(p.written) in compact):
                    truth[p.kind].add(p.value if p.kind != generator.EMAIL else p.value.lower())
                else:
                    out.missing[p.kind] += 1
        out.truth.append(truth)
        out.decoys.append(decoys)
        out.pupils.append({p.value for p in m.planted if p.kind == generator.PUPIL_NAME})
    return out


@dataclass
class Recall:
    planted: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    extra: Counter[str] = field(default_factory=Counter)  # reported, not planted (decoys excluded)
    decoys: Counter[str] = field(default_factory=Counter)  # decoys reported as identifiers


def score(texts: Texts, found: Sequence[dict[str, set[str]]]) -> Recall:
    r = Recall()
    for truth, decoys, got in zip(texts.truth, texts.decoys, found, strict=True):
        for kind, planted in truth.items():
            values = got.get(kind, set())
            r.planted[kind] += len(planted)
            r.found[kind] += len(planted & values)
            decoy = decoys[generator.DECOY_CARD] if kind == CARD_NUMBER else set()
            if kind == NHS_NUMBER:
                decoy = decoys[generator.DECOY_NHS]
            r.decoys[kind] += len(values & decoy)
            r.extra[kind] += len(values - planted - decoy)
    return r


def engine_found(texts: Sequence[str], results: Sequence[Sequence[Any]]) -> list[dict[str, set[str]]]:
    out = []
    for text, matches in zip(texts, results, strict=True):
        got: dict[str, set[str]] = {}
        for m in matches:
            got.setdefault(m.kind, set()).add(normalise(m.kind, text[m.start : m.end]))
        out.append(got)
    return out


def presidio_found(texts: Sequence[str], results: Sequence[Sequence[Any]]) -> list[dict[str, set[str]]]:
    out = []
    for text, matches in zip(texts, results, strict=True):
        got: dict[str, set[str]] = {}
        for r in matches:
            kind = _PRESIDIO_KIND.get(r.entity_type)
            if kind is not None:
                got.setdefault(kind, set()).add(normalise(kind, text[r.start : r.end]))
        out.append(got)
    return out


# --- Presidio ------------------------------------------------------------------------------------


@dataclass
class Presidio:
    analyzer: Any
    recognizers: list[Any]
    versions: str


def load_presidio() -> Presidio | str:
    """Presidio offline with a blank spaCy pipeline, or why it cannot be loaded."""
    # Before presidio (and so tldextract) is imported: never fetch the public suffix list, and keep
    # tldextract's cache of its bundled list under bench/.cache/ rather than in the home folder.
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    os.environ.setdefault("TLDEXTRACT_CACHE", str(CACHE / "tldextract"))
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    try:
        import spacy  # noqa: PLC0415  (optional: the bench extra)
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry  # noqa: PLC0415
        from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: PLC0415
        from presidio_analyzer.predefined_recognizers import (  # noqa: PLC0415
            CreditCardRecognizer,
            EmailRecognizer,
            NhsRecognizer,
            PhoneRecognizer,
            UkNinoRecognizer,
        )
    except ImportError as exc:
        return f"presidio-analyzer and spacy are not importable ({exc})"
    for name in ("presidio-analyzer", "presidio_analyzer"):
        logging.getLogger(name).setLevel(logging.ERROR)

    blank = CACHE / f"spacy-blank-en-{spacy.__version__}"
    if not (blank / "meta.json").is_file():
        blank.parent.mkdir(parents=True, exist_ok=True)
        spacy.blank("en").to_disk(blank)
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": str(blank)}],
        }
    )
    # UK_NINO is disabled in Presidio's default registry: this registry holds exactly the five.
    recognizers = [
        CreditCardRecognizer(),
        NhsRecognizer(),
        UkNinoRecognizer(),
        EmailRecognizer(),
        PhoneRecognizer(),
    ]
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in recognizers:
        registry.add_recognizer(recognizer)
    analyzer = AnalyzerEngine(
        registry=registry, nlp_engine=provider.create_engine(), supported_languages=["en"]
    )
    versions = ", ".join(
        f"{p} {package_version(p)}"
        for p in ("presidio-analyzer", "spacy", "phonenumbers", "tldextract", "regex")
    )
    return Presidio(analyzer, recognizers, versions)


# --- the report ----------------------------------------------------------------------------------


def heading(title: str) -> None:
    print(f"\n{title}\n{'-' * len(title)}")


def table(rows: Sequence[Sequence[str]], right: int = 1) -> None:
    """Columns padded to their widest cell; the first `right`.. columns right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [
            c.ljust(w) if i < right else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  " + "  ".join(cells).rstrip())
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"


@dataclass
class Verdicts:
    results: list[tuple[str, str, bool]] = field(default_factory=list)  # (target, measured, met)

    def add(self, target: str, measured: str, met: bool) -> None:
        self.results.append((target, measured, met))


def detection(texts: Texts, presidio: Presidio | str, runs: int, verdicts: Verdicts) -> float:
    """Engine against Presidio on the same texts; returns the engine's seconds for all texts."""
    heading("1. Detection: the same texts through find_identifiers and through Presidio")
    n, size = len(texts.texts), texts.bytes
    print(f"  {n:,} texts ({texts.source}), {size / _MB:.2f} MB, {size / n / 1000:.1f} KB on average")

    def engine(batch: Sequence[str]) -> list[list[Any]]:
        return [find_identifiers(t) for t in batch]

    presidio_recall: Recall | None = None
    breakdown: list[list[str]] = []
    if isinstance(presidio, str):
        engine_s, engine_results = best_of(engine, texts.texts, runs)
        rows = [["detector", "texts/s", "MB/s", "engine is x times faster"]]
        rows.append(["aupguard find_identifiers", rate(n, engine_s), f"{size / _MB / engine_s:.2f}", ""])
        engine_recall = score(texts, engine_found(texts.texts, engine_results))
        table(rows)
        print(f"\n  Presidio baseline skipped: {presidio}.")
        print("  Install it with:  pip install -e '.[bench]'   (presidio-analyzer and spacy, offline)")
    else:
        entities = list(PRESIDIO_ENTITIES)
        analyzer = presidio.analyzer

        def analyze(batch: Sequence[str]) -> list[Any]:
            return [analyzer.analyze(text=t, language="en", entities=entities) for t in batch]

        # Each recognizer's own analyze(), timed apart so that the split shows where Presidio's time goes.
        def direct(r: Any) -> Callable[[Sequence[str]], list[Any]]:
            def run(batch: Sequence[str]) -> list[Any]:
                for t in batch:
                    r.analyze(t, r.supported_entities, None)
                return []

            return run

        measures = {"engine": engine, "analyzer": analyze}
        measures.update({type(r).__name__: direct(r) for r in presidio.recognizers})
        # Interleaved tenth by tenth (engine, then Presidio both ways, on the same tenth), so that both
        # sides see the same state of the machine; per tenth, the best of the runs.
        warm = texts.texts[:PRESIDIO_WARMUP_TEXTS]
        engine(texts.texts)
        for key, run in measures.items():
            if key != "engine":
                run(warm)
        parts = chunks(texts.texts)
        best = {key: [float("inf")] * len(parts) for key in measures}
        results: dict[str, list[Any]] = {"engine": [], "analyzer": []}
        for i in range(runs):
            for k, part in enumerate(parts):
                for key, run in measures.items():
                    gc.collect()
                    start = clock()
                    out = run(part)
                    best[key][k] = min(best[key][k], clock() - start)
                    if i == 0 and key in results:
                        results[key].extend(out)
        split = {key: sum(times) for key, times in best.items()}
        engine_s, analyzer_s = split.pop("engine"), split.pop("analyzer")
        recognizers_s = sum(split.values())
        engine_recall = score(texts, engine_found(texts.texts, results["engine"]))
        analyzer_results = results["analyzer"]
        rows = [["detector", "texts/s", "MB/s", "engine is x times faster"]]
        rows.append(["aupguard find_identifiers", rate(n, engine_s), f"{size / _MB / engine_s:.2f}", ""])
        for label, seconds in (
            ("Presidio AnalyzerEngine, 5 entities (baseline)", analyzer_s),
            ("Presidio's 5 recognizers called directly", recognizers_s),
        ):
            rows.append(
                [label, rate(n, seconds), f"{size / _MB / seconds:.2f}", f"{seconds / engine_s:.1f}x"]
            )
        table(rows)
        breakdown = [["Presidio recognizer (called directly)", "texts/s", "share of its time"]]
        for name, seconds in sorted(split.items(), key=lambda kv: -kv[1]):
            breakdown.append([name, rate(n, seconds), f"{100 * seconds / recognizers_s:.0f}%"])
        print()
        table(breakdown)
        presidio_recall = score(texts, presidio_found(texts.texts, analyzer_results))
        ratio = analyzer_s / engine_s
        verdicts.add(
            f"detection >= {TARGET_RATIO:.0f}x Presidio (AnalyzerEngine)",
            f"{ratio:.1f}x",
            ratio >= TARGET_RATIO,
        )
        direct = recognizers_s / engine_s
        verdicts.add(
            f"  (stricter: >= {TARGET_RATIO:.0f}x Presidio's recognizers called directly)",
            f"{direct:.1f}x",
            direct >= TARGET_RATIO,
        )

    print("\n  Recall on the identifiers planted in the texts (each distinct value once per text):")
    labels = {
        CARD_NUMBER: "card number (Luhn, issuer prefix)",
        NHS_NUMBER: "NHS number (mod 11)",
        NI_NUMBER: "National Insurance number",
        UK_MOBILE: "UK mobile (Presidio: any phone)",
        UPN: "UPN (check letter)",
        generator.EMAIL: "email address",
    }
    rows = [["identifier", "planted", "engine found", "Presidio found", "engine extra", "Presidio extra"]]
    engine_kinds = {CARD_NUMBER, NHS_NUMBER, NI_NUMBER, UK_MOBILE, UPN}
    presidio_kinds = {CARD_NUMBER, NHS_NUMBER, NI_NUMBER, UK_MOBILE, generator.EMAIL}
    for kind, label in labels.items():
        planted = engine_recall.planted[kind]
        e = pct(engine_recall.found[kind], planted) if kind in engine_kinds else "not a detector"
        ee = str(engine_recall.extra[kind]) if kind in engine_kinds else ""
        if presidio_recall is None:
            p, pe = "skipped", ""
        elif kind in presidio_kinds:
            p = pct(presidio_recall.found[kind], planted)
            pe = str(presidio_recall.extra[kind])
            if kind == UK_MOBILE:  # landlines and the like: phone numbers, but not planted mobiles
                pe += " other phone numbers"
        else:
            p, pe = "not a detector", ""
        rows.append([label, str(planted), e, p, ee, pe])
    table(rows)
    decoy_engine = engine_recall.decoys[CARD_NUMBER], engine_recall.decoys[NHS_NUMBER]
    decoy_count = (
        sum(len(d[generator.DECOY_CARD]) for d in texts.decoys),
        sum(len(d[generator.DECOY_NHS]) for d in texts.decoys),
    )
    line = (
        f"  Decoys reported as identifiers: 16-digit order numbers failing Luhn {decoy_engine[0]} of "
        f"{decoy_count[0]} by the engine"
    )
    if presidio_recall is not None:
        line += f", {presidio_recall.decoys[CARD_NUMBER]} by Presidio"
    line += f"; 10-digit references failing mod 11 {decoy_engine[1]} of {decoy_count[1]} by the engine"
    if presidio_recall is not None:
        line += f", {presidio_recall.decoys[NHS_NUMBER]} by Presidio"
    print(line + ".")
    if texts.missing:
        lost = ", ".join(f"{k} {v}" for k, v in sorted(texts.missing.items()))
        print(f"  Planted but not in the extracted text (so not counted): {lost}.")
    if presidio_recall is not None:
        both = (CARD_NUMBER, NHS_NUMBER, NI_NUMBER, UK_MOBILE)
        worse = [k for k in both if engine_recall.found[k] < presidio_recall.found[k]]
        verdicts.add(
            "recall >= Presidio's on cards, NHS, NI numbers and mobiles",
            "yes" if not worse else "lower on " + ", ".join(worse),
            not worse,
        )
    return engine_s


def roster_overhead(corpus: generator.Corpus, texts: Texts, runs: int, verdicts: Verdicts) -> None:
    heading("2. Roster overhead: the email guard's detection with the 2,000-pupil roster against no roster")
    from aupguard.engine.compiled import compile_pack  # noqa: PLC0415
    from aupguard.engine.detectors.words import find_names_and_terms, word_index  # noqa: PLC0415
    from aupguard.engine.packs import load_pack  # noqa: PLC0415

    start = time.perf_counter()
    index = build_name_index(corpus.roster.pupils, corpus.directory.staff)
    built = time.perf_counter() - start
    staff_only = build_name_index((), corpus.directory.staff)
    lexicons = compile_pack(load_pack(ROOT / "packs" / "wells.yaml")).lexicons
    with_roster, no_roster = word_index(index, lexicons), word_index(staff_only, lexicons)
    quiet_gc()  # as the relay does once its guard is loaded
    print(
        f"  name index: {index.pupils:,} pupils, {index.staff} staff, {index.keys:,} keys, "
        f"built in {built * 1000:.0f} ms; without the roster: {staff_only.keys:,} keys (the staff)"
    )
    items = texts.texts

    def detection(words: Any) -> Callable[[Sequence[str]], None]:
        def run(batch: Sequence[str]) -> None:
            for t in batch:
                find_identifiers(t)
                find_names_and_terms(words, t)

        return run

    def ids(batch: Sequence[str]) -> None:
        for t in batch:
            find_identifiers(t)

    def ids_and_names(batch: Sequence[str]) -> None:
        for t in batch:
            find_identifiers(t)
            find_names(index, t)

    def names(batch: Sequence[str]) -> None:
        for t in batch:
            find_names(index, t)

    found = [find_names(index, t) for t in items]
    # The two passes compared are interleaved with each other only: the reference passes walk other
    # automata, whose tables would take the cache from theirs between tenths, which no guard does.
    best_s = interleaved({"roster": detection(with_roster), "no roster": detection(no_roster)}, items, runs)
    best_s.update(interleaved({"ids": ids, "ids+names": ids_and_names, "names": names}, items, runs))
    n, size = len(items), texts.bytes
    overhead = (best_s["roster"] - best_s["no roster"]) / best_s["no roster"]
    against_ids = (best_s["ids+names"] - best_s["ids"]) / best_s["ids"]
    table(
        [
            ["pass", "texts/s", "MB/s", "us per text"],
            *(
                [
                    label,
                    rate(n, best_s[key]),
                    f"{size / _MB / best_s[key]:.2f}",
                    f"{best_s[key] / n * 1e6:.0f}",
                ]
                for label, key in (
                    ("detection, no roster (directory's staff kept)", "no roster"),
                    ("detection, 2,000-pupil roster", "roster"),
                    ("find_identifiers alone", "ids"),
                    ("find_identifiers + find_names", "ids+names"),
                    ("find_names alone (roster and staff)", "names"),
                )
            ),
        ]
    )
    print(
        f"\n  roster overhead: {100 * overhead:+.1f}% over no roster (detection: find_identifiers, then "
        "the names and the pack's lexicons in one walk, find_names_and_terms, as check_email runs them on "
        "every part)"
    )
    print(f"  for reference, find_names against find_identifiers alone: {100 * against_ids:+.1f}%")
    planted = found_count = extra = 0
    for keys, matches in zip(texts.pupils, found, strict=True):
        got = {m.key for m in matches if m.kind == "pupil"}
        planted += len(keys)
        found_count += len(keys & got)
        extra += len(got - keys)
    print(
        f"  pupil names planted in full and found: {pct(found_count, planted)}; "
        f"other pupils' names found: {extra} (pupils sharing the planted pupil's name, or text that "
        "happens to read as a name)"
    )
    verdicts.add(
        f"roster adds < {100 * TARGET_ROSTER_OVERHEAD:.0f}% over no roster (detection)",
        f"{100 * overhead:+.1f}%",
        overhead < TARGET_ROSTER_OVERHEAD,
    )


@dataclass
class FullPath:
    """The engine's full path, imported and set up when the benchmark starts."""

    read: Callable[[bytes], Any]
    check: Callable[[Any], Any]
    setup: str
    # check_email with the same pack and directory but no roster (the roster overhead's baseline)
    check_without_roster: Callable[[Any], Any]


def load_full_path(corpus: generator.Corpus) -> FullPath | str:
    """read_message and check_email with the wells pack, roster and directory; or why not."""
    try:
        from aupguard.engine.checks.context import CheckContext, People  # noqa: PLC0415
        from aupguard.engine.checks.email import check_email  # noqa: PLC0415
        from aupguard.engine.compiled import compile_pack  # noqa: PLC0415
        from aupguard.engine.mail import read_message  # noqa: PLC0415
        from aupguard.engine.packs import load_pack  # noqa: PLC0415

        start = time.perf_counter()
        pack = compile_pack(load_pack(ROOT / "packs" / "wells.yaml"))
        compiled_s = time.perf_counter() - start
    except Exception as exc:  # the engine is a work in progress: say what is missing, go on
        return f"{type(exc).__name__}: {exc}"
    start = time.perf_counter()
    people = People(corpus.roster, corpus.directory)
    people.names  # noqa: B018 (built when first read: here, in the set-up it is timed with)
    people_s = time.perf_counter() - start
    ctx = CheckContext(at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), people=people)
    limits = getattr(pack, "mail_limits", None)

    def read(raw: bytes) -> Any:
        return read_message(raw) if limits is None else read_message(raw, limits)

    def check(parsed: Any) -> Any:
        return check_email(pack, ctx, parsed)

    no_roster = CheckContext(at=ctx.at, people=People(None, corpus.directory))

    def check_without_roster(parsed: Any) -> Any:
        return check_email(pack, no_roster, parsed)

    setup = (
        f"set-up (once per guard): compile_pack(wells) {compiled_s * 1000:.0f} ms, "
        f"People (roster, directory, name index) {people_s * 1000:.0f} ms"
    )
    return FullPath(read, check, setup, check_without_roster)


def full_path(
    corpus: generator.Corpus, engine: FullPath | str, runs: int, verdicts: Verdicts, profile: bool
) -> None:
    heading("3. Full path on one core: read_message + check_email (wells pack, roster, directory)")
    if isinstance(engine, str):
        print(f"  skipped: the full path could not be set up ({engine})")
        verdicts.add(
            f"full path >= {TARGET_MESSAGES_PER_SECOND:,.0f} messages/s without attachments", "-", False
        )
        return
    print(f"  {engine.setup}")
    read, check = engine.read, engine.check
    groups = {
        "without attachments": [m.raw for m in corpus.messages if not m.has_attachments],
        "with attachments": [m.raw for m in corpus.messages if m.has_attachments],
        "all messages": [m.raw for m in corpus.messages],
    }
    rows = [["messages", "count", "MB", "messages/s", "MB/s", "ms per message"]]
    verdict_counts: Counter[str] = Counter()
    checks: Counter[str] = Counter()
    measured: dict[str, float] = {}
    for label, raws in groups.items():
        if not raws:
            continue

        def run(batch: Sequence[bytes]) -> list[Any]:
            return [check(read(raw)) for raw in batch]

        seconds, decisions = best_of(run, raws, runs)
        if label == "all messages":
            for d in decisions:
                verdict_counts[d.verdict] += 1
                checks.update(f.check for f in d.findings)
        size = sum(map(len, raws))
        measured[label] = len(raws) / seconds
        rows.append(
            [
                label,
                f"{len(raws):,}",
                f"{size / _MB:.1f}",
                rate(len(raws), seconds),
                f"{size / _MB / seconds:.2f}",
                f"{seconds / len(raws) * 1000:.2f}",
            ]
        )
    # Where the time goes, for messages without attachments: reading, then checking.
    plain = groups["without attachments"]
    if plain:
        size = sum(map(len, plain))
        read_s, parsed = best_of(lambda batch: [read(raw) for raw in batch], plain, runs)
        check_s, _ = best_of(lambda batch: [check(p) for p in batch], parsed, runs)
        for label, seconds in (("  read_message only", read_s), ("  check_email only", check_s)):
            rows.insert(
                2 if label.endswith("read_message only") else 3,
                [
                    label,
                    f"{len(plain):,}",
                    f"{size / _MB:.1f}",
                    rate(len(plain), seconds),
                    f"{size / _MB / seconds:.2f}",
                    f"{seconds / len(plain) * 1000:.2f}",
                ],
            )
    table(rows)
    if plain:
        # The roster's cost on the whole path: the same messages checked with the 2,000-pupil roster
        # and with no roster (the directory kept), interleaved.
        without = engine.check_without_roster

        def with_roster(batch: Sequence[bytes]) -> None:
            for raw in batch:
                check(read(raw))

        def no_roster(batch: Sequence[bytes]) -> None:
            for raw in batch:
                without(read(raw))

        both = interleaved({"roster": with_roster, "none": no_roster}, plain, runs)
        full_overhead = (both["roster"] - both["none"]) / both["none"]
        print(
            f"\n  roster on the full path (messages without attachments): {rate(len(plain), both['roster'])} "
            f"messages/s with the 2,000-pupil roster, {rate(len(plain), both['none'])} with no roster "
            f"(directory kept): {100 * full_overhead:+.1f}%"
        )
        verdicts.add(
            f"  (full path: roster adds < {100 * TARGET_ROSTER_OVERHEAD:.0f}% to check email)",
            f"{100 * full_overhead:+.1f}%",
            full_overhead < TARGET_ROSTER_OVERHEAD,
        )
    shown = ", ".join(f"{v} {c}" for v, c in verdict_counts.most_common())
    print(f"\n  verdicts (a sanity check, not a measure of accuracy): {shown}")
    print("  findings: " + ", ".join(f"{c} {n}" for c, n in checks.most_common()))
    without = measured.get("without attachments", 0.0)
    verdicts.add(
        f"full path >= {TARGET_MESSAGES_PER_SECOND:,.0f} messages/s without attachments",
        f"{without:,.0f}/s",
        without >= TARGET_MESSAGES_PER_SECOND,
    )
    if profile:
        raws = groups["without attachments"]
        profiler = cProfile.Profile()
        profiler.enable()
        for raw in raws:
            check(read(raw))
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(20)
        heading("Profile of the full path, messages without attachments (by own time)")
        print("\n".join(line for line in out.getvalue().splitlines()[4:] if line.strip()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.email", description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages in the corpus (default 2000)")
    parser.add_argument("--pupils", type=int, default=2000, help="pupils in the roster (default 2000)")
    parser.add_argument("--seed", type=int, default=generator.SEED, help="the corpus's seed")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each measure; the best is kept")
    parser.add_argument("--no-presidio", action="store_true", help="skip the Presidio baseline")
    parser.add_argument("--no-cache", action="store_true", help="generate the corpus in memory only")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    parser.add_argument("--profile", action="store_true", help="profile the full path after timing it")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="time passes by wall time (default) or by this process's CPU time (steadier on a busy machine)",
    )
    args = parser.parse_args(argv)
    if args.messages < 1 or args.runs < 1 or args.pupils < 1:
        parser.error("--messages, --pupils and --runs must be positive")

    global clock  # noqa: PLW0603 (one setting for every timed pass of the run)
    clock = CLOCKS[args.clock]
    forbid_network()
    pinned = "not pinned" if args.no_pin else pin_to_one_core()
    print("aupguard email benchmark (issue 3)")
    print(
        f"  {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {cpu_model()}, {os.cpu_count()} cores, {pinned}, "
        f"{args.clock} clock; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"Python {platform.python_version()}; pyahocorasick {package_version('pyahocorasick')}"
    )

    start = time.perf_counter()
    corpus, where = generator.cached(args.messages, args.seed, args.pupils, use_cache=not args.no_cache)
    info = generator.summary(corpus)
    print(
        f"  corpus: {info['messages']:,} messages, {info['bytes'] / _MB:.1f} MB, "
        f"{info['with_attachments']} with attachments {info['attachments']}; bodies: median "
        f"{info['body_bytes_median'] / 1000:.1f} KB, {info['bodies_1_to_6_kb']} of 1-6 KB; "
        f"seed {args.seed} ({where}, {time.perf_counter() - start:.1f} s)"
    )
    planted = info["planted"]
    print(
        "  planted: "
        + ", ".join(f"{k} {v}" for k, v in planted.items())
        + f"; roster {info['pupils']:,} pupils, "
        f"directory {info['staff']} accounts"
    )

    presidio: Presidio | str = "--no-presidio given"
    if not args.no_presidio:
        start = time.perf_counter()
        presidio = load_presidio()
        if isinstance(presidio, Presidio):
            print(f"  Presidio: {presidio.versions}; loaded offline in {time.perf_counter() - start:.1f} s")

    engine = load_full_path(corpus)
    reader: Callable[[bytes], Any] | None = None
    if isinstance(engine, FullPath):
        reader = engine.read
    else:
        try:
            from aupguard.engine.mail import read_message as reader  # noqa: PLC0415
        except ImportError:
            reader = None
    texts = extract_texts(corpus, reader)
    # The collector as the relay sets it once its guard is loaded (`quiet_gc`): what the measures
    # keep (the pack, the name indexes, Presidio, the corpus) leaves its generations.
    quiet_gc()

    verdicts = Verdicts()
    detection(texts, presidio, args.runs, verdicts)
    roster_overhead(corpus, texts, args.runs, verdicts)
    full_path(corpus, engine, args.runs, verdicts, args.profile)

    heading("Targets (issue 3)")
    table(
        [["target", "measured", ""], *([t, m, "met" if ok else "NOT MET"] for t, m, ok in verdicts.results)]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
