"""Core value types shared by every stage: locations, problems, rules, findings, reports.

Nothing here does I/O. The report is the hub of the pipeline: every output format
renders a :class:`Report`, and :meth:`Report.to_dict` is the JSON contract of
BRIEF section 3.2.
"""

from __future__ import annotations

import datetime as dt
import enum
import fnmatch
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

from defa_check.records import field, record

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any, TypeAlias

REPORT_SCHEMA_VERSION = 3
"""Version of the JSON report layout; `report`, `diff` and `--baseline` also read versions 1 and 2.

Version 2: the `review` status; each rule's fixed text once in a `rules` table,
findings referring to it by `rule_id`; not-applicable findings counted per
rule and subject kind (`not_applicable`) and listed only when asked.

Version 3: findings leave out what the report restores. Each rule's `defaults`
hold, per status, the message, why and evidence most of its findings have, and a
finding carries its own only where they differ; a needs_info message's
"Add to the manifest: ..." ending is rebuilt from `missing`; a location leaves
out the path when it is the manifest's; an empty `missing` and a null
`location` are left out.
"""

TOPICS: tuple[str, ...] = (
    "transfer",
    "localization",
    "breach_notification",
    "dpo",
    "local_presence",
    "registration",
    "legal_basis",
    "sensitive_data",
    "children",
    "impact_assessment",
    "ecommerce",
    "consumer_protection",
    "security",
    "retention",
)

TOPIC_LABELS: dict[str, str] = {
    "transfer": "Cross-border transfer",
    "localization": "Data localization",
    "breach_notification": "Breach notification",
    "dpo": "Data protection officer",
    "local_presence": "Local presence",
    "registration": "Registration",
    "legal_basis": "Legal basis",
    "sensitive_data": "Sensitive data",
    "children": "Children",
    "impact_assessment": "Impact assessment",
    "ecommerce": "E-commerce",
    "consumer_protection": "Consumer protection",
    "security": "Security",
    "retention": "Retention",
}
"""Topics in words, for every format and command a person reads."""
"""The stable topic vocabulary (add, never rename)."""

ASEAN_MEMBERS: frozenset[str] = frozenset({"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"})
"""The eleven member states (Timor-Leste admitted 26 October 2025)."""


