"""The report a consultant hands over, as one structure the HTML, PDF and Word formats all lay out.

Cover, contents, executive summary (requirements counted once each, the three
most urgent actions), a country × topic heat map, then per country what needs
action in order of urgency, then what is already met, what does not apply and
why, and the limits of the check. Computed here once, so the formats cannot
disagree on a count or an order; the formats only choose fonts and page breaks.
"""

from __future__ import annotations

from collections.abc import Iterable

from defa_check.model import (
    STATUS_ORDER,
    TOPIC_LABELS,
    Confidence,
    Finding,
    Report,
    ScopeLimit,
    Status,
    Subject,
)
from defa_check.records import field, record
from defa_check.render.base import RenderOptions
from defa_check.render.digest import (
    STATUS_LABELS,
    Question,
    Requirement,
    needs_action_line,
    plural,
    questions,
    requirements,
    subject_list,
)

COUNTRY_NAMES: dict[str, str] = {
    "BN": "Brunei Darussalam",
    "KH": "Cambodia",
    "ID": "Indonesia",
    "LA": "Lao PDR",
    "MY": "Malaysia",
    "MM": "Myanmar",
    "PH": "the Philippines",
    "SG": "Singapore",
    "TH": "Thailand",
    "TL": "Timor-Leste",
    "VN": "Viet Nam",
}
"""Member states in words (a custom pack for another country is named by its code)."""

PILLAR_LABELS: dict[str, str] = {
    "digital_payments": "Digital payments",
    "cybersecurity": "Cybersecurity",
    "digital_identity": "Digital identity",
}

HEAT_COLOURS: dict[str, str] = {
    "fail": "#b42318",
    "needs_info": "#f79009",
    "review": "#7a5af8",
    "pass": "#12b76a",
    "not_applicable": "#eaecf0",
    "waived": "#84adff",
    "": "#ffffff",
}
"""Heat-map cell colours by the most urgent status in force ("" where no rule of the topic exists)."""

HEAT_LABELS: dict[str, str] = {
    "fail": "not met",
    "needs_info": "question open",
    "review": "confirm with counsel",
    "pass": "met",
    "not_applicable": "does not apply",
    "waived": "waived",
}


def country_name(code: str) -> str:
    """'the Philippines', 'Viet Nam': the name in the middle of a sentence or a list."""
    return COUNTRY_NAMES.get(code, code)


def capitalised(text: str) -> str:
    """Text that starts a sentence, a line or a heading ('The Philippines ...')."""
    return text[:1].upper() + text[1:]


def country_at_start(code: str) -> str:
    """'The Philippines': the name where it starts a line or a sentence."""
    return capitalised(country_name(code))


def country_label(code: str) -> str:
    """'the Philippines (PH)': the name and code in the middle of a list."""
    name = country_name(code)
    return f"{name} ({code})" if name != code else code


def country_title(code: str) -> str:
    """'The Philippines (PH)'; a section heading."""
    return capitalised(country_label(code))


def topic_label(topic: str) -> str:
    return TOPIC_LABELS.get(topic, PILLAR_LABELS.get(topic, topic.replace("_", " ").capitalize()))


def law(f: Finding) -> str:
    """'Law on Personal Data Protection No. 91/2025/QH15, Art. 20'."""
    return f"{f.citation.instrument}, {f.citation.provision}"


def link(f: Finding) -> str:
    """The citation's URL when it is a web address ('' otherwise: never a link to anything else)."""
    url = f.citation.url
    return url if url.startswith(("https://", "http://")) else ""


def in_force(f: Finding) -> str:
    """When the requirement binds, and so by when to act."""
    if f.draft:
        return "Draft law: not in force; no date set"
    if f.effective_from is None:
        return "Date in force not known"
    if f.upcoming:
        return f"Takes effect on {f.effective_from.isoformat()}: act before then"
    until = f" (until {f.effective_until.isoformat()})" if f.effective_until else ""
    return f"In force since {f.effective_from.isoformat()}{until}: act now"


