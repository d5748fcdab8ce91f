"""Facts in plain words: why a rule applies, why it fails or passes, why it does not apply.

Each fact has a short label ("your transfer mechanisms"); a yes/no fact also has
the sentence it stands for ("the data leaves {c}"). A leaf of a condition that
held on a subject becomes one reason, e.g. "the data leaves Singapore" or
"your transfer mechanisms do not include asean_mcc". `{c}` is the rule's country as it
reads in a sentence ("the Philippines"), `{cs}` its possessive ("the Philippines'").
A test checks that every fact in :data:`~defa_check.packs.facts.FACTS` has words here.
"""

from __future__ import annotations

from defa_check.model import Between

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
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
    "org.sensitive_non_staff_in_country": (
        "you hold data {c} treats as sensitive about people there other than staff",
        "you hold no data {c} treats as sensitive about people other than staff",
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
    "market.consumer_information": "the details the shop shows consumers",
    "market.languages": "the shop's languages",
}
"""Every other fact as a noun phrase."""

VERBS: dict[str, str] = {
    "flow.retention.until": "the data is kept",
    "flow.from": "the data comes from",
    "flow.to": "the data goes to",
    "org.home_country": "you are based in",
}
"""Facts read as a verb phrase followed by their value."""

_COMPARE = {"gte": "at least", "gt": "more than", "lte": "at most", "lt": "less than"}


def possessive(name: str) -> str:
    """The possessive of a name: "Viet Nam's", "the Philippines'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _filled(text: str, country: str) -> str:
    """A phrase with its country filled in: `{c}` the name in a sentence, `{cs}` its possessive."""
    return text.format(c=country, cs=possessive(country))


WORDS: dict[str, str] = {
    # transfer mechanisms and certifications
    "asean_mcc": "ASEAN Model Contractual Clauses",
    "eu_scc": "EU Standard Contractual Clauses",
    "bcr": "binding corporate rules",
    "contract_necessity": "necessity for a contract",
    "global_cbpr": "Global CBPR certification",
    "global_prp": "Global PRP certification",
    "apec_cbpr": "APEC CBPR certification",
    "apec_prp": "APEC PRP certification",
    "csa_star": "CSA STAR",
    "dpts": "DPTS certification",
    "iso_27001": "ISO/IEC 27001",
    "iso_27017": "ISO/IEC 27017",
    "iso_27018": "ISO/IEC 27018",
    "iso_27701": "ISO/IEC 27701",
    "pci_dss": "PCI DSS",
    "soc_2": "SOC 2",
    # assessments
    "dpia": "data protection impact assessment",
    "pia": "privacy impact assessment",
    # safeguards
    "mfa": "multi-factor authentication",
    "multi_factor_authentication": "multi-factor authentication",
    "end_to_end_encryption": "end-to-end encryption",
    "sms": "SMS",
    "rbac": "role-based access control",
    "role_based_access_control": "role-based access control",
    "tls": "TLS",
    "vpn": "VPN",
    # markets and sectors
    "ecommerce": "e-commerce",
    "b2c": "B2C",
}
"""Manifest words in plain words where "_" -> " " is not enough (the rest: "contract clauses")."""

FILINGS: dict[str, str] = {
    "dpo": "DPO registration",
    "controller": "controller registration",
    "data_processing_system": "data processing system registration",
    "transfer_impact_assessment": "transfer impact assessment filing",
    "dpia": "data protection impact assessment filing",
    "eso": "electronic system operator (ESO) registration",
    "ecommerce": "e-commerce registration",
    "platform_notification": "platform notification",
    "online_sales": "online sales registration",
    "non_coverage_declaration": "non-coverage declaration",
    "direct_marketing": "direct marketing registration",
    "ecommerce_licence": "e-commerce licence",
    "bcr_approval": "binding corporate rules approval",
}
"""Kinds of filing (organization.registrations[].kind), as a reader names them."""

_TAXONOMIES = {
    "flow.data_categories": "data_categories",
    "flow.subjects.kinds": "data_subjects",
    "flow.purposes": "data_uses",
}
"""Facts whose values are fideslang keys, shown by the taxonomy's names."""


def _taxonomy_name(fact: str, key: str) -> str | None:
    from defa_check.inputs import taxonomy  # local: only a reason that shows such a value needs it

    found = getattr(taxonomy, _TAXONOMIES[fact])()
    canonical = found.canonical(key)
    name = found.names.get(canonical) if canonical else None
    if not name or name == canonical:
        return None
    # "Purchase History" -> "purchase history"; "Government ID" keeps its "ID".
    return " ".join(w.lower() if w[1:].islower() or len(w) == 1 else w for w in name.split())


_KEPT = {
    "indefinite": "with no set limit",
    "period": "for a set period",
    "purpose_ends": "until its purpose ends",
}
"""flows[].retention.until after "the data is kept" ("indefinite (not period or purpose ends)" read as
field values: a user trial)."""


def _word(value: Any, fact: str = "") -> str:
    """One manifest value in plain words: a taxonomy key by its name, a vocabulary word by its label."""
    text = str(value)
    if fact in _TAXONOMIES:
        name = _taxonomy_name(fact, text)
        if name:
            return name
    if fact == "org.registrations" and text in FILINGS:
        return FILINGS[text]
    if fact == "flow.retention.until" and text in _KEPT:
        return _KEPT[text]
    if text in WORDS:
        return WORDS[text]
    # Dotted keys the taxonomy does not name stay as they are, since they are what the reader looks up.
    return text if "." in text else text.replace("_", " ")


