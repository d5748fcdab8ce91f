"""`defa-check init`: a plain-language interview that writes a valid, commented manifest.

The answers are a plain value (:class:`Answers`), gathered either from Rich
prompts or from command-line flags; :func:`manifest_text` turns them into the
YAML file. The manifest it writes always passes `defa-check validate` (a test
checks many answer combinations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from defa_check.inputs.geo import suggest_country, to_country
from defa_check.model import Problem

DATA_CHOICES: dict[str, tuple[str, list[str]]] = {
    "contact": ("names and contact details (email, phone, address)", ["user.name", "user.contact"]),
    "cards": ("payment card numbers", ["user.financial.credit_card"]),
    "bank": ("bank account details", ["user.financial.bank_account"]),
    "ids": ("national ID, passport or driving-licence numbers", ["user.government_id"]),
    "health": ("health information", ["user.health_and_medical"]),
    "location": ("precise location (GPS)", ["user.location.precise"]),
    "behaviour": ("purchase, browsing or search history", ["user.behavior"]),
    "biometric": (
        "photos of faces, fingerprints or voice prints used to identify people",
        ["user.biometric"],
    ),
    "religion": (
        "religion, ethnicity or political views",
        [
            "user.demographic.religious_belief",
            "user.demographic.race_ethnicity",
            "user.demographic.political_opinion",
        ],
    ),
}
"""Plain choices an owner recognises, mapped to fideslang data categories."""

SECTORS = [
    "ecommerce", "retail", "fintech", "payments", "banking", "insurance", "health", "telecom", "education",
    "logistics", "travel", "gaming", "media", "social_media", "software", "cloud", "manufacturing",
    "marketing", "public_sector", "hospitality", "professional_services", "other",
]  # fmt: skip


@dataclass
class Service:
    """Another company the business sends personal data to."""

    name: str
    country: str
    purpose: str = "essential.service"


@dataclass
class Answers:
    """Everything the interview learns."""

    name: str
    home_country: str
    size: str
    employees: int | None
    sectors: list[str]
    sell_to: list[str]
    data: list[str]
    storage_country: str
    storage_provider: str | None
    services: list[Service] = field(default_factory=list)
    customers: int | None = None
    children: bool = False
    dpo_appointed: bool | None = None
    breach_hours: int | None = None


def _categories(data: list[str]) -> list[str]:
    out: list[str] = []
    for key in data:
        for category in DATA_CHOICES[key][1]:
            if category not in out:
                out.append(category)
    return out or ["user.name"]


def build_manifest(a: Answers) -> dict[str, Any]:
    """The manifest the answers describe."""
    org: dict[str, Any] = {
        "name": a.name,
        "home_country": a.home_country,
        "size": a.size,
    }
    if a.employees is not None:
        org["employees"] = a.employees
    org["sectors"] = a.sectors
    org["establishments"] = [a.home_country]
    org["local_representatives"] = []
    if a.dpo_appointed is not None:
        org["dpo_appointed"] = a.dpo_appointed
    if a.breach_hours is not None:
        org["breach_notification_hours"] = a.breach_hours
    if a.customers is not None:
        served = sorted(set(a.sell_to) | {a.home_country})
        org["data_subjects_by_country"] = dict.fromkeys(served, a.customers)
    categories = _categories(a.data)
    systems = [{"id": "main", "name": "Main store of customer data", "country": a.storage_country}]
    if a.storage_provider:
        systems[0]["provider"] = a.storage_provider
    flows: list[dict[str, Any]] = []
    for country in sorted(set(a.sell_to) | {a.home_country}):
        subjects: dict[str, Any] = {"kinds": ["customer"], "countries": [country], "children": a.children}
        if a.customers is not None:
            subjects["count"] = a.customers
        flows.append(
            {
                "id": f"{country.lower()}-customers",
                "description": f"Customers' data collected from {country}",
                "from": country,
                "to": a.storage_country,
                "system": "main",
                "recipient": {"name": a.name, "role": "controller"},
                "subjects": subjects,
                "data_categories": categories,
                "purposes": ["essential.service"],
            }
        )
    for i, service in enumerate(a.services):
        flows.append(
            {
                "id": f"service-{i + 1}",
                "description": f"Customer data sent to {service.name}",
                "from": a.storage_country,
                "to": service.country,
                "recipient": {"name": service.name, "role": "processor"},
                "subjects": {
                    "kinds": ["customer"],
                    "countries": sorted(set(a.sell_to) | {a.home_country}),
                    "children": a.children,
                },
                "data_categories": categories,
                "purposes": [service.purpose],
            }
        )
    markets = [{"country": c, "role": "seller", "b2c": True, "channels": ["own_website"]} for c in a.sell_to]
    return {
        "manifest_version": 1,
        "organization": org,
        "systems": systems,
        "flows": flows,
        "markets": markets,
    }


HEADER = """\
# defa-check flow manifest, written by `defa-check init`.
# It describes where your business collects personal data, where it stores it,
# who it sends it to, and where you sell online. Check it with:
#     defa-check check {path}
# Fields you did not answer are left out on purpose: defa-check reports them as
# "needs info" and tells you which to add (for example legal_bases,
# transfer_mechanisms and safeguards on each flow). JSON Schema for editors:
#     defa-check schema manifest
"""

COMMENTS = {
    "organization": "# Your business. establishments = countries where you have a company, branch or office.",
    "systems": "# Where the data is stored (the country of the data centre, not of the provider).",
    "flows": "# Each flow: personal data moving from the country where it is collected (from)\n"
    "# to where it is stored or used (to).",
    "markets": "# Where you sell online. Add annual_transactions and monthly_users when you know them.",
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
        if not data[key] and key != "organization":
            parts.append(f"\n{COMMENTS[key]}\n{key}: []\n")
            continue
        body = yaml.dump({key: data[key]}, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=100)
        parts.append(f"\n{COMMENTS[key]}\n{body}")
    return "".join(parts)


def ask(console: Any) -> Answers:
    """Run the interview with Rich prompts (reads standard input, so it can be scripted)."""
    from rich.prompt import Confirm, IntPrompt, Prompt

    from defa_check.render.escape import rich_markup

    def country(question: str, default: str | None = None) -> str:
        while True:
            answer = Prompt.ask(question, default=default, console=console) or ""
            code = to_country(answer)
            if code:
                return code
            hint = suggest_country(answer)
            console.print(
                f"[yellow]'{rich_markup(answer)}' is not a country code, country name or cloud region I know."
                + (f" Did you mean {hint}?" if hint else "")
                + " Use a two-letter code such as SG or VN.[/yellow]"
            )

    def countries(question: str) -> list[str]:
        while True:
            answer = Prompt.ask(question, default="", console=console) or ""
            parts = [p for p in (x.strip() for x in answer.replace(";", ",").split(",")) if p]
            codes = [to_country(p) for p in parts]
            if all(codes):
                return sorted({c for c in codes if c})
            bad = [p for p, c in zip(parts, codes, strict=True) if not c]
            console.print(
                f"[yellow]Not recognised: {rich_markup(', '.join(bad))}. Use codes like VN, ID, TH.[/yellow]"
            )

    console.print("[bold]defa-check: let's describe your business.[/bold] Press Enter to accept a default.\n")
    name = Prompt.ask("What is your business called?", console=console)
    home = country("Which country is it based in? (code or name, e.g. SG)")
    size = Prompt.ask(
        "How big is it?", choices=["micro", "small", "medium", "large"], default="small", console=console
    )

    def count(question: str, default: int) -> int:
        while True:
            value = IntPrompt.ask(question, default=default, console=console)
            if value >= 0:
                return value
            console.print("[yellow]Please enter zero or a positive number.[/yellow]")

    employees = count("How many employees?", 10)
    sector = Prompt.ask(
        "What best describes what you do?", choices=SECTORS, default="ecommerce", console=console
    )
    sell_to = countries(
        "Which other countries do you sell to online? (comma-separated codes, Enter for none)"
    )
    console.print("\nWhich kinds of personal data do you collect from customers? Answer y or n for each.")
    data = [
        key
        for key, (label, _) in DATA_CHOICES.items()
        if Confirm.ask(f"  {label}?", default=key == "contact", console=console)
    ]
    children = Confirm.ask("Are some of your customers children?", default=False, console=console)
    customers = count("About how many customers a year, per country?", 1000)
    store = country(
        "Where is that data stored? (the country, or a cloud region such as ap-southeast-1)", default=home
    )
    provider = Prompt.ask(
        "Which hosting or cloud provider? (Enter if you host it yourself)", default="", console=console
    )
    services: list[Service] = []
    while Confirm.ask(
        "Do you send customer data to another company (payments, email, analytics)?"
        if not services
        else "Another one?",
        default=False,
        console=console,
    ):
        service_name = Prompt.ask("  Its name?", console=console)
        where = country("  Where does it process the data? (country or region)")
        services.append(Service(service_name, where))
    dpo = Confirm.ask(
        "Have you appointed someone responsible for data protection (a DPO)?", default=False, console=console
    )
    return Answers(
        name=name,
        home_country=home,
        size=size,
        employees=employees,
        sectors=[sector],
        sell_to=[c for c in sell_to if c != home],
        data=data,
        storage_country=store,
        storage_provider=provider or None,
        services=services,
        customers=customers,
        children=children,
        dpo_appointed=dpo,
    )


@dataclass(frozen=True)
class Flags:
    """`init --non-interactive`: the answers as given on the command line, not yet checked."""

    name: str | None = None
    home: str | None = None
    size: str = "small"
    employees: int | None = None
    sectors: tuple[str, ...] = ()
    sell_to: str = ""
    data: tuple[str, ...] = ()
    store: str | None = None
    provider: str | None = None
    services: tuple[str, ...] = ()
    customers: int | None = None
    children: bool = False
    dpo: bool | None = None


def answers_from_flags(flags: Flags) -> tuple[Answers | None, list[Problem]]:
    """The interview's answers from command-line flags, or every problem with them."""
    problems: list[Problem] = []

    def bad(option: str, message: str) -> None:
        problems.append(Problem(option, message, code="usage"))

    if not flags.name or not flags.home:
        bad("--non-interactive", "needs at least --name and --home")
        return None, problems
    home_code = to_country(flags.home)
    if home_code is None:
        bad("--home", f"{flags.home!r} is not a country code or name I know")
    if flags.size not in ("micro", "small", "medium", "large"):
        bad("--size", f"{flags.size!r}: choose micro, small, medium or large")
    for s in flags.sectors:
        if s not in SECTORS:
            bad("--sector", f"{s!r}: choose from {', '.join(SECTORS)}")
    markets = []
    for part in (p.strip() for p in flags.sell_to.split(",") if p.strip()):
        code = to_country(part)
        if code is None:
            bad("--sell-to", f"{part!r} is not a country code or name I know")
        else:
            markets.append(code)
    for key in flags.data:
        if key not in DATA_CHOICES:
            bad("--data", f"{key!r}: choose from {', '.join(DATA_CHOICES)}")
    store_code = to_country(flags.store) if flags.store else home_code
    if flags.store and store_code is None:
        bad("--store", f"{flags.store!r} is not a country, country name or cloud region I know")
    services = []
    for item in flags.services:
        label, _, where = item.rpartition(":")
        code = to_country(where)
        if not label or code is None:
            bad("--service", f"{item!r}: write NAME:COUNTRY, e.g. Stripe:US")
        else:
            services.append(Service(label, code))
    if problems or home_code is None or store_code is None:
        return None, problems
    return (
        Answers(
            name=flags.name,
            home_country=home_code,
            size=flags.size,
            employees=flags.employees,
            sectors=list(flags.sectors or ["ecommerce"]),
            sell_to=sorted({m for m in markets if m != home_code}),
            data=list(dict.fromkeys(flags.data or ["contact"])),
            storage_country=store_code,
            storage_provider=flags.provider,
            services=services,
            customers=flags.customers,
            children=flags.children,
            dpo_appointed=flags.dpo,
        ),
        [],
    )


def suggested_markets(answers: Answers) -> str:
    """Two large ASEAN markets the business does not serve yet, for the example `plan` command."""
    served = {answers.home_country, *answers.sell_to}
    return ",".join([c for c in ("VN", "ID", "TH", "MY", "PH", "SG") if c not in served][:2])
