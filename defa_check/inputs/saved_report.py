"""Read a saved JSON report back, for `report`, `diff` and `--baseline` (version 3, or 1 and 2 upgraded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from defa_check.model import REPORT_SCHEMA_VERSION, RULE_FIELDS, Problem, Report, kind_of, quote

LIBRARY_FROM_CHARS = 1_000_000
"""From this size, the validator library's import (the `fast` extra) pays for itself."""

MAX_REPORT_BYTES = 512 * 1024 * 1024
"""Saved reports are larger than the manifests they come from (a 20,000-flow manifest gives
a 250 MB report, read back in about 5 times its size in memory)."""


def load_report(path: Path) -> tuple[Report | None, list[Problem]]:
    """The report in ``path``, or the problems that make it unreadable (each located).

    Read like every other input (:func:`defa_check.inputs.source.load`, as JSON
    whatever the file is called): size-bounded, NaN and lone surrogates refused,
    nesting bounded. The report schema then checks everything
    :meth:`Report.from_dict` reads, dates included.
    """
    from defa_check.inputs import source

    doc = source.load(path, language="json", limit=MAX_REPORT_BYTES)
    if not doc.ok:
        return None, doc.problems
    data = doc.data
    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "defa-check":
        return None, [
            Problem(doc.path, "not a defa-check JSON report (no tool.name 'defa-check')", 1, 1, code="report")
        ]
    version = data.get("report_version")
    if type(version) is not int:  # "3", 3.0, null, true (which Python takes for 1) or absent
        present = "report_version" in data
        loc = doc.locate(["report_version"] if present else [])
        said = f"must be a whole number, not {kind_of(version)}" if present else "is missing"
        return None, [
            Problem(
                doc.path,
                f"report_version {said}; this version reads report_version 1 to {REPORT_SCHEMA_VERSION}",
                loc.line,
                loc.column,
                "$.report_version" if present else "$",
                code="report",
            )
        ]
    if version == 1:
        data = upgrade_from_version_1(data)
        version = 2
    if version == 2:
        data = upgrade_from_version_2(data)
        version = REPORT_SCHEMA_VERSION
    if version != REPORT_SCHEMA_VERSION:
        which = "a newer" if version > REPORT_SCHEMA_VERSION else "an older"
        loc = doc.locate(["report_version"])
        return None, [
            Problem(
                doc.path,
                f"report_version {version} was written by {which} defa-check; this version reads "
                f"report_version {REPORT_SCHEMA_VERSION}. Re-run `defa-check check` with this version.",
                loc.line,
                loc.column,
                code="report",
            )
        ]
    from defa_check.inputs.schemas import is_valid_quickly, schema_problems

    doc.data = data  # validated as read, or as upgraded from version 1 or 2
    # The yes/no from a compiled check first: jsonschema, which words the errors, takes
    # seconds on a large report (5 s at 10,000 flows) and runs only when the answer is no.
    large = len(doc.text) >= LIBRARY_FROM_CHARS
    problems = [] if is_valid_quickly("report", data, large) else schema_problems(doc, "report")
    if problems:
        return None, [
            Problem(p.path, p.message, p.line, p.column, p.json_path, p.hint, code="report") for p in problems
        ]
    rules = data["rules"]
    unknown = sorted(
        {f["rule_id"] for f in data["findings"] if f["rule_id"] not in rules}
        | {n["rule_id"] for n in data["not_applicable"] if n["rule_id"] not in rules}
    )
    if unknown:
        at = doc.locate(["rules"])
        return None, [
            Problem(
                doc.path,
                f"rule {quote(rule_id)} is not in the report's `rules` table",
                at.line,
                at.column,
                json_path="$.rules",
                code="report",
            )
            for rule_id in unknown[:20]
        ]
    unsaid: list[Problem] = []
    for i, f in enumerate(data["findings"]):
        usual = rules[f["rule_id"]].get("defaults", {}).get(f["status"], {})
        if "message" not in f and "message" not in usual:
            at = doc.locate(["findings", i])
            unsaid.append(
                Problem(
                    doc.path,
                    f"the finding has no message, and rule {quote(f['rule_id'])} has no default message for "
                    f"status {quote(f['status'])} in `rules`",
                    at.line,
                    at.column,
                    json_path=f"$.findings[{i}]",
                    code="report",
                )
            )
    if unsaid:
        return None, unsaid[:20]
    return Report.from_dict(data), []


def upgrade_from_version_2(data: dict[str, Any]) -> dict[str, Any]:
    """A version-2 report as version 3 reads it.

    Version 3 only leaves out more: a version-2 finding carries its whole message,
    its location's path, its `missing` list and its why and evidence, and its
    rule has no `defaults` (so a finding without why or evidence has none). Any
    `defaults` in a version-2 rule are dropped: version 2 did not define them.
    """
    upgraded = {**data, "report_version": 3}
    rules = data.get("rules")
    if isinstance(rules, dict):
        upgraded["rules"] = {
            rule_id: {k: v for k, v in rule.items() if k != "defaults"} if isinstance(rule, dict) else rule
            for rule_id, rule in rules.items()
        }
    return upgraded


def upgrade_from_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """A version-1 report in the version-2 shape, so saved baselines and reports keep working
    (:func:`upgrade_from_version_2` takes it on to version 3).

    Version 1 reported a low-confidence rule's fail as needs_info with the rule's
    own verdict beside it; version 2 gives that case its own status, `review`.
    Version 1 repeated each rule's fixed text on every finding; version 2 keeps
    it once in `rules` and counts the not-applicable findings per rule and
    subject kind (a version-1 report lists them all, so none is left unlisted).
    """
    findings = data.get("findings")
    if not isinstance(findings, list):
        return {**data, "report_version": 2}
    upgraded = []
    for finding in findings:
        if (
            isinstance(finding, dict)
            and finding.get("status") == "needs_info"
            and finding.get("verdict") == "fail"
            and finding.get("confidence") == "low"
        ):
            finding = {**finding, "status": "review"}
        upgraded.append(finding)
    summary = dict(data.get("summary") or {})
    moved = sum(
        1 for f in upgraded if isinstance(f, dict) and f.get("status") == "review" and not f.get("upcoming")
    )
    if isinstance(summary.get("needs_info"), int):
        summary["needs_info"] = max(0, summary["needs_info"] - moved)
    summary["review"] = moved
    rules: dict[str, dict[str, Any]] = {}
    rows: list[Any] = []
    counts: dict[tuple[Any, Any], list[int]] = {}
    for finding in upgraded:
        if not isinstance(finding, dict) or not isinstance(finding.get("rule_id"), str):
            rows.append(finding)  # the schema explains what is wrong with it
            continue
        rule = rules.setdefault(finding["rule_id"], {k: finding[k] for k in RULE_FIELDS if k in finding})
        row = {k: v for k, v in finding.items() if k not in rule or rule[k] != v}
        rows.append(row)
        if finding.get("status") == "not_applicable":
            kind = (
                (finding.get("subject") or {}).get("kind")
                if isinstance(finding.get("subject"), dict)
                else None
            )
            entry = counts.setdefault((finding["rule_id"], kind), [0, 0])
            entry[0] += 1
            entry[1] += bool(finding.get("upcoming"))
    not_applicable = [
        {"rule_id": rule_id, "subject_kind": kind, "count": n, "upcoming": upcoming}
        for (rule_id, kind), (n, upcoming) in counts.items()
    ]
    return {
        **data,
        "report_version": 2,
        "summary": summary,
        "rules": dict(sorted(rules.items())),
        "not_applicable": not_applicable,
        "findings": rows,
    }
