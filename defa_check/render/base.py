"""The interface every output format implements, and helpers they share."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from ..model import STATUS_ORDER, Finding, Report


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices that do not change the report."""

    color: bool = False
    width: int = 100
    limit: int | None = 50
    """How many findings needing action the console shows (None: all)."""


class OutputFormat(ABC):
    """Turns a report into a string."""

    name: str = ""
    description: str = ""

    @abstractmethod
    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        """The whole output as text (ending with a newline)."""


def by_urgency(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    """Fail before needs_info, then most severe first, then the report order."""
    return sorted(
        findings,
        key=lambda f: (f.upcoming, STATUS_ORDER[f.status.value], -int(f.severity), f.sort_key),
    )
