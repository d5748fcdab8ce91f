"""The questions `defa-check init` asks, and the record that keeps every answer.

Each question has a stable key (``"name"``, ``"service.1.data"``, ``"customers.SG"``).
A :class:`Session` asks it, parses the reply, asks again at once if the reply does
not fit (a required answer left blank, a country it does not know), and records
the raw text of every reply it accepts. The record is what `init` saves when a run
cannot finish, and what `init --answers FILE` replays: a replayed answer is used as
if typed, and a question the file does not answer is asked, so nothing given is lost.

Conventions shared by every question: ``?`` (or a blank reply where the question is
not required) means "don't know" and leaves the field out of the manifest; ``n`` or
``none`` states that there is none.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from typing import Any, TypeVar

import yaml

from defa_check.inputs.geo import suggest_country, to_country
from defa_check.records import field, record
from defa_check.workflows import interview as model
from defa_check.workflows.interview import Answers, Service, country_name

T = TypeVar("T")

DONT_KNOW = ("?", "don't know", "dont know", "do not know", "not sure", "unknown", "skip")
NONE_WORDS = ("n", "no", "none", "nothing", "-")
YES_WORDS = ("y", "yes")


class Reask(ValueError):
    """The reply does not answer the question; the message says what would."""


@record(frozen=False)
class Session:
    """Asks questions through ``read`` and ``write``; remembers every accepted answer."""

    read: Callable[[], str | None]
    """The next line of input without its newline, or None at the end of input."""
    write: Callable[[str], None]
    replay: dict[str, str] = field(default_factory=dict)
    width: int = 100
    echo: bool = False
    """Repeat each reply after its question (input that is not a terminal is not shown otherwise)."""
    recorded: dict[str, str] = field(default_factory=dict)

    def say(self, text: str = "", indent: str = "") -> None:
        """Print text wrapped to the width, never breaking a word."""
        if not text:
            self.write("")
            return
        for paragraph in text.split("\n"):
            self.write(
                textwrap.fill(
                    paragraph,
                    self.width,
                    initial_indent=indent,
                    subsequent_indent=indent + "  " * paragraph.startswith("  "),
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                or indent
            )

    def ask(self, key: str, question: str, parse: Callable[[str], T]) -> T:
        """Ask until ``parse`` accepts the reply; record the reply under ``key``."""
        while True:
            if key in self.replay:
                raw = self.replay.pop(key)
                self.say(f"{question} {raw}   (from the answers file)")
            else:
                self.say(question)
                line = self.read()
                if line is None:
                    raise EOFError(key)
                raw = line.strip()
                if self.echo:
                    self.write(f"  > {raw}")
            try:
                value = parse(raw)
            except Reask as exc:
                self.say(f"  {exc}")
                continue
            self.recorded[key] = raw
            return value

    def numbered(self, options: dict[str, str], columns: bool = False) -> list[str]:
        """Print ``options`` numbered from 1 and return their keys in that order."""
        keys = list(options)
        cells = [f"{i:>2}. {options[k]}" for i, k in enumerate(keys, 1)]
        if columns:
            cell = max(len(c) for c in cells) + 2
            per_row = max(1, self.width // cell)
            rows = (len(cells) + per_row - 1) // per_row
            for r in range(rows):
                row = [cells[r + c * rows] for c in range(per_row) if r + c * rows < len(cells)]
                self.write("".join(c.ljust(cell) for c in row).rstrip())
        else:
            for c in cells:
                self.say(c, indent="  ")
        return keys


# --- parsers: each returns a value or raises Reask with what would be accepted ---


def _dont_know(raw: str) -> bool:
    return raw.lower() in DONT_KNOW


def required_text(raw: str) -> str:
    if not raw or _dont_know(raw):
        raise Reask("This one is needed; please type an answer.")
    return raw


def optional_text(raw: str) -> str | None:
    return None if not raw or _dont_know(raw) else raw


def country(required: bool) -> Callable[[str], str | None]:
    def parse(raw: str) -> str | None:
        if not required and (not raw or _dont_know(raw)):
            return None
        code = to_country(raw)
        if code:
            return code
        if not raw or _dont_know(raw):
            # "Type ? for don't know" holds for the questions the manifest can do without, not this one.
            raise Reask(
                "This one is needed to write the manifest (your best guess will do): a two-letter "
                "code such as SG or VN, a country name, or a cloud region such as us-east-1."
            )
        hint = suggest_country(raw)
        raise Reask(
            f"'{raw}' is not a country code, country name or cloud region I know."
            + (f" Did you mean {hint}?" if hint else "")
            + " Use a two-letter code such as SG or VN."
        )

    return parse


def required_country(raw: str) -> str:
    value = country(True)(raw)
    assert value is not None  # country(True) re-asks rather than return None
    return value


def countries(blank: str) -> Callable[[str], list[str] | None]:
    """A comma-separated list of countries; ``blank`` says what an empty reply means ("none" or "?")."""

    def parse(raw: str) -> list[str] | None:
        if _dont_know(raw) or (not raw and blank == "?"):
            return None
        # "no" is also Norway's ISO code; in these questions it means none, as the prompt says.
        if not raw or raw.lower() in NONE_WORDS:
            return []
        parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
        codes = [to_country(p) for p in parts]
        bad = [p for p, c in zip(parts, codes, strict=True) if not c]
        if bad:
            raise Reask(f"Not recognised: {', '.join(bad)}. Use codes like VN, ID, TH or country names.")
        return list(dict.fromkeys(c for c in codes if c))

    return parse


def yes_no(raw: str) -> bool | None:
    """y / n / ? (blank is "don't know": no fact is assumed)."""
    low = raw.lower()
    if not low or _dont_know(low):
        return None
    if low in YES_WORDS:
        return True
    if low in ("n", "no"):
        return False
    raise Reask("Please answer y (yes), n (no) or ? (don't know).")


def yes_no_required(raw: str) -> bool:
    value = yes_no(raw)
    if value is None:
        raise Reask("This one is needed to write the manifest: please answer y (yes) or n (no).")
    return value


def number(maximum: int = 10**9) -> Callable[[str], int | None]:
    def parse(raw: str) -> int | None:
        text = raw.replace(",", "").replace("_", "").replace(" ", "")
        if not text or _dont_know(text):
            return None
        try:
            value = int(text)
        except ValueError:
            raise Reask("Please type a whole number (e.g. 500), or ? if you don't know.") from None
        if not 0 <= value <= maximum:
            raise Reask(f"Please type a number from 0 to {maximum:,}, or ? if you don't know.")
        return value

    return parse


def pick(keys: list[str], many: bool, required: bool = False, none_ok: bool = True) -> Callable[[str], Any]:
    """Numbers or names from a numbered list; ``n`` for none (if ``none_ok``), ``?`` for don't know."""

    def parse(raw: str) -> Any:
        low = raw.lower()
        if not low or _dont_know(low):
            if required:
                raise Reask("This one is needed: type the numbers of the answers that apply.")
            return None
        if low in NONE_WORDS and none_ok and many:
            return []
        if low == "all" and many:
            return list(keys)
        chosen: list[str] = []
        for part in (p.strip() for p in low.replace(";", ",").replace(" ", ",").split(",")):
            if not part:
                continue
            if part.isdigit() and 1 <= int(part) <= len(keys):
                key = keys[int(part) - 1]
            elif part in keys:
                key = part
            else:
                raise Reask(
                    f"'{part}' is not one of the choices: type numbers from 1 to {len(keys)}"
                    + (", separated by commas" if many else "")
                    + (", n for none" if none_ok and many else "")
                    + (", all" if many else "")
                    + ", or ? if you don't know."
                )
            if key not in chosen:
                chosen.append(key)
        if not many and len(chosen) != 1:
            raise Reask(f"Please choose one: a number from 1 to {len(keys)}.")
        return chosen if many else chosen[0]

    return parse


