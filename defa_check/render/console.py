"""The terminal report: what must be done, the questions to answer, and a recap at the end.

One entry per requirement (rule × country), naming every flow, market or the
organisation it concerns; missing facts asked once as plain questions; the last
lines on screen are the three things to do first, the number of questions and
where the full report is. Text wraps to the terminal (Rich), never mid-URL;
piped output is not hard-wrapped.
"""

from __future__ import annotations

import io
import re
from typing import Any

from defa_check.model import ACTION_STATUSES, DISCLAIMER, TOPIC_LABELS, Confidence, Report, Status
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

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        from rich.console import Console

        buffer = io.StringIO()
        console = Console(
            file=buffer,
            force_terminal=options.color,
            no_color=not options.color,
            width=options.width or (None if options.color else 10_000),
            soft_wrap=options.width is None and not options.color,
            highlight=False,
            emoji=False,
        )
        _Writer(console, report, options).write()
        # Rich pads wrapped lines to the width; a file or a diff should not carry the padding.
        return _TRAILING.sub(r"\1", buffer.getvalue())


class _Writer:
    """One report onto one Rich console, section by section."""

    def __init__(self, console: Any, report: Report, options: RenderOptions) -> None:
        from defa_check.render.escape import rich_markup as escape  # input text: safe for a terminal

        self.console = console
        self.report = report
        self.options = options
        self.esc = escape

    def out(self, text: str = "", style: str | None = None) -> None:
        """A paragraph, wrapped at words to the console's width; continuation lines keep its indent."""
        from rich.padding import Padding

        body = text.lstrip(" ")
        indent = len(text) - len(body)
        if indent and body:
            self.console.print(Padding(body, (0, 0, 0, indent), expand=False), style=style)
        else:
            self.console.print(text, style=style)

    def url(self, text: str) -> None:
        """A line holding a URL: never wrapped or split, so it stays clickable and copyable."""
        self.console.print(text, no_wrap=True, overflow="ignore", crop=False)

    def write(self) -> None:
        report, esc = self.report, self.esc
        self.out(f"[bold]defa-check report — {esc(report.organization)}[/bold]")
        self.out(f"Manifest: {esc(report.manifest_path)}   Law as of: {report.as_of.isoformat()}")
        if report.packs:
            packs = ", ".join(f"{p.country} {p.version} (reviewed {p.last_reviewed})" for p in report.packs)
            self.out(f"Rule packs: {esc(packs)}")
        else:
            self.out("No rule pack applies: the manifest mentions no country that defa-check covers.")
        self.summary_table()
        failing = requirements(f for f in report.findings if f.status is Status.FAIL and not f.upcoming)
        asked = questions(f for f in report.findings if f.needs_action)
        review = requirements(report.review_items())
        self.section_not_met(failing)
        self.section_questions(asked)
        self.section_review(review)
        self.section_shown(Status.PASS, "Already met")
        self.section_shown(Status.NOT_APPLICABLE, "Does not apply")
        self.section_waived()
        self.section_notices()
        self.section_coming()
        self.section_drafts()
        self.recap(failing, asked, review)

    def summary_table(self) -> None:
        from rich.table import Table

        if not self.report.countries:
            return
        table = Table(title="Summary (items per status)", title_justify="left", show_edge=True)
        table.add_column("Country")
        for status in Status:
            table.add_column(status.value.replace("_", " "), justify="right")
        table.add_column("upcoming", justify="right")
        for country, (per_status, upcoming) in country_counts(self.report).items():
            cells = []
            for status in Status:
                n = per_status[status]
                style = _STATUS_STYLE[status] if n and status in (*ACTION_STATUSES, Status.REVIEW) else ""
                cells.append(f"[{style}]{n}[/{style}]" if style else str(n))
            cells.append(str(upcoming))
            table.add_row(country, *cells)
        self.out()
        self.console.print(table)

    def requirement(self, req: Requirement, detail: bool = True) -> None:
        esc, f = self.esc, req.first
        sev = _SEVERITY_STYLE[int(f.severity)]
        style = _STATUS_STYLE[req.status]
        head = (
            f"[{sev}]{f.severity.label.upper():8}[/{sev}] "
            f"[{style}]{STATUS_LABELS[req.status].upper()}[/{style}]  "
            f"[bold]{f.rule_id}[/bold] · {TOPIC_LABELS.get(f.topic, f.topic)} · {f.country}"
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
        settled = len({(f.rule_id, f.subject.kind, f.subject.id) for q in asked for f in q.findings})
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

    def section_waived(self) -> None:
        waived = [f for f in self.report.findings if f.status is Status.WAIVED and not f.upcoming]
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

    def section_coming(self) -> None:
        coming = requirements(f for f in self.report.findings if f.needs_action_once_in_force and not f.draft)
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

    def section_drafts(self) -> None:
        drafts = requirements(
            f for f in self.report.findings if f.draft and f.status is not Status.NOT_APPLICABLE
        )
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

    def recap(self, failing: list[Requirement], asked: list[Any], review: list[Requirement]) -> None:
        """The last lines on screen: what matters most, whatever scrolled away."""
        self.out()
        self.out("─" * 40)
        self.out(f"[bold]{self.esc(needs_action_line(self.report))}[/bold]")
        for n, req in enumerate(failing[:3], 1):
            f = req.first
            self.out(
                f"  {n}. [bold]{self.esc(f.title)}[/bold] ({f.rule_id}) — "
                f"{self.esc(subject_list(req.subjects, most=2, named=False))}"
            )
        if asked:
            self.out(
                f"  Then answer the {plural(len(asked), 'question')} above to settle what is still open."
            )
        self.out(
            "  Full report: --format html -o report.html (or markdown); "
            "`defa-check explain RULE-ID` explains a rule."
        )
        self.out(f"[dim]{self.esc(DISCLAIMER)}[/dim]")
