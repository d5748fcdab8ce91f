"""The terminal report: what must be done, the questions to answer, and a recap at the end.

One entry per requirement (rule × country), naming every flow, market or the
organisation it concerns; missing facts asked once as plain questions; the last
lines on screen are the three things to do first, the number of questions and
where the full report is. Text wraps to the terminal (Rich), never mid-URL;
piped output is not hard-wrapped, and is laid out without importing Rich
(defa_check.render.plain), exactly as Rich would.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Sequence

from defa_check.model import ACTION_STATUSES, DISCLAIMER, TOPIC_LABELS, Confidence, Finding, Report, Status
from defa_check.render.base import OutputFormat, RenderOptions, country_counts
from defa_check.render.digest import (
    STATUS_LABELS,
    Requirement,
    met_requirements,
    needs_action_line,
    not_applicable_rules,
    plural,
    questions,
    requirements,
    subject_list,
)
from defa_check.render.escape import rich_markup
from defa_check.render.plain import CANVAS_WIDTH, Column, NeedsRich, PlainSink

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any, Protocol

    from rich.console import Console
else:
    Protocol = object  # at run time the sink protocol below is documentation: a plain base

_STATUS_STYLE = {
    Status.FAIL: "bold red",
    Status.NEEDS_INFO: "yellow",
    Status.REVIEW: "magenta",
    Status.PASS: "green",
    Status.NOT_APPLICABLE: "dim",
    Status.WAIVED: "cyan",
}
_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
_SEVERITY_STYLE = {4: "bold red", 3: "red", 2: "yellow", 1: "cyan", 0: "dim"}


class ConsoleFormat(OutputFormat):
    name = "console"
    description = "a readable report for the terminal (what to do first, questions to answer, a recap)"
    shows_notices = True

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        # Rich is needed to colour and to wrap at a width; otherwise it would only strip markup
        # and draw a table, which the plain sink does identically without importing it. Not on
        # Windows: there Rich swaps the table's box characters for others when the process's
        # standard output is not a console with VT support (a pipe, a file), which the plain
        # sink does not imitate.
        if options.color or options.width is not None or sys.platform == "win32":
            return render_with_rich(report, options)
        try:
            return render_plain(report, options)
        except NeedsRich:  # text only Rich lays out exactly (see defa_check.render.plain)
            return render_with_rich(report, options)


def render_plain(report: Report, options: RenderOptions) -> str:
    """The report without colour or width, laid out without Rich; raises NeedsRich when the
    report holds text only Rich lays out exactly. Byte-identical to :func:`render_with_rich`."""
    sink = PlainSink()
    _Writer(sink, report, options).write()
    return _TRAILING.sub(r"\1", sink.text())


def render_with_rich(report: Report, options: RenderOptions) -> str:
    """The report through a Rich console: coloured for a terminal, wrapped at ``options.width``."""
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        width=options.width or (None if options.color else CANVAS_WIDTH),
        soft_wrap=options.width is None and not options.color,
        highlight=False,
        emoji=False,
    )
    _Writer(RichSink(console), report, options).write()
    # Rich pads wrapped lines to the width; a file or a diff should not carry the padding.
    return _TRAILING.sub(r"\1", buffer.getvalue())


class ReportSink(Protocol):
    """Where the writer puts the report: lines of Rich markup (the writer's own style tags
    around input text escaped by :func:`rich_markup`), and the summary table."""

    def out(self, text: str = "", style: str | None = None) -> None:
        """A paragraph, wrapped at words to the width if there is one; continuation lines keep
        its indent."""

    def url(self, text: str) -> None:
        """A line holding a URL: never wrapped or split, so it stays clickable and copyable."""

    def table(self, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """A table with a title on the left, a header row and one row per entry (cells are markup)."""


class RichSink:
    """The report onto a Rich console."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def out(self, text: str = "", style: str | None = None) -> None:
        from rich.padding import Padding

        body = text.lstrip(" ")
        indent = len(text) - len(body)
        if indent and body:
            self.console.print(Padding(body, (0, 0, 0, indent), expand=False), style=style)
        else:
            self.console.print(text, style=style)

    def url(self, text: str) -> None:
        self.console.print(text, no_wrap=True, overflow="ignore", crop=False)

    def table(self, title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        from rich.table import Table

        table = Table(title=title, title_justify="left", show_edge=True)
        for name, justify in columns:
            table.add_column(name, justify=justify)
        for row in rows:
            table.add_row(*row)
        self.console.print(table)


class _Writer:
    """One report onto one sink, section by section: the single description of its content."""

    def __init__(self, sink: ReportSink, report: Report, options: RenderOptions) -> None:
        self.sink = sink
        self.report = report
        self.options = options
        self.esc = rich_markup  # input text: safe for a terminal, and shown literally by the markup

    def out(self, text: str = "", style: str | None = None) -> None:
        self.sink.out(text, style)

    def url(self, text: str) -> None:
        self.sink.url(text)

    def write(self) -> None:
        report, esc = self.report, self.esc
        self.out(f"[bold]defa-check report — {esc(report.organization)}[/bold]")
        self.out(f"Manifest: {esc(report.manifest_path)}   Law as of: {report.as_of.isoformat()}")
        if report.packs:
            packs = ", ".join(f"{p.country} {p.version} (reviewed {p.last_reviewed})" for p in report.packs)
            self.out(f"Rule packs: {esc(packs)}")
        else:
            self.out(
                "No rule pack applies to this manifest (see the notices below)."
                if report.notices
                else "No rule pack applies: the manifest mentions no country that defa-check covers."
            )
        self.summary_table()
        # The findings each section lists, sorted out in one pass (a large report has tens of
        # thousands): needs action now (failing among them), to review, waived, coming, drafts.
        action: list[Finding] = []
        fails: list[Finding] = []
        reviewed: list[Finding] = []
        waived: list[Finding] = []
        coming: list[Finding] = []
        drafts: list[Finding] = []
        # Which lists a finding goes to depends on its rule, status and verdict alone (the
        # properties read nothing else): worked out once per such triple, not per finding.
        goes_to: dict[tuple[int, Status, Status | None], tuple[list[Finding], ...]] = {}
        for f in report.findings:
            key = (id(f.rule), f.status, f.verdict)
            lists = goes_to.get(key)
            if lists is None:
                lists = goes_to[key] = self._lists_for(f, action, fails, reviewed, waived, coming, drafts)
            for found in lists:
                found.append(f)
        failing = requirements(fails)
        asked = questions(action)
        review = requirements(reviewed)
        self.section_not_met(failing)
        self.section_questions(asked)
        self.section_review(review)
        self.section_shown(Status.PASS, "Already met")
        self.section_shown(Status.NOT_APPLICABLE, "Does not apply")
        self.section_waived(waived)
        self.section_notices()
        self.section_coming(coming)
        self.section_drafts(drafts)
        self.recap(failing, asked, review, len(action))

    @staticmethod
    def _lists_for(
        f: Finding,
        action: list[Finding],
        fails: list[Finding],
        reviewed: list[Finding],
        waived: list[Finding],
        coming: list[Finding],
        drafts: list[Finding],
    ) -> tuple[list[Finding], ...]:
        """The sections' lists ``f`` belongs in: needs action now (failing among them), to review,
        waived, coming, drafts."""
        lists: list[list[Finding]] = []
        if f.needs_action:
            lists.append(action)
            if f.status is Status.FAIL:
                lists.append(fails)
        elif f.needs_review:
            lists.append(reviewed)
        elif f.status is Status.WAIVED and not f.upcoming:
            lists.append(waived)
        elif f.needs_action_once_in_force and not f.draft:
            lists.append(coming)
        if f.draft and f.status is not Status.NOT_APPLICABLE:
            lists.append(drafts)
        return tuple(lists)

    def summary_table(self) -> None:
        if not self.report.countries:
            return
        columns: list[Column] = [("Country", "left")]
        columns += [(status.value.replace("_", " "), "right") for status in Status]
        columns.append(("upcoming", "right"))
        rows = []
        for country, (per_status, upcoming) in country_counts(self.report).items():
            cells = [country]
            for status in Status:
                n = per_status[status]
                style = _STATUS_STYLE[status] if n and status in (*ACTION_STATUSES, Status.REVIEW) else ""
                cells.append(f"[{style}]{n}[/{style}]" if style else str(n))
            cells.append(str(upcoming))
            rows.append(cells)
        self.out()
        self.sink.table("Summary (items per status)", columns, rows)

    def requirement(self, req: Requirement, detail: bool = True) -> None:
        esc, f = self.esc, req.first
        sev = _SEVERITY_STYLE[int(f.severity)]
        style = _STATUS_STYLE[req.status]
        head = (
            f"[{sev}]{f.severity.label.upper():8}[/{sev}] "
            f"[{style}]{STATUS_LABELS[req.status].upper()}[/{style}]  "
            f"[bold]{f.rule_id}[/bold] · {esc(TOPIC_LABELS.get(f.topic, f.topic))} · {f.country}"
        )
        baseline = [x.in_baseline for x in req.findings if x.in_baseline is not None]
        if baseline and all(baseline):
            head += "  [dim](in the baseline)[/dim]"
        elif baseline and not all(baseline):
            head += "  [bold]NEW[/bold]"
        self.out()
        self.out(head)
        self.out(f"  [bold]{esc(f.title)}[/bold]")
        self.out(f"  Concerns: {esc(subject_list(req.subjects))}")
        if req.why:
            self.out(f"  Why it applies: {esc('; '.join(req.why))}")
        if not detail:
            return
        self.out(f"  {esc(f.message)}")
        if req.evidence:
            self.out(f"  [dim]What the manifest shows: {esc('; '.join(req.evidence))}[/dim]")
        if req.action:
            self.out(f"  [bold]What to do:[/bold] {esc(req.action)}")
        if req.record:
            self.out(f"  [dim]In the manifest: {esc(req.record)}[/dim]")
        since = (
            f"in force since {f.effective_from.isoformat()}"
            if f.effective_from
            else "date in force not known"
        )
        self.out(f"  [dim]Law: {esc(f.citation.instrument)}, {esc(f.citation.provision)} ({since})[/dim]")
        self.url(f"  [dim]{esc(f.citation.url)}[/dim]")
        if f.confidence is not Confidence.HIGH:
            self.out(f"  [dim]Confidence: {f.confidence} — see `defa-check explain {f.rule_id}`[/dim]")

    def section_not_met(self, failing: list[Requirement]) -> None:
        items = sum(len(r.findings) for r in failing)
        if not failing:
            if not self.report.packs:  # nothing was checked: that is no pass
                self.out("\n[bold]Nothing was checked[/bold], so nothing is shown as failing.")
                return
            self.out("\n[bold]Nothing is failing.[/bold] No requirement in force is shown as not met.")
            return
        self.out(f"\n[bold]Not met ({plural(len(failing), 'requirement')}, {plural(items, 'item')})[/bold]")
        limit = self.options.limit
        for req in failing if limit is None else failing[:limit]:
            self.requirement(req)
        if limit is not None and len(failing) > limit:
            self.out(f"\n… and {len(failing) - limit} more. Use --all to list every requirement.")

    def section_questions(self, asked: list[Any]) -> None:
        if not asked:
            return
        settled = len({(f.rule.rule_id, f.subject.kind, f.subject.id) for q in asked for f in q.findings})
        self.out(
            f"\n[bold]Questions to answer ({plural(len(asked), 'question')} settle "
            f"{plural(settled, 'item')})[/bold]"
        )
        self.out(
            "[dim]Answer in the manifest. A field left out means 'not stated'; an empty list means "
            "'none' and can turn an item into a fail.[/dim]"
        )
        for n, q in enumerate(asked, 1):
            self.out()
            self.out(f"  {n}. {self.esc(q.text)}")
            self.out(f"     For: {self.esc(subject_list(q.subjects))} ({plural(len(q.rules), 'rule')})")
            self.out(f"     [dim]In the manifest: {self.esc(q.field)}, e.g. {self.esc(q.answers)}[/dim]")

    def section_review(self, review: list[Requirement]) -> None:
        if not review:
            return
        self.out(
            f"\n[bold]To confirm with counsel ({plural(len(review), 'requirement')})[/bold]: "
            "the facts are stated, the law on these points is unsettled"
        )
        for req in review:
            f = req.first
            self.out(
                f"  [magenta]REVIEW[/magenta] {f.rule_id} · {self.esc(f.title)} — "
                f"{self.esc(subject_list(req.subjects, most=2))}"
            )

    def section_shown(self, status: Status, title: str) -> None:
        if status not in self.options.show:
            return
        if status is Status.NOT_APPLICABLE:
            counts = not_applicable_rules(self.report)
            rules = len({n.rule.rule_id for n in counts})
            self.out(f"\n[bold]{title} ({plural(rules, 'requirement')})[/bold]")
            for n in counts:
                reason = "; ".join(n.why) or "—"
                self.out(
                    f"  {n.rule.rule_id} · {self.esc(n.rule.title)} "
                    f"({plural(n.count - n.upcoming, n.subject_kind)}): {self.esc(reason)}"
                )
            return
        reqs = met_requirements(self.report)
        self.out(f"\n[bold]{title} ({plural(len(reqs), 'requirement')})[/bold]")
        for req in reqs:
            f = req.first
            reason = "; ".join(req.evidence if status is Status.PASS else req.why) or "—"
            self.out(f"  {f.rule_id} · {self.esc(f.title)}: {self.esc(reason)}")

    def section_waived(self, waived: list[Finding]) -> None:
        if not waived:
            return
        self.out(f"\n[bold]Waived ({plural(len(waived), 'item')})[/bold]")
        for f in waived:
            w = f.waiver
            expires = w.expires.isoformat() if w else "None"
            justification = self.esc(w.justification) if w else ""
            approved_by = self.esc(w.approved_by) if w else ""
            self.out(
                f"  [cyan]WAIVED[/cyan] {f.rule_id} · {self.esc(f.subject.id)} until {expires}"
                f" — {justification} (approved by {approved_by})"
            )

    def section_notices(self) -> None:
        if self.report.notices:
            self.out("\n[bold]Notices[/bold]")
            for notice in self.report.notices:
                self.out(f"  [yellow]![/yellow] {self.esc(notice)}")

    def section_coming(self, upcoming: list[Finding]) -> None:
        coming = requirements(upcoming)
        if not coming:
            return
        self.out(f"\n[bold]Coming into force ({plural(len(coming), 'requirement')})[/bold]")
        for req in sorted(coming, key=lambda r: (r.first.effective_from, r.first.rule_id)):
            f = req.first
            what = (f.verdict or f.status).value.replace("_", " ")
            when = f.effective_from.isoformat() if f.effective_from else ""
            self.out(
                f"  [magenta]{when}[/magenta] {f.rule_id} · {self.esc(f.title)} — "
                f"{self.esc(subject_list(req.subjects, most=2))} [dim](would be {what})[/dim]"
            )

    def section_drafts(self, draft_findings: list[Finding]) -> None:
        drafts = requirements(draft_findings)
        if not drafts:
            return
        self.out(f"\n[bold]Pending developments: draft laws, not in force ({len(drafts)})[/bold]")
        for req in drafts:
            verdicts: dict[str, int] = {}
            for f in req.findings:
                key = (f.verdict or f.status).value.replace("_", " ")
                verdicts[key] = verdicts.get(key, 0) + 1
            single = len(req.findings) == 1
            would = ", ".join(v if single else f"{v} for {n}" for v, n in verdicts.items())
            self.out(
                f"  [magenta]DRAFT[/magenta] {req.first.rule_id} · {self.esc(req.first.title)} "
                f"[dim](would be {would} if enacted as drafted)[/dim]"
            )

    def recap(
        self, failing: list[Requirement], asked: list[Any], review: list[Requirement], action: int
    ) -> None:
        """The last lines on screen: what matters most, whatever scrolled away."""
        self.out()
        self.out("─" * 40)
        line = needs_action_line(self.report, failing, asked, review=review, action=action)
        self.out(f"[bold]{self.esc(line)}[/bold]")
        for n, req in enumerate(failing[:3], 1):
            f = req.first
            self.out(
                f"  {n}. [bold]{self.esc(f.title)}[/bold] ({f.rule_id}) — "
                f"{self.esc(subject_list(req.subjects, most=2, named=False))}"
            )
        if asked:
            first = "Then answer" if failing else "Answer"  # "then" only after the items above
            self.out(f"  {first} the {plural(len(asked), 'question')} above to settle what is still open.")
        self.out(
            "  Full report: --format markdown -o report.md (or html, with the html extra); "
            "`defa-check explain RULE-ID` explains a rule."
        )
        self.out(f"[dim]{self.esc(DISCLAIMER)}[/dim]")
