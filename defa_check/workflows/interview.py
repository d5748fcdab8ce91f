"""`defa-check init`: the owner's answers as a value, and the manifest they describe.

The answers are a plain value (:class:`Answers`), gathered by the prompts in
:mod:`defa_check.workflows.interview_questions` or from command-line flags;
:func:`manifest_text` turns them into a commented YAML file that always passes
`defa-check validate` (a property test drives many answer sequences).

The one principle: a field is written only when the owner stated it. An answer
of "don't know" is ``None`` here and leaves the field out, so the check asks
for it as `needs_info` instead of the manifest claiming something nobody said.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from defa_check.inputs.geo import COUNTRY_NAMES, suggest_country, to_country
from defa_check.inputs.suggest import hint
from defa_check.inputs.vocabulary import DATA_CHOICES as DATA_CHOICES
from defa_check.model import ASEAN_MEMBERS, Problem
from defa_check.records import field, record

DATA_ALIASES: dict[str, list[str]] = {
    "contact": ["names", "email", "phone", "address"],
    "behaviour": ["profiling"],
    "behavior": ["profiling"],
    "religion": ["beliefs"],
}
"""Earlier `--data` keys, still accepted on the command line."""

PURPOSES: dict[str, tuple[str, list[str]]] = {
    "orders": ("selling to customers and delivering their orders", ["essential.service"]),
    "payments": ("taking payments", ["essential.service.payment_processing"]),
    "marketing": ("newsletters and other marketing messages", ["marketing.communications"]),
    "advertising": ("advertising (showing ads to customers or people like them)", ["marketing.advertising"]),
    "analytics": ("analytics (measuring visits, sales and campaigns)", ["analytics"]),
    "support": ("customer support", ["essential.service.operations.support"]),
    "delivery": ("delivering orders (couriers, fulfilment)", ["essential.service"]),
    "operations": ("running the shop (hosting, order emails, accounting)", ["essential.service"]),
}
"""Why data goes somewhere, in the owner's words, mapped to fideslang data uses."""

SERVICE_PURPOSES = [key for key in PURPOSES if key != "orders"]

MARKETING_CHANNELS = {
    "email": "email",
    "sms": "SMS text messages",
    "calls": "phone calls",
    "push": "app push notifications",
    "messaging_apps": "messaging apps (WhatsApp, LINE, Zalo...)",
    "social_media": "social media messages",
    "post": "post",
}

LEGAL_BASES = {
    "consent": "they agreed to it (consent)",
    "contract": "it is needed to carry out their order or contract",
    "legal_obligation": "a law requires it",
    "legitimate_interests": "your legitimate interests (weighed against theirs)",
}

CONTRACT_CHOICES = {
    "contract_clauses": "yes: a data processing agreement or data-protection clauses",
    "asean_mcc": "yes: the ASEAN Model Contractual Clauses",
    "eu_scc": "yes: the EU Standard Contractual Clauses",
}
"""Answers to "is there a contract with data-protection clauses?", as transfer mechanisms."""

SAFEGUARD_CHOICES = {
    "encryption_in_transit": "data is encrypted when sent (https)",
    "encryption_at_rest": "data is encrypted where it is stored",
    "access_restriction": "only staff who need it can see it",
    "multi_factor_authentication": "logins need a second factor (a code or an app)",
    "audit_logging": "who looked at or changed data is logged",
    "backup": "backups are kept and can be restored",
    "incident_response_plan": "a written plan for data breaches",
    "security_training": "staff are trained on data protection",
}

RETENTION_CHOICES = {
    "period": "a fixed period",
    "purpose_ends": "until it is no longer needed (deleted when the purpose ends)",
    "indefinite": "no set limit",
}

