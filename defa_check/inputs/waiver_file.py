"""A waiver file: read, validated against its schema, turned into :class:`~defa_check.model.Waiver` values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from defa_check import records
from defa_check.inputs import source
from defa_check.inputs.schemas import is_valid_quickly, schema_problems
from defa_check.model import Problem, Waiver


def load_waivers(path: str | Path) -> tuple[list[Waiver], list[Problem]]:
    """Read and validate a waiver file; problems are located values, as for manifests."""
    doc = source.load(path)
    if not doc.ok:
        return [], doc.problems
    # jsonschema (about 40 ms to import) only to word a "no" of the compiled check.
    problems = [] if is_valid_quickly("waivers", doc.data, large=False) else schema_problems(doc, "waivers")
    if problems:
        return [], problems
    # Waivers are recorded in the report (and its notices), which travels: name the file as shown.
    shown = source.shown_path(path)
    waivers = []
    for i, raw in enumerate(doc.data["waivers"]):
        kind, ident = None, None
        if "flow" in raw:
            kind, ident = "flow", raw["flow"]
        elif "market" in raw:
            kind, ident = "market", raw["market"]
        elif raw.get("organization"):
            kind, ident = "organization", "organization"
        waivers.append(
            Waiver(
                rule=raw["rule"],
                justification=raw["justification"].strip(),
                approved_by=raw["approved_by"],
                expires=dt.date.fromisoformat(raw["expires"]),
                country=raw.get("country"),
                subject_kind=kind,
                subject_id=ident,
                ticket=raw.get("ticket"),
                location=records.replace(doc.locate(["waivers", i]), path=shown),
            )
        )
    return waivers, []