class Severity(enum.IntEnum):
    """How much a failing finding matters; ordered so thresholds are comparisons."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


class Status(str, enum.Enum):
    """The outcome of one rule on one subject."""

    FAIL = "fail"
    NEEDS_INFO = "needs_info"
    """The manifest does not say enough: it names the fact the user can add."""
    REVIEW = "review"
    """The facts are stated, the law is unsettled (a low-confidence rule's fail): confirm with counsel."""
    PASS = "pass"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"


STATUS_ORDER: dict[str, int] = {s.value: i for i, s in enumerate(Status)}
"""Urgency order of statuses: fail first."""

ACTION_STATUSES: frozenset[Status] = frozenset({Status.FAIL, Status.NEEDS_INFO})
"""Statuses the user can act on: fix it, or say more (what `--strict` counts)."""

OPEN_STATUSES: frozenset[Status] = frozenset({Status.FAIL, Status.NEEDS_INFO, Status.REVIEW})
"""Statuses a waiver can accept and a baseline can know: everything still open."""


class Confidence(enum.StrEnum):
    """How sure the sources make us of a rule: low-confidence rules never fail outright."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


PROBLEM_CODES: dict[str, str] = {
    "invalid": "the input is not what was expected here (general)",
    "unreadable": "the file cannot be read or decoded (missing, a folder, bad encoding, too large)",
    "syntax": "the YAML or JSON is not well-formed",
    "duplicate-key": "a key appears twice in one mapping",
    "too-complex": "aliases or nesting expand beyond the safety limit",
    "invalid-form": "a value matches none of the allowed shapes",
    "invalid-value": "a value breaks a constraint of the schema (range, pattern, length, ...)",
    "unknown-field": "a field that the schema does not define (usually a typo)",
    "missing-field": "a required field is absent",
    "unknown-value": "a value outside a closed vocabulary (country code, enum, ...)",
    "wrong-type": "a value of the wrong type (text for a number, a list for a mapping, ...)",
    "duplicate-id": "an id used twice in one section",
    "unknown-reference": "a reference to something not declared (a system, a rule, ...)",
    "unknown-taxonomy-key": "a data category, data use or data subject not in the taxonomy",
    "taxonomy-extension": "a taxonomy extension that is already a key or has no known parent",
    "rule": "a rule pack or country profile problem (ids, topics, facts, dates, examples)",
    "mirror-source": "a rule cites a mirror or staging copy of a page instead of its home",
    "unofficial-source": "(warning) a rule's first URL is not on its country's official domains",
    "waiver": "a waiver that matches nothing, has expired, or is too broad",
    "config": "a settings-file problem",
    "report": "a saved report this version cannot read",
    "usage": "a command-line option or argument that cannot be used",
    "too-many-problems": "more problems than are listed (the list stops at 100 per file; fix these first)",
}
"""Stable problem codes (documented in docs/problems.md, which a test keeps in step)."""


def missing_sentence(missing: tuple[str, ...] | list[str]) -> str:
    """What a needs_info message ends with: ' Add to the manifest: a, b.' ("" when nothing is missing).

    The engine appends it to a rule's needs_info text; the JSON report leaves it out of a
    finding's message and rebuilds it from `missing`, so there is one spelling of it.
    """
    return " Add to the manifest: " + ", ".join(missing) + "." if missing else ""


@record(slots=True)
class Location:
    """A 1-based position in an input file."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


QUOTED_CHARS = 60
"""How much of a value a message quotes; a longer one is cut there and its length given."""

MESSAGE_CHARS = 2_000
"""The longest problem message: a backstop for a message that quotes a value without :func:`quote`."""


def shorten(text: str, limit: int = QUOTED_CHARS) -> str:
    """``text`` as is, or its first ``limit`` characters and "… (N characters)"."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def quote(value: Any, limit: int = QUOTED_CHARS) -> str:
    """A value from an input as a message quotes it: text as ``'text'``, anything else as JSON.

    The one place a problem message spells a value the user wrote, so that a
    value of megabytes (a 10 MB name, a list of 100,000 items) gives a line of a
    CI log, not megabytes of it: beyond ``limit`` characters it is cut, with
    its length. A value of normal length is quoted exactly as ``repr`` would
    (text) or as JSON (anything else).
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    import json

    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return shorten(text, limit)


def kind_of(value: Any) -> str:
    """What kind of value ``value`` is, in words ('text', 'a list'), never what it holds."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text" if value else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (an empty file or null)"
    return type(value).__name__


@record(slots=True)
class Problem:
    """Something wrong with an input file, reported as a value rather than raised."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    json_path: str = "$"
    hint: str | None = None
    code: str = "invalid"
    """A stable key from :data:`PROBLEM_CODES`, for tests and users to match on instead of wording."""

    def __post_init__(self) -> None:
        # A backstop: a message that quotes a huge value some other way is still one line.
        for name in ("message", "hint", "json_path"):
            text = getattr(self, name)
            if text is not None and len(text) > MESSAGE_CHARS:
                cut = f"{text[: MESSAGE_CHARS - 200]}… ({len(text):,} characters) …{text[-200:]}"
                object.__setattr__(self, name, cut)

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        # The whole document (`$`) names no place inside it: a file of the wrong kind, text that
        # cannot be read, an option; the line and column say where.
        inside = f"{self.json_path}: " if self.json_path != "$" else ""
        text = f"{where}: {inside}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text + f" [{self.code}]"

    @property
    def location(self) -> Location | None:
        return None if self.line is None else Location(self.path, self.line, self.column or 1)


def problems_counted(problems: Sequence[Problem]) -> str:
    """ "1 problem", "3 problems", or "more than 100 problems" when the list was cut short."""
    listed = sum(p.code != "too-many-problems" for p in problems)
    if listed < len(problems):
        return f"more than {listed:,} problems"
    return "1 problem" if listed == 1 else f"{listed:,} problems"


@record(slots=True)
class Citation:
    """Where a requirement comes from."""

    instrument: str
    provision: str
    url: str


@record(slots=True)
class Example:
    """A manifest fragment and the status the rule must give on it."""

    name: str
    expect: str
    manifest: dict[str, Any]
    subject: str | None = None
    as_of: dt.date | None = None


Predicate: TypeAlias = "Callable[[dict[str, Any]], bool | None]"
"""A compiled condition: True, False, or None when a needed fact is unknown."""


@record(slots=True)
class Condition:
    """A condition as written (for explanations) and compiled (for evaluation)."""

    source: dict[str, Any]
    predicate: Predicate
    facts: tuple[str, ...]
    explain: Callable[[dict[str, Any], bool], list[tuple[dict[str, Any], bool]]] | None = field(
        default=None, compare=False, repr=False
    )
    """The leaves (as written) that make the condition True (or False) on a subject's facts, each
    with its own value (a false leaf under a ``not`` makes it true): the why."""
    unknown: Callable[[dict[str, Any]], list[dict[str, Any]]] | None = field(
        default=None, compare=False, repr=False
    )
    """The leaves (as written) whose unknown value leaves the condition unknown on a subject's
    facts: what a needs_info finding must ask for (not every fact the condition reads)."""


@record(slots=True)
class Rule:
    """One requirement of one country's law, evaluated on one kind of subject."""

    id: str
    country: str
    title: str
    topic: str
    severity: Severity
    subject: str
    citation: Citation
    effective_from: dt.date | None
    """None only for a draft that has no date in force yet."""
    effective_until: dt.date | None
    confidence: Confidence
    requires: Condition
    applies_when: Condition | None
    message_fail: str
    message_pass: str
    message_needs_info: str | None
    remediation: str
    explanation: str | None = None
    note: str | None = None
    sources: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    location: Location | None = None
    raw: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    """The rule as written in its pack, for `rules show`."""

    draft: bool = False
    """A requirement of a draft law: shown as a pending development, never as law."""

    def upcoming_on(self, day: dt.date) -> bool:
        """Not in force on ``day``: a draft, or a law whose date has not come."""
        return self.draft or self.effective_from is None or self.effective_from > day

    def superseded_on(self, day: dt.date) -> bool:
        return self.effective_until is not None and day > self.effective_until


@record(slots=True)
class PackInfo:
    """Identity of a rule pack, recorded in every report."""

    country: str
    version: str
    last_reviewed: str


@record(slots=True)
class Subject:
    """What a finding is about."""

    kind: str
    id: str
    name: str = field(default="", compare=False)
    """What a person calls it: the flow's description, the market's country name (not part of identity)."""
    count: int = field(default=0, compare=False)
    """For a stand-in of findings a saved report only counted: how many subjects it stands for."""

    @property
    def label(self) -> str:
        """'flow vn-orders', 'market VN', or just 'organization': stable, for machine formats."""
        if self.count:
            return f"{self.count} {self.kind}s" if self.count > 1 else f"1 {self.kind}"
        return self.kind if self.kind == "organization" else f"{self.kind} {self.id}"

    @property
    def short_display(self) -> str:
        """'flow vn-orders' or 'your organisation', for a reader."""
        return "your organisation" if self.kind == "organization" else self.label

    @property
    def display(self) -> str:
        """'flow vn-orders (Orders placed by customers in Viet Nam)', for a reader."""
        if self.kind == "organization" or not self.name or self.name == self.id:
            return self.short_display
        return f"{self.label} ({self.name})"

    def to_dict(self) -> dict[str, str]:
        data = {"kind": self.kind, "id": self.id}
        if self.name:
            data["name"] = self.name
        return data


@record(slots=True)
class Waiver:
    """One accepted risk: which findings, why, who approved, until when."""

    rule: str
    justification: str
    approved_by: str
    expires: dt.date
    country: str | None = None
    subject_kind: str | None = None
    subject_id: str | None = None
    ticket: str | None = None
    location: Location | None = None

    def matches(self, finding: Finding) -> bool:
        if not fnmatch.fnmatchcase(finding.rule_id, self.rule.upper()):
            return False
        if self.country is not None and finding.country != self.country:
            return False
        if self.subject_kind is not None and finding.subject.kind != self.subject_kind:
            return False
        return self.subject_id is None or finding.subject.id == self.subject_id

    def expired_on(self, day: dt.date) -> bool:
        return day > self.expires

    def describe(self, located: bool = True) -> str:
        """'flows.yaml:3:5: waiver for VN-* in VN on flow f1' (without the place when not ``located``)."""
        scope = self.rule
        if self.country:
            scope += f" in {self.country}"
        if self.subject_kind:
            scope += f" on {self.subject_kind}" + (f" {self.subject_id}" if self.subject_id else "")
        where = f"{self.location}: " if self.location and located else ""
        return f"{where}waiver for {scope}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "justification": self.justification,
            "approved_by": self.approved_by,
            "expires": self.expires.isoformat(),
        }
        if self.ticket:
            data["ticket"] = self.ticket
        if self.location:
            data["source"] = str(self.location)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Waiver:
        """A waiver as recorded on a finding of a saved report."""
        location = None
        source = data.get("source")
        if isinstance(source, str):
            path, _, rest = source.rpartition(":")
            path, _, line = path.rpartition(":")
            if line.isdigit() and rest.isdigit():
                location = Location(path, int(line), int(rest))
        return cls(
            rule=data["rule"],
            justification=data["justification"],
            approved_by=data["approved_by"],
            expires=dt.date.fromisoformat(data["expires"]),
            ticket=data.get("ticket"),
            location=location,
        )


