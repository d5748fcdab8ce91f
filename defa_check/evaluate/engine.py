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
    NotApplicableCount,
    Report,
    Rule,
    RuleText,
    ScopeLimit,
    Status,
    Subject,
    missing_sentence,
    why_not,
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


class _Outcomes:
    """Each rule's status and reasons, computed once per distinct set of the facts it reads.

    A rule's conditions read only their own facts (every operator looks up its
    one ``fact``), so two subjects that state the same values for those facts
    get the same status, reasons and evidence; only the fields to add (paths
    that name the subject) differ. Large manifests repeat the same shapes of
    flow thousands of times, and explaining a verdict in words costs several
    times more than reaching it.
    """

    __slots__ = ("_country_name", "_facts", "_memo")

    def __init__(self, country_name: str) -> None:
        self._country_name = country_name
        self._facts: dict[str, tuple[str, ...]] = {}
        self._memo: dict[tuple[Any, ...], tuple[Status, tuple[str, ...], tuple[str, ...]]] = {}

    def __call__(
        self, rule: Rule, ctx: dict[str, Any], seen: dict[str, Any]
    ) -> tuple[Status, tuple[str, ...], tuple[str, ...]]:
        """``rule``'s outcome on ``ctx``; ``seen`` keeps ``ctx``'s facts already made hashable
        (a subject's rules read many of the same facts)."""
        facts = self._facts.get(rule.id)
        if facts is None:
            read = (rule.applies_when.facts if rule.applies_when else ()) + rule.requires.facts
            facts = self._facts[rule.id] = tuple(dict.fromkeys(read))
        parts: list[Any] = [rule.id]
        for fact in facts:
            value = seen.get(fact, _UNSEEN)
            if value is _UNSEEN:
                value = seen[fact] = _frozen(ctx.get(fact, _ABSENT))
            parts.append(value)
        key = tuple(parts)
        outcome = self._memo.get(key)
        if outcome is None:
            status = judge(rule, ctx)
            why, evidence = _why(rule, ctx, status, self._country_name or rule.country)
            outcome = self._memo[key] = (status, why, evidence)
        return outcome


_UNSEEN = object()
_ABSENT = ("<absent>",)
"""Stands for a fact the subject does not state (unlike one stated as null)."""


def _frozen(value: Any) -> Any:
    """``value`` as a hashable key that tells apart what reads differently (1, 1.0, True)."""
    if type(value) is str:
        return value
    if type(value) is list:
        return (list, *map(_frozen, value))
    if type(value) is dict:
        return (dict, *((k, _frozen(v)) for k, v in value.items()))
    return (type(value), value)


def judge(rule: Rule, ctx: dict[str, Any]) -> Status:
    """The status of ``rule`` on one subject's facts (:func:`_missing` names the fields to add)."""
    if rule.applies_when is not None:
        applies = rule.applies_when.predicate(ctx)
        if applies is False:
            return Status.NOT_APPLICABLE
        if applies is None:
            return Status.NEEDS_INFO
    result = rule.requires.predicate(ctx)
    if result is True:
        return Status.PASS
    if result is False:
        return Status.FAIL
    return Status.NEEDS_INFO


def _missing(rule: Rule, ctx: dict[str, Any]) -> list[str]:
    """The fields to add for a needs_info finding: those of the first condition left unknown."""
    if rule.applies_when is not None and rule.applies_when.predicate(ctx) is None:
        return missing_paths(ctx, rule.applies_when.facts)
    return missing_paths(ctx, rule.requires.facts)


def _finding(
    rule: Rule,
    ctx: dict[str, Any],
    subject: Subject,
    location: Location | None,
    as_of: dt.date,
    outcome: tuple[Status, tuple[str, ...], tuple[str, ...]],
) -> Finding:
    status, why, evidence = outcome
    missing = _missing(rule, ctx) if status is Status.NEEDS_INFO else []
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
    return _evaluate(manifest, catalog, as_of, selection, locate, list_not_applicable=True)[0]