def _show(value: Any, most: int = 5, fact: str = "", conj: str = "and") -> str:
    """A value in plain words; a list as 'a, b and c' (``conj`` "or" where any one of them would
    do), cut after ``most`` items (never to hide just one)."""
    if isinstance(value, list):
        items = list(dict.fromkeys(_word(v, fact) for v in value))
        if len(items) > most + 1:
            return ", ".join(items[:most]) + f" and {len(items) - most} more"
        return _list(items, conj) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, Between):
        return f"{value.low:,} to {value.high:,}"
    return _word(value, fact)


def _list(items: list[str], conj: str = "and") -> str:
    """'a, b and c'."""
    return ", ".join(items[:-1]) + f" {conj} " + items[-1] if len(items) > 1 else "".join(items)


LONG = 4
"""A list of more values than this is not spelled out in a negative reason: what is stated is."""


def _instead(label: str, actual: Any, value: Any, fact: str) -> str | None:
    """'the people concerned are only customer': what the manifest states, where naming every
    value the rule lists (none of which it states) would be a long list of what is not there."""
    if not isinstance(value, list) or len(value) <= LONG or not isinstance(actual, list):
        return None
    if not actual:
        return f"{label}: none stated"
    if len(actual) < len(value):
        return f"{label}: only {_show(actual, fact=fact)}"
    return None


def reason(leaf: dict[str, Any], held: bool, ctx: dict[str, Any], country: str) -> str:
    """One condition leaf in plain words, as it ``held`` (True) or failed (False) on ``ctx``."""
    fact = leaf["fact"]
    op = next(k for k in leaf if k != "fact")
    value = leaf[op]
    actual = ctx.get(fact)

    def show(v: Any, conj: str = "and") -> str:
        return _show(v, fact=fact, conj=conj)

    if fact in YES_NO and op in ("equals", "not_equals") and isinstance(value, bool):
        truth = (
            (value if op == "equals" else not value) if held else not (value if op == "equals" else not value)
        )
        yes, no = YES_NO[fact]
        return _filled(yes if truth else no, country)
    if fact in VERBS and op in ("equals", "not_equals", "in", "not_in"):
        same = (op in ("equals", "in")) == held
        return f"{VERBS[fact]} {show(actual)}" + ("" if same else f", not {show(value, 'or')}")
    label = LABELS.get(fact) or (YES_NO[fact][0] if fact in YES_NO else fact)
    label = _filled(label, country)
    if op == "exists":
        stated = value if held else not value
        return f"{label}: {'stated' if stated else 'not stated'}"
    if op in _COMPARE:
        word = (
            _COMPARE[op]
            if held
            else {"gte": "less than", "gt": "at most", "lte": "more than", "lt": "at least"}[op]
        )
        return f"{label}: {show(actual)} ({word} {show(value)})"
    if op == "contains_any" and held and isinstance(actual, list):
        return f"{label} include {show([v for v in actual if v in value])}"
    if op == "contains_all" and not held and isinstance(actual, list) and isinstance(value, list):
        # Name only what is missing: the reader has the rest.
        return f"{label} do not include {show([v for v in value if v not in actual], 'or')}"
    if op == "under" and held and isinstance(actual, list):
        # Name what the manifest declares under the rule's keys, not every key the rule lists.
        keys = value if isinstance(value, list) else [value]
        found = [a for a in actual if any(a == k or str(a).startswith(f"{k}.") for k in keys)]
        if found:
            return f"{label} include {show(found)}"
    if op == "contains_any" and not held:
        instead = _instead(label, actual, value, fact)
        if instead:
            return instead
    if op in ("contains_any", "contains_all", "under"):
        verb = "include" if held else "do not include"
        joiner = "any of " if op == "contains_any" and isinstance(value, list) and len(value) > 1 else ""
        what = show(value, "or" if op == "contains_any" or not held else "and")
        if op == "under" and what == str(value):  # a key the taxonomy does not name
            what = f"data under {what}"
        return f"{label} {verb} {joiner}{what}"
    if op == "contains_none":
        if held:
            instead = _instead(label, actual, value, fact)
            if instead:
                return instead
        return f"{label} {'include none of' if held else 'include one of'} {show(value, 'or')}"
    if op in ("in", "not_in"):
        inside = (op == "in") == held
        return f"{label} is {show(actual)}" + ("" if inside else f" (not {show(value, 'or')})")
    # equals / not_equals on a value that is not yes/no
    same = (op == "equals") == held
    return f"{label} is {show(actual)}" if same else f"{label} is {show(actual)}, not {show(value, 'or')}"


_WANTED_VERBS = {
    "flow.from": "where the data comes from",
    "flow.to": "where the data goes",
    "org.home_country": "where you are based",
}


def wanted(fact: str, country: str) -> str:
    """What knowing ``fact`` means, as the object of "without knowing ...": "whether the data
    leaves Viet Nam", "the legal bases"."""
    if fact in YES_NO:
        return "whether " + _filled(YES_NO[fact][0], country)
    if fact in _WANTED_VERBS:
        return _WANTED_VERBS[fact]
    return _filled(LABELS.get(fact) or fact, country)


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