REGISTRATION_KINDS = {
    "dpo": "notified or registered a data protection officer",
    "controller": "registered as a data controller or data user",
    "data_processing_system": "registered data processing systems (Philippines)",
    "transfer_impact_assessment": "filed a transfer impact assessment dossier (Viet Nam)",
    "dpia": "filed a data protection impact assessment",
    "eso": "registered as an electronic system operator (Indonesia, PSE)",
    "ecommerce": "registered or notified an e-commerce business",
    "platform_notification": "notified a website or e-commerce platform",
    "online_sales": "registered online sales",
    "ecommerce_licence": "obtained an e-commerce licence",
    "direct_marketing": "registered for direct marketing",
    "non_coverage_declaration": "filed a declaration of non-coverage",
    "bcr_approval": "had binding corporate rules approved",
}

CERTIFICATIONS = {
    "iso_27001": "ISO/IEC 27001 (information security)",
    "iso_27701": "ISO/IEC 27701 (privacy)",
    "pci_dss": "PCI DSS (payment cards)",
    "soc_2": "SOC 2 report",
    "global_cbpr": "Global Cross-Border Privacy Rules (CBPR)",
    "apec_cbpr": "APEC Cross-Border Privacy Rules",
    "dpts": "Singapore Data Protection Trustmark",
}

ASSESSMENTS = {
    "dpia": "a data protection impact assessment (DPIA)",
    "transfer_impact_assessment": "a transfer impact assessment (before sending data abroad)",
    "legitimate_interests_assessment": "a legitimate interests assessment",
    "security_risk_assessment": "a security risk assessment",
    "vendor_assessment": "an assessment of the companies you send data to",
    "children_risk_assessment": "an assessment of risks to children",
}

CONSUMER_INFORMATION = {
    "identity": "your legal name",
    "registration_number": "business or tax registration number",
    "address": "your address",
    "contact": "how to contact you",
    "prices_with_taxes": "prices including taxes",
    "delivery_costs": "delivery costs",
    "terms": "terms and conditions",
    "cancellation": "how to cancel",
    "returns": "return or refund policy",
    "complaints": "how to complain",
    "privacy_notice": "a privacy notice",
}

LEGAL_FORMS = {
    "company": "a company (limited or incorporated)",
    "natural_person": "a sole trader (yourself, not incorporated)",
    "partnership": "a partnership (not incorporated)",
    "other_juristic_person": "another legal person (association, cooperative, foundation...)",
}

SALES_CHANNELS = {
    "own_website": "your own website or online shop",
    "marketplace": "marketplaces (Shopee, Lazada, Tokopedia, Amazon...)",
    "social_commerce": "social media (Facebook, Instagram, TikTok, LINE shops)",
    "app": "your own app",
}

ROLES = {
    "seller": "you sell your own goods or services",
    "marketplace": "you run a marketplace where others sell",
    "platform": "you run another online platform or app that others use",
}

SIZES = ("micro", "small", "medium", "large")

SIZE_HELP = (
    "Use your home country's official classification of enterprises (it usually counts employees "
    "and yearly turnover). Where it matters for these checks: Viet Nam exempts household businesses "
    "and micro-enterprises from appointing data protection personnel and from the processing impact "
    "assessment, and lets small enterprises and start-ups opt out until 2030-12-31, unless they "
    "provide data processing services, process sensitive data or hold data on 100,000 people "
    "(Law 91/2025/QH15 Art. 38; Decree 356/2025/ND-CP Art. 41). Viet Nam's relief uses Viet Nam's "
    "own size classes, which defa-check does not restate: check them before relying on it."
)

SECTORS = [
    "ecommerce", "retail", "fintech", "payments", "banking", "insurance", "health", "telecom", "education",
    "logistics", "travel", "gaming", "media", "social_media", "software", "cloud", "manufacturing",
    "marketing", "public_sector", "hospitality", "professional_services", "other",
]  # fmt: skip