def _evaluate(
    manifest: dict[str, Any],
    catalog: Catalog,
    as_of: dt.date,
    selection: Selection,
    locate: Callable[[list[Any]], Location | None],
    list_not_applicable: bool,
) -> tuple[list[Finding], list[NotApplicableCount]]:
    """The findings in report order and, unless ``list_not_applicable``, the not-applicable
    ones counted per rule and subject kind instead (most findings of a large manifest are
    not applicable, and only CSV and the deliverables name each one; the other formats show
    counts and reasons)."""
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
    counted: dict[tuple[str, str], tuple[Rule, list[tuple[str, tuple[str, ...]]]]] = {}

    def add(rules: list[Rule], ctx: dict[str, Any], subject: Subject, location: Location | None) -> None:
        seen: dict[str, Any] = {}
        for rule in rules:
            outcome = outcomes(rule, ctx, seen)
            if outcome[0] is Status.NOT_APPLICABLE and not list_not_applicable:
                entry = counted.get((rule.id, subject.kind))
                if entry is None:
                    entry = counted[(rule.id, subject.kind)] = (rule, [])
                entry[1].append((subject.id, outcome[1]))
            else:
                findings.append(_finding(rule, ctx, subject, location, as_of, outcome))

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
        outcomes = _Outcomes(name)
        if org_rules:
            subject = Subject("organization", "organization")
            location = locate(["organization"])
            add(org_rules, org_ctx, subject, location)
        if flow_rules:
            for i in involved.get(country, ()):
                flow = flows[i]
                ctx = flow_context(org_ctx, flow, i, country, systems, sensitive, categories)
                subject = Subject("flow", flow["id"], flow.get("description") or "")
                if i not in flow_locations:
                    flow_locations[i] = locate(["flows", i])
                location = flow_locations[i]
                add(flow_rules, ctx, subject, location)
        if market_rules:
            for i, market in enumerate(markets):
                if market["country"] != country:
                    continue
                ctx = market_context(org_ctx, market, i)
                subject = Subject("market", market.get("id") or market["country"], name)
                location = locate(["markets", i])
                add(market_rules, ctx, subject, location)
    findings.sort(key=lambda f: f.sort_key)
    unlisted = []
    for (_, kind), (rule, reasons) in counted.items():
        upcoming = rule.upcoming_on(as_of)
        reasons.sort(key=lambda reason: reason[0])  # the order listed findings would have
        unlisted.append(
            NotApplicableCount(
                _rule_text(rule, upcoming),
                kind,
                len(reasons),
                len(reasons) if upcoming else 0,
                why_not(reasons),
            )
        )
    return findings, unlisted


def _rule_text(rule: Rule, upcoming: bool) -> RuleText:
    return RuleText(
        rule.id,
        rule.country,
        rule.topic,
        rule.severity,
        rule.title,
        rule.citation,
        rule.remediation,
        rule.effective_from,
        rule.effective_until,
        upcoming,
        rule.confidence,
        rule.draft,
    )


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
    list_not_applicable: bool = True,
) -> Report:
    """Evaluate and wrap the findings with what a reader needs to trust them.

    Without ``list_not_applicable``, not-applicable findings are only counted
    (:attr:`Report.unlisted`), as a saved JSON report keeps them.
    """
    from defa_check import __version__

    countries = scope(manifest, catalog, selection)
    findings, unlisted = _evaluate(manifest, catalog, as_of, selection, locate, list_not_applicable)
    return Report(
        tool_version=tool_version or __version__,
        as_of=as_of,
        manifest_path=manifest_path,
        manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
        organization=(manifest.get("organization") or {}).get("name", ""),
        packs=tuple(catalog.packs[c] for c in countries),
        findings=tuple(findings),
        countries=tuple(countries),
        unlisted=tuple(unlisted),
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
