"""`plan --expand-to`: what entering new markets adds, as an ordered to-do list.

The manifest is extended with a market and a customer-data flow for each new
country (every assumption is listed in the plan, never hidden), both versions
are checked, and the findings that appear or get worse become the to-do list.
Each item is labelled from the facts: "Do" (the facts show it applies), "Find
out" (they do not say), "Confirm with counsel" (the law is unsettled), or "If
you ..." (it applies only once the business sets up an entity there or passes a
threshold the rule names). Items refer to the user's own file: existing flows
and markets by id and line, proposed ones by the names the plan gives them in
its ready-to-paste block, never by a position in a file that does not exist.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import json
import re
import textwrap
from collections import Counter
from typing import Any

from defa_check import records
from defa_check.evaluate.document import check_data
from defa_check.inputs.source import Document
from defa_check.model import DISCLAIMER, Finding, Problem, Report, Rule, Severity, Status, missing_sentence
from defa_check.packs.loader import Catalog
from defa_check.records import field, record
from defa_check.render.escape import terminal
from defa_check.workflows.countries import TOPIC_LABELS
from defa_check.workflows.diff import diff_reports
from defa_check.workflows.formats import PLAN_FORMATS
from defa_check.workflows.interview import country_name

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


LABEL_ORDER = ("Do", "Find out", "Confirm with counsel", "If")

SCOPE = (
    "Scope: the data-protection, e-commerce, consumer-protection and cybersecurity rules in "
    "defa-check's packs for {countries}. Not covered: tax and customs, product rules and licences "
    "outside the packs, employment law, and countries outside ASEAN."
)

THRESHOLD_FACTS = {
    "market.annual_transactions": ("annual_transactions", "your transactions a year there"),
    "market.monthly_users": ("monthly_users", "your monthly users there"),
    "market.registered_accounts": ("registered_accounts", "registered accounts there"),
    "market.annual_parcels": ("annual_parcels", "parcels a year there"),
    "flow.subjects.count": ("subjects.count", "the customers a year there"),
    "org.subjects_in_country": ("subjects.count", "the people whose data you hold there"),
    "org.annual_transactions_in_country": ("annual_transactions", "your transactions a year there"),
    "org.monthly_users_in_country": ("monthly_users", "your monthly users there"),
}
"""Count facts a rule's applicability turns on: (manifest field it comes from, words for it)."""

_DEADLINE = re.compile(
    r"within (\d+) days of (?:starting|the first transfer|first processing|beginning)", re.IGNORECASE
)


@record
class PlanItem:
    """One to-do: a finding, what to do about it, about what, and by when."""

    finding: Finding
    label: str
    """Do, Find out, Confirm with counsel, or If."""
    condition: str
    """For "If": the condition in words ("you set up a company, branch or office in Indonesia")."""
    due: dt.date
    due_reason: str
    about: str
    """The subject in the user's terms: their flow or market by id, or a proposed one by its name."""
    location: str | None
    """file:line in the user's own manifest, or None for a proposed addition."""
    to_state: tuple[str, ...]
    """The facts to add, named by field in the user's file or the proposed block."""
    message: str

    @property
    def heading(self) -> str:
        return f"If {self.condition}" if self.label == "If" else self.label

    def to_dict(self) -> dict[str, Any]:
        f = self.finding
        return {
            "label": self.heading,
            "rule_id": f.rule_id,
            "country": f.country,
            "topic": TOPIC_LABELS.get(f.topic, f.topic),
            "severity": f.severity.label,
            "status": f.status.value,
            "title": f.title,
            "about": self.about,
            "location": self.location,
            "due": self.due.isoformat(),
            "due_reason": self.due_reason,
            "message": self.message,
            "to_state": list(self.to_state),
            "remediation": f.remediation,
            "effort": EFFORT.get(f.topic, ""),
            "confidence": str(f.confidence),
            "citation": {
                "instrument": f.citation.instrument,
                "provision": f.citation.provision,
                "url": f.citation.url,
            },
            "effective_from": f.effective_from.isoformat() if f.effective_from else None,
        }


