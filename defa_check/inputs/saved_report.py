"""Read a saved JSON report back, for `report` (and later `diff` and baselines)."""

from __future__ import annotations

import json
from pathlib import Path

from defa_check.model import REPORT_SCHEMA_VERSION, Problem, Report


def load_report(path: Path) -> tuple[Report | None, list[Problem]]:
    """The report in ``path``, or the problems that make it unreadable."""
    shown = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [Problem(shown, "no such file", code="unreadable")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, f"cannot read: {exc}", code="unreadable")]
    except json.JSONDecodeError as exc:
        return None, [Problem(shown, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno, code="syntax")]
    if not isinstance(data, dict) or data.get("tool", {}).get("name") != "defa-check":
        return None, [
            Problem(shown, "not a defa-check JSON report (no tool.name 'defa-check')", code="report")
        ]
    version = data.get("report_version")
    if version != REPORT_SCHEMA_VERSION:
        which = "newer" if isinstance(version, int) and version > REPORT_SCHEMA_VERSION else "older"
        return None, [
            Problem(
                shown,
                f"report_version {version!r} was written by a {which} defa-check; this version reads "
                f"report_version {REPORT_SCHEMA_VERSION}. Re-run `defa-check check` with this version.",
                code="report",
            )
        ]
    from defa_check.inputs.schemas import validator

    errors = sorted(validator("report").iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        return None, [
            Problem(
                shown,
                e.message,
                json_path="$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path),
                code="report",
            )
            for e in errors[:20]
        ]
    return Report.from_dict(data), []