@record(frozen=False)
class Service:
    """Another company the business sends customers' data to."""

    name: str
    country: str
    purposes: list[str] | None = None
    """Keys of :data:`PURPOSES`; None: not stated."""
    data: list[str] | None = None
    """Keys of :data:`DATA_CHOICES` it receives; None: not stated."""
    contract: str | None = None
    """A key of :data:`CONTRACT_CHOICES`, or "none"; None: not stated."""
    marketing_channels: list[str] | None = None
    unsubscribe: bool | None = None
    dnc_checked: bool | None = None


@record(frozen=False)
class Answers:
    """Everything the interview learns. ``None`` always means "not stated"."""

    name: str
    home_country: str
    storage_country: str
    size: str | None = None
    employees: int | None = None
    sectors: list[str] | None = None
    legal_form: str | None = None
    processing_services: bool | None = None
    sell_to: list[str] = field(default_factory=list)
    """Other countries it sells to online, in the order given."""
    home_market: bool = False
    """It sells online at home too: the home country is a market (its e-commerce rules apply)."""
    markets_unknown: bool = False
    """Where it sells was not answered: the manifest then states no markets at all (an empty
    list would state that there are none)."""
    customers: dict[str, int] = field(default_factory=dict)
    """Customers a year per country (home included); a country left out: not stated."""
    orders: dict[str, int] = field(default_factory=dict)
    """Orders a year per market."""
    role: str | None = None
    b2c: bool | None = None
    sales_channels: list[str] | None = None
    data: list[str] | None = None
    cards_at_provider: bool | None = None
    """Card numbers are taken by the payment company's own page: the shop's records hold none."""
    children: bool | None = None
    youngest_age: int | None = None
    parental_consent: bool | None = None
    storage_provider: str | None = None
    host_contract: str | None = None
    services: list[Service] = field(default_factory=list)
    legal_bases: dict[str, list[str]] = field(default_factory=dict)
    """Per purpose key; a purpose left out: not stated."""
    retention: dict[str, Any] | None = None
    safeguards: list[str] | None = None
    services_safeguarded: bool | None = None
    """The safeguards hold at the services too."""
    local_copy: list[str] | None = None
    """Countries where a copy is kept besides the store."""
    establishments: list[str] | None = None
    """Other countries with an entity, branch or office (home is always one)."""
    representatives: list[str] | None = None
    dpo_appointed: bool | None = None
    breach_hours: int | None = None
    registrations: list[tuple[str, str]] | None = None
    critical_infrastructure: list[str] | None = None
    certifications: list[str] | None = None
    assessments: list[str] | None = None
    consumer_information: list[str] | None = None
    languages: list[str] | None = None

    def customer_countries(self) -> list[str]:
        """Where its customers live: home first, then the markets in the order given (none with 0)."""
        ordered = list(dict.fromkeys([self.home_country, *self.sell_to]))
        return [c for c in ordered if self.customers.get(c) != 0]

    def purposes_in_use(self) -> list[str]:
        used = ["orders"]
        for service in self.services:
            used += [p for p in service.purposes or () if p not in used]
        return used


NAMES = {
    "BN": "Brunei", "KH": "Cambodia", "ID": "Indonesia", "LA": "Lao PDR", "MY": "Malaysia",
    "MM": "Myanmar", "PH": "Philippines", "SG": "Singapore", "TH": "Thailand", "TL": "Timor-Leste",
    "VN": "Viet Nam",
}  # fmt: skip
"""The member states as their profiles name them."""


IN_SENTENCE = {"PH": "the Philippines"}
"""Names that take "the" in the middle of a sentence ("customers in the Philippines")."""


def country_name(code: str, in_sentence: bool = False) -> str:
    """'Malaysia (MY)' for the countries we know by name, else the code; ``in_sentence``:
    the name as it reads after "in" or "from" ('the Philippines (PH)')."""
    if code in NAMES:
        name = IN_SENTENCE.get(code, NAMES[code]) if in_sentence else NAMES[code]
        return f"{name} ({code})"
    for name, value in COUNTRY_NAMES.items():
        if value == code and len(name) > 3:
            return f"{name.title()} ({code})"
    return code