@record(slots=True)
class Between:
    """A number the manifest gives only within bounds: at least ``low``, at most ``high``.

    The people in a country whose data is held, when the largest count is a flow's about several
    countries' people together: all of them may be in that country, or none. A comparison holds
    only if it holds at both ends, fails only if it fails at both, and is unknown otherwise.
    """

    low: int | float
    high: int | float


@record(slots=True)
class Usual:
    """A rule's defaults for one status in the JSON report (`rules[id].defaults[status]`)."""

    message: str | None
    """None: the rule has no defaults for the status, so every finding carries its message."""
    why: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()

    @classmethod
    def of(cls, data: dict[str, Any]) -> Usual:
        return cls(data["message"], tuple(data.get("why", ())), tuple(data.get("evidence", ())))


NO_DEFAULTS = Usual(None)


@record(slots=True)
class Finding:
    """The outcome of one rule on one subject.

    The rule's fixed text (title, citation, remediation, dates, ...) is ``rule``, one object
    shared by every finding of the rule in a report; the finding holds only what is its own.
    Each of the rule's fields reads through (``finding.title`` is ``finding.rule.title``).
    """

    rule: RuleText
    status: Status
    subject: Subject
    message: str
    missing: tuple[str, ...] = ()
    location: Location | None = None
    waiver: Waiver | None = None
    verdict: Status | None = None
    """The rule's own verdict when the reported status differs from it (low confidence, waived)."""
    in_baseline: bool | None = None
    """With --baseline: whether the baseline already had this finding (so it does not fail the run)."""
    why: tuple[str, ...] = ()
    """Why the rule applies to this subject (or, when not applicable, why not), in plain words."""
    evidence: tuple[str, ...] = ()
    """What the manifest states that makes it pass, or fail."""

    @property
    def rule_id(self) -> str:
        return self.rule.rule_id

    @property
    def country(self) -> str:
        return self.rule.country

    @property
    def topic(self) -> str:
        return self.rule.topic

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def title(self) -> str:
        return self.rule.title

    @property
    def citation(self) -> Citation:
        return self.rule.citation

    @property
    def remediation(self) -> str:
        return self.rule.remediation

    @property
    def effective_from(self) -> dt.date | None:
        return self.rule.effective_from

    @property
    def effective_until(self) -> dt.date | None:
        return self.rule.effective_until

    @property
    def upcoming(self) -> bool:
        return self.rule.upcoming

    @property
    def confidence(self) -> Confidence:
        return self.rule.confidence

    @property
    def draft(self) -> bool:
        """The requirement comes from a draft law, not from law in force."""
        return self.rule.draft

    @property
    def fingerprint(self) -> str:
        """Stable identity across edits: rule, country and subject, never line numbers.

        Baselines, `diff` and SARIF's partialFingerprints all use this one key.
        """
        return f"{self.rule_id}|{self.country}|{self.subject.kind}|{self.subject.id}"

    @property
    def fingerprint_hash(self) -> str:
        """The fingerprint as a fixed-length hash (SARIF partialFingerprints)."""
        import hashlib

        return hashlib.sha256(self.fingerprint.encode("utf-8")).hexdigest()[:32]

    @property
    def needs_action(self) -> bool:
        """In force now and asking something of the user: fix it, or say more.

        The one definition every format counts; waived, upcoming and draft
        findings never need action (upcoming ones are :attr:`needs_action_once_in_force`).
        """
        return self.status in ACTION_STATUSES and not self.upcoming

    @property
    def needs_review(self) -> bool:
        """In force now, the facts stated, the law unsettled: to confirm with counsel (not a user fix)."""
        return self.status is Status.REVIEW and not self.upcoming

    @property
    def needs_action_once_in_force(self) -> bool:
        """Not in force yet (or a draft), and would fail or need information once it is."""
        return self.upcoming and (self.verdict or self.status) in ACTION_STATUSES

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        rule, subject = self.rule, self.subject
        return (rule.country, rule.rule_id, subject.kind, subject.id)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule_id": self.rule_id,
            "country": self.country,
            "topic": self.topic,
            "severity": self.severity.label,
            "status": self.status.value,
            "subject": self.subject.to_dict(),
            "title": self.title,
            "message": self.message,
            "citation": {
                "instrument": self.citation.instrument,
                "provision": self.citation.provision,
                "url": self.citation.url,
            },
            "remediation": self.remediation,
            "missing": list(self.missing),
            "location": None
            if self.location is None
            else {
                "path": self.location.path,
                "line": self.location.line,
                "column": self.location.column,
            },
            "effective_from": None if self.effective_from is None else self.effective_from.isoformat(),
            "upcoming": self.upcoming,
            "draft": self.draft,
            "confidence": self.confidence.value,
        }
        if self.verdict is not None:
            data["verdict"] = self.verdict.value
        if self.in_baseline is not None:
            data["in_baseline"] = self.in_baseline
        if self.effective_until is not None:
            data["effective_until"] = self.effective_until.isoformat()
        if self.waiver is not None:
            data["waiver"] = self.waiver.to_dict()
        if self.why:
            data["why"] = list(self.why)
        if self.evidence:
            data["evidence"] = list(self.evidence)
        return data

    @property
    def message_base(self) -> str:
        """The message without the ' Add to the manifest: ...' ending that `missing` rebuilds."""
        ending = missing_sentence(self.missing)
        return self.message[: -len(ending)] if ending and self.message.endswith(ending) else self.message

    def to_row(
        self, rule: RuleText, rule_data: dict[str, Any], usual: Usual, manifest_path: str
    ) -> dict[str, Any]:
        """The finding as the JSON report (version 3) lists it: only what the report cannot restore.

        ``rule`` is its entry in the `rules` table (``rule_data`` as written there), ``usual``
        that entry's defaults for this finding's status. Left out, and restored by
        :meth:`from_dict`: the rule's fields (written only where this finding's differ),
        ``message``, ``why`` and ``evidence`` where they are the defaults (a needs_info
        message's ending rebuilt from ``missing``), an empty ``missing``, a null ``location``
        and the location's path when it is the manifest's.
        """
        # `_value_` rather than `.value`: the enum property costs more than the rest of a row.
        row: dict[str, Any] = {"rule_id": self.rule_id, "status": self.status._value_}
        subject = self.subject
        row["subject"] = (
            {"kind": subject.kind, "id": subject.id, "name": subject.name}
            if subject.name
            else {"kind": subject.kind, "id": subject.id}
        )
        if usual.message is None or usual.message + missing_sentence(self.missing) != self.message:
            row["message"] = self.message
        if self.missing:
            row["missing"] = list(self.missing)
        loc = self.location
        if loc is not None:
            row["location"] = (
                {"line": loc.line, "column": loc.column}
                if loc.path == manifest_path
                else {"path": loc.path, "line": loc.line, "column": loc.column}
            )
        if self.verdict is not None:
            row["verdict"] = self.verdict._value_
        if self.in_baseline is not None:
            row["in_baseline"] = self.in_baseline
        if self.waiver is not None:
            row["waiver"] = self.waiver.to_dict()
        if self.why != usual.why:
            row["why"] = list(self.why)
        if self.evidence != usual.evidence:
            row["evidence"] = list(self.evidence)
        if self.rule is not rule and self.rule.fields != rule.fields:
            own = self.rule.to_dict()
            row.update((k, v) for k, v in own.items() if rule_data.get(k) != v)
            for key in rule_data.keys() - own.keys() - {"defaults"}:
                row[key] = None  # the rule has it (effective_until), this finding does not
        return row

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], rules: dict[str, dict[str, Any]] | None = None, manifest_path: str = ""
    ) -> Finding:
        """A finding from a saved report: a whole one (:meth:`to_dict`), or with ``rules`` a row
        of report version 3 (:meth:`to_row`), whose rule entry and ``manifest_path`` fill the rest.

        A version-2 row reads the same way: its rules have no defaults, and it left nothing else out.
        """
        missing = tuple(data.get("missing", ()))
        if rules is not None:
            rule = rules.get(data["rule_id"], {})
            defaults = rule.get("defaults", {}).get(data["status"], {})
            data = {**rule, **data}
            if "message" not in data:
                data["message"] = defaults["message"] + missing_sentence(missing)
            data.setdefault("why", defaults.get("why", ()))
            data.setdefault("evidence", defaults.get("evidence", ()))
        loc = data.get("location")
        return cls(
            rule=RuleText.from_dict(data["rule_id"], data),
            status=Status(data["status"]),
            subject=Subject(data["subject"]["kind"], data["subject"]["id"], data["subject"].get("name", "")),
            message=data["message"],
            missing=missing,
            location=None
            if loc is None
            else Location(loc.get("path", manifest_path), loc["line"], loc["column"]),
            waiver=None if data.get("waiver") is None else Waiver.from_dict(data["waiver"]),
            verdict=Status(data["verdict"]) if data.get("verdict") else None,
            in_baseline=data.get("in_baseline"),
            why=tuple(data.get("why", ())),
            evidence=tuple(data.get("evidence", ())),
        )


