"""The interface every output format implements, and helpers they share."""

from __future__ import annotations

import os
import posixpath
from abc import ABC, abstractmethod
from collections.abc import Iterable

from defa_check.model import STATUS_ORDER, Finding, Report, Severity, Status
from defa_check.records import record


@record
class RenderOptions:
    """Presentation choices that do not change the report."""

    color: bool = False
    width: int | None = None
    """Console width; None: the terminal's own (and no hard wrapping when piped)."""
    limit: int | None = 50
    """How many requirements not met the console shows (None: all)."""
    show: frozenset[Status] = frozenset()
    """Further statuses the console lists (pass, not_applicable) beside what needs action."""
    fail_on: Severity | None = Severity.HIGH
    """The run's fail threshold (None: never), so CI formats count as failed what fails the run."""
    strict: bool = False
    """With --strict, needs_info at or above the threshold fails the run too."""
    include_not_applicable: bool = False
    """The JSON report lists not-applicable findings too (by default it counts them per rule)."""
    title: str | None = None
    """The deliverable's title (HTML, PDF, Word, Markdown); None: "Data-flow compliance report"."""
    prepared_for: str | None = None
    """Who the report is for (the client), on the cover; None: the manifest's organisation."""
    prepared_by: str | None = None
    """Who prepared it (the consultant or firm), on the cover."""
    logo: bytes | None = None
    """A PNG or JPEG shown on the cover (the CLI reads and checks the file)."""

    @property
    def report_title(self) -> str:
        return self.title or "Data-flow compliance report"


class OutputFormat(ABC):
    """Turns a report into a string."""

    name: str = ""
    description: str = ""
    binary: bool = False
    lists_every_finding: bool = False
    """Whether this format names each not-applicable subject (a CSV row each; a deliverable's
    "does not apply to flow x"), so `check` must list those findings instead of counting them."""
    has_cover: bool = False
    """Whether the report opens with a cover (title, prepared for / by, logo)."""
    shows_notices: bool = False
    """Whether a person reading this format on a terminal or in a CI log sees every notice in it
    (`check` then does not say them again on stderr)."""

    @abstractmethod
    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        """The whole output as text (ending with a newline)."""

    def render_bytes(self, report: Report, options: RenderOptions = RenderOptions()) -> bytes:
        """The output as UTF-8 bytes."""
        return self.render(report, options).encode("utf-8")

    def render_chunks(self, report: Report, options: RenderOptions = RenderOptions()) -> Iterable[bytes]:
        """The output in pieces, which is what the CLI writes; their concatenation is
        :meth:`render_bytes`. Formats for very large reports stream (JSON); the rest
        return one piece, computed now so that errors surface before anything is written."""
        return [self.render_bytes(report, options)]


def by_urgency(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    """Fail before needs_info, then most severe first, then the report order."""
    return sorted(
        findings,
        key=lambda f: (f.upcoming, STATUS_ORDER[f.status.value], -int(f.severity), f.sort_key),
    )


class BinaryOutputFormat(OutputFormat):
    """A format whose output is bytes (PDF); the CLI writes it with :meth:`render_bytes`."""

    binary = True

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        raise TypeError(f"{self.name} output is binary; use render_bytes()")

    @abstractmethod
    def render_bytes(self, report: Report, options: RenderOptions = RenderOptions()) -> bytes:
        """The whole output as bytes."""


def country_counts(report: Report) -> dict[str, tuple[dict[Status, int], int]]:
    """Per country: findings in force per status, and how many are upcoming (one pass)."""
    counts: dict[str, tuple[dict[Status, int], list[int]]] = {
        c: (dict.fromkeys(Status, 0), [0]) for c in report.countries
    }
    for f in report.findings:
        rule = f.rule
        entry = counts.get(rule.country)
        if entry is None:
            continue
        if rule.upcoming:
            entry[1][0] += 1
        else:
            entry[0][f.status] += 1
    for n in report.unlisted:  # not-applicable findings a saved report only counted
        entry = counts.get(n.rule.country)
        if entry is not None:
            entry[1][0] += n.upcoming
            entry[0][Status.NOT_APPLICABLE] += n.count - n.upcoming
    return {c: (per_status, upcoming[0]) for c, (per_status, upcoming) in counts.items()}


def repo_path(path: str, cwd: str | None = None) -> str | None:
    """A manifest path as CI platforms want it: relative to ``cwd`` (default: the working folder,
    the repository root in CI), with forward slashes and normalised (``m/../flows.yaml`` is
    ``flows.yaml``); None for an absolute path outside that folder."""
    native = path
    if os.path.isabs(native):
        try:
            native = os.path.relpath(native, cwd or os.getcwd())
        except ValueError:  # another drive (Windows)
            return None
        if native == os.pardir or native.startswith(os.pardir + os.sep):
            return None
    # Only Windows separates with a backslash; elsewhere it is part of a name (``caf\\xe9.yaml``).
    return posixpath.normpath(native.replace(os.sep, "/") if os.sep != "/" else native)


class MissingDependency(RuntimeError):
    """An optional dependency a format needs is not installed."""
