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
import operator
from collections.abc import Callable, Sequence

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
    FlowFacts,
    flow_context,
    flow_facts,
    flow_subject_countries,
    market_context,
    missing_paths,
    organization_context,
)
from defa_check.packs.loader import Catalog
from defa_check.records import record

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

    _AnyDict = dict[Any, Any]
else:
    _AnyDict = dict

NEEDS_INFO_DEFAULT = "The manifest does not say enough to decide this requirement."


@record
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
        candidates.append(flow.get("from"))
        candidates.append(flow.get("to"))
        subjects = flow.get("subjects")
        if isinstance(subjects, dict) and isinstance(countries := subjects.get("countries"), list):
            candidates += countries
    candidates += [m.get("country") for m in mappings(manifest.get("markets"))]
    return {c for c in candidates if isinstance(c, str)}


UNSETTLED = (
    " The law on this point is unsettled (confidence: low), so this is reported as needing review"
    " rather than as a failure; confirm with counsel."
)


def _why(
    rule: Rule, ctx: dict[str, Any], status: Status, country_name: str, said: dict[Any, str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(why the rule applies or not, what in the manifest makes it pass or fail), in plain words.

    ``said`` keeps each leaf's wording by the value it read: different outcomes of a rule,
    and different rules, mostly say the same few things ("the data goes to Viet Nam").
    """
    from defa_check.packs.phrases import reason

    def words(leaves: list[tuple[dict[str, Any], bool]]) -> tuple[str, ...]:
        # "X is stated" says little beside the leaf that reads X's value.
        telling = [pair for pair in leaves if "exists" not in pair[0]] or leaves
        texts = []
        for leaf, held in telling:
            # A leaf is a mapping of the rule's own condition, alive as long as the catalog.
            key = (id(leaf), held, _frozen(ctx.get(leaf["fact"], _ABSENT)), country_name)
            text = said.get(key)
            if text is None:
                text = said[key] = reason(leaf, held, ctx, country_name)
            texts.append(text)
        return tuple(dict.fromkeys(texts))

    applies = rule.applies_when
    if status is Status.NOT_APPLICABLE:
        return (words(applies.explain(ctx, False)) if applies and applies.explain else ()), ()
    why = words(applies.explain(ctx, True)) if applies and applies.explain else ()
    evidence: tuple[str, ...] = ()
    if rule.requires.explain is not None and status in (Status.PASS, Status.FAIL):
        evidence = words(rule.requires.explain(ctx, status is Status.PASS))
    return why, evidence


class _Memo(_AnyDict):
    """What is worked out once and looked up after: a rule's outcomes by the values of the facts it
    reads, wordings by the value a leaf read (a seam: a test swaps in one that forgets)."""


_Outcome = tuple[Status, tuple[str, ...], tuple[str, ...], tuple[str, ...], str, Status, str, Status | None]
"""(status, why it applies or not, what the manifest shows, the facts whose absence makes it needs_info,
its needs_info message without the fields to add ("" for another status), and for another status what
its findings say: the status reported, the message, the rule's own verdict when it differs)."""


class _Step:
    """One rule, ready to be applied to many subjects of its kind.

    A rule's conditions read only their own facts (every operator looks up its
    one ``fact``), so two subjects that state the same values for those facts
    get the same status, reasons and evidence; only the fields to add (paths
    that name the subject) differ. Large manifests repeat the same values
    thousands of times, and explaining a verdict in words costs several times
    more than reaching it: the outcome is worked out once per distinct set of
    values, looked up by a key taken from the subject's values in one C call.
    """

    __slots__ = ("fixed", "found", "gate", "gated", "key", "memo", "rule", "text", "unlisted", "upcoming")

    def __init__(self, rule: Rule, position: dict[str, int], as_of: dt.date) -> None:
        self.rule = rule
        read = _facts_read(rule)
        self.key: Callable[[list[Any]], Any] = (
            operator.itemgetter(*(position[fact] for fact in read)) if read else _no_key
        )
        self.memo = _Memo()
        # Whether a rule applies depends on its applies_when facts alone, and so does the wording
        # of why it does not: most subjects are not-applicable outcomes, looked up by those facts
        # first (a subject it does not apply to differs from another in facts it never reads).
        applies = rule.applies_when
        gate = [position[fact] for fact in applies.facts] if applies is not None else []
        self.gate: Callable[[list[Any]], Any] | None = operator.itemgetter(*gate) if gate else None
        self.gated = _Memo()  # applies_when values -> the not-applicable outcome, or None: it may apply
        self.upcoming = rule.upcoming_on(as_of)
        self.text = _rule_text(rule, self.upcoming)  # shared by every finding of the rule
        self.unlisted: list[tuple[str, tuple[str, ...]]] = []  # not applicable, counted: (subject id, why)
        self.found: list[Finding] = []  # listed, in the order of their subjects' ids
        # Per status: (status reported, message, the rule's own verdict when the status differs).
        fail: tuple[Status, str, Status | None] = (Status.FAIL, rule.message_fail, None)
        if rule.confidence is Confidence.LOW:
            # Accuracy over certainty: a rule whose sources are weak never gives a
            # confident fail; the finding keeps the rule's own verdict beside it.
            fail = (Status.REVIEW, rule.message_fail + UNSETTLED, Status.FAIL)
        self.fixed: dict[Status, tuple[Status, str, Status | None]] = {
            Status.PASS: (Status.PASS, rule.message_pass, None),
            Status.FAIL: fail,
            Status.NOT_APPLICABLE: (Status.NOT_APPLICABLE, f"Does not apply to this {rule.subject}.", None),
        }

    def learn(self, key: Any, ctx: dict[str, Any], country_name: str, said: dict[Any, str]) -> _Outcome:
        """The rule's outcome on ``ctx`` (whose facts give ``key``), worked out and remembered."""
        rule = self.rule
        status = judge(rule, ctx)
        why, evidence = _why(rule, ctx, status, country_name or rule.country, said)
        unknown: tuple[str, ...] = ()
        message = ""
        if status is Status.NEEDS_INFO:
            # Ask for what leaves the verdict open, and say it in words that name the same: the
            # rule's own needs_info text is about what `requires` lacks; when it is `applies_when`
            # that is undecided, the message says so and names what decides it.
            applies = rule.applies_when
            unsettled = applies is not None and applies.predicate(ctx) is None
            condition = applies if applies is not None and unsettled else rule.requires
            leaves = condition.unknown(ctx) if condition.unknown is not None else ()
            unknown = tuple(dict.fromkeys(leaf["fact"] for leaf in leaves)) or condition.facts
            if unsettled:
                from defa_check.packs.phrases import applicability_unknown

                message = applicability_unknown(unknown, rule.subject, country_name or rule.country)
            else:
                message = rule.message_needs_info or NEEDS_INFO_DEFAULT
        outcome = self.memo[key] = self.outcome(status, why, evidence, unknown, message)
        return outcome

    def outcome(
        self,
        status: Status,
        why: tuple[str, ...],
        evidence: tuple[str, ...],
        unknown: tuple[str, ...],
        asked: str,
    ) -> _Outcome:
        shown, message, verdict = self.fixed.get(status) or (status, asked, None)
        return (status, why, evidence, unknown, asked, shown, message, verdict)

    def not_applicable(self, ctx: dict[str, Any], country_name: str, said: dict[Any, str]) -> _Outcome | None:
        """The not-applicable outcome on ``ctx``, or None when the rule applies or may apply."""
        rule = self.rule
        if rule.applies_when is None or rule.applies_when.predicate(ctx) is not False:
            return None
        why, _ = _why(rule, ctx, Status.NOT_APPLICABLE, country_name or rule.country, said)
        return self.outcome(Status.NOT_APPLICABLE, why, (), (), "")

    def finding(
        self, ctx: dict[str, Any], subject: Subject, location: Location | None, outcome: _Outcome, base: str
    ) -> Finding:
        """The finding on one subject (at ``base`` in the manifest: "$.flows[3]")."""
        status, why, evidence, unknown, asked, shown, message, verdict = outcome
        missing: tuple[str, ...] = ()
        if status is Status.NEEDS_INFO:
            missing = tuple(missing_paths(ctx, unknown, base))
            message = asked + missing_sentence(missing)
        # Positional: this runs for every listed finding (mypy checks the types).
        return Finding(
            self.text, shown, subject, message, missing, location, None, verdict, None, why, evidence
        )


def _no_key(values: list[Any]) -> tuple[()]:
    return ()


def _facts_read(rule: Rule) -> tuple[str, ...]:
    read = (rule.applies_when.facts if rule.applies_when else ()) + rule.requires.facts
    return tuple(dict.fromkeys(read))


class _Plan:
    """A country's rules for one kind of subject, and the facts they read, in one order.

    The organization's facts (``shared``) are the same for every subject of the country,
    so only the subject's own facts (``own_prefix``: "flow.", "market.") are made hashable
    per subject.
    """

    __slots__ = ("own", "steps", "template")

    def __init__(self, rules: list[Rule], as_of: dt.date, shared: dict[str, Any], own_prefix: str) -> None:
        facts = tuple(dict.fromkeys(fact for rule in rules for fact in _facts_read(rule)))
        position = {fact: i for i, fact in enumerate(facts)}
        self.steps = [_Step(rule, position, as_of) for rule in rules]
        self.own = [(i, fact) for i, fact in enumerate(facts) if fact.startswith(own_prefix)]
        self.template = [_frozen(shared.get(fact, _ABSENT)) for fact in facts]

    def values(self, ctx: dict[str, Any]) -> list[Any]:
        """The subject's value of every fact the rules read, hashable."""
        values = self.template.copy()
        get = ctx.get
        for i, fact in self.own:
            value = get(fact, _ABSENT)
            # Most facts are text or yes/no: those without a call (as _frozen makes them).
            kind = type(value)
            values[i] = value if kind is str else (kind, value) if kind is bool else _frozen(value)
        return values


_UNSEEN = object()
"""A lookup's answer for values not met yet (None is an answer: the rule may apply)."""

_ABSENT = ("<absent>",)
"""Stands for a fact the subject does not state (unlike one stated as null)."""


def _frozen(value: Any) -> Any:
    """``value`` as a hashable key that tells apart what reads differently (1, 1.0, True)."""
    kind = type(value)
    if kind is str:
        return value
    if kind is list:
        for item in value:
            if type(item) is not str:
                return (list, *map(_frozen, value))
        return (list, *value)  # most lists hold only text: no call per item
    if kind is dict:
        return (dict, *((k, _frozen(v)) for k, v in value.items()))
    return (kind, value)


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


def evaluate(
    manifest: dict[str, Any],
    catalog: Catalog,
    as_of: dt.date,
    selection: Selection = Selection(),
    locate: Callable[[list[Any]], Location | None] = lambda path: None,
) -> list[Finding]:
    """All findings for ``manifest``, in the report's deterministic order."""
    countries = scope(manifest, catalog, selection)
    return _evaluate(manifest, catalog, as_of, countries, selection, locate, list_not_applicable=True)[0]


def _evaluate(
    manifest: dict[str, Any],
    catalog: Catalog,
    as_of: dt.date,
    countries: list[str],
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
    # Subjects are met in the order of their ids, the order in which the report lists a rule's
    # findings: each rule's findings then come out in report order, and only the rules are sorted
    # at the end, not every finding (sorting 45,000 findings by a key took longer than this).
    flow_order = sorted(range(len(flows)), key=[flow["id"] for flow in flows].__getitem__)
    market_order = sorted(range(len(markets)), key=lambda i: markets[i].get("id") or markets[i]["country"])
    steps: list[_Step] = []
    # The countries each flow involves, and the flows whose data subjects are in a country.
    involves: list[set[str]] = []
    subjects_of: dict[str, list[int]] = {}
    subject_lists = [flow_subject_countries(flow) for flow in flows]
    for i, flow in enumerate(flows):
        subject_countries = subject_lists[i]
        involves.append({flow["from"], flow["to"], *subject_countries})
        for c in set(subject_countries):
            subjects_of.setdefault(c, []).append(i)
    said: dict[Any, str] = _Memo()  # each condition leaf's wording, by the value it read (see _why)
    # Not listed, only counted per rule (a rule has one kind of subject): not-applicable outcomes.
    unlisted_status = None if list_not_applicable else Status.NOT_APPLICABLE
    needs_info = Status.NEEDS_INFO

    def add(
        plan: _Plan, ctx: dict[str, Any], subject: Subject, location: Location | None, name: str, base: str
    ) -> None:
        values = plan.values(ctx)
        subject_id = subject.id
        for step in plan.steps:
            outcome = None
            if step.gate is not None:
                applies_values = step.gate(values)
                outcome = step.gated.get(applies_values, _UNSEEN)
                if outcome is _UNSEEN:
                    outcome = step.gated[applies_values] = step.not_applicable(ctx, name, said)
            if outcome is None:
                key = step.key(values)
                outcome = step.memo.get(key) or step.learn(key, ctx, name, said)
            status = outcome[0]
            if status is unlisted_status:
                step.unlisted.append((subject_id, outcome[1]))
            elif status is needs_info:
                step.found.append(step.finding(ctx, subject, location, outcome, base))
            else:  # what step.finding makes, without the call: most listed findings are these
                _, why, evidence, _, _, shown, message, verdict = outcome
                step.found.append(
                    Finding(
                        step.text, shown, subject, message, (), location, None, verdict, None, why, evidence
                    )
                )

    flow_plans: dict[str, tuple[_Plan, dict[str, Any], tuple[str, ...], str]] = {}
    for country in countries:
        rules = catalog.by_country.get(country)
        if not rules:
            continue

        org_rules, flow_rules, market_rules = (
            _active(rules[kind], as_of, selection) for kind in ("organization", "flow", "market")
        )
        sensitive = catalog.sensitive(country)
        profile = catalog.profiles.get(country)
        name = profile.in_sentence if profile else country
        org_ctx = organization_context(manifest, country, sensitive, categories, subjects_of.get(country, []))
        if org_rules:
            subject = Subject("organization", "organization")
            location = locate(["organization"])
            plan = _Plan(org_rules, as_of, org_ctx, "")
            steps += plan.steps
            add(plan, org_ctx, subject, location, name, "$.organization")
        if flow_rules:
            plan = _Plan(flow_rules, as_of, org_ctx, "flow.")
            steps += plan.steps
            flow_plans[country] = (plan, org_ctx, sensitive, name)
        if market_rules:
            plan = _Plan(market_rules, as_of, org_ctx, "market.")
            steps += plan.steps
            for i in market_order:
                market = markets[i]
                if market["country"] != country:
                    continue
                ctx = market_context(org_ctx, market, i)
                subject = Subject("market", market.get("id") or market["country"], name)
                location = locate(["markets", i])
                add(plan, ctx, subject, location, name, f"$.markets[{i}]")
    # Flows after the countries, each flow once for all the countries it involves, so that its
    # own facts are worked out once; a rule's findings still come out in the order of flow ids.
    planned = set(flow_plans)
    for i in flow_order:
        own: FlowFacts | None = None
        here = involves[i] & planned
        if not here:
            continue
        flow = flows[i]
        for country in sorted(here):
            plan, org_ctx, sensitive, name = flow_plans[country]
            if own is None:
                own = flow_facts(flow, systems, categories, subject_lists[i])
                subject = Subject("flow", flow["id"], flow.get("description") or "")
                location = locate(["flows", i])
                base = f"$.flows[{i}]"
            ctx = flow_context(org_ctx, flow, country, systems, sensitive, categories, own)
            add(plan, ctx, subject, location, name, base)
    steps.sort(key=lambda step: (step.rule.country, step.rule.id))
    findings = [finding for step in steps for finding in step.found]
    unlisted = []
    for step in steps:
        if not step.unlisted:
            continue
        reasons, upcoming, kind = step.unlisted, step.upcoming, step.rule.subject
        unlisted.append(
            NotApplicableCount(
                step.text,
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
    read, notices = filed_by(manifest, as_of)
    findings, unlisted = _evaluate(read, catalog, as_of, countries, selection, locate, list_not_applicable)
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
        notices=tuple(notices),
    )


def filed_by(manifest: dict[str, Any], as_of: dt.date) -> tuple[dict[str, Any], list[str]]:
    """``manifest`` as it stands on ``as_of``: a registration dated after it is a filing planned,
    not made, and does not count as filed (a notice says so for each)."""
    org = manifest.get("organization")
    if not isinstance(org, dict):
        return manifest, []
    registrations = org.get("registrations")
    if not registrations:
        return manifest, []
    day = as_of.isoformat()
    later = [i for i, r in enumerate(registrations) if str(r.get("date") or "") > day]
    if not later:
        return manifest, []
    notices = []
    for i in later:
        filed = registrations[i]
        notices.append(
            f"organization.registrations[{i}] ({filed['country']}, {filed['kind']}) is dated "
            f"{filed['date']}, after {day}, the date the law is checked as of: not counted as filed"
        )
    kept = [r for i, r in enumerate(registrations) if i not in set(later)]
    return {**manifest, "organization": {**org, "registrations": kept}}, notices


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