_MISSING, _MESSAGE, _WHY, _EVIDENCE, _RULE = map(
    operator.attrgetter, ("missing", "message", "why", "evidence", "rule")
)


def finding_defaults(findings: Iterable[Finding]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per rule id and status, what most of these findings say: the message (without the
    ending :func:`missing_sentence` rebuilds), and the why and evidence when not empty.

    The JSON report writes these once in each rule's `defaults`; a finding carries its own
    only where they differ. Ties go to the first finding in report order, so the same
    findings always give the same defaults.
    """
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        key = (f.rule_id, f.status._value_)
        group = groups.get(key)
        if group is None:
            groups[key] = [f]
        else:
            group.append(f)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for (rule_id, status), group in sorted(
        groups.items(), key=lambda item: (item[0][0], STATUS_ORDER[item[0][1]])
    ):
        # Read in C (attrgetter) where it can be: a large report has tens of thousands of findings.
        messages = (f.message_base for f in group) if any(map(_MISSING, group)) else map(_MESSAGE, group)
        entry: dict[str, Any] = {"message": _most_common(messages)}
        why = _most_common(map(_WHY, group))
        if why:
            entry["why"] = list(why)
        evidence = _most_common(map(_EVIDENCE, group))
        if evidence:
            entry["evidence"] = list(evidence)
        out.setdefault(rule_id, {})[status] = entry
    return out


def _most_common(values: Iterable[Any]) -> Any:
    """The value most often seen; of equals, the first seen."""
    return Counter(values).most_common(1)[0][0]


RULE_FIELDS: tuple[str, ...] = (
    "country",
    "topic",
    "severity",
    "title",
    "citation",
    "remediation",
    "effective_from",
    "effective_until",
    "upcoming",
    "confidence",
    "draft",
)
"""A rule text's fields besides its id: written once per rule in the JSON report's `rules` table."""
_rule_fields: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*RULE_FIELDS)
"""A rule text's :data:`RULE_FIELDS`, as a tuple."""


@record(slots=True)
class RuleText:
    """A rule as a report shows it: its fixed text, the same on every finding of the rule."""

    rule_id: str
    country: str
    topic: str
    severity: Severity
    title: str
    citation: Citation
    remediation: str
    effective_from: dt.date | None
    effective_until: dt.date | None
    upcoming: bool
    confidence: Confidence
    draft: bool

    @property
    def fields(self) -> tuple[Any, ...]:
        """Everything but the id, in :data:`RULE_FIELDS` order."""
        return _rule_fields(self)

    def to_dict(self) -> dict[str, Any]:
        """The `rules` table entry (without the id, its key); spelled as on a finding."""
        data: dict[str, Any] = {
            "country": self.country,
            "topic": self.topic,
            "severity": self.severity.label,
            "title": self.title,
            "citation": {
                "instrument": self.citation.instrument,
                "provision": self.citation.provision,
                "url": self.citation.url,
            },
            "remediation": self.remediation,
            "effective_from": None if self.effective_from is None else self.effective_from.isoformat(),
            "upcoming": self.upcoming,
            "draft": self.draft,
            "confidence": self.confidence.value,
        }
        if self.effective_until is not None:
            data["effective_until"] = self.effective_until.isoformat()
        return data

    @classmethod
    def from_dict(cls, rule_id: str, data: dict[str, Any]) -> RuleText:
        start, until = data.get("effective_from"), data.get("effective_until")
        return cls(
            rule_id=rule_id,
            country=data["country"],
            topic=data["topic"],
            severity=Severity.parse(data["severity"]),
            title=data.get("title", rule_id),
            citation=Citation(
                data["citation"]["instrument"], data["citation"]["provision"], data["citation"]["url"]
            ),
            remediation=data["remediation"],
            effective_from=None if start is None else dt.date.fromisoformat(start),
            effective_until=None if until is None else dt.date.fromisoformat(until),
            upcoming=bool(data["upcoming"]),
            confidence=Confidence(data.get("confidence", "high")),
            draft=bool(data.get("draft", False)),
        )


@record(slots=True)
class NotApplicableCount:
    """Not-applicable findings of one rule on one kind of subject, counted instead of listed."""

    rule: RuleText
    subject_kind: str
    count: int
    upcoming: int
    """How many of ``count`` are upcoming (not yet in force, or a draft)."""
    why: tuple[str, ...] = ()
    """Why the rule does not apply: the reasons all these subjects share (else the first one's)."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule_id": self.rule.rule_id,
            "subject_kind": self.subject_kind,
            "count": self.count,
            "upcoming": self.upcoming,
        }
        if self.why:
            data["why"] = list(self.why)
        return data


def _why_not(group: list[Finding]) -> tuple[str, ...]:
    """Why a rule does not apply to these findings' subjects (see :func:`why_not`)."""
    return why_not([(f.subject.id, f.why) for f in group])


def why_not(reasons: Sequence[tuple[str, tuple[str, ...]]]) -> tuple[str, ...]:
    """Why a rule does not apply to these subjects, given as (subject id, reasons) in report order:
    the reasons they all share; when they differ, each set of reasons with the subjects it is
    for (never one subject's reason for all)."""
    first = reasons[0][1]
    shared = tuple(line for line in first if all(line in why for _, why in reasons))
    if shared or len(reasons) == 1:
        return shared or first
    by_reason: dict[tuple[str, ...], list[str]] = {}
    for subject_id, why in reasons:
        by_reason.setdefault(why, []).append(subject_id)
    out = []
    for why, ids in by_reason.items():
        named = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
        out.append(f"{named}: {', '.join(why) or 'no reason recorded'}")
    return tuple(out)


IMAGE_SIGNATURES: dict[bytes, str] = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
"""The cover-logo formats every renderer can embed (HTML, PDF and Word all take PNG and JPEG)."""


def image_media_type(data: bytes) -> str | None:
    """image/png or image/jpeg from an image's first bytes; None for anything else."""
    return next((kind for magic, kind in IMAGE_SIGNATURES.items() if data.startswith(magic)), None)


DISCLAIMER = (
    "defa-check summarises laws for planning and engineering purposes. "
    "It is not legal advice; confirm obligations with a qualified adviser in each country."
)


@record(slots=True)
class ScopeLimit:
    """Something a country's rule pack does not check: a reader must not take silence for compliance."""

    country: str
    topic: str
    """A topic or pillar key (``ecommerce``, ``digital_payments``), or "" for the country as a whole."""
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"country": self.country, "topic": self.topic, "text": self.text}


