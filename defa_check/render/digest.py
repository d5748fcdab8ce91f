"""What a person reads: one entry per requirement, and missing facts asked as questions.

The machine formats keep one result per rule and subject; the formats people read
(console, Markdown, HTML) group a rule's findings in one country into one
:class:`Requirement` that names every flow, market or the organisation it
concerns, and gather needs_info findings by the fact they lack into
:class:`Question` values ("answer these 7 questions to settle 33 items").
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from functools import cached_property

from defa_check.model import STATUS_ORDER, Finding, NotApplicableCount, Report, Status, Subject
from defa_check.records import record

STATUS_LABELS: dict[Status, str] = {
    Status.FAIL: "Not met",
    Status.NEEDS_INFO: "Question",
    Status.REVIEW: "Confirm with counsel",
    Status.PASS: "Met",
    Status.NOT_APPLICABLE: "Does not apply",
    Status.WAIVED: "Waived",
}


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 rule', '3 rules' — never 'rule(s)'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


@record
class Requirement:
    """One rule in one country, over every subject it concerns in a report."""

    findings: tuple[Finding, ...]
    """Ordered by subject; all share the rule and country."""

    @property
    def first(self) -> Finding:
        return self.findings[0]

    # Computed once: every other view of a requirement starts from its status, and a
    # requirement of a large manifest holds thousands of findings.
    @cached_property
    def status(self) -> Status:
        """The most urgent status among its findings."""
        return min((f.status for f in self.findings), key=lambda s: STATUS_ORDER[s.value])

    @property
    def subjects(self) -> list[Subject]:
        return [f.subject for f in self.findings]

    @cached_property
    def decisive(self) -> tuple[Finding, ...]:
        """The findings that carry the requirement's status (a rule not met on one flow and met on
        another is shown by the first: its reasons and evidence, never the other's)."""
        status = self.status
        return tuple(f for f in self.findings if f.status is status)

    @property
    def lead(self) -> Finding:
        """The finding whose message speaks for the requirement."""
        return self.decisive[0]

    @property
    def concerned(self) -> list[Subject]:
        """The subjects the requirement's status is about."""
        return [f.subject for f in self.decisive]

    @property
    def otherwise(self) -> list[Finding]:
        """The findings with another status (met elsewhere, not applicable elsewhere)."""
        status = self.status
        return [f for f in self.findings if f.status is not status]

    @property
    def why(self) -> list[str]:
        """Why it applies, at most four reasons: the decisive subjects' own when they all give the
        same; else the first subject's, said to be its. (What only some share can be a side reason
        alone, "the people concerned do not include employee", and read as the whole of it.)"""
        decisive = self.decisive
        first = list(decisive[0].why)
        if self.status is Status.NOT_APPLICABLE:
            # Why it does not apply: what every subject shares (a saved report keeps these counted
            # per reason, not per subject), else the first's.
            shared = [line for line in first if all(line in f.why for f in decisive)]
            return (shared or first)[:4]
        if not first or all(f.why == decisive[0].why for f in decisive[1:]):
            return first[:4]
        return [f"for {decisive[0].subject.short_display}: {first[0]}", *first[1:4]]

    @property
    def evidence(self) -> list[str]:
        """What the manifest shows for the decisive subjects (not for those with another outcome)."""
        seen: dict[str, None] = {}
        for f in self.decisive:
            for line in f.evidence:
                seen.setdefault(line)
        return list(seen)[:4]

    @property
    def action(self) -> str:
        """What to do in the real world (the remediation without the manifest edit)."""
        return split_remediation(self.first.remediation)[0]

    @property
    def record(self) -> str:
        """How to record it in the manifest once done ('' when the rule does not say)."""
        return split_remediation(self.first.remediation)[1]

    @cached_property
    def sort_key(self) -> tuple[int, int, str, str]:
        return (
            STATUS_ORDER[self.status.value],
            -int(self.first.severity),
            self.first.country,
            self.first.rule_id,
        )


