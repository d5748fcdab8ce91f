"""Facts in plain words: why a rule applies, why it fails or passes, why it does not apply.

Each fact has a short label ("your transfer mechanisms"); a yes/no fact also has
the sentence it stands for ("the data leaves {c}"). A leaf of a condition that
held on a subject becomes one reason, e.g. "the data leaves Singapore" or
"your transfer mechanisms do not include asean_mcc". `{c}` is the rule's country as it
reads in a sentence ("the Philippines"), `{cs}` its possessive ("the Philippines'").
A test checks that every fact in :data:`~defa_check.packs.facts.FACTS` has words here.
"""

from __future__ import annotations

from typing import Any

YES_NO: dict[str, tuple[str, str]] = {
    "flow.cross_border": ("the data crosses a border", "the data stays in one country"),
    "flow.leaves_country": ("the data leaves {c}", "the data does not leave {c}"),
    "flow.enters_country": (
        "the data comes into {c} from abroad",
        "the data does not come into {c} from abroad",
    ),
    "flow.subjects_in_country": ("the data is about people in {c}", "the data is not about people in {c}"),
    "flow.stored_in_country": ("the data is stored in {c}", "the data is not stored in {c}"),
    "flow.to_asean": ("the data goes to an ASEAN member state", "the data goes outside ASEAN"),
    "flow.sensitive": ("the data includes data {c} treats as sensitive", "no data {c} treats as sensitive"),
    "flow.local_copy": (
        "a copy is kept where the data is collected",
        "no copy is kept where the data is collected",
    ),
    "flow.subjects.children": ("the data includes children's data", "no children's data"),
    "flow.marketing.unsubscribe": ("messages carry an unsubscribe", "messages carry no unsubscribe"),
    "flow.marketing.dnc_checked": (
        "numbers are checked against the Do Not Call register",
        "numbers are not checked against the Do Not Call register",
    ),
    "org.established_in_country": ("you are established in {c}", "you are not established in {c}"),
    "org.representative_in_country": (
        "you have a representative in {c}",
        "you have no representative in {c}",
    ),
    "org.present_in_country": (
        "you have an entity or a representative in {c}",
        "you have no entity or representative in {c}",
    ),
    "org.dpo_appointed": (
        "you have appointed a data protection officer",
        "you have no data protection officer",
    ),
    "org.provides_processing_services": (
        "you process personal data as a service for others",
        "you do not process personal data for others",
    ),
    "org.sensitive_in_country": (
        "you hold data {c} treats as sensitive about people there",
        "you hold no data {c} treats as sensitive",
    ),
    "org.children_in_country": (
        "you hold children's data about people in {c}",
        "no children's data from {c}",
    ),
    "org.handles_country_subjects": (
        "you hold data about people in {c}",
        "you hold no data about people in {c}",
    ),
    "org.sells_in_country": ("you sell online in {c}", "you do not sell online in {c}"),
    "org.critical_infrastructure_in_country": (
        "a system of yours is designated critical infrastructure in {c}",
        "no system of yours is designated critical infrastructure in {c}",
    ),
    "market.b2c": ("you sell to consumers", "you sell only to businesses"),
    "market.local_language": ("the shop is offered in {cs} language", "the shop is not in {cs} language"),
    "market.local_domain": ("the shop uses {cs} country-code domain", "the shop does not use {cs} domain"),
}
"""Yes/no facts as the sentence that is true when the fact is true."""

LABELS: dict[str, str] = {
    "country": "the country",
    "flow.id": "the flow",
    "flow.recipient.role": "the recipient's role",
    "flow.subjects.kinds": "the people concerned",
    "flow.subjects.count": "the number of people",
    "flow.subjects.countries": "where the people live",
    "flow.subjects.youngest_age": "the youngest age",
    "flow.data_categories": "the data",
    "flow.purposes": "the purposes",
    "flow.legal_bases": "the legal bases",
    "flow.transfer_mechanisms": "the transfer mechanisms",
    "flow.safeguards": "the safeguards",
    "flow.assessments": "the assessments done for the flow",
    "flow.retention.until": "how long the data is kept",
    "flow.retention.months": "the retention period in months",
    "flow.retention.reason": "the reason for the retention period",
    "flow.marketing.channels": "the marketing channels",
    "flow.payment.processed_by": "who processes the payments",
    "flow.payment.country": "where payments are processed",
    "flow.system.country": "where the system is",
    "flow.system.provider": "the system's provider",
    "org.size": "your size",
    "org.employees": "your number of employees",
    "org.sectors": "your sectors",
    "org.establishments": "your establishments",
    "org.local_representatives": "your local representatives",
    "org.certifications": "your certifications",
    "org.breach_notification_hours": "your breach-reporting time in hours",
    "org.legal_form": "your legal form",
    "org.assessments": "your organisation-wide assessments",
    "org.annual_turnover_usd": "your annual turnover (USD)",
    "org.registrations": "your filings in {c}",
    "org.licences": "your licences in {c}",
    "org.subjects_in_country": "the number of people in {c} whose data you hold",
    "org.monthly_users_in_country": "your monthly users in {c}",
    "org.annual_transactions_in_country": "your yearly transactions in {c}",
    "market.country": "the market",
    "market.role": "your role in the market",
    "market.channels": "your sales channels",
    "market.annual_transactions": "yearly transactions there",
    "market.monthly_users": "monthly users there",
    "market.registered_accounts": "registered accounts there",
    "market.annual_parcels": "yearly parcels there",
    "market.consumer_information": "what the shop shows consumers",
    "market.languages": "the shop's languages",
}
"""Every other fact as a noun phrase."""

