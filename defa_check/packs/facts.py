"""The facts that rule conditions can use, derived from a manifest for one country.

A context is a plain dict ``fact name -> value``. A fact the manifest does not
state is simply absent, which makes any condition on it unknown; the manifest
field to add is recorded under :data:`MISSING_KEY` so a `needs_info` finding can
name it. The vocabulary is documented in ``docs/rule-format.md``; :data:`FACTS`
is its single source for linting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from defa_check.model import ASEAN_MEMBERS, Between

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any, TypeAlias

STAFF = frozenset({"employee", "job_applicant", "trainee", "consultant"})
"""Data subjects whose data a business holds as an employer (HR: a supporting activity)."""

MISSING_KEY = "__missing__"
"""Context key holding ``{fact: [manifest paths]}`` for facts that are not stated. A flow's own
field is written from the flow (``.retention.until``): :func:`missing_paths` puts the flow's
place (``$.flows[3]``) in front, so the same paths serve every flow that lacks the field."""

_ORG_FIELDS = {
    "org.home_country": "home_country",
    "org.size": "size",
    "org.employees": "employees",
    "org.sectors": "sectors",
    "org.establishments": "establishments",
    "org.local_representatives": "local_representatives",
    "org.dpo_appointed": "dpo_appointed",
    "org.certifications": "certifications",
    "org.breach_notification_hours": "breach_notification_hours",
    "org.provides_processing_services": "provides_processing_services",
    "org.legal_form": "legal_form",
    "org.assessments": "assessments",
    "org.annual_turnover_usd": "annual_turnover_usd",
}
_ORG_DERIVED = (
    "org.registrations",
    "org.licences",
    "org.critical_infrastructure_in_country",
    "org.established_in_country",
    "org.representative_in_country",
    "org.present_in_country",
    "org.subjects_in_country",
    "org.sensitive_in_country",
    "org.sensitive_non_staff_in_country",
    "org.children_in_country",
    "org.handles_country_subjects",
    "org.sells_in_country",
    "org.monthly_users_in_country",
    "org.annual_transactions_in_country",
)
_FLOW_FIELDS = {
    "flow.id": ("id",),
    "flow.from": ("from",),
    "flow.to": ("to",),
    "flow.recipient.role": ("recipient", "role"),
    "flow.subjects.kinds": ("subjects", "kinds"),
    "flow.subjects.count": ("subjects", "count"),
    "flow.subjects.children": ("subjects", "children"),
    "flow.data_categories": ("data_categories",),
    "flow.purposes": ("purposes",),
    "flow.legal_bases": ("legal_bases",),
    "flow.transfer_mechanisms": ("transfer_mechanisms",),
    "flow.safeguards": ("safeguards",),
    "flow.local_copy": ("local_copy",),
    "flow.assessments": ("assessments",),
    "flow.subjects.youngest_age": ("subjects", "youngest_age"),
    "flow.retention.until": ("retention", "until"),
    "flow.retention.months": ("retention", "months"),
    "flow.retention.reason": ("retention", "reason"),
    "flow.marketing.channels": ("marketing", "channels"),
    "flow.marketing.unsubscribe": ("marketing", "unsubscribe"),
    "flow.marketing.dnc_checked": ("marketing", "dnc_checked"),
    "flow.payment.processed_by": ("payment", "processed_by"),
    "flow.payment.country": ("payment", "country"),
}

SAFEGUARD_ALIASES = {
    "anonymization": "anonymisation",
    "pseudonymization": "pseudonymisation",
    "tokenization": "tokenisation",
    "mfa": "multi_factor_authentication",
    "tls": "encryption_in_transit",
    "rbac": "role_based_access_control",
    "data_minimization": "data_minimisation",
}
"""Other spellings the manifest schema accepts for a safeguard; facts carry the canonical name."""
# _FLOW_FIELDS split by depth once: flow_facts runs for every flow. With each field, the list of
# paths to name when it is absent, relative to the flow (see MISSING_KEY), made once.
_FLOW_TOP_FIELDS = tuple(
    (fact, path[0], ("." + path[0],)) for fact, path in _FLOW_FIELDS.items() if len(path) == 1
)
_FLOW_NESTED_FIELDS: dict[str, list[tuple[str, str, tuple[str]]]] = {}
"""Per field holding a mapping (recipient, subjects, ...): (fact, key inside, paths to name when absent)."""
for _fact, _path in _FLOW_FIELDS.items():
    if len(_path) == 2:
        _FLOW_NESTED_FIELDS.setdefault(_path[0], []).append((_fact, _path[1], ("." + ".".join(_path),)))
_FLOW_NESTED_ABSENT = {
    outer: {fact: paths for fact, _, paths in inner} for outer, inner in _FLOW_NESTED_FIELDS.items()
}
"""Per field holding a mapping, what the flow lacks when it lacks that field."""
assert len(_FLOW_TOP_FIELDS) + sum(map(len, _FLOW_NESTED_FIELDS.values())) == len(_FLOW_FIELDS)
_SYSTEM_PATH = (".system",)
_LOCAL_COPY_PATH = (".local_copy",)
_DATA_CATEGORIES_PATH = (".data_categories",)
_FLOW_DERIVED = (
    "flow.subjects.countries",
    "flow.cross_border",
    "flow.leaves_country",
    "flow.enters_country",
    "flow.subjects_in_country",
    "flow.stored_in_country",
    "flow.to_asean",
    "flow.sensitive",
    "flow.system.country",
    "flow.system.provider",
)
_MARKET_FIELDS = {
    "market.country": "country",
    "market.role": "role",
    "market.b2c": "b2c",
    "market.channels": "channels",
    "market.annual_transactions": "annual_transactions",
    "market.monthly_users": "monthly_users",
    "market.local_language": "local_language",
    "market.local_domain": "local_domain",
    "market.registered_accounts": "registered_accounts",
    "market.annual_parcels": "annual_parcels",
    "market.consumer_information": "consumer_information",
    "market.languages": "languages",
}

FACTS: dict[str, frozenset[str]] = {
    "country": frozenset({"flow", "market", "organization"}),
    **{name: frozenset({"flow", "market", "organization"}) for name in (*_ORG_FIELDS, *_ORG_DERIVED)},
    **{name: frozenset({"flow"}) for name in (*_FLOW_FIELDS, *_FLOW_DERIVED)},
    **{name: frozenset({"market"}) for name in _MARKET_FIELDS},
}
"""Every fact a condition may name, with the subject kinds it is available on."""

TAXONOMY_FACTS = frozenset({"flow.data_categories", "flow.purposes"})
"""The facts holding taxonomy keys (data categories, data uses): the only ones `under` compares."""


def _note_missing(ctx: dict[str, Any], fact: str, paths: Iterable[str]) -> None:
    ctx.setdefault(MISSING_KEY, {})[fact] = list(paths)


def flow_subject_countries(flow: dict[str, Any]) -> list[str]:
    subjects = flow.get("subjects") or {}
    countries = subjects.get("countries")
    return list(countries) if countries else [flow["from"]]


def organization_context(
    manifest: dict[str, Any],
    country: str,
    sensitive: tuple[str, ...],
    categories: Any,
    subject_flows: list[int] | None = None,
) -> dict[str, Any]:
    """Organization facts for ``country`` (shared by every subject of that country)."""
    from defa_check.inputs.taxonomy import match_categories_cached  # local: keeps import of this module light

    org = manifest.get("organization") or {}
    ctx: dict[str, Any] = {"country": country}
    for fact, key in _ORG_FIELDS.items():
        if key in org:
            ctx[fact] = org[key]
        else:
            _note_missing(ctx, fact, [f"$.organization.{key}"])

    home = org.get("home_country")
    establishments = org.get("establishments")
    reps = org.get("local_representatives")
    if home == country or (establishments is not None and country in establishments):
        ctx["org.established_in_country"] = True
    elif establishments is not None:
        ctx["org.established_in_country"] = False
    else:
        _note_missing(ctx, "org.established_in_country", ["$.organization.establishments"])
    if reps is not None:
        ctx["org.representative_in_country"] = country in reps
    else:
        _note_missing(ctx, "org.representative_in_country", ["$.organization.local_representatives"])
    est = ctx.get("org.established_in_country")
    rep = ctx.get("org.representative_in_country")
    if est is True or rep is True:
        ctx["org.present_in_country"] = True
    elif est is False and rep is False:
        ctx["org.present_in_country"] = False
    else:
        _note_missing(
            ctx,
            "org.present_in_country",
            ["$.organization.establishments", "$.organization.local_representatives"],
        )

    registrations = org.get("registrations")
    if registrations is not None:
        ctx["org.registrations"] = sorted({r["kind"] for r in registrations if r.get("country") == country})
    else:
        _note_missing(ctx, "org.registrations", ["$.organization.registrations"])
    licences = org.get("licences")
    if licences is not None:
        ctx["org.licences"] = sorted({lic["kind"] for lic in licences if lic.get("country") == country})
    else:
        _note_missing(ctx, "org.licences", ["$.organization.licences"])
    designated = org.get("critical_infrastructure")
    if designated is not None:
        ctx["org.critical_infrastructure_in_country"] = country in designated
    else:
        _note_missing(
            ctx, "org.critical_infrastructure_in_country", ["$.organization.critical_infrastructure"]
        )

    flows = manifest.get("flows")
    if flows is None:
        for fact in (
            "org.handles_country_subjects",
            "org.subjects_in_country",
            "org.sensitive_in_country",
            "org.sensitive_non_staff_in_country",
            "org.children_in_country",
        ):
            _note_missing(ctx, fact, ["$.flows"])
    else:
        if subject_flows is None:
            subject_flows = [i for i, f in enumerate(flows) if country in flow_subject_countries(f)]
        mine = [(i, flows[i]) for i in subject_flows]
        ctx["org.handles_country_subjects"] = bool(mine)
        counts: list[int] = []
        own_counts: list[int] = []
        """Counts of flows about this country's people alone: each is a lower bound for it."""
        no_count: list[str] = []
        children: bool | None = False
        no_children: list[str] = []
        sens: bool | None = False
        no_categories: list[str] = []
        # The same, about people other than staff: HR data is a supporting activity, not a core one.
        sens_others: bool | None = False
        no_others: list[str] = []
        for i, f in mine:
            subjects = f.get("subjects") or {}
            if "count" in subjects:
                counts.append(subjects["count"])
                if flow_subject_countries(f) == [country]:
                    own_counts.append(subjects["count"])
            else:
                no_count.append(f"$.flows[{i}].subjects.count")
            if subjects.get("children") is True:
                children = True
            elif "children" not in subjects:
                no_children.append(f"$.flows[{i}].subjects.children")
            kinds = subjects.get("kinds")
            others = kinds is None or not STAFF.intersection(kinds)  # may be about people other than staff
            if sens is True and (sens_others is True or not others):
                continue  # nothing more to learn from this flow's categories
            m: bool | None = None
            if "data_categories" in f:
                m = match_categories_cached(tuple(_canon(f["data_categories"], categories)), sensitive)
                if m is True:
                    sens = True
                elif m is None:
                    no_categories.append(f"$.flows[{i}].data_categories")
            else:
                no_categories.append(f"$.flows[{i}].data_categories")
            if others and m is not False and sens_others is not True:
                if kinds is None:
                    no_others.append(f"$.flows[{i}].subjects.kinds")
                elif m is True:
                    sens_others = True
                else:
                    no_others.append(f"$.flows[{i}].data_categories")
        stated = (org.get("data_subjects_by_country") or {}).get(country)
        if stated is not None:
            # The organization's own total for the country: flows may overlap or miss people. A flow
            # about several countries' people counts them together, so only a flow about this
            # country's people alone can show the stated total is too low.
            ctx["org.subjects_in_country"] = max([stated, *own_counts])
        elif no_count:
            _note_missing(ctx, "org.subjects_in_country", no_count)
        else:
            largest, largest_own = max(counts, default=0), max(own_counts, default=0)
            if largest > largest_own:
                # The largest count is of a flow about several countries' people: up to that many
                # are in this country (a user trial: a courier flow's 4,400 across MY, SG and TH
                # was read as 4,400 people in Malaysia). The country's total settles it.
                ctx["org.subjects_in_country"] = Between(largest_own, largest)
                _note_missing(ctx, "org.subjects_in_country", ["$.organization.data_subjects_by_country"])
            else:
                ctx["org.subjects_in_country"] = largest
        if children is True or not no_children:
            ctx["org.children_in_country"] = children
        else:
            _note_missing(ctx, "org.children_in_country", no_children)
        if sens is True or not no_categories:
            ctx["org.sensitive_in_country"] = sens
        else:
            _note_missing(ctx, "org.sensitive_in_country", no_categories)
        if sens_others is True or not no_others:
            ctx["org.sensitive_non_staff_in_country"] = sens_others
        else:
            _note_missing(ctx, "org.sensitive_non_staff_in_country", list(dict.fromkeys(no_others)))

    markets = manifest.get("markets")
    if markets is None:
        for fact in (
            "org.sells_in_country",
            "org.monthly_users_in_country",
            "org.annual_transactions_in_country",
        ):
            _note_missing(ctx, fact, ["$.markets"])
    else:
        here = [(i, m) for i, m in enumerate(markets) if m.get("country") == country]
        ctx["org.sells_in_country"] = bool(here)
        for fact, key in (
            ("org.monthly_users_in_country", "monthly_users"),
            ("org.annual_transactions_in_country", "annual_transactions"),
        ):
            lacking = [f"$.markets[{i}].{key}" for i, m in here if key not in m]
            if lacking:
                _note_missing(ctx, fact, lacking)
            else:
                ctx[fact] = sum(m[key] for _, m in here)
    return ctx