def requirements(findings: Iterable[Finding]) -> list[Requirement]:
    """Findings grouped per rule and country, the most urgent first."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        rule = f.rule
        groups.setdefault((rule.country, rule.rule_id), []).append(f)
    # Within a group, Finding.sort_key differs only in the subject's kind and id.
    return sorted(
        (Requirement(tuple(sorted(g, key=_by_subject))) for g in groups.values()),
        key=lambda r: r.sort_key,
    )


_by_subject = operator.attrgetter("subject.kind", "subject.id")


_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(])")
_FIELD = r"\b(?:organization|flows|markets|systems)(?:\[\])?\.[\w.\[\]]*\w"
_MANIFEST_SENTENCE = re.compile(rf"\bmanifest\b|^(?:Then )?(?:record|add|list)\b.*{_FIELD}", re.IGNORECASE)
_IN_THE_MANIFEST = re.compile(r",? in the manifest\b(?=[ .,;:)])", re.IGNORECASE)
"""Said once by every format's label ("In the manifest: ..."), so not again in the sentence."""
_MANIFEST_CLAUSE = re.compile(
    rf",? and (?:then )?(?:add|record|list|set|mark)\b[^.;]*?{_FIELD}[^.;]*", re.IGNORECASE
)


def split_remediation(text: str) -> tuple[str, str]:
    """(the real-world action, the manifest edit): what is about editing the manifest goes second."""
    action: list[str] = []
    record: list[str] = []
    for sentence in _SENTENCE.split(" ".join(text.split())):
        if _MANIFEST_SENTENCE.search(sentence):
            sentence = sentence.removeprefix("Then ")
            record.append(sentence[:1].upper() + sentence[1:])
            continue
        clause = _MANIFEST_CLAUSE.search(sentence)
        if clause:
            text = clause.group(0).lstrip(", ").removeprefix("and ").removeprefix("then ").strip()
            record.append(text[:1].upper() + text[1:] + ".")
            sentence = sentence[: clause.start()] + sentence[clause.end() :]
        action.append(sentence)
    return " ".join(action), _IN_THE_MANIFEST.sub("", " ".join(record))


@record
class Question:
    """A fact the manifest does not state, asked once for every item that needs it."""

    field: str
    """The manifest field, with list positions generalised: ``flows[].legal_bases``."""
    text: str
    answers: str
    """How to record the answer, for those who edit the YAML: an example, then maybe a note
    ("assessments: []  (an empty list means none)")."""
    findings: tuple[Finding, ...]

    @property
    def example(self) -> str:
        """The YAML of :attr:`answers`, without its note: what pastes into the manifest."""
        return self.answers.partition("  (")[0]

    @property
    def note(self) -> str:
        """The note after the example, "(an empty list means none)", or ""."""
        _, gap, rest = self.answers.partition("  (")
        return f"({rest}" if gap else ""

    @property
    def subjects(self) -> list[Subject]:
        out: dict[tuple[str, str], Subject] = {}
        for f in self.findings:
            out.setdefault((f.subject.kind, f.subject.id), f.subject)
        return list(out.values())

    @property
    def rules(self) -> list[str]:
        return list(dict.fromkeys(f.rule_id for f in self.findings))