VERBS: dict[str, str] = {
    "flow.from": "the data comes from",
    "flow.to": "the data goes to",
    "org.home_country": "you are based in",
}
"""Facts read as a verb phrase followed by their value."""

_COMPARE = {"gte": "at least", "gt": "more than", "lte": "at most", "lt": "less than"}


def possessive(name: str) -> str:
    """The possessive of a name: "Viet Nam's", "the Philippines'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _show(value: Any, most: int = 5) -> str:
    if isinstance(value, list):
        # Manifest words in plain words ("contract clauses", not contract_clauses); dotted
        # taxonomy keys stay as they are, since they are what the reader looks up.
        items = [str(v) if "." in str(v) else str(v).replace("_", " ") for v in value]
        shown = ", ".join(items[:most]) + (f" and {len(items) - most} more" if len(items) > most else "")
        return shown or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value).replace("_", " ")


def reason(leaf: dict[str, Any], held: bool, ctx: dict[str, Any], country: str) -> str:
    """One condition leaf in plain words, as it ``held`` (True) or failed (False) on ``ctx``."""
    fact = leaf["fact"]
    op = next(k for k in leaf if k != "fact")
    value = leaf[op]
    actual = ctx.get(fact)
    if fact in YES_NO and op in ("equals", "not_equals") and isinstance(value, bool):
        truth = (
            (value if op == "equals" else not value) if held else not (value if op == "equals" else not value)
        )
        yes, no = YES_NO[fact]
        return (yes if truth else no).format(c=country, cs=possessive(country))
    if fact in VERBS and op in ("equals", "not_equals", "in", "not_in"):
        same = (op in ("equals", "in")) == held
        return f"{VERBS[fact]} {_show(actual)}" + ("" if same else f", not {_show(value)}")
    label = LABELS.get(fact) or (YES_NO[fact][0] if fact in YES_NO else fact)
    label = label.format(c=country, cs=possessive(country))
    if op == "exists":
        stated = value if held else not value
        return f"{label}: {'stated' if stated else 'not stated'}"
    if op in _COMPARE:
        word = (
            _COMPARE[op]
            if held
            else {"gte": "less than", "gt": "at most", "lte": "more than", "lt": "at least"}[op]
        )
        return f"{label}: {_show(actual)} ({word} {_show(value)})"
    if op == "contains_any" and held and isinstance(actual, list):
        return f"{label} include {_show([v for v in actual if v in value])}"
    if op == "contains_all" and not held and isinstance(actual, list) and isinstance(value, list):
        # Name only what is missing: the reader has the rest.
        return f"{label} do not include {_show([v for v in value if v not in actual])}"
    if op in ("contains_any", "contains_all", "under"):
        verb = "include" if held else "do not include"
        what = "data under " + _show(value) if op == "under" else _show(value)
        joiner = "any of " if op == "contains_any" and isinstance(value, list) and len(value) > 1 else ""
        return f"{label} {verb} {joiner}{what}"
    if op == "contains_none":
        return f"{label} {'include none of' if held else 'include one of'} {_show(value)}"
    if op in ("in", "not_in"):
        inside = (op == "in") == held
        return f"{label} is {_show(actual)}" + ("" if inside else f" (not {_show(value)})")
    # equals / not_equals on a value that is not yes/no
    same = (op == "equals") == held
    return f"{label} is {_show(actual)}" if same else f"{label} is {_show(actual)}, not {_show(value)}"


_WANTED_VERBS = {
    "flow.from": "where the data comes from",
    "flow.to": "where the data goes",
    "org.home_country": "where you are based",
}


def wanted(fact: str, country: str) -> str:
    """What knowing ``fact`` means, as the object of "without knowing ...": "whether the data
    leaves Viet Nam", "the legal bases"."""
    if fact in YES_NO:
        return "whether " + YES_NO[fact][0].format(c=country)
    if fact in _WANTED_VERBS:
        return _WANTED_VERBS[fact]
    return (LABELS.get(fact) or fact).format(c=country)


def applicability_unknown(facts: tuple[str, ...], subject: str, country: str) -> str:
    """The needs_info message of a rule that may or may not apply: it names what decides it.

    A rule's own needs_info text asks for what its `requires` lacks; when its `applies_when`
    is what is unknown, that text would ask for something else than the fields the finding names.
    """
    words = list(dict.fromkeys(wanted(fact, country) for fact in facts))
    whom = "your organisation" if subject == "organization" else f"this {subject}"
    if not words:
        return f"We cannot tell from the manifest whether this requirement applies to {whom}."
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"We cannot tell whether this requirement applies to {whom} without knowing {listed}."