@record
class Plan:
    """What expanding into ``countries`` adds for this manifest."""

    countries: tuple[str, ...]
    assumptions: tuple[str, ...]
    items: tuple[PlanItem, ...]
    upcoming: tuple[Finding, ...]
    before: Report
    after: Report
    start: dt.date
    manifest_path: str
    additions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """The proposed markets and flows, to paste into the user's file."""
    extended_manifest: dict[str, Any] = field(repr=False, default_factory=dict)
    additions_indent: dict[str, int] = field(default_factory=dict)
    """Per section, the column the user's file puts its "- " at (so pasted entries line up)."""
    pending: tuple[Finding, ...] = ()
    """Drafts and announced duties with no date in force, in the new countries, that this manifest
    would not meet: nothing to do yet, something to watch (a user trial missed the Philippine
    Trustmark, voluntary until 31 December 2026)."""

    @property
    def todo(self) -> tuple[Finding, ...]:
        return tuple(i.finding for i in self.items)

    def additions_yaml(self) -> str:
        """The proposed entries, each section's indented as the user's file indents its items."""
        import yaml

        parts = []
        for section, entries in self.additions.items():
            body = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=100)
            pad = " " * self.additions_indent.get(section, 2)
            parts.append(f"# under {section}:\n" + "".join(pad + line for line in body.splitlines(True)))
        return "".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "expand_to": list(self.countries),
            "as_of": self.after.as_of.isoformat(),
            "start": self.start.isoformat(),
            "manifest": self.manifest_path,
            "scope": SCOPE.format(countries=", ".join(self.countries)),
            "assumptions": list(self.assumptions),
            "todo": [i.to_dict() for i in self.items],
            "upcoming_within_12_months": [
                {
                    "rule_id": f.rule_id,
                    "country": f.country,
                    "title": f.title,
                    "effective_from": f.effective_from.isoformat() if f.effective_from else None,
                }
                for f in self.upcoming
            ],
            "pending_not_in_force": [
                {"rule_id": f.rule_id, "country": f.country, "title": f.title} for f in self.pending
            ],
            "proposed_additions": self.additions,
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


def _common(flows: list[dict[str, Any]], key: str) -> Any:
    """The value every one of ``flows`` states alike for ``key``, else None (not stated)."""
    values = [flow.get(key) for flow in flows]
    if not values or any(v is None or v != values[0] for v in values):
        return None
    return copy.deepcopy(values[0])