QUESTIONS: dict[str, tuple[str, str]] = {
    "organization.home_country": ("Where is the business based?", "home_country: SG"),
    "organization.size": (
        "How big is the business: micro, small, medium or large?",
        "size: small  (micro | small | medium | large)",
    ),
    "organization.employees": ("About how many people does the business employ?", "employees: 12"),
    "organization.sectors": (
        "What does the business do (e-commerce, payments, health, ...)?",
        "sectors: [ecommerce]",
    ),
    "organization.establishments": (
        "In which countries does the business have a company, branch or office?",
        "establishments: [MY]  ([] if none beyond the home country)",
    ),
    "organization.local_representatives": (
        "In which countries have you appointed a local representative?",
        "local_representatives: []  (an empty list means none)",
    ),
    "organization.dpo_appointed": (
        "Have you appointed a data protection officer?",
        "dpo_appointed: true | false",
    ),
    "organization.certifications": (
        "Which certifications do you hold (ISO 27001, CBPR, ...)?",
        "certifications: []  (an empty list means none)",
    ),
    "organization.breach_notification_hours": (
        "How many hours after discovering a data breach would you notify the regulator?",
        "breach_notification_hours: 72",
    ),
    "organization.provides_processing_services": (
        "Do you process personal data as a service for other businesses?",
        "provides_processing_services: true | false",
    ),
    "organization.legal_form": (
        "Is the business a company, a partnership, or a person trading in their own name?",
        "legal_form: company | partnership | natural_person | other_juristic_person",
    ),
    "organization.assessments": (
        "Which assessments have you done for the whole business (a DPIA, a security risk assessment)?",
        "assessments: []  (an empty list means none)",
    ),
    "organization.annual_turnover_usd": (
        "What is the yearly turnover, roughly, in US dollars?",
        "annual_turnover_usd: 250000",
    ),
    "organization.registrations": (
        "Which filings have you made with authorities (DPO notification, registrations, transfer dossiers)?",
        "registrations: [{country: VN, kind: dpo}]  (an empty list means none: some items then fail)",
    ),
    "organization.licences": (
        "Which licences do you hold under other laws (payments, e-money, healthcare, ...)?",
        "licences: [{country: VN, kind: payment_service}]  (an empty list means none)",
    ),
    "organization.critical_infrastructure": (
        "Has an authority designated any of your systems critical information infrastructure?",
        "critical_infrastructure: []  (an empty list means none)",
    ),
    "organization.data_subjects_by_country": (
        "How many people's data do you hold, per country, all services together?",
        "data_subjects_by_country: {SG: 2000}",
    ),
    "flows[].recipient.role": (
        "Does the recipient use the data for its own purposes, or only on your instructions?",
        "recipient: {role: processor}  (controller | processor | affiliate)",
    ),
    "flows[].subjects.kinds": (
        "Whose data is it (customers, employees, ...)?",
        "subjects: {kinds: [customer]}",
    ),
    "flows[].subjects.count": (
        "About how many people's data does this carry each year?",
        "subjects: {count: 500}",
    ),
    "flows[].subjects.children": ("Does this include children's data?", "subjects: {children: false}"),
    "flows[].subjects.youngest_age": (
        "What is the youngest age of the people whose data you collect?",
        "subjects: {youngest_age: 13}",
    ),
    "flows[].data_categories": (
        "Which kinds of data exactly (name, e-mail, card numbers, health, ...)? A broad category "
        "such as 'user' cannot be checked against rules on specific data.",
        "data_categories: [user.name, user.contact.email]",
    ),
    "flows[].purposes": ("What is the data used for?", "purposes: [essential.service]"),
    "flows[].legal_bases": (
        "On what basis do you use this data: do people consent, is it needed for a contract with "
        "them, or does another basis apply?",
        "legal_bases: [consent]  (consent | contract | legal_obligation | vital_interests | "
        "public_interest | legitimate_interests)",
    ),
    "flows[].transfer_mechanisms": (
        "What makes it lawful to send this data abroad: contract clauses with the recipient "
        "(e.g. the ASEAN Model Contractual Clauses), the person's consent, a certification?",
        "transfer_mechanisms: [asean_mcc]  (an empty list means none, and turns items into fails)",
    ),
    "flows[].safeguards": (
        "How is this data protected (encryption, access control, backups, ...)?",
        "safeguards: [encryption_in_transit, encryption_at_rest, access_control]",
    ),
    "flows[].local_copy": (
        "Do you keep a copy of this data in the country where it is collected?",
        "local_copy: true | false",
    ),
    "flows[].assessments": (
        "Which assessments have you done for this data (transfer impact assessment, DPIA, ...)?",
        "assessments: []  (an empty list means none)",
    ),
    "flows[].retention.until": (
        "How long do you keep this data: a fixed period, until it is no longer needed, or indefinitely?",
        "retention: {until: period, months: 24}  (period | purpose_ends | indefinite)",
    ),
    "flows[].retention.months": (
        "For how many months do you keep this data?",
        "retention: {until: period, months: 24}",
    ),
    "flows[].retention.reason": (
        "Why do you keep it that long?",
        "retention: {reason: tax law requires 5 years}",
    ),
    "flows[].marketing.channels": (
        "How do you send marketing messages (e-mail, SMS, calls, push, ...)?",
        "marketing: {channels: [email]}",
    ),
    "flows[].marketing.unsubscribe": (
        "Does every marketing message carry a working way to unsubscribe?",
        "marketing: {unsubscribe: true}",
    ),
    "flows[].marketing.dnc_checked": (
        "Do you check phone numbers against the national Do Not Call register before calling or texting?",
        "marketing: {dnc_checked: true}",
    ),
    "flows[].payment.processed_by": (
        "Who handles the payment data: you, a payment provider, or the acquiring bank?",
        "payment: {processed_by: payment_provider}",
    ),
    "flows[].payment.country": ("Where are the payments processed?", "payment: {country: SG}"),
    "flows[].system": (
        "Which of your systems stores this data (so its location and provider are known)?",
        "system: shop  (an id under systems)",
    ),
    "markets[].role": (
        "Do you sell your own goods there, or run a marketplace or platform for others?",
        "role: seller  (seller | marketplace | platform)",
    ),
    "markets[].b2c": ("Do you sell to consumers there (not only to businesses)?", "b2c: true"),
    "markets[].channels": (
        "How do you sell there: your own website, a marketplace, social media, an app?",
        "channels: [own_website]",
    ),
    "markets[].annual_transactions": (
        "About how many orders a year do you take there?",
        "annual_transactions: 3000",
    ),
    "markets[].monthly_users": (
        "About how many people use your shop or app there each month?",
        "monthly_users: 800",
    ),
    "markets[].local_language": ("Is the shop offered in the country's language?", "local_language: true"),
    "markets[].local_domain": (
        "Does the shop use the country's web domain (.vn, .id, ...)?",
        "local_domain: false",
    ),
    "markets[].registered_accounts": (
        "How many registered accounts do you have there?",
        "registered_accounts: 5000",
    ),
    "markets[].annual_parcels": (
        "About how many parcels a year do you deliver there?",
        "annual_parcels: 2000",
    ),
    "markets[].consumer_information": (
        "What does the shop show customers before they buy (your legal name, contact, prices with taxes, "
        "terms, returns policy, ...)?",
        "consumer_information: [identity, contact, prices_with_taxes, terms, returns]",
    ),
    "markets[].languages": ("In which languages are the shop and its terms?", "languages: [en]"),
}
"""Manifest field (list positions as ``[]``) -> (the question in plain words, how to record the answer)."""

