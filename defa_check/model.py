"""Core value types shared by every stage: locations, problems, rules, findings, reports.

Nothing here does I/O. The report is the hub of the pipeline: every output format
renders a :class:`Report`, and :meth:`Report.to_dict` is the JSON contract of
BRIEF section 3.2.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

REPORT_SCHEMA_VERSION = 1
"""Version of the JSON report layout; `report` refuses other versions."""

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
    PASS = "pass"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"


STATUS_ORDER: dict[str, int] = {s.value: i for i, s in enumerate(Status)}
"""Urgency order of statuses: fail first."""


@dataclass(frozen=True, slots=True)
class Location:
    """A 1-based position in an input file."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with an input file, reported as a value rather than raised."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    json_path: str = "$"
    hint: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: {self.json_path}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a requirement comes from."""

    instrument: str
    provision: str
    url: str


@dataclass(frozen=True, slots=True)
class Example:
    """A manifest fragment and the status the rule must give on it."""

    name: str
    expect: str
    manifest: dict[str, Any]
    subject: str | None = None
    as_of: dt.date | None = None


Predicate = Callable[[dict[str, Any]], "bool | None"]
"""A compiled condition: True, False, or None when a needed fact is unknown."""


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition as written (for explanations) and compiled (for evaluation)."""

    source: dict[str, Any]
    predicate: Predicate
    facts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
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
    confidence: str
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


@dataclass(frozen=True, slots=True)
class PackInfo:
    """Identity of a rule pack, recorded in every report."""

    country: str
    version: str
    last_reviewed: str


@dataclass(frozen=True, slots=True)
class Subject:
    """What a finding is about."""

    kind: str
    id: str

    @property
    def label(self) -> str:
        """'flow vn-orders', 'market VN', or just 'organization'."""
        return self.kind if self.kind == "organization" else f"{self.kind} {self.id}"


@dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one rule on one subject."""

    rule_id: str
    country: str
    topic: str
    severity: Severity
    status: Status
    subject: Subject
    title: str
    message: str
    citation: Citation
    remediation: str
    missing: tuple[str, ...]
    location: Location | None
    effective_from: dt.date | None
    effective_until: dt.date | None
    upcoming: bool
    confidence: str
    waiver: dict[str, Any] | None = None
    draft: bool = False
    """The requirement comes from a draft law, not from law in force."""
    verdict: Status | None = None
    """The rule's own verdict when the reported status differs from it (low confidence, waived)."""
    in_baseline: bool | None = None
    """With --baseline: whether the baseline already had this finding (so it does not fail the run)."""

    @property
    def fingerprint(self) -> str:
        """Stable identity across edits: rule, country and subject, never line numbers."""
        return f"{self.rule_id}|{self.country}|{self.subject.kind}|{self.subject.id}"

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.country, self.rule_id, self.subject.kind, self.subject.id)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule_id": self.rule_id,
            "country": self.country,
            "topic": self.topic,
            "severity": self.severity.label,
            "status": self.status.value,
            "subject": {"kind": self.subject.kind, "id": self.subject.id},
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
            "confidence": self.confidence,
        }
        if self.verdict is not None:
            data["verdict"] = self.verdict.value
        if self.in_baseline is not None:
            data["in_baseline"] = self.in_baseline
        if self.effective_until is not None:
            data["effective_until"] = self.effective_until.isoformat()
        if self.waiver is not None:
            data["waiver"] = self.waiver
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        loc = data.get("location")
        until = data.get("effective_until")
        start = data.get("effective_from")
        return cls(
            rule_id=data["rule_id"],
            country=data["country"],
            topic=data["topic"],
            severity=Severity.parse(data["severity"]),
            status=Status(data["status"]),
            subject=Subject(data["subject"]["kind"], data["subject"]["id"]),
            title=data.get("title", data["rule_id"]),
            message=data["message"],
            citation=Citation(**data["citation"]),
            remediation=data["remediation"],
            missing=tuple(data.get("missing", ())),
            location=None if loc is None else Location(loc["path"], loc["line"], loc["column"]),
            effective_from=None if start is None else dt.date.fromisoformat(start),
            effective_until=None if until is None else dt.date.fromisoformat(until),
            upcoming=bool(data["upcoming"]),
            confidence=data.get("confidence", "high"),
            waiver=data.get("waiver"),
            draft=bool(data.get("draft", False)),
            verdict=Status(data["verdict"]) if data.get("verdict") else None,
            in_baseline=data.get("in_baseline"),
        )


DISCLAIMER = (
    "defa-check summarises laws for planning and engineering purposes. "
    "It is not legal advice; confirm obligations with a qualified adviser in each country."
)


@dataclass(frozen=True, slots=True)
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

    def summary(self) -> dict[str, int]:
        """Findings in force per status; upcoming ones (not yet in force, or drafts) counted apart."""
        counts = {s.value: 0 for s in Status}
        upcoming = 0
        for finding in self.findings:
            if finding.upcoming:
                upcoming += 1
            else:
                counts[finding.status.value] += 1
        counts["upcoming"] = upcoming
        return counts

    def failing(self, threshold: Severity | None, strict: bool = False) -> list[Finding]:
        """Findings at or above ``threshold`` that fail the run.

        Upcoming, waived and baseline findings never do; with ``strict``,
        needs_info counts as failing.
        """
        if threshold is None:
            return []
        bad = {Status.FAIL, Status.NEEDS_INFO} if strict else {Status.FAIL}
        return [
            f
            for f in self.findings
            if f.status in bad and not f.upcoming and f.severity >= threshold and not f.in_baseline
        ]

    def to_dict(self, include_findings: bool = True) -> dict[str, Any]:
        data = {
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
        }
        if include_findings:
            data["findings"] = [f.to_dict() for f in self.findings]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            tool_version=data["tool"]["version"],
            as_of=dt.date.fromisoformat(data["as_of"]),
            manifest_path=data["manifest"]["path"],
            manifest_sha256=data["manifest"]["sha256"],
            organization=data.get("organization", ""),
            packs=tuple(PackInfo(**p) for p in data["packs"]),
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            countries=tuple(data.get("countries", ())),
            notices=tuple(data.get("notices", ())),
        )