def outside_scope(codes: list[str]) -> list[str]:
    """The countries no rule pack covers (defa-check's packs are the eleven ASEAN members)."""
    return [c for c in codes if c not in ASEAN_MEMBERS]


def expand_data(keys: list[str]) -> list[str]:
    out: list[str] = []
    for key in keys:
        for k in DATA_ALIASES.get(key, [key]):
            if k not in out:
                out.append(k)
    return out


def _categories(data: list[str]) -> list[str]:
    out: list[str] = []
    for key in data:
        for category in DATA_CHOICES[key][1]:
            if category not in out:
                out.append(category)
    return out


def _uses(purposes: list[str], channels: list[str] | None) -> list[str]:
    out: list[str] = []
    for purpose in purposes:
        uses = PURPOSES[purpose][1]
        if purpose == "marketing" and channels:
            # The channel-specific uses the taxonomy has, so SMS rules see an SMS campaign.
            specific = [f"marketing.communications.{c}" for c in channels if c in ("email", "sms")]
            uses = specific if specific and len(specific) == len(channels) else uses
        out += [u for u in uses if u not in out]
    return out


def flow_id(name: str, taken: set[str]) -> str:
    """A flow id from a service's name: 'Mailchimp' -> 'mailchimp', unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "service"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _service_flows(
    service: Service,
    a: Answers,
    countries: list[str],
    taken: set[str],
    subjects: Callable[[list[str]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """The flows to one service: from the store, or, for a payment company that takes the card
    numbers on its own page, from each customer country: the buyer's card goes from where the buyer
    is straight to the payment company, and each country's transfer rules read that flow."""
    purposes = f" for {', '.join(PURPOSES[p][0] for p in service.purposes)}" if service.purposes else ""
    if not (a.cards_at_provider and service.purposes and "payments" in service.purposes and countries):
        return [
            {
                "id": flow_id(service.name, taken),
                "description": f"Customers' data sent to {service.name}{purposes}",
                "from": a.storage_country,
                "to": service.country,
                "recipient": {"name": service.name, "role": "processor"},
                "subjects": subjects(countries),
            }
        ]
    return [
        {
            "id": flow_id(f"{service.name} {country}", taken),
            "description": f"Payments of customers in {country_name(country)}, taken on "
            f"{service.name}'s own page{purposes}",
            "from": country,
            "to": service.country,
            "recipient": {"name": service.name, "role": "processor"},
            "subjects": subjects([country]),
        }
        for country in countries
    ]


def _describe_service_flow(
    flow: dict[str, Any],
    service: Service,
    a: Answers,
    common: Callable[[dict[str, Any], list[str] | None, str | None], None],
    safeguards: list[str] | None,
) -> None:
    """What a service's flow carries and why, as answered."""
    if service.data is not None and a.data is not None:
        flow["data_categories"] = _categories([d for d in a.data if d in service.data])
    if service.purposes is not None:
        flow["purposes"] = _uses(service.purposes, service.marketing_channels)
    common(flow, service.purposes, service.contract)
    if safeguards is not None and a.services_safeguarded:
        flow["safeguards"] = safeguards
    if service.purposes and "marketing" in service.purposes:
        marketing: dict[str, Any] = {}
        if service.marketing_channels is not None:
            marketing["channels"] = service.marketing_channels
        if service.unsubscribe is not None:
            marketing["unsubscribe"] = service.unsubscribe
        if service.dnc_checked is not None:
            marketing["dnc_checked"] = service.dnc_checked
        if marketing:
            flow["marketing"] = marketing
    if service.purposes and "payments" in service.purposes:
        flow["payment"] = {
            "processed_by": "payment_provider",
            "provider": service.name,
            "country": service.country,
        }