def elsewhere(req: Requirement) -> str:
    """'Met for flow a; does not apply to flow b': the subjects with another outcome ('' if none)."""
    groups: dict[Status, list[Subject]] = {}
    for f in req.otherwise:
        groups.setdefault(f.status, []).append(f.subject)
    words = {
        Status.PASS: "met for",
        Status.NOT_APPLICABLE: "does not apply to",
        Status.WAIVED: "waived for",
        Status.NEEDS_INFO: "a question is open for",
        Status.REVIEW: "to confirm with counsel for",
    }
    # In the order of the report's statuses, not of the subjects' ids (which would put a saved
    # report's counted stand-in, "40 flows", before every named flow).
    parts = [
        f"{words.get(s, STATUS_LABELS[s].lower())} {subject_list(subs, 3)}"
        for s, subs in sorted(groups.items(), key=lambda item: STATUS_ORDER[item[0].value])
    ]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


@record
class Action:
    """One of the most urgent things to do, for the executive summary."""

    headline: str
    detail: str
    where: str


NOT_ASSESSED = (
    "not assessed (no rule on the topic, or nothing declared that its rules concern, such as a market)"
)
"""A blank heat-map cell, in words."""


@record
class HeatCell:
    status: str
    """The most urgent status in force among the topic's requirements ('' when the topic has none)."""
    open: int
    """Requirements needing action (not met, a question open, or to confirm with counsel)."""
    upcoming: int
    """Requirements not in force yet that would need action."""

    @property
    def colour(self) -> str:
        return HEAT_COLOURS[self.status]

    @property
    def text(self) -> str:
        if self.open:
            return str(self.open)
        return {"pass": "✓", "not_applicable": "–", "waived": "w"}.get(self.status, "")

    @property
    def title(self) -> str:
        if not self.status:
            # No finding in force on the topic: the pack may have no rule on it, or its rules may
            # concern what the manifest does not declare (market rules and no market); a client
            # must not read "Indonesia has no such requirement" into it (a user trial).
            if self.upcoming:
                return f"nothing in force assessed; {self.upcoming} coming into force"
            return NOT_ASSESSED
        words = HEAT_LABELS[self.status]
        if self.open:
            words = f"{plural(self.open, 'requirement')} needing action (worst: {words})"
        if self.upcoming:
            words += f"; {self.upcoming} coming into force"
        return words


@record
class CountrySection:
    code: str
    failing: list[Requirement]
    review: list[Requirement]
    questions: list[Question]
    undecided: list[Requirement]
    upcoming: list[Requirement]
    waived: list[Requirement]
    met: list[Requirement]
    not_applicable: list[Requirement]

    @property
    def title(self) -> str:
        return country_title(self.code)

    @property
    def anchor(self) -> str:
        return f"country-{self.code}"

    @property
    def headline(self) -> str:
        """'2 requirements not met, 3 questions to answer' (only what there is)."""
        parts = []
        if self.failing:
            parts.append(f"{plural(len(self.failing), 'requirement')} not met")
        if self.questions:
            parts.append(f"{plural(len(self.questions), 'question')} to answer")
        if self.review:
            parts.append(f"{len(self.review)} to confirm with counsel")
        if self.upcoming:
            parts.append(f"{len(self.upcoming)} coming into force")
        return ", ".join(parts) if parts else "Nothing needs action"

    @property
    def quiet(self) -> bool:
        """Nothing needs action now or once in force."""
        return not (self.failing or self.review or self.questions or self.upcoming)