def languages(raw: str) -> list[str] | None:
    if not raw or _dont_know(raw):
        return None
    codes = [p.strip().lower() for p in raw.replace(";", ",").split(",") if p.strip()]
    bad = [c for c in codes if not (c.isalpha() and c.isascii() and 2 <= len(c) <= 3)]
    if bad:
        raise Reask(f"Not a language code: {', '.join(bad)}. Use codes such as en, ms, th, id, vi.")
    return list(dict.fromkeys(codes))


# --- the interview ---


def interview(s: Session) -> Answers:
    """Every question, in order; the answers as a value."""
    s.say(
        "defa-check: let's describe your business: some questions about it, then a few for each "
        "country you sell to and each place your data goes."
    )
    s.say(
        'Type ? for "don\'t know": the field is left out of the file and the check tells you what '
        "to find out. Nothing is assumed for you."
    )
    s.say()
    name = s.ask("name", "What is your business called?", required_text)
    home = s.ask("home", "Which country is it based in? (code or name, e.g. MY)", required_country)
    s.say()
    s.say("How big is it, under your home country's official size classes?")
    s.say(model.SIZE_HELP, indent="  ")
    size = s.ask(
        "size", "  micro, small, medium or large? (? if you don't know)", pick(list(model.SIZES), False)
    )
    employees = s.ask("employees", "How many people work in it? (a number, or ?)", number())
    s.say("What does it do? (numbers, comma-separated, or ?)")
    sector_keys = s.numbered({k: k.replace("_", " ") for k in model.SECTORS}, columns=True)
    sectors = s.ask("sectors", "  Your choice:", pick(sector_keys, True, none_ok=False))
    s.say("What kind of business is it, legally?")
    form_keys = s.numbered(model.LEGAL_FORMS)
    legal_form = s.ask("legal_form", "  Your choice (a number, or ?):", pick(form_keys, False))
    processing = s.ask(
        "processing_services",
        "Do you also process personal data for other businesses, as a service? [y/n/?]",
        yes_no,
    )

    s.say()
    sell_to = s.ask(
        "sell_to",
        "Which other countries do you sell to online? (codes or names, comma-separated; Enter if none)",
        countries(blank="none"),
    )
    markets_unknown = sell_to is None  # "?": where it sells is not stated (not "nowhere")
    sell_to = [c for c in sell_to or [] if c != home]
    outside = model.outside_scope([home, *sell_to])
    if outside:
        s.say(
            f"Noted: {', '.join(country_name(c, in_sentence=True) for c in outside)} "
            + ("is" if len(outside) == 1 else "are")
            + " outside ASEAN. defa-check's rule packs cover the eleven ASEAN member states only, so the "
            "law there is not checked; the manifest still records where you sell."
        )
    customers: dict[str, int] = {}
    for code in [home, *sell_to]:
        label = country_name(code, in_sentence=True) + (
            " (your home country; 0 if you sell only abroad)" if code == home else ""
        )
        count = s.ask(
            f"customers.{code}", f"About how many customers a year in {label}? (a number, or ?)", number()
        )
        if count is not None:
            customers[code] = count
    orders: dict[str, int] = {}
    for code in sell_to:
        count = s.ask(
            f"orders.{code}",
            f"About how many orders a year from {country_name(code, in_sentence=True)}? (or ?)",
            number(),
        )
        if count is not None:
            orders[code] = count

    # Customers at home are online customers too: the home country is a market, and its
    # e-commerce rules apply (an Indonesian shop selling at home needs its ESO registration).
    home_market = (customers.get(home) or 0) > 0
    role = b2c = channels = None
    if sell_to or home_market:
        s.say("How do you sell online? (numbers, comma-separated, or ?)")
        channels = s.ask(
            "channels", "  Your choice:", pick(s.numbered(model.SALES_CHANNELS), True, none_ok=False)
        )
        s.say("What do you do online?")
        role = s.ask("role", "  Your choice (a number, or ?):", pick(s.numbered(model.ROLES), False))
        b2c = s.ask("b2c", "Do you sell to consumers (not only to businesses)? [y/n/?]", yes_no)

    s.say()
    s.say("Which kinds of personal data do you collect from customers? (numbers, comma-separated, or ?)")
    s.say(
        "Order records you keep only to deliver and account for orders are covered by names, addresses "
        "and payment data; choose the history item only if you use it to follow what people do.",
        indent="  ",
    )
    data_keys = s.numbered({k: label for k, (label, _) in model.DATA_CHOICES.items()})
    data = s.ask("data", "  Your choice:", pick(data_keys, True, none_ok=False))
    cards_at_provider = None
    if data and "cards" in data:
        # With a hosted checkout the shop never holds card numbers: they go to the payment company only.
        cards_at_provider = s.ask(
            "cards_at_provider",
            "  Does your payment company take the card numbers on its own page, so your shop never "
            "stores them? [y/n/?]",
            yes_no,
        )
    children = s.ask("children", "Can children (under 18) buy from you or create an account? [y/n/?]", yes_no)
    youngest = parental = None
    if children:
        youngest = s.ask("youngest_age", "  From what age? (a number, or ?)", number(120))
        parental = s.ask("parental_consent", "  Do you get a parent's consent for children? [y/n/?]", yes_no)

    s.say()
    store = s.ask(
        "storage",
        "Where is customers' data kept? (the country or cloud region of the data centre, e.g. US or "
        "ap-southeast-1; your platform's settings or contract say where)",
        required_country,
    )
    provider = s.ask(
        "provider",
        "Which hosting or shop platform keeps it? (its name; Enter if you host it yourself)",
        optional_text,
    )
    contract_keys = [*model.CONTRACT_CHOICES, "none"]
    contract_labels = {**model.CONTRACT_CHOICES, "none": "no such contract"}

    def contract_question(key: str, who: str) -> str | None:
        s.say(f"Does your contract with {who} include data-protection terms?")
        s.numbered(contract_labels)
        result: str | None = s.ask(key, "  Your choice (a number, or ?):", pick(contract_keys, False))
        return result

    host_contract = contract_question("host_contract", provider) if provider else None

    services: list[Service] = []
    more = s.ask(
        "services",
        "Do you send customers' data to other companies (payments, newsletters, analytics, delivery, "
        "support)? [y/n]",
        yes_no_required,
    )
    while more:
        n = len(services) + 1
        s.say()
        service_name = s.ask(f"service.{n}.name", f"Company {n}: its name?", required_text)
        where = s.ask(
            f"service.{n}.country",
            f"  Where does {service_name} keep the data? (country or region; US for most US companies)",
            required_country,
        )
        service = Service(service_name, where)
        s.say(f"  What do you use {service_name} for? (numbers, comma-separated)")
        purpose_keys = s.numbered({k: model.PURPOSES[k][0] for k in model.SERVICE_PURPOSES})
        service.purposes = s.ask(
            f"service.{n}.purposes", "  Your choice:", pick(purpose_keys, True, none_ok=False)
        )
        if data:
            s.say(f"  Which of your customers' data does {service_name} get? (numbers, all, or ?)")
            got = s.numbered({k: model.DATA_CHOICES[k][0] for k in data})
            service.data = s.ask(f"service.{n}.data", "  Your choice:", pick(got, True))
        service.contract = contract_question(f"service.{n}.contract", service_name)
        if service.purposes and "marketing" in service.purposes:
            s.say(f"  How are the marketing messages sent through {service_name}? (numbers, or ?)")
            channel_keys = s.numbered(model.MARKETING_CHANNELS)
            service.marketing_channels = s.ask(
                f"service.{n}.channels", "  Your choice:", pick(channel_keys, True)
            )
            service.unsubscribe = s.ask(
                f"service.{n}.unsubscribe",
                "  Does every message have a working unsubscribe link? [y/n/?]",
                yes_no,
            )
            if service.marketing_channels and {"sms", "calls"} & set(service.marketing_channels):
                service.dnc_checked = s.ask(
                    f"service.{n}.dnc",
                    "  Do you check numbers against the national Do Not Call register first? [y/n/?]",
                    yes_no,
                )
        services.append(service)
        more = s.ask(f"service.{n}.more", "Another company? [y/n]", yes_no_required)

    s.say()
    s.say("Why may you use customers' data for each purpose? (numbers, comma-separated, or ?)")
    basis_keys = s.numbered(model.LEGAL_BASES)
    legal_bases: dict[str, list[str]] = {}
    purposes_used = ["orders"] + [p for sv in services for p in sv.purposes or () if p != "orders"]
    for purpose in dict.fromkeys(purposes_used):
        chosen = s.ask(
            f"basis.{purpose}", f"  For {model.PURPOSES[purpose][0]}:", pick(basis_keys, True, none_ok=False)
        )
        if chosen is not None:
            legal_bases[purpose] = chosen

    s.say()
    s.say("How long do you (and the companies you use) keep customers' data?")
    retention_keys = s.numbered(model.RETENTION_CHOICES)
    until = s.ask("retention", "  Your choice (a number, or ?):", pick(retention_keys, False))
    retention: dict[str, Any] | None = None
    if until is not None:
        retention = {"until": until}
        if until == "period":
            months = s.ask("retention.months", "  How many months?", number(1200))
            if months is not None:
                retention["months"] = months
        reason = s.ask(
            "retention.reason",
            "  Why that long? (e.g. a law on keeping invoices; Enter to skip)",
            optional_text,
        )
        if reason:
            retention["reason"] = reason

    s.say("How is customers' data protected? (numbers, comma-separated; n for none of these; ?)")
    safeguard_keys = s.numbered(model.SAFEGUARD_CHOICES)
    safeguards = s.ask("safeguards", "  Your choice:", pick(safeguard_keys, True))
    services_safeguarded = None
    if safeguards and services:
        services_safeguarded = s.ask(
            "safeguards.services",
            "  Do the companies you send data to protect it at least as well (their security page or "
            "certifications say so)? [y/n/?]",
            yes_no,
        )
    local_copy = None
    abroad = [c for c in [home, *sell_to] if c != store and customers.get(c) != 0]
    if abroad:
        local_copy = s.ask(
            "local_copy",
            f"Besides {country_name(store, in_sentence=True)}, is a copy of customers' data kept in the "
            "country they live in (e.g. on a computer or server there)? (countries, 'all', n for none, or ?)",
            _local_copy(abroad),
        )

    s.say()
    establishments = s.ask(
        "establishments",
        f"Apart from {country_name(home, in_sentence=True)}, do you have a company, branch or office in "
        "another country? (countries; n for none; ?)",
        countries(blank="?"),
    )
    representatives = s.ask(
        "representatives",
        "Have you appointed a local representative in any country? (countries; n for none; ?)",
        countries(blank="?"),
    )
    dpo = s.ask(
        "dpo",
        "Have you named someone responsible for data protection (a data protection officer)? [y/n/?]",
        yes_no,
    )
    breach = s.ask(
        "breach_hours",
        "If personal data leaked, within how many hours of finding out would you tell the regulator, "
        "per your incident plan? (hours, or ? if you have no plan yet)",
        number(100000),
    )
    registrations = _registrations(s, home)
    critical = s.ask(
        "critical_infrastructure",
        "Has a government designated any of your systems 'critical information infrastructure'? "
        "(countries; n for none, which is usual for a shop; ?)",
        countries(blank="?"),
    )
    s.say("Which certifications do you hold? (numbers; n for none; ?)")
    certs = s.ask("certifications", "  Your choice:", pick(s.numbered(model.CERTIFICATIONS), True))
    s.say("Which assessments have you written down? (numbers; n for none; ?)")
    assessments = s.ask("assessments", "  Your choice:", pick(s.numbered(model.ASSESSMENTS), True))
    info = langs = None
    if sell_to or home_market:
        s.say("Before customers buy, what does your online shop show them? (numbers; all; n for none; ?)")
        info = s.ask(
            "consumer_information", "  Your choice:", pick(s.numbered(model.CONSUMER_INFORMATION), True)
        )
        langs = s.ask(
            "languages", "In which languages is your shop? (codes such as en, ms, th, id, vi; ?)", languages
        )
    return Answers(
        name=name,
        home_country=home,
        storage_country=store,
        size=size,
        employees=employees,
        sectors=sectors,
        legal_form=legal_form,
        processing_services=processing,
        sell_to=sell_to,
        home_market=home_market,
        markets_unknown=markets_unknown,
        customers=customers,
        orders=orders,
        role=role,
        b2c=b2c,
        sales_channels=channels,
        data=data,
        cards_at_provider=cards_at_provider,
        children=children,
        youngest_age=youngest,
        parental_consent=parental,
        storage_provider=provider,
        host_contract=host_contract,
        services=services,
        legal_bases=legal_bases,
        retention=retention,
        safeguards=safeguards,
        services_safeguarded=services_safeguarded,
        local_copy=local_copy,
        establishments=[c for c in establishments if c != home] if establishments is not None else None,
        representatives=representatives,
        dpo_appointed=dpo,
        breach_hours=breach,
        registrations=registrations,
        critical_infrastructure=critical,
        certifications=certs,
        assessments=assessments,
        consumer_information=info,
        languages=langs,
    )