def _canon(keys: Iterable[str], categories: Any) -> list[str]:
    if categories is None:
        return list(keys)
    names = categories.names  # most keys are the shipped ones: no call for those
    return [key if key in names else (categories.canonical(key) or key) for key in keys]


FlowFacts: TypeAlias = "tuple[dict[str, Any], dict[str, Sequence[str]]]"
"""A flow's own facts, and the fields it does not state (per fact)."""


def flow_context(
    org_ctx: dict[str, Any],
    flow: dict[str, Any],
    country: str,
    systems: dict[str, dict[str, Any]],
    sensitive: tuple[str, ...],
    categories: Any,
    own: FlowFacts | None = None,
) -> dict[str, Any]:
    """Facts for one flow, on top of the organization's facts for the same country: the
    flow's own (:func:`flow_facts`, or ``own`` when already worked out for another country
    the flow involves), then those that depend on the country."""
    facts, absent = own or flow_facts(flow, systems, categories)
    ctx = {**org_ctx, **facts}
    org_absent = org_ctx.get(MISSING_KEY)
    missing = ctx[MISSING_KEY] = {**org_absent, **absent} if org_absent else dict(absent)
    src, dst = flow["from"], flow["to"]
    ctx["flow.leaves_country"] = src == country and dst != country
    ctx["flow.enters_country"] = dst == country and src != country
    ctx["flow.subjects_in_country"] = country in facts["flow.subjects.countries"]
    if dst == country or facts.get("flow.system.country") == country:
        ctx["flow.stored_in_country"] = True
    elif src == country:
        if "local_copy" in flow:
            ctx["flow.stored_in_country"] = bool(flow["local_copy"])
        else:
            missing["flow.stored_in_country"] = _LOCAL_COPY_PATH
    else:
        ctx["flow.stored_in_country"] = False
    declared = facts.get("flow.data_categories")
    if declared is None:
        missing["flow.sensitive"] = _DATA_CATEGORIES_PATH
    else:
        from defa_check.inputs.taxonomy import match_categories_cached

        m = match_categories_cached(tuple(declared), sensitive)
        if m is None:
            missing["flow.sensitive"] = _DATA_CATEGORIES_PATH
        else:
            ctx["flow.sensitive"] = m
    return ctx


