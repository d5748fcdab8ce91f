"""`plan --expand-to`: what entering new markets adds, as an ordered to-do list.

The manifest is extended with a market and a customer-data flow for each new
country (every assumption is listed in the plan, never hidden), both versions
are checked, and the findings that appear or get worse become the to-do list.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from defa_check.evaluate.document import check_data
from defa_check.model import DISCLAIMER, Finding, Problem, Report, Severity, Status
from defa_check.packs.loader import Catalog
from defa_check.render.escape import terminal
from defa_check.workflows.diff import diff_reports

EFFORT = {
    "registration": "a filing with an authority: days to weeks",
    "local_presence": "appoint a representative or set up an entity: weeks to months",
    "localization": "store or copy data in the country: an infrastructure change, months",
    "transfer": "contract clauses, an assessment or a filing: days to weeks",
    "impact_assessment": "an assessment, sometimes filed: days to weeks",
    "dpo": "appoint a person or a service provider: days",
    "breach_notification": "update the incident plan: hours to days",
    "legal_basis": "consent wording or a documented basis: days",
    "sensitive_data": "extra consent and safeguards: days to weeks",
    "children": "parental consent and age checks: weeks",
    "ecommerce": "a licence, notification or representative: weeks",
    "consumer_protection": "storefront information and terms: days",
    "security": "technical measures: days to weeks",
    "retention": "a retention schedule: days",
}
TOPIC_ORDER = [
    "registration",
    "local_presence",
    "localization",
    "ecommerce",
    "transfer",
    "impact_assessment",
    "dpo",
    "legal_basis",
    "sensitive_data",
    "children",
    "breach_notification",
    "consumer_protection",
    "security",
    "retention",
]


@dataclass(frozen=True)
class Plan:
    """What expanding into ``countries`` adds for this manifest."""

    countries: tuple[str, ...]
    assumptions: tuple[str, ...]
    todo: tuple[Finding, ...]
    upcoming: tuple[Finding, ...]
    before: Report
    after: Report
    extended_manifest: dict[str, Any] = field(repr=False, default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "expand_to": list(self.countries),
            "as_of": self.after.as_of.isoformat(),
            "assumptions": list(self.assumptions),
            "todo": [{**f.to_dict(), "effort": EFFORT.get(f.topic, "")} for f in self.todo],
            "upcoming_within_12_months": [f.to_dict() for f in self.upcoming],
            "disclaimer": DISCLAIMER,
        }


def _storage_country(manifest: dict[str, Any]) -> tuple[str, str | None]:
    """Where customer data is stored today: the system most customer flows use, else home."""
    systems = {s["id"]: s for s in manifest.get("systems") or []}
    used = Counter(
        f["system"]
        for f in manifest.get("flows") or []
        if f.get("system") in systems and "customer" in (f.get("subjects") or {}).get("kinds", [])
    )
    if used:
        system_id = used.most_common(1)[0][0]
        return systems[system_id]["country"], system_id
    return manifest["organization"]["home_country"], None


def _union(flows: list[dict[str, Any]], key: str) -> list[str] | None:
    values: list[str] = []
    stated = False
    for flow in flows:
        if key in flow:
            stated = True
            values += [v for v in flow[key] if v not in values]
    return values if stated else None


def extend_manifest(
    manifest: dict[str, Any], countries: list[str], customers: int | None
) -> tuple[dict[str, Any], list[str]]:
    """The manifest with a market and a customer-data flow per new country, and what was assumed."""
    data = copy.deepcopy(manifest)
    assumptions: list[str] = []
    store, system_id = _storage_country(data)
    customer_flows = [
        f for f in data.get("flows") or [] if "customer" in (f.get("subjects") or {}).get("kinds", [])
    ]
    template = customer_flows or (data.get("flows") or [])
    markets = data.setdefault("markets", [])
    flows = data.setdefault("flows", [])
    existing_market = markets[0] if markets else {}
    for country in countries:
        if any(m.get("country") == country for m in markets):
            assumptions.append(f"{country}: you already sell there; nothing was added for it.")
            continue
        market: dict[str, Any] = {
            "country": country,
            "role": existing_market.get("role", "seller"),
            "b2c": True,
        }
        if "channels" in existing_market:
            market["channels"] = list(existing_market["channels"])
        markets.append(market)
        assumptions.append(
            f"{country}: you sell online there as a {market['role']} to consumers"
            + (f" through {', '.join(market['channels'])}" if "channels" in market else "")
            + "; transactions, users, language and domain are not stated, so rules that depend on them"
            " say what to add."
        )
        flow: dict[str, Any] = {
            "id": f"plan-{country.lower()}-customers",
            "description": f"Planned: customers' data from {country} to where customer data is stored today",
            "from": country,
            "to": store,
            "subjects": {"kinds": ["customer"], "countries": [country], "children": False},
        }
        if system_id:
            flow["system"] = system_id
        if customers is not None:
            flow["subjects"]["count"] = customers
            totals = data["organization"].get("data_subjects_by_country")
            if totals is not None:
                totals.setdefault(country, customers)
        for key in ("data_categories", "purposes", "legal_bases", "transfer_mechanisms", "safeguards"):
            values = _union(template, key)
            if values is not None:
                flow[key] = values
        flow["local_copy"] = False
        flows.append(flow)
        assumptions.append(
            f"{country}: customers' data goes from {country} to {store}"
            + (f" (system {system_id})" if system_id else " (your home country)")
            + ", with the same data categories, purposes, legal bases, transfer mechanisms and safeguards as"
            " your customer flows today, no copy kept in the country, no children's data"
            + (
                f", about {customers:,} customers a year"
                if customers is not None
                else ", number of customers not stated"
            )
            + "."
        )
    return data, assumptions


def make_plan(
    manifest: dict[str, Any],
    countries: list[str],
    catalog: Catalog,
    as_of: dt.date,
    customers: int | None = None,
    horizon_months: int = 12,
) -> tuple[Plan | None, list[Problem]]:
    """What entering ``countries`` adds to ``manifest``: a plan, or the problems that prevent one."""
    before_result = check_data(manifest, catalog, as_of)
    extended, assumptions = extend_manifest(manifest, countries, customers)
    after_result = check_data(extended, catalog, as_of)
    before, after = before_result.report, after_result.report
    if before is None or after is None:
        # A bug if it happens: the manifest was validated and the extension only adds valid items.
        return None, [*before_result.problems, *after_result.problems]
    diff = diff_reports(before, after)
    todo = [f for f in (*diff.new, *(new for _, new in diff.changed)) if f.needs_action]
    todo.sort(
        key=lambda f: (
            f.status is not Status.FAIL,
            -int(f.severity),
            TOPIC_ORDER.index(f.topic) if f.topic in TOPIC_ORDER else 99,
            f.sort_key,
        )
    )
    limit = _add_months(as_of, horizon_months)
    upcoming = [
        f
        for f in after.findings
        if f.needs_action_once_in_force
        and not f.draft
        and f.effective_from is not None
        and f.effective_from <= limit
    ]
    return Plan(
        tuple(countries), tuple(assumptions), tuple(todo), tuple(upcoming), before, after, extended
    ), []


def _add_months(day: dt.date, months: int) -> dt.date:
    """``months`` after ``day`` (the last day of a shorter month; the last date there is, at most)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    if year > dt.MAXYEAR:  # `--as-of 9999-12-31 --horizon 1`
        return dt.date.max
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return dt.date(year, month, min(day.day, last[month - 1]))


