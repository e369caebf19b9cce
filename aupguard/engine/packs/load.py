"""Load and validate a policy pack: every problem becomes one line naming file, line, clause and field.

Validation never stops at the first problem: a pack author fixes a file in one pass, not twenty.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aupguard.engine import catalogue
from aupguard.engine.packs.model import (
    AttestationUse,
    CheckUse,
    Clause,
    Dates,
    Pack,
    ParamValue,
    RegisterUse,
    Settings,
    Source,
    WorkflowUse,
    WorkingHours,
)
from aupguard.engine.packs.yamlsource import Path_, YamlProblem, read_yaml

FORMAT_VERSION = 1

_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
_CLAUSE_ID = re.compile(r"^[A-Z]{2,6}-[0-9]+(\.[0-9]+)*[a-z]?$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$")
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

DEFAULT_WEBMAIL = (
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "live.com",
    "live.co.uk",
    "msn.com",
    "yahoo.com",
    "yahoo.co.uk",
    "icloud.com",
    "me.com",
    "aol.com",
    "protonmail.com",
    "proton.me",
    "gmx.com",
)

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    clause: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.clause:
            parts.append(f"clause {self.clause}")
        if self.field:
            parts.append(self.field)
        return ": ".join(parts) + f": {self.message}"


class PackError(Exception):
    """A pack that cannot be used; `problems` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line))
        super().__init__("\n".join(str(p) for p in self.problems))


class _Missing:
    pass


_MISSING = _Missing()


def _expected_one_of(value: object, choices: Iterable[str], what: str) -> str:
    choices = list(choices)
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, choices, n=1)
        if close:
            hint = f"; did you mean '{close[0]}'?"
    if len(choices) <= 12:
        return f"unknown {what} {value!r} (expected one of: {', '.join(choices)}{hint})"
    return f"unknown {what} {value!r} (expected a {what} from the catalogue{hint})"


