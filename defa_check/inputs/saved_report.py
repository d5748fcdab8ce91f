"""Read a saved JSON report back, for `report`, `diff` and `--baseline` (version 2, or 1 upgraded)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from defa_check.model import REPORT_SCHEMA_VERSION, RULE_FIELDS, Problem, Report


def load_report(path: Path) -> tuple[Report | None, list[Problem]]:
    """The report in ``path``, or the problems that make it unreadable."""
    shown = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [Problem(shown, "no such file", code="unreadable")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, f"cannot read: {exc}", code="unreadable")]
    except json.JSONDecodeError as exc:
        return None, [Problem(shown, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno, code="syntax")]
    if not isinstance(data, dict) or data.get("tool", {}).get("name") != "defa-check":
        return None, [
            Problem(shown, "not a defa-check JSON report (no tool.name 'defa-check')", code="report")
        ]
    version = data.get("report_version")
    if version == 1:
        data = upgrade_from_version_1(data)
        version = REPORT_SCHEMA_VERSION
    if version != REPORT_SCHEMA_VERSION:
        which = "newer" if isinstance(version, int) and version > REPORT_SCHEMA_VERSION else "older"
        return None, [
            Problem(
                shown,
                f"report_version {version!r} was written by a {which} defa-check; this version reads "
                f"report_version {REPORT_SCHEMA_VERSION}. Re-run `defa-check check` with this version.",
                code="report",
            )
        ]
    from defa_check.inputs.schemas import validator

    errors = sorted(validator("report").iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        return None, [
            Problem(
                shown,
                e.message,
                json_path="$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path),
                code="report",
            )
            for e in errors[:20]
        ]
    rules = data["rules"]
    unknown = sorted(
        {f["rule_id"] for f in data["findings"] if f["rule_id"] not in rules}
        | {n["rule_id"] for n in data["not_applicable"] if n["rule_id"] not in rules}
    )
    if unknown:
        return None, [
            Problem(
                shown,
                f"rule {rule_id!r} is not in the report's `rules` table",
                json_path="$.rules",
                code="report",
            )
            for rule_id in unknown[:20]
        ]
    return Report.from_dict(data), []


def upgrade_from_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """A version-1 report in the version-2 shape, so saved baselines and reports keep working.

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