@record
class Deliverable:
    report: Report
    title: str
    needs_action: str
    """The one sentence every format a person reads uses to count what needs action."""
    prepared_for: str
    prepared_by: str
    logo: bytes | None
    cover: list[tuple[str, str]]
    summary: list[str]
    urgent: list[Action]
    counts: list[tuple[str, int]]
    topics: list[str]
    heat: list[tuple[str, list[HeatCell]]]
    countries: list[CountrySection]
    drafts: list[Requirement]
    unsettled: list[Requirement]
    limits: dict[str, list[ScopeLimit]] = field(default_factory=dict)

    @property
    def contents(self) -> list[tuple[str, str, int]]:
        """(anchor, heading, level) of every section, for the table of contents."""
        out = [("summary", "Executive summary", 1)]
        out += [(c.anchor, c.title, 2) for c in self.countries]
        out += [
            ("met", "What you already meet", 1),
            ("not-applicable", "What does not apply, and why", 1),
            ("scope", "Scope and limits of this check", 1),
        ]
        return out

    @property
    def countries_heading(self) -> str:
        return "Requirements by country"

    def limits_heading(self, code: str) -> str:
        """The heading of a country's limits: what its rule pack does not check, per topic (the
        country itself was checked), or only notes on the pack."""
        if any(limit.topic for limit in self.limits.get(code, ())):
            return f"{country_title(code)}: what this report does not cover"
        return f"{country_title(code)}: notes on the rule pack"

    @property
    def limits_lead(self) -> str:
        """Introduces the list of what a country's rule pack does not check."""
        return (
            "The rule pack for this country does not assess the points below, so the report's "
            "silence on them is not a finding of compliance."
        )

    @property
    def notes_lead(self) -> str:
        """Introduces a pack's notes where a list of what it does not cover comes first."""
        return "Notes on the rule pack:"


def _status_of(reqs: Iterable[Requirement]) -> Status | None:
    found = [r.status for r in reqs]
    return min(found, key=lambda s: STATUS_ORDER[s.value]) if found else None


def build(report: Report, options: RenderOptions = RenderOptions()) -> Deliverable:
    """Everything the deliverable says, in the order it says it."""
    in_force = [f for f in report.readable_findings() if not f.upcoming]
    by_requirement = requirements(in_force)
    counted: dict[Status, int] = dict.fromkeys(Status, 0)
    for req in by_requirement:
        counted[req.status] += 1
    failing = [r for r in by_requirement if r.status is Status.FAIL]
    review = [r for r in by_requirement if r.status is Status.REVIEW]
    asked = questions(report.action_items())
    coming = requirements(f for f in report.readable_findings() if f.needs_action_once_in_force)
    organisation = report.organization or "the organisation"

    countries = [_country(report, code) for code in report.countries]
    names = [country_name(c) for c in report.countries]
    summary = [
        f"We checked the data flows and online markets that {organisation} declared against the rules of "
        f"{plural(len(report.countries), 'country', 'countries')} ({_and(names) or 'none'}), "
        f"as the law stood on {report.as_of.isoformat()}: "
        f"{plural(len(by_requirement), 'requirement')} in force were assessed.",
        _counts_sentence(counted, len(asked)),
    ]
    if review:
        summary.append(
            f"On {plural(len(review), 'requirement')} the facts are stated but the law is unsettled or "
            "its reach unclear; the report says so and counsel should confirm how it applies."
        )
    if coming:
        summary.append(
            f"{plural(len(coming), 'requirement')} not yet in force (or in draft laws) would need action "
            "once in force; they are listed per country with their dates."
        )
    if not failing and not asked and not review:
        summary.append("Nothing needs action now on what the manifest states.")

    urgent = [
        Action(
            f"{r.first.title}",
            r.action or r.lead.message,
            f"{country_at_start(r.first.country)} · {r.first.rule_id} · {subject_list(r.concerned, 3)}",
        )
        for r in failing[:3]
    ]
    for q in asked[: 3 - len(urgent)]:
        urgent.append(
            Action(
                f"Answer: {q.text}",
                f"It decides {plural(len(q.rules), 'requirement')} "
                f"({', '.join(q.rules[:4])}{' and more' if len(q.rules) > 4 else ''}).",
                subject_list(q.subjects, 3),
            )
        )
    for r in review[: 3 - len(urgent)]:
        urgent.append(
            Action(
                f"Confirm with counsel: {r.first.title}",
                r.lead.message,
                f"{country_at_start(r.first.country)} · {r.first.rule_id}",
            )
        )

    topics = sorted({f.topic for f in report.readable_findings()}, key=_topic_order)
    heat = []
    for code in report.countries:
        mine = [f for f in report.readable_findings() if f.country == code]
        row = []
        for topic in topics:
            reqs = requirements(f for f in mine if f.topic == topic and not f.upcoming)
            worst = _status_of(reqs)
            row.append(
                HeatCell(
                    worst.value if worst else "",
                    sum(1 for r in reqs if r.status in (Status.FAIL, Status.NEEDS_INFO, Status.REVIEW)),
                    len(requirements(f for f in mine if f.topic == topic and f.needs_action_once_in_force)),
                )
            )
        heat.append((code, row))

    limits: dict[str, list[ScopeLimit]] = {}
    for limit in report.scope_limits:
        limits.setdefault(limit.country, []).append(limit)
    applied = requirements(f for f in report.readable_findings() if f.status is not Status.NOT_APPLICABLE)
    cover = [
        ("Organisation", report.organization or "not named in the manifest"),
        ("Prepared for", options.prepared_for or report.organization or "—"),
        ("Prepared by", options.prepared_by or "—"),
        ("Date", report.as_of.isoformat()),
        ("Law assessed as of", report.as_of.isoformat()),
        ("Countries", capitalised(", ".join(country_label(c) for c in report.countries)) or "none"),
        (
            "Rule packs",
            "; ".join(f"{p.country} version {p.version}, reviewed {p.last_reviewed}" for p in report.packs)
            or "none applied",
        ),
        ("Manifest", report.manifest_path),
        ("Manifest SHA-256", report.manifest_sha256),
        ("Tool", f"defa-check {report.tool_version}"),
    ]
    return Deliverable(
        report=report,
        title=options.report_title,
        needs_action=needs_action_line(report),
        prepared_for=options.prepared_for or report.organization,
        prepared_by=options.prepared_by or "",
        logo=options.logo,
        cover=cover,
        summary=summary,
        urgent=urgent,
        counts=[
            ("Not met", counted[Status.FAIL]),
            ("Waiting on a question", counted[Status.NEEDS_INFO]),
            ("To confirm with counsel", counted[Status.REVIEW]),
            ("Met", counted[Status.PASS]),
            ("Does not apply", counted[Status.NOT_APPLICABLE]),
            ("Waived", counted[Status.WAIVED]),
            ("Coming into force, would need action", len(coming)),
        ],
        topics=topics,
        heat=heat,
        countries=countries,
        drafts=[r for r in applied if r.first.draft],
        unsettled=[
            r for r in applied if r.first.confidence is not Confidence.HIGH or r.status is Status.REVIEW
        ],
        limits=limits,
    )


