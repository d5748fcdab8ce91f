"""Evaluate a validated manifest against the rule packs: a pure function to a Report.

Each country in scope is evaluated once for the organization, once per flow
that involves it and once per market in it. A rule that is not in force yet on
the as-of date is evaluated anyway and marked ``upcoming``; a superseded rule
is not applied. A rule from a draft law is evaluated too, marked ``draft`` and
``upcoming``, and so never counts towards the exit code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from defa_check.model import (
    Confidence,
    Finding,
    Location,
    Report,
    Rule,
    ScopeLimit,
    Status,
    Subject,
    missing_sentence,
)
from defa_check.packs.facts import (
    flow_context,
    flow_subject_countries,
    market_context,
    missing_paths,
    organization_context,
)
from defa_check.packs.loader import Catalog

NEEDS_INFO_DEFAULT = "The manifest does not say enough to decide this requirement."


@dataclass(frozen=True)
class Selection:
    """Which part of the catalog to apply."""

    countries: frozenset[str] | None = None
    rule_ids: frozenset[str] | None = None


def countries_mentioned(manifest: dict[str, Any]) -> set[str]:
    """Every country the manifest mentions anywhere (safe on data not validated yet)."""

    def mappings(value: Any) -> list[dict[str, Any]]:
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    def strings(value: Any) -> list[Any]:
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    org = manifest.get("organization")
    org = org if isinstance(org, dict) else {}
    candidates: list[Any] = [org.get("home_country")]
    candidates += strings(org.get("establishments")) + strings(org.get("local_representatives"))
    candidates += [r.get("country") for r in mappings(org.get("registrations"))]
    candidates += [s.get("country") for s in mappings(manifest.get("systems"))]
    for flow in mappings(manifest.get("flows")):
        candidates += [flow.get("from"), flow.get("to")]
        subjects = flow.get("subjects")
        if isinstance(subjects, dict):
            candidates += strings(subjects.get("countries"))
    candidates += [m.get("country") for m in mappings(manifest.get("markets"))]
    return {c for c in candidates if isinstance(c, str)}


def judge(rule: Rule, ctx: dict[str, Any]) -> tuple[Status, list[str]]:
    """The status of ``rule`` on one subject's facts, and the fields to add if unknown."""
    if rule.applies_when is not None:
        applies = rule.applies_when.predicate(ctx)
        if applies is False:
            return Status.NOT_APPLICABLE, []
        if applies is None:
            return Status.NEEDS_INFO, missing_paths(ctx, rule.applies_when.facts)
    result = rule.requires.predicate(ctx)
    if result is True:
        return Status.PASS, []
    if result is False:
        return Status.FAIL, []
    return Status.NEEDS_INFO, missing_paths(ctx, rule.requires.facts)


def _message(rule: Rule, status: Status, kind: str, missing: list[str]) -> str:
    if status is Status.PASS:
        return rule.message_pass
    if status is Status.FAIL:
        return rule.message_fail
    if status is Status.NOT_APPLICABLE:
        return f"Does not apply to this {kind}."
    return (rule.message_needs_info or NEEDS_INFO_DEFAULT) + missing_sentence(missing)


UNSETTLED = (
    " The law on this point is unsettled (confidence: low), so this is reported as needing review"
    " rather than as a failure; confirm with counsel."
)


