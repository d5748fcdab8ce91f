"""Waivers (known risks accepted on the record) and baselines (fail only on what is new).

Both are applied after evaluation, to the report: the engine stays a pure
function of manifest, packs and date. A waived finding keeps its place in every
report, marked ``waived`` with its waiver; an expired waiver stops applying and
is reported, as are waivers that match nothing or name no known rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlio
from .model import Finding, Location, Problem, Report, Status


@dataclass(frozen=True)
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

    def describe(self) -> str:
        scope = self.rule
        if self.country:
            scope += f" in {self.country}"
        if self.subject_kind:
            scope += f" on {self.subject_kind}" + (f" {self.subject_id}" if self.subject_id else "")
        where = f"{self.location}: " if self.location else ""
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


def load_waivers(path: str | Path) -> tuple[list[Waiver], list[Problem]]:
    """Read and validate a waiver file; problems are located values, as for manifests."""
    from .packs import schema_problems

    doc = yamlio.load(path)
    if not doc.ok:
        return [], doc.problems
    problems = schema_problems(doc, "waivers")
    if problems:
        return [], problems
    waivers = []
    for i, raw in enumerate(doc.data["waivers"]):
        kind, ident = None, None
        if "flow" in raw:
            kind, ident = "flow", raw["flow"]
        elif "market" in raw:
            kind, ident = "market", raw["market"]
        elif raw.get("organization"):
            kind, ident = "organization", "organization"
        waivers.append(
            Waiver(
                rule=raw["rule"],
                justification=raw["justification"].strip(),
                approved_by=raw["approved_by"],
                expires=dt.date.fromisoformat(raw["expires"]),
                country=raw.get("country"),
                subject_kind=kind,
                subject_id=ident,
                ticket=raw.get("ticket"),
                location=doc.locate(["waivers", i]),
            )
        )
    return waivers, []


def lint_waivers(waivers: list[Waiver], rule_ids: set[str], today: dt.date) -> list[str]:
    """What is wrong with waivers on their own: unknown rules, expired ones."""
    notes = []
    for waiver in waivers:
        if not any(fnmatch.fnmatchcase(r, waiver.rule.upper()) for r in rule_ids):
            notes.append(f"{waiver.describe()} names no known rule")
        if waiver.expired_on(today):
            notes.append(f"{waiver.describe()} expired on {waiver.expires.isoformat()}")
    return notes


def review_waivers(waivers: list[Waiver], rule_ids: set[str], today: dt.date) -> list[str]:
    """`waivers lint` also questions waivers too broad or too long to be a reviewed decision."""
    notes = lint_waivers(waivers, rule_ids, today)
    for waiver in waivers:
        matched = {r for r in rule_ids if fnmatch.fnmatchcase(r, waiver.rule.upper())}
        if len(matched) > 1 and len({r.split("-")[0] for r in matched}) > 1 and waiver.country is None:
            notes.append(f"{waiver.describe()} matches rules of several countries ({len(matched)} rules)")
        if (waiver.expires - today).days > 366:
            notes.append(
                f"{waiver.describe()} expires more than a year from now ({waiver.expires.isoformat()}); "
                "a waiver is meant to be reviewed"
            )
    return notes


def apply_waivers(report: Report, waivers: list[Waiver], rule_ids: set[str]) -> Report:
    """Mark matching fail and needs_info findings as waived; report what did not apply."""
    if not waivers:
        return report
    notices = list(report.notices) + lint_waivers(waivers, rule_ids, report.as_of)
    used: set[int] = set()
    findings = []
    for finding in report.findings:
        if finding.status in (Status.FAIL, Status.NEEDS_INFO):
            for i, waiver in enumerate(waivers):
                if waiver.matches(finding):
                    used.add(i)
                    if waiver.expired_on(report.as_of):
                        continue
                    finding = dataclasses.replace(
                        finding,
                        status=Status.WAIVED,
                        verdict=finding.verdict or finding.status,
                        waiver=waiver.to_dict(),
                    )
                    break
        findings.append(finding)
    for i, waiver in enumerate(waivers):
        if i not in used and not waiver.expired_on(report.as_of):
            notices.append(f"{waiver.describe()} matched no finding that needs action")
    return dataclasses.replace(report, findings=tuple(findings), notices=tuple(notices))


def apply_baseline(report: Report, baseline: Report) -> Report:
    """Mark which findings needing action the baseline already had (matched by fingerprint)."""
    known = {
        f.fingerprint
        for f in baseline.findings
        if f.status in (Status.FAIL, Status.NEEDS_INFO, Status.WAIVED)
    }
    findings = tuple(
        dataclasses.replace(f, in_baseline=f.fingerprint in known)
        if f.status in (Status.FAIL, Status.NEEDS_INFO)
        else f
        for f in report.findings
    )
    return dataclasses.replace(report, findings=findings)
