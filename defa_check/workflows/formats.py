"""The output formats of the workflows beside `check` (their `--format` choices).

Kept apart from the workflows themselves so that declaring the command line
imports none of them: `--help` and `--version` stay cheap.
"""

from __future__ import annotations

PLAN_FORMATS = ("console", "markdown", "json")
"""`plan --format` (and pdf, printed from a page of the plan)."""
DIFF_FORMATS = ("console", "json", "markdown")
"""`diff --format`."""
COUNTRIES_FORMATS = ("console", "markdown", "csv", "html", "json")
"""`countries --format` (and pdf, printed from the html)."""