def _why(
    rule: Rule, ctx: dict[str, Any], status: Status, country_name: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(why the rule applies or not, what in the manifest makes it pass or fail), in plain words."""
    from defa_check.packs.phrases import reason

    def words(leaves: list[dict[str, Any]], held: bool) -> tuple[str, ...]:
        # "X is stated" says little beside the leaf that reads X's value.
        telling = [leaf for leaf in leaves if "exists" not in leaf] or leaves
        return tuple(dict.fromkeys(reason(leaf, held, ctx, country_name) for leaf in telling))

    applies = rule.applies_when
    if status is Status.NOT_APPLICABLE:
        return (words(applies.explain(ctx, False), False) if applies and applies.explain else ()), ()
    why = words(applies.explain(ctx, True), True) if applies and applies.explain else ()
    evidence: tuple[str, ...] = ()
    if rule.requires.explain is not None and status in (Status.PASS, Status.FAIL):
        held = status is Status.PASS
        evidence = words(rule.requires.explain(ctx, held), held)
    return why, evidence


def _finding(
    rule: Rule,
    ctx: dict[str, Any],
    subject: Subject,
    location: Location | None,
    as_of: dt.date,
    country_name: str = "",
) -> Finding:
    status, missing = judge(rule, ctx)
    why, evidence = _why(rule, ctx, status, country_name or rule.country)
    verdict = None
    message = _message(rule, status, subject.kind, missing)
    if status is Status.FAIL and rule.confidence is Confidence.LOW:
        # Accuracy over certainty: a rule whose sources are weak never gives a
        # confident fail; the finding keeps the rule's own verdict beside it.
        verdict, status = status, Status.REVIEW
        message += UNSETTLED
    return Finding(
        rule_id=rule.id,
        country=rule.country,
        topic=rule.topic,
        severity=rule.severity,
        status=status,
        subject=subject,
        title=rule.title,
        message=message,
        citation=rule.citation,
        remediation=rule.remediation,
        missing=tuple(missing),
        location=location,
        effective_from=rule.effective_from,
        effective_until=rule.effective_until,
        upcoming=rule.upcoming_on(as_of),
        confidence=rule.confidence,
        draft=rule.draft,
        verdict=verdict,
        why=why,
        evidence=evidence,
    )


def evaluate(
    manifest: dict[str, Any],
    catalog: Catalog,
    as_of: dt.date,
    selection: Selection = Selection(),
    locate: Callable[[list[Any]], Location | None] = lambda path: None,
) -> list[Finding]:
    """All findings for ``manifest``, in the report's deterministic order."""
    from defa_check.inputs.taxonomy import data_categories

    categories = data_categories()
    extensions = [e["key"] for e in (manifest.get("taxonomy_extensions") or {}).get("data_categories", [])]
    if extensions:
        categories = categories.extended(extensions)
    systems = {s["id"]: s for s in manifest.get("systems") or ()}
    flows = manifest.get("flows") or []
    markets = manifest.get("markets") or []
    findings: list[Finding] = []
    # Index flows by the countries they involve once, instead of per country.
    involved: dict[str, list[int]] = {}
    subjects_of: dict[str, list[int]] = {}
    for i, flow in enumerate(flows):
        subject_countries = flow_subject_countries(flow)
        for c in {flow["from"], flow["to"], *subject_countries}:
            involved.setdefault(c, []).append(i)
        for c in set(subject_countries):
            subjects_of.setdefault(c, []).append(i)
    flow_locations: dict[int, Location | None] = {}
    for country in scope(manifest, catalog, selection):
        rules = catalog.by_country.get(country)
        if not rules:
            continue

        org_rules, flow_rules, market_rules = (
            _active(rules[kind], as_of, selection) for kind in ("organization", "flow", "market")
        )
        sensitive = catalog.sensitive(country)
        profile = catalog.profiles.get(country)
        name = profile.name if profile else country
        org_ctx = organization_context(manifest, country, sensitive, categories, subjects_of.get(country, []))
        if org_rules:
            subject = Subject("organization", "organization")
            location = locate(["organization"])
            findings += [_finding(r, org_ctx, subject, location, as_of, name) for r in org_rules]
        if flow_rules:
            for i in involved.get(country, ()):
                flow = flows[i]
                ctx = flow_context(org_ctx, flow, i, country, systems, sensitive, categories)
                subject = Subject("flow", flow["id"], flow.get("description") or "")
                if i not in flow_locations:
                    flow_locations[i] = locate(["flows", i])
                location = flow_locations[i]
                findings += [_finding(r, ctx, subject, location, as_of, name) for r in flow_rules]
        if market_rules:
            for i, market in enumerate(markets):
                if market["country"] != country:
                    continue
                ctx = market_context(org_ctx, market, i)
                subject = Subject("market", market.get("id") or market["country"], name)
                location = locate(["markets", i])
                findings += [_finding(r, ctx, subject, location, as_of, name) for r in market_rules]
    findings.sort(key=lambda f: f.sort_key)
    return findings


def _active(rules: Sequence[Rule], as_of: dt.date, selection: Selection) -> list[Rule]:
    """The rules not superseded on ``as_of`` and selected."""
    return [
        r
        for r in rules
        if not r.superseded_on(as_of) and (selection.rule_ids is None or r.id in selection.rule_ids)
    ]


def scope(manifest: dict[str, Any], catalog: Catalog, selection: Selection) -> list[str]:
    """Countries to evaluate: mentioned by the manifest, with a pack, and selected."""
    mentioned = countries_mentioned(manifest) & set(catalog.packs)
    if selection.countries is not None:
        mentioned &= selection.countries
    return sorted(mentioned)


def build_report(
    manifest: dict[str, Any],
    manifest_path: str,
    manifest_bytes: bytes,
    catalog: Catalog,
    as_of: dt.date,
    selection: Selection = Selection(),
    locate: Callable[[list[Any]], Location | None] = lambda path: None,
    tool_version: str | None = None,
) -> Report:
    """Evaluate and wrap the findings with what a reader needs to trust them."""
    from defa_check import __version__

    countries = scope(manifest, catalog, selection)
    findings = evaluate(manifest, catalog, as_of, selection, locate)
    return Report(
        tool_version=tool_version or __version__,
        as_of=as_of,
        manifest_path=manifest_path,
        manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
        organization=(manifest.get("organization") or {}).get("name", ""),
        packs=tuple(catalog.packs[c] for c in countries),
        findings=tuple(findings),
        countries=tuple(countries),
        scope_limits=scope_limits(catalog, countries),
    )


def scope_limits(catalog: Catalog, countries: list[str]) -> tuple[ScopeLimit, ...]:
    """What the profiles of ``countries`` say their packs do not check: per topic and pillar, then notes."""
    out: list[ScopeLimit] = []
    for code in countries:
        profile = catalog.profiles.get(code)
        if profile is None:
            continue
        for section in ("topics", "pillars"):
            for key, entry in (profile.data.get(section) or {}).items():
                text = entry.get("not_checked") if isinstance(entry, dict) else None
                if text:
                    out.append(ScopeLimit(code, key, " ".join(str(text).split())))
        notes = profile.data.get("notes")
        if notes:
            out.append(ScopeLimit(code, "", " ".join(str(notes).split())))
    return tuple(out)