def build_manifest(a: Answers) -> dict[str, Any]:
    """The manifest the answers describe, stating only what was answered."""
    org: dict[str, Any] = {"name": a.name, "home_country": a.home_country}
    for key, value in (
        ("size", a.size),
        ("employees", a.employees),
        ("sectors", a.sectors),
        ("legal_form", a.legal_form),
        ("provides_processing_services", a.processing_services),
    ):
        if value is not None:
            org[key] = value
    if a.establishments is not None:
        org["establishments"] = list(dict.fromkeys([a.home_country, *a.establishments]))
    if a.representatives is not None:
        org["local_representatives"] = a.representatives
    if a.dpo_appointed is not None:
        org["dpo_appointed"] = a.dpo_appointed
    if a.registrations is not None:
        org["registrations"] = [{"country": c, "kind": k} for c, k in a.registrations]
    if a.certifications is not None:
        org["certifications"] = a.certifications
    if a.breach_hours is not None:
        org["breach_notification_hours"] = a.breach_hours
    if a.assessments is not None:
        org["assessments"] = a.assessments
    if a.critical_infrastructure is not None:
        org["critical_infrastructure"] = a.critical_infrastructure

    system: dict[str, Any] = {
        "id": "store",
        "name": "Where customers' data is kept",
        "country": a.storage_country,
    }
    if a.storage_provider:
        system["provider"] = a.storage_provider
        system["name"] = f"Shop and customer data at {a.storage_provider}"

    # The shop's own records: without the card numbers a payment page takes (those go to the
    # payment company's flow only).
    own = [d for d in a.data if not (d == "cards" and a.cards_at_provider)] if a.data is not None else None
    categories = _categories(own) if own is not None else None
    safeguards = list(a.safeguards) if a.safeguards is not None else None
    if safeguards is not None and a.children and a.parental_consent:
        safeguards.append("parental_consent")
    countries = a.customer_countries()

    def subjects(of: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"kinds": ["customer"]}
        if of:
            out["countries"] = of
        counts = [a.customers.get(c) for c in of]
        if all(n is not None for n in counts):
            out["count"] = sum(n for n in counts if n is not None)
        if a.children is not None:
            out["children"] = a.children
        if a.children and a.youngest_age is not None:
            out["youngest_age"] = a.youngest_age
        return out

    def bases(purposes: list[str]) -> list[str] | None:
        if not all(p in a.legal_bases for p in purposes):
            return None
        out: list[str] = []
        for p in purposes:
            out += [b for b in a.legal_bases[p] if b not in out]
        return out

    def common(flow: dict[str, Any], purposes: list[str] | None, contract: str | None) -> None:
        if purposes is not None:
            found = bases(purposes)
            if found is not None:
                flow["legal_bases"] = found
        if contract is not None:
            flow["transfer_mechanisms"] = [] if contract == "none" else [contract]
        if a.retention is not None:
            flow["retention"] = dict(a.retention)
        if a.assessments == []:
            # "None written down" covers each flow too; a named assessment is stated for the whole business.
            flow["assessments"] = []

    flows: list[dict[str, Any]] = []
    for country in countries:
        flow: dict[str, Any] = {
            "id": f"{country.lower()}-customers",
            "description": "Orders and customer records of customers in "
            + country_name(country, in_sentence=True),
            "from": country,
            "to": a.storage_country,
            "system": "store",
            "recipient": {"name": a.name, "role": "controller"},
            "subjects": subjects([country]),
        }
        if categories is not None:
            flow["data_categories"] = categories
        flow["purposes"] = _uses(["orders"], None)
        common(flow, ["orders"], a.host_contract)
        if safeguards is not None:
            flow["safeguards"] = safeguards
        if a.local_copy is not None and country != a.storage_country:
            flow["local_copy"] = country in a.local_copy
        flows.append(flow)
    taken = {f["id"] for f in flows}
    for service in a.services:
        for flow in _service_flows(service, a, countries, taken, subjects):
            _describe_service_flow(flow, service, a, common, safeguards)
            flows.append(flow)

    markets: list[dict[str, Any]] = []
    for country in ([a.home_country] if a.home_market else []) + a.sell_to:
        market: dict[str, Any] = {"country": country}
        for key, value in (("role", a.role), ("b2c", a.b2c), ("channels", a.sales_channels)):
            if value is not None:
                market[key] = value
        if country in a.orders:
            market["annual_transactions"] = a.orders[country]
        if a.consumer_information is not None:
            market["consumer_information"] = a.consumer_information
        if a.languages is not None:
            market["languages"] = a.languages
        markets.append(market)
    manifest: dict[str, Any] = {
        "manifest_version": 1,
        "organization": org,
        "systems": [system],
        "flows": flows,
    }
    if not a.markets_unknown:
        manifest["markets"] = markets
    return manifest