def _when(f: Finding) -> str:
    if f.upcoming and f.effective_from:
        return f"by {f.effective_from.isoformat()}"
    return "before you start"


def render_plan(plan: Plan, fmt: str) -> str:
    """The plan as plain text (console), Markdown or JSON."""
    if fmt == "json":
        return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"
    markdown = fmt == "markdown"
    if markdown:
        from defa_check.render.escape import md
    else:

        def md(text: object) -> str:
            return " ".join(str(text).split())

    h1, h2, bullet = ("# ", "## ", "- ") if markdown else ("", "", "  - ")
    out = [f"{h1}Expansion plan: {', '.join(plan.countries)} (law as of {plan.after.as_of.isoformat()})", ""]
    out += [f"{h2}What we assumed (check these)", ""]
    out += [f"{bullet}{md(a)}" for a in plan.assumptions]
    out += ["", f"{h2}To do ({len(plan.todo)})", ""]
    if not plan.todo:
        out.append("Nothing new needs action for these markets, on these assumptions.")
    for n, f in enumerate(plan.todo, 1):
        verb = "Do" if f.status is Status.FAIL else "Find out"
        sev = f.severity.label.upper()
        out.append(
            f"{n}. [{sev}] {verb} ({f.country}, {f.topic.replace('_', ' ')}, {_when(f)}): {md(f.title)}"
        )
        if f.status is Status.FAIL:
            out.append(f"   What to do: {md(f.remediation)}")
        else:
            out.append(f"   {md(f.message)}")
        out.append(f"   Effort: {EFFORT.get(f.topic, 'varies')}. Confidence: {f.confidence}.")
        out.append(f"   Law: {md(f.citation.instrument)}, {md(f.citation.provision)} — {f.citation.url}")
    out += ["", f"{h2}Coming into force in the next 12 months ({len(plan.upcoming)})", ""]
    if not plan.upcoming:
        out.append("Nothing dated in this window for these markets.")
    for f in sorted(plan.upcoming, key=lambda f: (f.effective_from or dt.date.max, f.sort_key)):
        when = f.effective_from.isoformat() if f.effective_from else ""
        out.append(f"{bullet}{when} {f.rule_id} ({f.country}): {md(f.title)}")
    out += ["", md(DISCLAIMER), ""]
    return "\n".join(out)


def horizon_findings(report: Report, months: int) -> list[Finding]:
    """Dated requirements coming into force within ``months`` that this manifest would not meet."""
    limit = _add_months(report.as_of, months)
    return sorted(
        (
            f
            for f in report.findings
            if f.needs_action_once_in_force
            and not f.draft
            and f.effective_from is not None
            and f.effective_from <= limit
        ),
        key=lambda f: (f.effective_from or dt.date.max, -int(f.severity), f.sort_key),
    )


def horizon_text(report: Report, months: int) -> str:
    """`check --horizon`: what comes into force in the next ``months`` that this manifest would not meet."""
    coming = horizon_findings(report, months)
    lines = [f"Coming into force in the next {months} months ({len(coming)}):"]
    if not coming:
        lines.append("  nothing dated in this window for this manifest")
    for f in coming:
        what = (f.verdict or f.status).value.replace("_", " ")
        when = f.effective_from.isoformat() if f.effective_from else ""
        head = terminal(f"{f.rule_id} · {f.subject.label}: {f.title}")
        lines.append(f"  {when}  {head} (would be {what})")
        lines.append(f"              What to do: {terminal(f.remediation)}")
    return "\n".join(lines)


FORMATS = ("console", "markdown", "json")
"""`plan --format` choices; :func:`render_plan` renders each."""


__all__ = [
    "EFFORT",
    "Plan",
    "Severity",
    "extend_manifest",
    "horizon_findings",
    "horizon_text",
    "make_plan",
    "render_plan",
]