_SAME_DATA = ("data_categories", "purposes", "legal_bases")
"""What a new country's customers are assumed to give, as today's customers do (all of it)."""
_SAME_TERMS = {
    "transfer_mechanisms": "transfer mechanisms",
    "safeguards": "safeguards",
    "recipient": "recipient",
    "retention": "retention period",
}
"""What is assumed of a new flow only where every flow to the same place states it alike: a
transfer mechanism or a contract belongs to one recipient, and a value one flow states is not the
others' (a user trial: a payment processor's clauses were claimed for the shop's own storage)."""


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
    # The flows that go where the new customers' data will go: what is assumed comes from them.
    same_place = [
        f
        for f in customer_flows
        if (f.get("system") == system_id if system_id else f.get("to") == store and not f.get("system"))
    ]
    template = same_place or customer_flows or (data.get("flows") or [])
    markets = data.setdefault("markets", [])
    flows = data.setdefault("flows", [])
    existing_market = markets[0] if markets else {}
    flow_ids = {f.get("id") for f in flows}
    children = {(f.get("subjects") or {}).get("children") for f in template}
    for country in countries:
        in_sentence = country_name(country, in_sentence=True)
        name = (
            in_sentence[:1].upper() + in_sentence[1:]
        )  # each assumption opens with it: "The Philippines (PH): ..."
        if any(m.get("country") == country for m in markets):
            assumptions.append(f"{name}: you already sell there; nothing was added for it.")
            continue
        market: dict[str, Any] = {
            "country": country,
            "role": existing_market.get("role", "seller"),
            "b2c": existing_market.get("b2c", True),
        }
        if "channels" in existing_market:
            market["channels"] = list(existing_market["channels"])
        if "languages" in existing_market:
            market["languages"] = list(existing_market["languages"])
        if "consumer_information" in existing_market:  # the same shop front shows the same
            market["consumer_information"] = list(existing_market["consumer_information"])
        markets.append(market)
        assumptions.append(
            f"{name}: you sell online there as a {market['role']}"
            + (" to consumers" if market["b2c"] else "")
            + (f" through {', '.join(market['channels'])}" if "channels" in market else "")
            + (f", in {', '.join(market['languages'])}" if "languages" in market else "")
            + (", showing consumers the same information" if "consumer_information" in market else "")
            # "As in your first market" only for what the first market states; the rest is assumed.
            + (
                ", as in your first market"
                if "role" in existing_market and "b2c" in existing_market
                else ", as a shop usually does (your first market does not say)"
            )
            + "; you have no company, branch, representative, registration or licence there yet."
        )
        flow_id = f"{country.lower()}-customers"
        if flow_id in flow_ids:
            flow_id = f"plan-{flow_id}"
        flow_ids.add(flow_id)
        flow: dict[str, Any] = {
            "id": flow_id,
            "description": f"Customers in {in_sentence}: their data goes where customer data is kept today",
            "from": country,
            "to": store,
            "subjects": {"kinds": ["customer"], "countries": [country]},
        }
        if len(children) == 1 and None not in children:
            flow["subjects"]["children"] = children.pop()
            children.add(flow["subjects"]["children"])
        if system_id:
            flow["system"] = system_id
        if customers is not None:
            flow["subjects"]["count"] = customers
            totals = data["organization"].get("data_subjects_by_country")
            if totals is not None:
                totals.setdefault(country, customers)
        for key in _SAME_DATA:
            values = _union(template, key)
            if values is not None:
                flow[key] = values
        for key in _SAME_TERMS:
            value = _common(template, key)
            if value is not None:
                flow[key] = value
        flow["local_copy"] = False
        flows.append(flow)
        terms = [words for key, words in _SAME_TERMS.items() if key in flow]
        unstated = [words for key, words in _SAME_TERMS.items() if key not in flow]
        assumptions.append(
            f"{name}: customers' data goes from {country} to {store}"
            + (f" (system {system_id})" if system_id else " (your home country)")
            + " as proposed flow "
            + flow_id
            + ", with the data categories, purposes and legal bases of your customer flows there today"
            + (f" and the {_and(terms)} they all state" if terms else "")
            + ", and no copy kept in the country"
            + (f"; its {_and(unstated)} are left for you to state" if unstated else "")
            + (
                f"; about {customers:,} customers a year"
                if customers is not None
                else "; the number of customers is not stated (--customers)"
            )
            + "."
        )
    return data, assumptions


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _entering(manifest: dict[str, Any], countries: list[str], establish: bool = False) -> dict[str, Any]:
    """The extended manifest with what entering a country means stated: nothing set up there yet.

    Used only for the new countries' findings, so an absent list does not become "none" for the
    countries the business already serves.
    """
    data = copy.deepcopy(manifest)
    org = data["organization"]
    org.setdefault("registrations", [])
    org.setdefault("licences", [])
    org.setdefault("local_representatives", [])
    org.setdefault("establishments", [org["home_country"]])
    if establish:
        org["establishments"] = list(dict.fromkeys([*org["establishments"], *countries]))
    return data