HEADER = """\
# defa-check flow manifest, written by `defa-check init`.
# It describes where your business collects personal data, where it keeps it,
# which companies it sends it to and why, and where you sell online. Check it with:
#     defa-check check {path}
# Only what you answered is written: a question you did not know is left out on
# purpose, and the check reports it as "needs info" naming the field to add.
# JSON Schema for editors:
#     defa-check schema manifest
"""

COMMENTS = {
    "organization": "# Your business. establishments = countries where you have a company, branch or office.",
    "systems": "# Where the data is kept (the country of the data centre, not of the provider).",
    "flows": "# Each flow: personal data moving from the country where it is collected (from)\n"
    "# to where it is kept or used (to). One flow per country of customers, one per company\n"
    "# you send data to, carrying only the data that company gets.",
    "markets": "# Where you sell online.",
}


class _NoAliases(yaml.SafeDumper):
    """Repeat shared lists instead of writing &anchors: the file is for people to read."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def valid_manifest_text(a: Answers, path: str) -> tuple[str, list[Problem]]:
    """The manifest as commented YAML, and the problems it has (none, unless there is a bug)."""
    from defa_check.inputs import source
    from defa_check.inputs.manifest import validate_manifest

    text = manifest_text(a, path)
    return text, validate_manifest(source.loads(text, path))


def manifest_text(a: Answers, path: str) -> str:
    """The manifest as commented YAML."""
    data = build_manifest(a)
    parts = [HEADER.format(path=path), "manifest_version: 1\n"]
    for key in ("organization", "systems", "flows", "markets"):
        if key not in data:  # not answered: left out, as every unknown is
            parts.append(f"\n{COMMENTS[key]} Not answered: add markets: [{{country: CC}}, ...]\n")
            continue
        if not data[key] and key != "organization":
            parts.append(f"\n{COMMENTS[key]}\n{key}: []\n")
            continue
        body = yaml.dump({key: data[key]}, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100)
        parts.append(f"\n{COMMENTS[key]}\n{body}")
    return "".join(parts)


@record
class Flags:
    """`init --non-interactive`: the answers as given on the command line, not yet checked."""

    name: str | None = None
    home: str | None = None
    size: str | None = None
    employees: int | None = None
    sectors: tuple[str, ...] = ()
    sell_to: str = ""
    data: tuple[str, ...] = ()
    store: str | None = None
    provider: str | None = None
    services: tuple[str, ...] = ()
    customers: int | None = None
    children: bool | None = None
    dpo: bool | None = None
    cards_at_provider: bool | None = None


def _service_from_flag(item: str) -> Service | str:
    """NAME:COUNTRY[:PURPOSES[:DATA]] (lists joined with +), or what is wrong with it."""
    parts = item.split(":")
    if len(parts) < 2 or not parts[0].strip() or to_country(parts[1]) is None:
        return f"{item!r}: write NAME:COUNTRY[:PURPOSES[:DATA]], e.g. Stripe:US:payments:names+email+cards"
    country = to_country(parts[1])
    assert country is not None
    service = Service(parts[0].strip(), country)
    if len(parts) > 2 and parts[2].strip():
        purposes = [p.strip() for p in parts[2].split("+") if p.strip()]
        bad = [p for p in purposes if p not in SERVICE_PURPOSES]
        if bad:
            return f"{item!r}: purposes are {', '.join(SERVICE_PURPOSES)}"
        service.purposes = list(dict.fromkeys(purposes))
    if len(parts) > 3 and parts[3].strip():
        keys = [d.strip() for d in parts[3].split("+") if d.strip()]
        bad = [d for d in keys if d not in DATA_CHOICES and d not in DATA_ALIASES]
        if bad:
            return f"{item!r}: data kinds are {', '.join(DATA_CHOICES)}"
        service.data = expand_data(keys)
    return service


def answers_from_flags(flags: Flags) -> tuple[Answers | None, list[Problem]]:
    """The interview's answers from command-line flags, or every problem with them."""
    problems: list[Problem] = []

    def bad(option: str, message: str) -> None:
        problems.append(Problem(option, message, code="usage"))

    def not_a_country(option: str, typed: str, what: str = "a country code or name") -> None:
        near = suggest_country(typed)
        problems.append(
            Problem(
                option,
                f"{typed!r} is not {what} I know",
                hint=hint([near]) if near else None,
                code="usage",
            )
        )

    if not flags.name or not flags.name.strip() or not flags.home:
        bad("--non-interactive", "needs at least --name and --home")
        return None, problems
    home_code = to_country(flags.home)
    if home_code is None:
        not_a_country("--home", flags.home)
    if flags.size is not None and flags.size not in SIZES:
        bad("--size", f"{flags.size!r}: choose micro, small, medium or large")
    for s in flags.sectors:
        if s not in SECTORS:
            bad("--sector", f"{s!r}: choose from {', '.join(SECTORS)}")
    markets: list[str] = []
    home_market = False
    for part in (p.strip() for p in flags.sell_to.split(",") if p.strip()):
        code = to_country(part)
        if code is None:
            not_a_country("--sell-to", part)
        elif code == home_code:
            home_market = True  # --sell-to ID,MY from an Indonesian shop: it sells at home too
        elif code not in markets:
            markets.append(code)
    for key in flags.data:
        if key not in DATA_CHOICES and key not in DATA_ALIASES:
            bad("--data", f"{key!r}: choose from {', '.join(DATA_CHOICES)}")
    store_code = to_country(flags.store) if flags.store else home_code
    if flags.store and store_code is None:
        not_a_country("--store", flags.store, "a country, country name or cloud region")
    services: list[Service] = []
    for item in flags.services:
        parsed = _service_from_flag(item)
        if isinstance(parsed, str):
            bad("--service", parsed)
        else:
            services.append(parsed)
    if problems or home_code is None or store_code is None:
        return None, problems
    data = expand_data(list(flags.data)) if flags.data else None
    for service in services:
        if service.data is not None and data is not None:
            service.data = [d for d in service.data if d in data]
    counted = [home_code, *markets]
    return (
        Answers(
            name=flags.name.strip(),
            home_country=home_code,
            storage_country=store_code,
            size=flags.size,
            employees=flags.employees,
            sectors=list(dict.fromkeys(flags.sectors)) or None,
            sell_to=markets,
            home_market=home_market,
            customers=dict.fromkeys(counted, flags.customers) if flags.customers is not None else {},
            data=data,
            children=flags.children,
            storage_provider=flags.provider,
            services=services,
            dpo_appointed=flags.dpo,
            cards_at_provider=flags.cards_at_provider if data and "cards" in data else None,
        ),
        [],
    )


def suggested_markets(answers: Answers) -> str:
    """Two large ASEAN markets the business does not serve yet, for the example `plan` command."""
    served = {answers.home_country, *answers.sell_to}
    return ",".join([c for c in ("VN", "ID", "TH", "MY", "PH", "SG") if c not in served][:2])