def _country(report: Report, code: str) -> CountrySection:
    mine = [f for f in report.readable_findings() if f.country == code]
    in_force = [f for f in mine if not f.upcoming]
    reqs = requirements(in_force)
    return CountrySection(
        code=code,
        failing=[r for r in reqs if r.status is Status.FAIL],
        review=[r for r in reqs if r.status is Status.REVIEW],
        questions=questions(f for f in mine if f.needs_action),
        undecided=[r for r in reqs if r.status is Status.NEEDS_INFO],
        upcoming=requirements(f for f in mine if f.needs_action_once_in_force),
        waived=[r for r in reqs if r.status is Status.WAIVED],
        met=[r for r in reqs if r.status is Status.PASS],
        not_applicable=[r for r in reqs if r.status is Status.NOT_APPLICABLE],
    )


def _counts_sentence(counted: dict[Status, int], n_questions: int) -> str:
    def are(n: int) -> str:
        return "is" if n == 1 else "are"

    fail, info = counted[Status.FAIL], counted[Status.NEEDS_INFO]
    met, na = counted[Status.PASS], counted[Status.NOT_APPLICABLE]
    text = f"{plural(fail, 'requirement')} {are(fail)} not met. "
    if info:
        text += (
            f"{plural(info, 'requirement')} cannot be decided until "
            f"{plural(n_questions, 'question')} about the business {are(n_questions)} answered. "
        )
    text += (
        f"{plural(met, 'requirement')} {are(met)} already met, and {na} do not apply (the reasons are given)."
    )
    waived = counted[Status.WAIVED]
    if waived:
        text += f" {plural(waived, 'requirement')} {are(waived)} waived as an accepted risk."
    return text


def _and(items: list[str]) -> str:
    """'Viet Nam, Thailand and Indonesia'."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _topic_order(topic: str) -> tuple[int, str]:
    order = list(TOPIC_LABELS)
    return (order.index(topic) if topic in order else len(order), topic)


__all__ = ["STATUS_LABELS", "Deliverable", "build", "in_force", "law", "link", "topic_label"]