@record(slots=True)
class Report:
    """The result of checking one manifest: the hub every output format renders."""

    tool_version: str
    as_of: dt.date
    manifest_path: str
    manifest_sha256: str
    organization: str
    packs: tuple[PackInfo, ...]
    findings: tuple[Finding, ...]
    countries: tuple[str, ...] = field(default=())
    notices: tuple[str, ...] = field(default=())
    """Things the reader must know that are not findings: expired or unused waivers, ..."""
    unlisted: tuple[NotApplicableCount, ...] = field(default=())
    """Not-applicable findings a saved report counted without listing (see :meth:`to_dict`);
    empty for a report just checked, which holds every finding in ``findings``."""

    def finding_count(self) -> int:
        """All findings, listed or only counted."""
        return len(self.findings) + sum(n.count for n in self.unlisted)

    def rules_applied(self) -> list[RuleText]:
        """Each rule with a finding, listed or only counted, in rule-id order."""
        seen: dict[str, RuleText] = {n.rule.rule_id: n.rule for n in self.unlisted}
        last = None
        for rule in map(_RULE, self.findings):
            if rule is not last:  # a rule's findings come together: one look-up per rule, mostly
                last = rule
                if rule.rule_id not in seen:
                    seen[rule.rule_id] = rule
        return [seen[k] for k in sorted(seen)]

    def not_applicable_counts(self) -> list[NotApplicableCount]:
        """Not-applicable findings per rule and subject kind (listed and unlisted), in report order."""
        tally: dict[tuple[str, str], list[Any]] = {}
        for n in self.unlisted:
            tally[(n.rule.rule_id, n.subject_kind)] = [n.rule, n.count, n.upcoming, n.why]
        reasons: dict[tuple[str, str], list[Finding]] = {}
        not_applicable = Status.NOT_APPLICABLE
        for f in self.findings:
            if f.status is not_applicable:
                key = (f.rule_id, f.subject.kind)
                group = reasons.get(key)
                if group is None:
                    reasons[key] = [f]
                else:
                    group.append(f)
        for key, group in reasons.items():
            entry = tally.setdefault(key, [group[0].rule, 0, 0, ()])
            entry[1] += len(group)
            entry[2] += sum(f.upcoming for f in group)
            entry[3] = _why_not(group)
        return [
            NotApplicableCount(rule, kind, count, upcoming, why)
            for (_, kind), (rule, count, upcoming, why) in sorted(
                tally.items(), key=lambda item: (item[1][0].country, item[0][0], item[0][1])
            )
        ]

    scope_limits: tuple[ScopeLimit, ...] = field(default=())
    """What the packs of these countries do not check (from the country profiles)."""

    def readable_findings(self) -> tuple[Finding, ...]:
        """The findings, plus one standing for each rule's counted-only not-applicable findings.

        A saved report counts not-applicable findings instead of listing them; the formats a
        person reads still say which rules do not apply and why, from these stand-ins.
        """
        if not self.unlisted:
            return self.findings
        stand_ins = [
            Finding(
                n.rule,
                Status.NOT_APPLICABLE,
                Subject(n.subject_kind, f"{n.count} {n.subject_kind}s", count=n.count),
                f"Does not apply to this {n.subject_kind}.",
                why=n.why,
            )
            for n in self.unlisted
        ]
        return tuple(sorted((*self.findings, *stand_ins), key=lambda f: f.sort_key))

    def action_items(self) -> list[Finding]:
        """The findings that need action now (see :attr:`Finding.needs_action`)."""
        return [f for f in self.findings if f.needs_action]

    def review_items(self) -> list[Finding]:
        """The findings to confirm with counsel (see :attr:`Finding.needs_review`)."""
        return [f for f in self.findings if f.needs_review]

    def summary(self) -> dict[str, int]:
        """Findings in force per status; upcoming ones (not yet in force, or drafts) counted apart."""
        counts = {s.value: 0 for s in Status}
        # `_value_` rather than `.value`: the enum property costs more than the count.
        in_force = Counter(f.status._value_ for f in self.findings if not f.upcoming)
        for status, n in in_force.items():
            counts[status] += n
        upcoming = len(self.findings) - in_force.total()
        for unlisted in self.unlisted:
            upcoming += unlisted.upcoming
            counts[Status.NOT_APPLICABLE.value] += unlisted.count - unlisted.upcoming
        counts["upcoming"] = upcoming
        return counts

    def failing(
        self, threshold: Severity | None, strict: bool = False, strict_review: bool = False
    ) -> list[Finding]:
        """Findings at or above ``threshold`` that fail the run.

        Upcoming, waived and baseline findings never do. With ``strict``,
        needs_info counts as failing (the user can always supply the fact); review
        items (unsettled law, no manifest edit clears them) count only with
        ``strict_review``.
        """
        if threshold is None:
            return []
        bad = set(ACTION_STATUSES) if strict else {Status.FAIL}
        if strict_review:
            bad.add(Status.REVIEW)
        return [
            f
            for f in self.findings
            if f.status in bad and not f.upcoming and f.severity >= threshold and not f.in_baseline
        ]

    def to_dict(self, include_findings: bool = True, include_not_applicable: bool = False) -> dict[str, Any]:
        """The JSON report (version 3): the `rules` table, then findings that refer to it.

        Not-applicable findings are counted per rule and subject kind in
        `not_applicable`, and listed in `findings` only with ``include_not_applicable``.
        Each rule's `defaults` hold, per status, the message, why and evidence most of its
        listed findings have; a finding carries its own only where they differ (see
        :meth:`Finding.to_row`). Without ``include_findings`` the findings are left out
        (a caller that streams them uses :meth:`finding_rows`).
        """
        data: dict[str, Any] = {
            "report_version": REPORT_SCHEMA_VERSION,
            "tool": {"name": "defa-check", "version": self.tool_version},
            "as_of": self.as_of.isoformat(),
            "manifest": {"path": self.manifest_path, "sha256": self.manifest_sha256},
            "organization": self.organization,
            "countries": list(self.countries),
            "packs": [
                {"country": p.country, "version": p.version, "last_reviewed": p.last_reviewed}
                for p in self.packs
            ],
            "summary": self.summary(),
            "notices": list(self.notices),
            "disclaimer": DISCLAIMER,
            "rules": self.rule_table(include_not_applicable),
            "not_applicable": [n.to_dict() for n in self.not_applicable_counts()],
        }
        if self.scope_limits:
            data["scope_limits"] = [s.to_dict() for s in self.scope_limits]
        if include_findings:
            data["findings"] = list(self.finding_rows(data["rules"], include_not_applicable))
        return data

    def listed_findings(self, include_not_applicable: bool = False) -> Sequence[Finding]:
        """The findings the JSON report lists (not-applicable ones only when asked)."""
        if include_not_applicable:
            return self.findings
        return [f for f in self.findings if f.status is not Status.NOT_APPLICABLE]

    def rule_table(self, include_not_applicable: bool = False) -> dict[str, dict[str, Any]]:
        """The `rules` table: each rule's fixed fields once, keyed by rule id, in id order, with
        the `defaults` of the findings listed (see :func:`finding_defaults`)."""
        defaults = finding_defaults(self.listed_findings(include_not_applicable))
        table = {}
        for rule in self.rules_applied():
            entry = rule.to_dict()
            if rule.rule_id in defaults:
                entry["defaults"] = defaults[rule.rule_id]
            table[rule.rule_id] = entry
        return table

    def finding_rows(
        self, rules: dict[str, dict[str, Any]], include_not_applicable: bool = False
    ) -> Iterator[dict[str, Any]]:
        """The listed findings as version 3 writes them (see :meth:`Finding.to_row`)."""
        texts = {rule.rule_id: rule for rule in self.rules_applied()}
        usual = {
            (rule_id, status): Usual.of(entry)
            for rule_id, data in rules.items()
            for status, entry in data.get("defaults", {}).items()
        }
        path = self.manifest_path
        for f in self.listed_findings(include_not_applicable):
            key = (f.rule_id, f.status._value_)
            yield f.to_row(texts[f.rule_id], rules[f.rule_id], usual.get(key, NO_DEFAULTS), path)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """A saved report (version 3; :mod:`~defa_check.inputs.saved_report` upgrades versions 1 and 2)."""
        rules: dict[str, dict[str, Any]] | None = data.get("rules")
        path = data["manifest"]["path"]
        findings = tuple(Finding.from_dict(f, rules, path) for f in data["findings"])
        unlisted: list[NotApplicableCount] = []
        if rules is not None:
            listed: dict[tuple[str, str], list[int]] = {}
            for f in findings:
                if f.status is Status.NOT_APPLICABLE:
                    entry = listed.setdefault((f.rule_id, f.subject.kind), [0, 0])
                    entry[0] += 1
                    entry[1] += f.upcoming
            for tally in data.get("not_applicable", ()):
                key = (tally["rule_id"], tally["subject_kind"])
                count, upcoming = listed.get(key, (0, 0))
                if tally["count"] > count:
                    unlisted.append(
                        NotApplicableCount(
                            RuleText.from_dict(key[0], rules[key[0]]),
                            key[1],
                            tally["count"] - count,
                            tally["upcoming"] - upcoming,
                            tuple(tally.get("why", ())),
                        )
                    )
        return cls(
            tool_version=data["tool"]["version"],
            as_of=dt.date.fromisoformat(data["as_of"]),
            manifest_path=data["manifest"]["path"],
            manifest_sha256=data["manifest"]["sha256"],
            organization=data.get("organization", ""),
            packs=tuple(PackInfo(p["country"], p["version"], p["last_reviewed"]) for p in data["packs"]),
            findings=findings,
            countries=tuple(data.get("countries", ())),
            notices=tuple(data.get("notices", ())),
            unlisted=tuple(unlisted),
            scope_limits=tuple(ScopeLimit(**s) for s in data.get("scope_limits", ())),
        )
