"""The terminal report: a summary per country, then what needs action first.

Rendered with Rich into a string. Rich tables cost about a millisecond a row,
so only the summary is a table and the findings list is bounded by
``RenderOptions.limit``; the machine formats always carry everything.
"""

from __future__ import annotations

import io

from defa_check.model import ACTION_STATUSES, DISCLAIMER, Confidence, Finding, Report, Status
from defa_check.render.base import OutputFormat, RenderOptions, by_urgency, country_counts

_STATUS_STYLE = {
    Status.FAIL: "bold red",
    Status.NEEDS_INFO: "yellow",
    Status.PASS: "green",
    Status.NOT_APPLICABLE: "dim",
    Status.WAIVED: "cyan",
}
_SEVERITY_STYLE = {4: "bold red", 3: "red", 2: "yellow", 1: "cyan", 0: "dim"}


def _where(finding: Finding) -> str:
    if finding.location is None:
        return ""
    loc = finding.location
    return f"{loc.path}:{loc.line}:{loc.column}"


class ConsoleFormat(OutputFormat):
    name = "console"
    description = "a readable report for the terminal (summary and the most urgent findings)"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        from rich.console import Console
        from rich.table import Table

        from defa_check.render.escape import rich_markup as escape  # input text: safe for a terminal

        buffer = io.StringIO()
        console = Console(
            file=buffer,
            force_terminal=options.color,
            no_color=not options.color,
            width=options.width,
            highlight=False,
            emoji=False,
        )
        title = f"defa-check report — {escape(report.organization)}"
        console.print(f"[bold]{title}[/bold]")
        console.print(f"Manifest: {escape(report.manifest_path)}   As of: {report.as_of.isoformat()}")
        if report.packs:
            packs = ", ".join(f"{p.country} {p.version} (reviewed {p.last_reviewed})" for p in report.packs)
            console.print(f"Rule packs: {escape(packs)}")
        else:
            console.print("No rule pack applies: the manifest mentions no country that defa-check covers.")
        console.print()

        table = Table(title="Summary", title_justify="left", show_edge=True)
        table.add_column("Country")
        for status in Status:
            table.add_column(status.value.replace("_", " "), justify="right")
        table.add_column("upcoming", justify="right")
        for country, (per_status, upcoming) in country_counts(report).items():
            cells = []
            for status in Status:
                n = per_status[status]
                style = _STATUS_STYLE[status] if n and status in ACTION_STATUSES else ""
                cells.append(f"[{style}]{n}[/{style}]" if style else str(n))
            cells.append(str(upcoming))
            table.add_row(country, *cells)
        if report.countries:
            console.print(table)

        action = report.action_items()
        coming = [f for f in report.findings if f.needs_action_once_in_force and not f.draft]
        drafts = [f for f in report.findings if f.draft and f.status is not Status.NOT_APPLICABLE]
        ordered = by_urgency(action)
        shown = ordered if options.limit is None else ordered[: options.limit]
        if not action:
            console.print("\nNothing needs action: no failing finding and nothing missing.")
        else:
            console.print(f"\n[bold]Needs action ({len(action)})[/bold]")
        for f in shown:
            sev = _SEVERITY_STYLE[int(f.severity)]
            style = _STATUS_STYLE[f.status]
            head = (
                f"[{sev}]{f.severity.label.upper():8}[/{sev}] "
                f"[{style}]{f.status.value.upper()}[/{style}]  "
                f"[bold]{f.rule_id}[/bold] · " + escape(f.subject.label)
            )
            if f.in_baseline:
                head += "  [dim](in the baseline)[/dim]"
            elif f.in_baseline is False:
                head += "  [bold]NEW[/bold]"
            console.print()
            console.print(head)
            console.print(f"  {escape(f.title)}", style="bold")
            console.print(f"  {escape(f.message)}")
            if f.status is Status.FAIL or f.missing:
                console.print(f"  [bold]What to do:[/bold] {escape(f.remediation)}")
            console.print(
                f"  [dim]Source: {escape(f.citation.instrument)}, {escape(f.citation.provision)} — "
                f"{escape(f.citation.url)}[/dim]"
            )
            if f.confidence is not Confidence.HIGH:
                console.print(
                    f"  [dim]Confidence: {f.confidence} — see `defa-check explain {f.rule_id}`[/dim]"
                )
            where = _where(f)
            if where:
                console.print(f"  [dim]At: {escape(where)}[/dim]")
        if len(shown) < len(ordered):
            console.print(
                f"\n… and {len(ordered) - len(shown)} more. Use --all to list every finding, "
                "or --format json/markdown for the full report."
            )
        waived = [f for f in report.findings if f.status is Status.WAIVED and not f.upcoming]
        if waived:
            console.print(f"\n[bold]Waived ({len(waived)})[/bold]")
            for f in waived:
                w = f.waiver
                expires = w.expires.isoformat() if w else "None"
                justification = escape(w.justification) if w else ""
                approved_by = escape(w.approved_by) if w else ""
                console.print(
                    f"  [cyan]WAIVED[/cyan] {f.rule_id} · {escape(f.subject.id)} until {expires}"
                    f" — {justification} (approved by {approved_by})"
                )
        if report.notices:
            console.print("\n[bold]Notices[/bold]")
            for notice in report.notices:
                console.print(f"  [yellow]![/yellow] {escape(notice)}")
        if coming:
            # One line per rule and subject: dated law that will apply, not yet in force.
            console.print(f"\n[bold]Coming into force ({len(coming)})[/bold]")
            for f in sorted(coming, key=lambda f: (f.effective_from, f.sort_key)):
                what = (f.verdict or f.status).value.replace("_", " ")
                when = f.effective_from.isoformat() if f.effective_from else ""
                console.print(
                    f"  [magenta]{when}[/magenta] {f.rule_id} · {escape(f.subject.label)}: "
                    f"{escape(f.title)} [dim](would be {what})[/dim]"
                )
        if drafts:
            # One line per draft rule, not per subject: a large manifest has thousands.
            by_rule: dict[str, list[Finding]] = {}
            for f in by_urgency(drafts):
                by_rule.setdefault(f.rule_id, []).append(f)
            console.print(f"\n[bold]Pending developments: draft laws, not in force ({len(by_rule)})[/bold]")
            for rule_id, items in by_rule.items():
                verdicts: dict[str, int] = {}
                for f in items:
                    key = (f.verdict or f.status).value
                    verdicts[key] = verdicts.get(key, 0) + 1
                would = ", ".join(f"{v} for {n}" if len(items) > 1 else v for v, n in verdicts.items())
                where = items[0].subject.id if len(items) == 1 else f"{len(items)} subjects"
                console.print(
                    f"  [magenta]DRAFT[/magenta] {rule_id} · {escape(where)}: {escape(items[0].title)} "
                    f"[dim](would be {would} if enacted as drafted)[/dim]"
                )
        console.print()
        console.print(f"[dim]{escape(DISCLAIMER)}[/dim]")
        return buffer.getvalue()