def flow_facts(
    flow: dict[str, Any],
    systems: dict[str, dict[str, Any]],
    categories: Any,
    subject_countries: list[str] | None = None,
) -> FlowFacts:
    """The facts of one flow that are the same whichever country reads it (see :func:`flow_context`),
    and the fields it does not state (relative to the flow: see :data:`MISSING_KEY`).
    ``subject_countries``: :func:`flow_subject_countries`, when already worked out."""
    facts: dict[str, Any] = {}
    missing: dict[str, Sequence[str]] = {}
    for fact, key, paths in _FLOW_TOP_FIELDS:
        if key in flow:
            facts[fact] = flow[key]
        else:
            missing[fact] = paths
    for outer, inner_facts in _FLOW_NESTED_FIELDS.items():
        node = flow.get(outer)
        if isinstance(node, dict):
            for fact, inner, paths in inner_facts:
                if inner in node:
                    facts[fact] = node[inner]
                else:
                    missing[fact] = paths
        else:
            missing.update(_FLOW_NESTED_ABSENT[outer])
    if "flow.data_categories" in facts:
        facts["flow.data_categories"] = _canon(facts["flow.data_categories"], categories)
    if "flow.safeguards" in facts:
        facts["flow.safeguards"] = [SAFEGUARD_ALIASES.get(s, s) for s in facts["flow.safeguards"]]
    src, dst = flow["from"], flow["to"]
    facts["flow.subjects.countries"] = (
        subject_countries if subject_countries is not None else flow_subject_countries(flow)
    )
    facts["flow.cross_border"] = src != dst
    facts["flow.to_asean"] = dst in ASEAN_MEMBERS
    system = systems.get(flow.get("system", "")) if flow.get("system") else None
    if system is not None:
        facts["flow.system.country"] = system.get("country")
        if "provider" in system:
            facts["flow.system.provider"] = system["provider"]
        else:
            missing["flow.system.provider"] = _SYSTEM_PATH
    else:
        missing["flow.system.country"] = _SYSTEM_PATH
        missing["flow.system.provider"] = _SYSTEM_PATH
    return facts, missing


