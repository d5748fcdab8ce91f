"""Waivers (known risks accepted on the record) and baselines (fail only on what is new).

Both are applied after evaluation, to the report: the engine stays a pure
function of manifest, packs and date. A waived finding keeps its place in every
report, marked ``waived`` with its waiver; an expired waiver stops applying and
is reported, as are waivers that match nothing or name no known rule.
"""

from __future__ import annotations

import datetime as dt
import fnmatch

from defa_check import records
from defa_check.model import OPEN_STATUSES, STATUS_ORDER, Finding, Problem, Report, Status, Waiver, quote


def _problem(waiver: Waiver, message: str) -> Problem:
    """A waiver problem, located at the waiver in its file."""
    text = f"{waiver.describe(located=False)} {message}"
    loc = waiver.location
    if loc is None:
        return Problem("<waivers>", text, code="waiver")
    return Problem(loc.path, text, loc.line, loc.column, code="waiver")


def as_notice(problem: Problem) -> str:
    """A waiver problem as the one-line notice a report carries."""
    return f"{problem.location}: {problem.message}" if problem.location else problem.message


def _names_a_known_rule(waiver: Waiver, rule_ids: set[str]) -> bool:
    return any(fnmatch.fnmatchcase(r, waiver.rule.upper()) for r in rule_ids)


def lint_waivers(waivers: list[Waiver], rule_ids: set[str], today: dt.date) -> list[Problem]:
    """What is wrong with waivers on their own: unknown rules, expired ones."""
    problems = []
    for waiver in waivers:
        if not _names_a_known_rule(waiver, rule_ids):
            from defa_check.inputs.suggest import did_you_mean

            guess = did_you_mean(waiver.rule.upper(), rule_ids) if not set("*?[") & set(waiver.rule) else None
            problems.append(_problem(waiver, "names no known rule" + (f" ({guess})" if guess else "")))
        if waiver.expired_on(today):
            problems.append(_problem(waiver, f"expired on {waiver.expires.isoformat()}"))
    return problems


def review_waivers(waivers: list[Waiver], rule_ids: set[str], today: dt.date) -> list[Problem]:
    """`waivers lint` also questions waivers too broad or too long to be a reviewed decision."""
    problems = lint_waivers(waivers, rule_ids, today)
    for waiver in waivers:
        matched = {r for r in rule_ids if fnmatch.fnmatchcase(r, waiver.rule.upper())}
        every_country = waiver.rule[:1] in ("*", "?", "[") and waiver.country is None
        if every_country:
            problems.append(
                _problem(waiver, "matches rules of several countries (every country: it names none)")
            )
        elif len(matched) > 1 and len({r.split("-")[0] for r in matched}) > 1 and waiver.country is None:
            problems.append(_problem(waiver, f"matches rules of several countries ({len(matched)} rules)"))
        if (waiver.expires - today).days > 366:
            problems.append(
                _problem(
                    waiver,
                    f"expires more than a year from now ({waiver.expires.isoformat()}); "
                    "a waiver is meant to be reviewed",
                )
            )
    return problems


def apply_waivers(report: Report, waivers: list[Waiver], rule_ids: set[str]) -> Report:
    """Mark matching open findings (fail, needs_info, review) as waived; report what did not apply."""
    if not waivers:
        return report
    # The questions `waivers lint` asks (too broad, too long) are notices of every check too.
    notices = list(report.notices) + [as_notice(p) for p in review_waivers(waivers, rule_ids, report.as_of)]
    used: set[int] = set()
    # A later waiver that matches only findings an earlier one waived: which earlier one.
    shadowed: dict[int, int] = {}
    findings = []
    for finding in report.findings:
        if finding.status in OPEN_STATUSES:
            for i, waiver in enumerate(waivers):
                if waiver.matches(finding):
                    used.add(i)
                    if waiver.expired_on(report.as_of):
                        continue
                    for later in range(i + 1, len(waivers)):
                        if later not in shadowed and waivers[later].matches(finding):
                            shadowed[later] = i
                    finding = records.replace(
                        finding,
                        status=Status.WAIVED,
                        verdict=finding.verdict or finding.status,
                        waiver=waiver,
                    )
                    break
        findings.append(finding)
    for i, waiver in enumerate(waivers):
        if i in used or waiver.expired_on(report.as_of):
            continue
        if not _names_a_known_rule(waiver, rule_ids):
            continue  # already said: it names no known rule (a second notice said nothing more)
        if i in shadowed:
            earlier = waivers[shadowed[i]].describe(located=False)
            where = waivers[shadowed[i]].location
            notices.append(
                f"{waiver.describe()} matched no finding that needs action: the findings it matches are "
                f"waived by an earlier {earlier}" + (f" ({where})" if where else "")
            )
        else:
            notices.append(f"{waiver.describe()} matched no finding that needs action")
    return records.replace(report, findings=tuple(findings), notices=tuple(notices))


def baseline_mismatch(report: Report, baseline: Report) -> str | None:
    """A notice when the baseline was made from another manifest: matching by rule, country and
    subject would then let its findings hide this manifest's failures."""
    from pathlib import PurePath

    same_name = PurePath(baseline.manifest_path).name == PurePath(report.manifest_path).name
    if same_name and baseline.organization == report.organization:
        return None
    return (
        f"the baseline was made from another manifest ({baseline.manifest_path}, organization "
        f"{quote(baseline.organization)}), not {report.manifest_path} ({quote(report.organization)}); "
        "its findings are matched by rule, country and subject and may hide failures of this one"
    )


def apply_baseline(report: Report, baseline: Report) -> Report:
    """Mark which findings needing action the baseline already had (matched by fingerprint), with
    the same status or a more urgent one (a needs_info that became a fail is not in the baseline).

    A baseline made from another manifest is applied, and said so in the report's notices.
    """
    # What the baseline said of each finding (a waived one: its own verdict). A finding is known
    # only as it was or better: a question the baseline had open that is now a fail is new.
    known = {
        f.fingerprint: (f.verdict or f.status) if f.status is Status.WAIVED else f.status
        for f in baseline.findings
        if f.status in OPEN_STATUSES or f.status is Status.WAIVED
    }

    def was_known(f: Finding) -> bool:
        before = known.get(f.fingerprint)
        return before is not None and STATUS_ORDER[f.status.value] >= STATUS_ORDER[before.value]

    findings = tuple(
        records.replace(f, in_baseline=was_known(f)) if f.status in OPEN_STATUSES else f
        for f in report.findings
    )
    mismatch = baseline_mismatch(report, baseline)
    notices = (*report.notices, mismatch) if mismatch else report.notices
    return records.replace(report, findings=findings, notices=notices)