def _local_copy(candidates: list[str]) -> Callable[[str], list[str] | None]:
    parse_countries = countries(blank="?")

    def parse(raw: str) -> list[str] | None:
        if raw.lower() == "all":
            return list(candidates)
        return parse_countries(raw)

    return parse


def _registrations(s: Session, home: str) -> list[tuple[str, str]] | None:
    """Filings made with authorities: none, don't know, or a list asked one by one."""
    any_filed = s.ask(
        "registrations",
        "Have you filed anything with a data-protection, e-commerce or other authority (registered a "
        "DPO, a database, an online business)? [y/n/?]",
        yes_no,
    )
    if any_filed is None:
        return None
    found: list[tuple[str, str]] = []
    n = 0
    while any_filed:
        n += 1
        where = s.ask(f"registration.{n}.country", f"  Filing {n}: in which country?", required_country)
        s.say("  What was it?")
        kind = s.ask(
            f"registration.{n}.kind",
            "  Your choice (a number):",
            pick(s.numbered(model.REGISTRATION_KINDS), False, required=True),
        )
        found.append((where, kind))
        any_filed = s.ask(f"registration.{n}.more", "  Another filing? [y/n]", yes_no_required)
    return found


# --- the answers file ---

ANSWERS_HEADER = """\
# Answers given to `defa-check init`, saved so that none is lost.
# Finish the interview with:  defa-check init --answers {path}
# Each line is one question's key and the reply typed; edit or delete lines freely
# (a missing or unusable answer is simply asked again).
"""


def answers_text(recorded: dict[str, str], path: str) -> str:
    body = yaml.safe_dump(recorded, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return ANSWERS_HEADER.format(path=path) + (body if recorded else "{}\n")


def parse_answers(text: str) -> dict[str, str] | str:
    """An answers file as key -> reply, or what is wrong with it."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return f"not valid YAML ({str(exc).splitlines()[0]})"
    if data is None:
        return {}
    if not isinstance(data, dict):
        return "expected a mapping of question keys to answers, as `init` saves it"
    return {
        str(k): "" if v is None else ("y" if v is True else "n" if v is False else str(v))
        for k, v in data.items()
    }


def terminal_width() -> int:
    """The width of the terminal the questions go to (stderr), even when stdout is redirected."""
    import os

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        width = int(columns)
    else:
        try:
            width = os.get_terminal_size(2).columns
        except OSError:
            width = shutil.get_terminal_size((100, 24)).columns
    return max(40, min(width, 120))