def market_context(org_ctx: dict[str, Any], market: dict[str, Any], index: int) -> dict[str, Any]:
    """Facts for one market, on top of the organization's facts for its country."""
    ctx = dict(org_ctx)
    missing = dict(org_ctx.get(MISSING_KEY, {}))
    ctx[MISSING_KEY] = missing
    for fact, key in _MARKET_FIELDS.items():
        if key in market:
            ctx[fact] = market[key]
        else:
            missing[fact] = [f"$.markets[{index}].{key}"]
    return ctx


def stated_path(fact: str, base: str) -> str | None:
    """The manifest field a stated ``fact`` was read from, for a subject at ``base``
    ("$.flows[3]", "$.markets[0]", "$.organization"); None for a fact worked out from several."""
    if fact in _ORG_FIELDS:
        return f"$.organization.{_ORG_FIELDS[fact]}"
    if fact in _FLOW_FIELDS and base.startswith("$.flows["):
        return base + "." + ".".join(_FLOW_FIELDS[fact])
    if fact in _MARKET_FIELDS and base.startswith("$.markets["):
        return f"{base}.{_MARKET_FIELDS[fact]}"
    return None


def missing_paths(ctx: dict[str, Any], facts: Iterable[str], base: str = "") -> list[str]:
    """The manifest fields to add so that ``facts`` become known.

    A fact that is stated and still leaves a condition unknown (data categories declared only
    as an ancestor of the rule's, ``user`` for ``user.biometric``) names the field it was read
    from, for a subject at ``base``: that field must say more.
    """
    table = ctx.get(MISSING_KEY, {})
    out: list[str] = []
    for fact in facts:
        if fact in ctx:
            # A value known only within bounds (Between) names the field that settles it.
            paths = [path] if (path := stated_path(fact, base)) is not None else table.get(fact, [])
        else:
            paths = table.get(fact, [fact])
        for path in paths:
            if path[0] == ".":  # a flow's own field, written from the flow (see MISSING_KEY)
                path = base + path
            if path not in out:
                out.append(path)
    return out