class _Validator:
    def __init__(self, file: str, lines: dict[Path_, int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []
        self.clause_id: str | None = None
        self.clause_path: Path_ = ()

    # -- reporting -------------------------------------------------------------------------

    def line_of(self, path: Path_) -> int:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 0)

    def field_name(self, path: Path_) -> str:
        rel = path[len(self.clause_path) :] if self.clause_id else path
        name = ""
        for part in rel:
            name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
        return name

    def problem(self, path: Path_, message: str) -> None:
        self.problems.append(
            Problem(self.file, self.line_of(path), self.clause_id, self.field_name(path), message)
        )

    # -- typed reads: each returns None (and records a problem) when the value is wrong ------

    def mapping(
        self, data: Any, path: Path_, allowed: Iterable[str], required: Iterable[str] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.problem(path, f"expected a mapping, got {_describe(data)}")
            return None
        allowed = list(allowed)
        for key in data:
            if key not in allowed:
                self.problem((*path, key), _expected_one_of(key, allowed, "field"))
        for key in required:
            if key not in data:
                self.problem(path, f"missing field '{key}'")
        return data

    def text(self, data: Mapping[str, Any], key: str, path: Path_, *, optional: bool = False) -> str | None:
        value = data.get(key, _MISSING)
        if value is _MISSING or (optional and value is None):
            return None  # a required field's absence is reported once, by mapping()
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            value = str(value).strip()
            if value:
                return value
        self.problem((*path, key), f"expected text, got {_describe(value)}")
        return None

    def integer(self, value: Any, path: Path_, *, minimum: int = 0) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return value
        self.problem(path, f"expected a whole number of at least {minimum}, got {_describe(value)}")
        return None

    def number(self, value: Any, path: Path_) -> float | None:
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
        self.problem(path, f"expected a positive number, got {_describe(value)}")
        return None

    def date(self, value: Any, path: Path_) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        self.problem(path, f"expected a date YYYY-MM-DD (or null), got {_describe(value)}")
        return None

    def choice(self, value: Any, path: Path_, choices: Iterable[str], what: str) -> str | None:
        choices = tuple(choices)
        if isinstance(value, str) and value in choices:
            return value
        self.problem(path, _expected_one_of(value, choices, what))
        return None

    def listing(self, value: Any, path: Path_, item: Callable[[Any, Path_], T | None]) -> tuple[T, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(path, f"expected a list, got {_describe(value)}")
            return ()
        out = []
        for index, element in enumerate(value):
            got = item(element, (*path, index))
            if got is not None:
                out.append(got)
        return tuple(out)

    def domain(self, value: Any, path: Path_) -> str | None:
        if isinstance(value, str) and _DOMAIN.match(value.strip().lower().rstrip(".")):
            return value.strip().lower().rstrip(".")
        self.problem(path, f"expected a domain name such as school.sch.uk, got {_describe(value)}")
        return None

    def word(self, value: Any, path: Path_) -> str | None:
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.problem(path, f"expected text, got {_describe(value)}")
        return None


def _describe(value: Any) -> str:
    if value is _MISSING:
        return "nothing"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


# ---------------------------------------------------------------------------------------------


_TOP_FIELDS = (
    "format_version",
    "id",
    "organisation",
    "title",
    "policy_version",
    "approved_by",
    "dates",
    "source",
    "roles",
    "settings",
    "clauses",
)
_REQUIRED_TOP = tuple(f for f in _TOP_FIELDS if f != "approved_by")
_CLAUSE_FIELDS = (
    "id",
    "section",
    "text",
    "applies_to",
    "mechanism",
    "checks",
    "workflow",
    "register",
    "attestation",
    "note",
)
_MECHANISM_FIELD = {
    "check": "checks",
    "workflow": "workflow",
    "register": "register",
    "attestation": "attestation",
}


def load_pack(path: str | Path) -> Pack:
    """Read, validate and freeze one pack file. Raises PackError listing every problem."""
    path = Path(path)
    file = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError([Problem(file, 0, None, "", "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise PackError([Problem(file, 0, None, "", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise PackError([Problem(file, 0, None, "", f"cannot read: {exc.strerror}")]) from None
    return parse_pack(raw, path)


def parse_pack(raw: str, path: Path) -> Pack:
    file = str(path)
    try:
        data, lines = read_yaml(raw)
    except YamlProblem as exc:
        raise PackError([Problem(file, exc.line, None, "", exc.message)]) from None

    v = _Validator(file, lines)
    top = v.mapping(data, (), _TOP_FIELDS, _REQUIRED_TOP)
    if top is None:
        raise PackError(v.problems)

    fv = top.get("format_version")
    if fv != FORMAT_VERSION and "format_version" in top:
        newer = isinstance(fv, int) and fv > FORMAT_VERSION
        v.problem(
            ("format_version",),
            f"this aupguard reads format_version {FORMAT_VERSION}"
            + (f"; {fv} is newer: upgrade aupguard" if newer else f", got {_describe(fv)}"),
        )

    pack_id = v.text(top, "id", ())
    if pack_id is not None and not _SLUG.match(pack_id):
        v.problem(("id",), f"expected a lower-case slug such as 'wells', got {pack_id!r}")
    elif pack_id is not None and path.suffix in (".yaml", ".yml") and path.stem != pack_id:
        v.problem(("id",), f"the id {pack_id!r} must equal the file name {path.stem!r}")

    organisation = v.text(top, "organisation", ())
    title = v.text(top, "title", ())
    policy_version = v.text(top, "policy_version", ())
    approved_by = v.text(top, "approved_by", (), optional=True)
    dates = _dates(v, top.get("dates"))
    source = _source(v, top.get("source"))
    roles = _roles(v, top.get("roles"))
    settings = _settings(v, top.get("settings", {}), roles, path.parent / LISTS_FOLDER)
    clauses = _clauses(v, top.get("clauses"), roles)

    if v.problems:
        raise PackError(v.problems)
    assert pack_id and organisation and title and policy_version and dates and source  # noqa: S101
    assert settings is not None  # noqa: S101
    return Pack(
        id=pack_id,
        format_version=FORMAT_VERSION,
        organisation=organisation,
        title=title,
        policy_version=policy_version,
        approved_by=approved_by,
        dates=dates,
        source=source,
        roles=MappingProxyType(roles),
        settings=settings,
        clauses=clauses,
        sha256=content_hash(top),
        path=path,
        document=MappingProxyType(top),
    )


def content_hash(document: Mapping[str, Any]) -> str:
    """sha256 of the parsed content: formatting and comments do not count, every value does."""
    canonical = json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_jsonable
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _jsonable(value: object) -> str:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


def _dates(v: _Validator, data: Any) -> Dates | None:
    path: Path_ = ("dates",)
    d = v.mapping(
        data, path, ("approved", "implemented", "review", "note"), ("approved", "implemented", "review")
    )
    if d is None:
        return None
    return Dates(
        approved=v.date(d.get("approved"), (*path, "approved")),
        implemented=v.date(d.get("implemented"), (*path, "implemented")),
        review=v.date(d.get("review"), (*path, "review")),
        note=v.text(d, "note", path, optional=True),
    )


def _source(v: _Validator, data: Any) -> Source | None:
    path: Path_ = ("source",)
    d = v.mapping(data, path, ("file", "sha256"), ("file", "sha256"))
    if d is None:
        return None
    file = v.text(d, "file", path)
    digest = v.text(d, "sha256", path)
    if digest is not None and not _SHA256.match(digest):
        v.problem((*path, "sha256"), "expected 64 lower-case hexadecimal characters")
        return None
    if file is None or digest is None:
        return None
    return Source(file, digest)


def _roles(v: _Validator, data: Any) -> dict[str, str]:
    path: Path_ = ("roles",)
    if not isinstance(data, dict) or not data:
        v.problem(path, f"expected a mapping of role keys to the policy's words, got {_describe(data)}")
        return {}
    out: dict[str, str] = {}
    for key, words in data.items():
        if key not in catalogue.ROLES:
            v.problem((*path, key), _expected_one_of(key, catalogue.ROLES, "role"))
            continue
        text = v.word(words, (*path, key))
        if text is not None:
            out[key] = text
    return out


def _role_checker(
    v: _Validator, roles: Mapping[str, str], *, allow_all: bool
) -> Callable[[Any, Path_], str | None]:
    def check(value: Any, path: Path_) -> str | None:
        if allow_all and value == catalogue.ALL_ROLES:
            return catalogue.ALL_ROLES
        if isinstance(value, str) and value in roles:
            return value
        if isinstance(value, str) and value in catalogue.ROLES:
            v.problem(path, f"role {value!r} is not declared in the pack's roles")
            return None
        extra = [catalogue.ALL_ROLES] if allow_all else []
        v.problem(path, _expected_one_of(value, [*roles, *extra], "role"))
        return None

    return check


_SETTINGS_FIELDS = (
    "time_zone",
    "working_hours",
    "internal_domains",
    "partner_domains",
    "webmail_domains",
    "encrypt_tags",
    "bcc_limit",
    "bulk_threshold",
    "attachment_limit_mb",
    "approved_ai_tools",
    "blocked_categories",
    "allowed_domains",
    "blocked_domains",
    "heavy_streaming_mb_per_day",
    "monitoring_viewers",
    "safeguarding_contact",
    "mailbox_retention_days",
    "personal_devices",
    "signoff_interval_days",
    "training_interval_days",
    "breach_report_hours",
    "sensitive_terms",
    "offensive_terms",
    "unscannable_action",
    "mail_limits",
    "allowed_lists",
    "illegal_content_lists",
)

# Domain lists a pack names (settings allowed_lists, illegal_content_lists) live beside the packs.
LISTS_FOLDER = "lists"

# settings.mail_limits: the bounds on reading one message (aupguard.engine.mail.limits.Limits), in
# units a network manager writes. Sizes in MB (1,048,576 bytes); the rest whole numbers.
MAIL_LIMIT_FIELDS: dict[str, str] = {
    "max_message_mb": "max_message_bytes",
    "max_attachment_mb": "max_attachment_bytes",
    "max_unpacked_mb": "max_unpacked_bytes",
    "max_compression_ratio": "max_compression_ratio",
    "max_depth": "max_depth",
    "max_pdf_pages": "max_pdf_pages",
}


def _settings(v: _Validator, data: Any, roles: Mapping[str, str], lists: Path) -> Settings | None:
    path: Path_ = ("settings",)
    s = v.mapping(data, path, _SETTINGS_FIELDS)
    if s is None:
        return None

    def at(key: str) -> Path_:
        return (*path, key)

    def optional_int(key: str, default: int | None = None, minimum: int = 1) -> int | None:
        value = s.get(key, default)
        return None if value is None else v.integer(value, at(key), minimum=minimum)

    def optional_number(key: str) -> float | None:
        value = s.get(key)
        return None if value is None else v.number(value, at(key))

    def domains(key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        if key not in s:
            return default
        return v.listing(s[key], at(key), v.domain)

    time_zone = s.get("time_zone", "Europe/London")
    try:
        ZoneInfo(str(time_zone))
    except (ZoneInfoNotFoundError, ValueError):
        v.problem(
            at("time_zone"), f"expected an IANA time zone such as Europe/London, got {_describe(time_zone)}"
        )

    role_of = _role_checker(v, roles, allow_all=False)
    contact = s.get("safeguarding_contact")
    return Settings(
        time_zone=str(time_zone),
        working_hours=_working_hours(v, s.get("working_hours"), at("working_hours")),
        internal_domains=domains("internal_domains"),
        partner_domains=domains("partner_domains"),
        webmail_domains=domains("webmail_domains", DEFAULT_WEBMAIL),
        encrypt_tags=v.listing(s.get("encrypt_tags", ["[encrypt]", "[secure]"]), at("encrypt_tags"), v.word),
        bcc_limit=optional_int("bcc_limit"),
        bulk_threshold=optional_int("bulk_threshold"),
        attachment_limit_mb=optional_number("attachment_limit_mb"),
        approved_ai_tools=domains("approved_ai_tools"),
        blocked_categories=_blocked_categories(
            v, s.get("blocked_categories"), at("blocked_categories"), roles
        ),
        allowed_domains=domains("allowed_domains"),
        blocked_domains=domains("blocked_domains"),
        heavy_streaming_mb_per_day=optional_number("heavy_streaming_mb_per_day"),
        monitoring_viewers=v.listing(s.get("monitoring_viewers"), at("monitoring_viewers"), role_of),
        safeguarding_contact=None if contact is None else role_of(contact, at("safeguarding_contact")),
        mailbox_retention_days=optional_int("mailbox_retention_days"),
        personal_devices=v.choice(
            s.get("personal_devices", "allowed_with_conditions"),
            at("personal_devices"),
            catalogue.PERSONAL_DEVICE_RULES,
            "rule",
        )
        or "allowed_with_conditions",
        signoff_interval_days=optional_int("signoff_interval_days", 365),
        training_interval_days=optional_int("training_interval_days"),
        breach_report_hours=optional_int("breach_report_hours", 72) or 72,
        sensitive_terms=v.listing(s.get("sensitive_terms"), at("sensitive_terms"), v.word),
        offensive_terms=v.listing(s.get("offensive_terms"), at("offensive_terms"), v.word),
        unscannable_action=v.choice(
            s.get("unscannable_action", "hold"), at("unscannable_action"), catalogue.ACTIONS, "action"
        )
        or "hold",
        mail_limits=_mail_limits(v, s.get("mail_limits"), at("mail_limits")),
        allowed_lists=_list_names(v, s.get("allowed_lists"), at("allowed_lists"), lists),
        illegal_content_lists=_list_names(
            v, s.get("illegal_content_lists"), at("illegal_content_lists"), lists
        ),
    )


def _list_names(v: _Validator, data: Any, path: Path_, folder: Path) -> tuple[str, ...]:
    """Names of domain lists, each a file NAME.txt in the pack's lists/ folder that must exist."""

    def name(value: Any, at: Path_) -> str | None:
        if not isinstance(value, str) or not _SLUG.match(value):
            v.problem(
                at,
                f"expected the name of a list in {folder} (a slug such as 'school-essentials'), "
                f"got {_describe(value)}",
            )
            return None
        if not (folder / f"{value}.txt").is_file():
            v.problem(at, f"no list {value!r}: expected a file {folder / (value + '.txt')}")
            return None
        return value

    return v.listing(data, path, name)


def _mail_limits(v: _Validator, data: Any, path: Path_) -> MappingProxyType[str, int]:
    """settings.mail_limits as Limits field -> value (bytes for the sizes); {} keeps the defaults."""
    if data is None:
        return MappingProxyType({})
    m = v.mapping(data, path, MAIL_LIMIT_FIELDS)
    out: dict[str, int] = {}
    for key, value in (m or {}).items():
        if key not in MAIL_LIMIT_FIELDS:
            continue
        if key.endswith("_mb"):
            mb = v.number(value, (*path, key))
            if mb is not None:
                out[MAIL_LIMIT_FIELDS[key]] = max(1, int(mb * 1024 * 1024))
        else:
            n = v.integer(value, (*path, key), minimum=1)
            if n is not None:
                out[MAIL_LIMIT_FIELDS[key]] = n
    return MappingProxyType(out)


def _time(v: _Validator, value: Any, path: Path_) -> dt.time | None:
    # YAML 1.1 reads an unquoted 08:00 as the base-60 integer 480.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return dt.time(value // 60, value % 60)
    if isinstance(value, str) and (m := _HHMM.match(value.strip())):
        return dt.time(int(m.group(1)), int(m.group(2)))
    v.problem(path, f'expected a time "HH:MM" (24-hour), got {_describe(value)}')
    return None


def _working_hours(v: _Validator, data: Any, path: Path_) -> WorkingHours:
    default = WorkingHours(catalogue.WEEKDAYS[:5], dt.time(8, 0), dt.time(17, 0))
    if data is None:
        return default
    d = v.mapping(data, path, ("days", "start", "end"), ("days", "start", "end"))
    if d is None:
        return default
    days = v.listing(d.get("days"), (*path, "days"), lambda x, p: v.choice(x, p, catalogue.WEEKDAYS, "day"))
    start = _time(v, d.get("start"), (*path, "start"))
    end = _time(v, d.get("end"), (*path, "end"))
    if start and end and end <= start:
        v.problem((*path, "end"), "expected the end of working hours to be after the start")
    return WorkingHours(days, start or default.start, end or default.end)


def _category(v: _Validator) -> Callable[[Any, Path_], str | None]:
    return lambda value, path: v.choice(value, path, catalogue.CATEGORIES, "category")


def _blocked_categories(
    v: _Validator, data: Any, path: Path_, roles: Mapping[str, str]
) -> MappingProxyType[str, tuple[str, ...]]:
    if data is None:
        return MappingProxyType({})
    if not isinstance(data, dict):
        v.problem(path, f"expected a mapping of role to categories, got {_describe(data)}")
        return MappingProxyType({})
    role_of = _role_checker(v, roles, allow_all=True)
    out: dict[str, tuple[str, ...]] = {}
    for role, categories in data.items():
        if role_of(role, (*path, role)) is not None:
            out[role] = v.listing(categories, (*path, role), _category(v))
    return MappingProxyType(out)


def _clauses(v: _Validator, data: Any, roles: Mapping[str, str]) -> tuple[Clause, ...]:
    path: Path_ = ("clauses",)
    if not isinstance(data, list) or not data:
        v.problem(path, f"expected a list of clauses, got {_describe(data)}")
        return ()
    seen: dict[str, int] = {}
    approvers: dict[str, tuple[str, str]] = {}
    out = []
    for index, item in enumerate(data):
        cpath: Path_ = (*path, index)
        v.clause_id = f"#{index + 1}"
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            v.clause_id = item["id"]
        v.clause_path = cpath
        clause = _clause(v, item, cpath, roles, seen, approvers)
        if clause is not None:
            out.append(clause)
    v.clause_id = None
    return tuple(out)


def _clause(
    v: _Validator,
    data: Any,
    path: Path_,
    roles: Mapping[str, str],
    seen: dict[str, int],
    approvers: dict[str, tuple[str, str]],
) -> Clause | None:
    c = v.mapping(data, path, _CLAUSE_FIELDS, ("id", "section", "text", "mechanism"))
    if c is None:
        return None
    clause_id = v.text(c, "id", path)
    if clause_id is not None:
        if not _CLAUSE_ID.match(clause_id):
            v.problem(
                (*path, "id"), f"expected an id such as RB-5.18 (PREFIX-section.number), got {clause_id!r}"
            )
        elif clause_id in seen:
            v.problem((*path, "id"), f"duplicate clause id (first used on line {seen[clause_id]})")
        else:
            seen[clause_id] = v.line_of(path)
    section = v.text(c, "section", path)
    text = v.text(c, "text", path)
    applies_to = v.listing(
        c.get("applies_to", [catalogue.ALL_ROLES]),
        (*path, "applies_to"),
        _role_checker(v, roles, allow_all=True),
    )
    note = v.text(c, "note", path, optional=True)

    mechanisms = _mechanisms(v, c.get("mechanism", _MISSING), (*path, "mechanism"))
    for mechanism, field in _MECHANISM_FIELD.items():
        if mechanism in mechanisms and field not in c:
            v.problem(path, f"missing field '{field}' (mechanism {mechanism} needs it)")
        elif field in c and mechanisms and mechanism not in mechanisms:
            v.problem((*path, field), f"'{field}' given but the mechanism is not {mechanism}")

    checks = (
        v.listing(c.get("checks"), (*path, "checks"), lambda d, p: _check_use(v, d, p, roles))
        if "check" in mechanisms
        else ()
    )
    if "check" in mechanisms and c.get("checks") == []:
        v.problem((*path, "checks"), "expected at least one check")
    workflow = (
        _workflow_use(v, c.get("workflow"), (*path, "workflow"), roles)
        if "workflow" in mechanisms and "workflow" in c
        else None
    )
    if workflow is not None and clause_id is not None:
        prior = approvers.setdefault(workflow.id, (workflow.approver, clause_id))
        if prior[0] != workflow.approver:
            v.problem(
                (*path, "workflow", "approver"),
                f"workflow {workflow.id} is approved by {prior[0]!r} in clause {prior[1]}; "
                "one workflow has one approver per pack",
            )
    register = (
        _register_use(v, c.get("register"), (*path, "register"), roles)
        if "register" in mechanisms and "register" in c
        else None
    )
    attestation = (
        _attestation_use(v, c.get("attestation"), (*path, "attestation"))
        if "attestation" in mechanisms and "attestation" in c
        else None
    )

    if clause_id is None or section is None or text is None or not mechanisms:
        return None
    return Clause(
        id=clause_id,
        section=section,
        text=text,
        applies_to=applies_to,
        mechanisms=mechanisms,
        checks=checks,
        workflow=workflow,
        register=register,
        attestation=attestation,
        note=note,
        line=v.line_of(path),
    )


def _mechanisms(v: _Validator, value: Any, path: Path_) -> tuple[str, ...]:
    if value is _MISSING or value is None or value == []:
        v.problem(path, f"no mechanism (expected one of: {', '.join(catalogue.MECHANISMS)})")
        return ()
    values = value if isinstance(value, list) else [value]
    out = []
    for index, item in enumerate(values):
        got = v.choice(
            item, (*path, index) if isinstance(value, list) else path, catalogue.MECHANISMS, "mechanism"
        )
        if got is not None and got not in out:
            out.append(got)
    if "information" in out and len(out) > 1:
        v.problem(path, "information creates no duty and cannot be combined with another mechanism")
    return tuple(out)


def _check_use(v: _Validator, data: Any, path: Path_, roles: Mapping[str, str]) -> CheckUse | None:
    d = v.mapping(data, path, ("id", "action", "params", "notify"), ("id", "action"))
    if d is None:
        return None
    check_id = v.choice(d.get("id"), (*path, "id"), catalogue.CHECKS, "check") if "id" in d else None
    action = (
        v.choice(d.get("action"), (*path, "action"), catalogue.ACTIONS, "action") if "action" in d else None
    )
    notify = v.listing(d.get("notify"), (*path, "notify"), _role_checker(v, roles, allow_all=False))
    if action == "alert" and not d.get("notify"):
        v.problem((*path, "notify"), "action alert needs the roles to notify (notify: [dpl, ...])")
    params: dict[str, ParamValue] = {}
    if check_id is not None and d.get("params") is not None:
        params = _params(v, check_id, d["params"], (*path, "params"), roles)
    if check_id is None or action is None:
        return None
    return CheckUse(check_id, action, MappingProxyType(params), notify)


def _params(
    v: _Validator, check_id: str, data: Any, path: Path_, roles: Mapping[str, str]
) -> dict[str, ParamValue]:
    spec = catalogue.CHECKS[check_id].params
    if not isinstance(data, dict):
        v.problem(path, f"expected a mapping of parameters, got {_describe(data)}")
        return {}
    out: dict[str, ParamValue] = {}
    for name, value in data.items():
        ppath = (*path, name)
        kind = spec.get(name)
        got: ParamValue | None
        if kind is None:
            takes = ", ".join(spec) if spec else "none"
            v.problem(ppath, f"{check_id} has no parameter {name!r} (it takes: {takes})")
            continue
        if kind in ("int", "days"):
            got = v.integer(value, ppath, minimum=0 if kind == "days" else 1)
        elif kind == "number":
            got = v.number(value, ppath)
        elif kind == "categories":
            got = v.listing(value, ppath, _category(v))
        else:
            got = v.listing(value, ppath, _role_checker(v, roles, allow_all=True))
        if got is not None:
            out[name] = got
    return out


def _workflow_use(v: _Validator, data: Any, path: Path_, roles: Mapping[str, str]) -> WorkflowUse | None:
    d = v.mapping(data, path, ("id", "approver", "requires"), ("id", "approver"))
    if d is None:
        return None
    wid = v.choice(d.get("id"), (*path, "id"), catalogue.WORKFLOWS, "workflow") if "id" in d else None
    approver = (
        _role_checker(v, roles, allow_all=False)(d.get("approver"), (*path, "approver"))
        if "approver" in d
        else None
    )
    requires = v.listing(
        d.get("requires"),
        (*path, "requires"),
        lambda x, p: v.choice(x, p, catalogue.WORKFLOW_REQUIREMENTS, "requirement"),
    )
    if wid is None or approver is None:
        return None
    return WorkflowUse(wid, approver, requires)


def _register_use(v: _Validator, data: Any, path: Path_, roles: Mapping[str, str]) -> RegisterUse | None:
    d = v.mapping(data, path, ("id", "kind", "report_to", "clock_hours"), ("id",))
    if d is None:
        return None
    rid = v.choice(d.get("id"), (*path, "id"), catalogue.REGISTERS, "register") if "id" in d else None
    kind = None
    if d.get("kind") is not None:
        if rid is not None and rid != "incident":
            v.problem((*path, "kind"), f"only the incident register has kinds, not {rid}")
        else:
            kind = v.choice(d["kind"], (*path, "kind"), catalogue.INCIDENT_KINDS, "incident kind")
    report_to = v.listing(d.get("report_to"), (*path, "report_to"), _role_checker(v, roles, allow_all=False))
    clock = d.get("clock_hours")
    clock_hours = None if clock is None else v.integer(clock, (*path, "clock_hours"), minimum=1)
    if rid is None:
        return None
    return RegisterUse(rid, kind, report_to, clock_hours)


def _attestation_use(v: _Validator, data: Any, path: Path_) -> AttestationUse | None:
    if data is None:
        return AttestationUse()
    d = v.mapping(data, path, ("training",))
    if d is None:
        return None
    training = d.get("training", False)
    if not isinstance(training, bool):
        v.problem((*path, "training"), f"expected true or false, got {_describe(training)}")
        return None
    return AttestationUse(training)