_INDEX = re.compile(r"\[\d+\]")


def field_of(path: str) -> str:
    """``$.flows[4].legal_bases`` -> ``flows[].legal_bases``."""
    return _INDEX.sub("[]", path.removeprefix("$."))


def questions(findings: Iterable[Finding]) -> list[Question]:
    """needs_info findings gathered by the fact they lack, the one that settles most items first."""
    asked: dict[str, list[Finding]] = {}
    fields: dict[str, str] = {}  # a flow's missing field is asked by several of its rules
    for f in findings:
        if f.status is not Status.NEEDS_INFO:
            continue
        for path in f.missing:
            field = fields.get(path)
            if field is None:
                field = fields[path] = field_of(path)
            asked.setdefault(field, []).append(f)
    out = []
    for field, items in asked.items():
        text, answers = QUESTIONS.get(field, (f"What should the manifest say for {field}?", field))
        out.append(Question(field, text, answers, tuple(items)))
    return sorted(out, key=lambda q: (-len({(f.rule.rule_id, f.subject.id) for f in q.findings}), q.field))


def needs_action_line(
    report: Report,
    failing: list[Requirement] | None = None,
    asked: list[Question] | None = None,
    review: list[Requirement] | None = None,
    action: int | None = None,
) -> str:
    """The one sentence every format a person reads uses to count what needs action.

    ``failing``, ``asked``, ``review`` and ``action``: the report's failing requirements, its
    questions, the requirements to review and the number of items that need action, when the
    caller has them already (a large report takes a while to group again).
    """
    if failing is None:
        failing = requirements(f for f in report.findings if f.status is Status.FAIL and not f.upcoming)
    if asked is None:
        asked = questions(report.action_items())
    if action is None:
        action = len(report.action_items())
    if review is None:
        review = requirements(report.review_items())
    line = (
        f"Needs action ({plural(action, 'item')}): "
        f"{plural(len(failing), 'requirement')} not met, {plural(len(asked), 'question')} to answer."
    )
    if review:
        items = sum(len(r.findings) for r in review)
        line += f" To confirm with counsel: {plural(items, 'item')} ({plural(len(review), 'requirement')})."
    return line


def subject_list(subjects: list[Subject], most: int = 4, named: bool = True) -> str:
    """'flow vn-orders (Orders from Viet Nam), flow mailchimp and 3 more' (without names: ids only)."""
    shown = [s.display if named else s.short_display for s in subjects[:most]]
    more = len(subjects) - most
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def met_requirements(report: Report) -> list[Requirement]:
    """Requirements met on every subject they apply to (one not met anywhere is not 'met')."""
    in_force = requirements(
        f for f in report.findings if not f.upcoming and f.status is not Status.NOT_APPLICABLE
    )
    return [r for r in in_force if r.status is Status.PASS]


def not_applicable_rules(report: Report) -> list[NotApplicableCount]:
    """Per rule and kind, the not-applicable counts of rules that apply to no subject in force."""
    applies = {f.rule_id for f in report.findings if not f.upcoming and f.status is not Status.NOT_APPLICABLE}
    return [
        n for n in report.not_applicable_counts() if n.count > n.upcoming and n.rule.rule_id not in applies
    ]