def _threshold(rule: Rule | None, missing: tuple[str, ...]) -> str | None:
    """'your transactions a year there reach 1,000' when only a count the rule turns on is unknown."""
    if rule is None or rule.raw is None or not missing:
        return None
    found: list[str] = []
    fields: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            fact = node.get("fact")
            if fact in THRESHOLD_FACTS:
                for op, verb in (("gte", "reach"), ("gt", "pass")):
                    if isinstance(node.get(op), int | float):
                        field_name, words = THRESHOLD_FACTS[fact]
                        fields.add(field_name)
                        found.append(f"{words} {verb} {node[op]:,}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(rule.raw.get("applies_when"))
    if not found or not all(any(m.endswith("." + f) for f in fields) for m in missing):
        return None
    return " and ".join(dict.fromkeys(found))


def _deadline(rule: Rule | None) -> int | None:
    """Days from the start that the rule's own text allows ("within 60 days of the first transfer")."""
    if rule is None:
        return None
    for text in (rule.title, rule.remediation, rule.message_fail):
        match = _DEADLINE.search(text or "")
        if match:
            return int(match.group(1))
    return None


class _Referrer:
    """Names subjects and fields in the user's terms: their own file, or the proposed block."""

    def __init__(self, original: dict[str, Any], extended: dict[str, Any], path: str, doc: Document | None):
        self.path = path
        self.doc = doc
        self.flows = extended.get("flows") or []
        self.markets = extended.get("markets") or []
        self.own_flows = len(original.get("flows") or [])
        self.own_markets = len(original.get("markets") or [])

    def _where(self, json_path: tuple[Any, ...]) -> str | None:
        if self.doc is None:
            return self.path
        loc = self.doc.locate(json_path)
        return f"{self.path}:{loc.line}" if loc.line else self.path

    def subject(self, f: Finding) -> tuple[str, str | None]:
        if f.subject.kind == "organization":
            return "your organization", self._where(("organization",))
        if f.subject.kind == "flow":
            for i, flow in enumerate(self.flows):
                if flow.get("id") == f.subject.id:
                    if i < self.own_flows:
                        return f"your flow {f.subject.id}", self._where(("flows", i))
                    return f"proposed flow {f.subject.id}", None
        for i, market in enumerate(self.markets):
            if market.get("id", market.get("country")) == f.subject.id:
                if i < self.own_markets:
                    return f"your market {f.subject.id}", self._where(("markets", i))
                return f"proposed market {f.subject.id}", None
        return f.subject.label, None

    def field(self, json_path: str) -> str:
        """'$.flows[7].legal_bases' -> 'legal_bases of proposed flow id-customers' (never a made-up index)."""
        match = re.match(r"^\$\.(flows|markets)\[(\d+)\]\.?(.*)$", json_path)
        if match is None:
            return json_path.removeprefix("$.")
        section, index, rest = match.group(1), int(match.group(2)), match.group(3) or "(the entry)"
        items, own = (self.flows, self.own_flows) if section == "flows" else (self.markets, self.own_markets)
        if index >= len(items):
            return rest
        item = items[index]
        name = item.get("id", item.get("country"))
        kind = section[:-1]
        if index < own:
            return f"{rest} of your {kind} {name} ({section}[{index}] in {self.path})"
        return f"{rest} of proposed {kind} {name}"


def make_plan(
    manifest: dict[str, Any],
    countries: list[str],
    catalog: Catalog,
    as_of: dt.date,
    customers: int | None = None,
    horizon_months: int = 12,
    start: dt.date | None = None,
    doc: Document | None = None,
    path: str = "flows.yaml",
) -> tuple[Plan | None, list[Problem]]:
    """What entering ``countries`` (in this order) adds to ``manifest``: a plan, or what prevents one."""
    start = start or as_of
    before_result = check_data(manifest, catalog, as_of)
    extended, assumptions = extend_manifest(manifest, countries, customers)
    new = set(countries) - {m.get("country") for m in manifest.get("markets") or []}
    results = [
        check_data(extended, catalog, as_of),
        check_data(_entering(extended, countries), catalog, as_of),
        check_data(_entering(extended, countries, establish=True), catalog, as_of),
    ]
    before = before_result.report
    plain, entering, established = (r.report for r in results)
    if before is None or plain is None or entering is None or established is None:
        # A bug if it happens: the manifest was validated and the extension only adds valid items.
        return None, [p for r in (before_result, *results) for p in r.problems]
    # New countries: judged on "nothing set up there yet"; the others on the manifest as it is.
    merged = [f for f in plain.findings if f.country not in new] + [
        f for f in entering.findings if f.country in new
    ]
    after = records.replace(plain, findings=tuple(sorted(merged, key=lambda f: f.sort_key)))
    diff = diff_reports(before, after)
    todo = [f for f in (*diff.new, *(n for _, n in diff.changed)) if f.needs_action or f.needs_review]
    seen = {f.fingerprint for f in todo}
    conditional = [
        f
        for f in established.findings
        if f.country in new and (f.needs_action or f.needs_review) and f.fingerprint not in seen
    ]
    refer = _Referrer(manifest, extended, path, doc)
    items = [_item(f, catalog, refer, start, None) for f in todo]
    items += [
        _item(
            f,
            catalog,
            refer,
            start,
            f"you set up a company, branch or office in {country_name(f.country, in_sentence=True)}",
        )
        for f in conditional
    ]
    order = {c: i for i, c in enumerate(dict.fromkeys([*countries, *(i.finding.country for i in items)]))}
    items.sort(
        key=lambda i: (
            order[i.finding.country],
            LABEL_ORDER.index(i.label),
            -int(i.finding.severity),
            TOPIC_ORDER.index(i.finding.topic) if i.finding.topic in TOPIC_ORDER else 99,
            i.finding.sort_key,
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
    pending = list(
        {
            f.rule_id: f
            for f in after.findings
            if f.draft and f.country in new and f.needs_action_once_in_force
        }.values()
    )
    own_flows = len(manifest.get("flows") or [])
    own_markets = len(manifest.get("markets") or [])
    additions = {
        "markets": (extended.get("markets") or [])[own_markets:],
        "flows": (extended.get("flows") or [])[own_flows:],
    }
    indent = {section: _item_indent(doc, section) for section in additions}
    return Plan(
        tuple(countries),
        tuple(assumptions),
        tuple(items),
        tuple(upcoming),
        before,
        after,
        start,
        path,
        {k: v for k, v in additions.items() if v},
        extended,
        indent,
        tuple(pending),
    ), []


def _item_indent(doc: Document | None, section: str) -> int:
    """Where the "- " of the first entry of ``section`` sits in the user's file (2 if unknown)."""
    if doc is None or not (doc.data.get(section) or []):
        return 2
    try:
        loc = doc.locate((section, 0))
    except (KeyError, IndexError, TypeError):
        return 2
    # The location is the entry's first key, two columns after its dash (1-based columns).
    return max(0, loc.column - 3) if loc.line else 2


def _item(f: Finding, catalog: Catalog, refer: _Referrer, start: dt.date, condition: str | None) -> PlanItem:
    rule = catalog.rule(f.rule_id)
    threshold = _threshold(rule, f.missing) if f.status is Status.NEEDS_INFO else None
    if condition is not None:
        label = "If"
    elif threshold is not None:
        label, condition = "If", threshold
    else:
        label = {Status.FAIL: "Do", Status.REVIEW: "Confirm with counsel"}.get(f.status, "Find out")
    days = _deadline(rule)
    if f.effective_from is not None and f.effective_from > start:
        due, reason = f.effective_from, "when the rule comes into force"
    elif days is not None:
        due, reason = start + dt.timedelta(days=days), f"within {days} days of starting, as the rule sets"
    elif label == "If":
        due, reason = start, "from your start, once that is so"
    else:
        due, reason = start, "before you start"
    message = f.message.removesuffix(missing_sentence(f.missing))
    about, location = refer.subject(f)
    return PlanItem(
        f,
        label,
        condition or "",
        due,
        reason,
        about,
        location,
        tuple(refer.field(m) for m in f.missing),
        message,
    )


def _add_months(day: dt.date, months: int) -> dt.date:
    """``months`` after ``day`` (the last day of a shorter month; the last date there is, at most)."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    if year > dt.MAXYEAR:  # `--as-of 9999-12-31 --horizon 1`
        return dt.date.max
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def render_plan(plan: Plan, fmt: str, width: int = 100) -> str:
    """The plan as plain text wrapped to ``width`` (console), Markdown or JSON."""
    if fmt == "json":
        return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return plan_html(plan)
    markdown = fmt == "markdown"
    out: list[str] = []

    if markdown:
        from defa_check.render.escape import md

        def para(text: str, first: str = "", rest: str = "") -> None:
            out.append(first + md(text))

    else:

        def md(text: object) -> str:
            return " ".join(str(text).split())

        def para(text: str, first: str = "", rest: str = "") -> None:
            out.append(
                textwrap.fill(
                    md(text),
                    width,
                    initial_indent=first,
                    subsequent_indent=rest or " " * len(first),
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )

    h1, h2, bullet = ("# ", "## ", "- ") if markdown else ("", "", "  - ")

    def listed(text: str) -> None:
        para(text, bullet, " " * len(bullet))

    names = ", ".join(country_name(c, in_sentence=True) for c in plan.countries)
    para(f"Expansion plan for {plan.manifest_path}: {names}", h1)
    para(
        f"Law as of {plan.after.as_of.isoformat()}; you start on {plan.start.isoformat()}"
        + (" (today; set --start)" if plan.start == plan.after.as_of else "")
        # A start in the past puts "before you start" deadlines in the past (a re-trial).
        + (
            ", which is already past: deadlines counted from the start may have passed"
            if plan.start < plan.after.as_of
            else ""
        )
        + "."
    )
    para(SCOPE.format(countries=names))
    out += ["", f"{h2}What we assumed (check these)", ""]
    for a in plan.assumptions:
        listed(a)
    out += ["", f"{h2}To do ({len(plan.items)})", ""]
    if not plan.items:
        out.append("Nothing new needs action for these markets, on these assumptions.")
    for n, item in enumerate(plan.items, 1):
        f = item.finding
        head = (
            f"{n}. {item.heading} (by {item.due.isoformat()}, {item.due_reason}) — "
            f"{country_name(f.country, in_sentence=True)}, {TOPIC_LABELS.get(f.topic, f.topic)}, "
            f"{f.severity.label}: {f.title}"
        )
        indent = " " * (len(str(n)) + 2)
        para(head, "", indent)
        para(f"About: {item.about}" + (f" ({item.location})" if item.location else ""), indent)
        if f.status is Status.FAIL or item.label == "If":
            para(f"What to do: {f.remediation}", indent)
        else:
            para(item.message, indent)
        if item.to_state:
            para("To state: " + "; ".join(item.to_state) + ".", indent)
        para(f"Effort: {EFFORT.get(f.topic, 'varies')}. Confidence: {f.confidence}.", indent)
        para(f"Law: {f.citation.instrument}, {f.citation.provision} — {f.citation.url}", indent)
    out += ["", f"{h2}Coming into force in the next 12 months ({len(plan.upcoming)})", ""]
    if not plan.upcoming:
        out.append("Nothing dated in this window for these markets.")
    for f in sorted(plan.upcoming, key=lambda f: (f.effective_from or dt.date.max, f.sort_key)):
        when = f.effective_from.isoformat() if f.effective_from else ""
        listed(f"{when} {f.rule_id} ({country_name(f.country, in_sentence=True)}): {f.title}")
    if plan.pending:
        out += ["", f"{h2}Pending, not in force: watch ({len(plan.pending)})", ""]
        para(
            "Announced or drafted, with no date in force yet: nothing to do now. "
            "`defa-check explain RULE-ID` says what is known."
        )
        for f in plan.pending:
            title = f.title.removeprefix("Pending, not in force: ")  # the heading says it
            listed(f"{f.rule_id}, {country_name(f.country, in_sentence=True)}: {title}")
    if plan.additions:
        out += ["", f"{h2}Proposed additions to {plan.manifest_path}", ""]
        para(
            "Add these entries under markets: and flows: in your file (or use --write NEW_FILE), then "
            "correct what the assumptions got wrong."
        )
        block = plan.additions_yaml().rstrip()
        out += ["", "```yaml", block, "```"] if markdown else ["", block]
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


FORMATS = PLAN_FORMATS
"""`plan --format` choices; :func:`render_plan` renders each (the CLI adds pdf: the HTML, printed)."""


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


def extended_text(plan: Plan) -> str:
    """The user's manifest with the proposed markets and flows, as YAML for `plan --write`."""
    import yaml

    header = (
        f"# {plan.manifest_path} with the markets and flows proposed by `defa-check plan --expand-to "
        f"{','.join(plan.countries)}`.\n# Check the assumptions the plan lists before relying on it.\n"
    )
    return header + yaml.safe_dump(plan.extended_manifest, sort_keys=False, allow_unicode=True, width=100)


def plan_html(plan: Plan, width: int = 100) -> str:
    """The plan as a self-contained printable page (what `plan --format pdf` prints)."""
    from html import escape

    title = f"Expansion plan: {', '.join(plan.countries)}"
    text = render_plan(plan, "console", width)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f'<meta name="dcterms.created" content="{plan.after.as_of.isoformat()}">'
        f"<title>{escape(title)}</title><style>"
        "body{font-family:'DejaVu Sans',-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:11px;"
        "max-width:960px;margin:24px auto;color:#101828}"
        "pre{white-space:pre-wrap;font-family:inherit;line-height:1.45}"
        f"</style></head><body><h1>{escape(title)}</h1><pre>{escape(text)}</pre></body></html>\n"
    )
