"""Bundled packs, profiles and taxonomy pre-parsed into one JSON file when the wheel is built.

Parsing YAML costs about 25 ms a pack; the installed tool reads the same data
from `_bundled/compiled.json` in a few milliseconds. The file is produced by
`hatch_build.py` with :func:`compile_data`, which uses the project's own
loader, so the data is exactly what the YAML gives; a test checks that a
catalog built from it equals the one built from the YAML. A source checkout
has no such file and reads the YAML.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

FILE_NAME = "compiled.json"


def compile_data(root: Path, fideslang: Path) -> dict[str, Any]:
    """Every YAML file under ``root``/rules and ``root``/countries, and the taxonomy keys."""
    from defa_check.inputs import source
    from defa_check.inputs.taxonomy import parse_keys

    files: dict[str, Any] = {}
    for folder in ("rules", "countries"):
        for path in sorted((root / folder).rglob("*.y*ml")):
            doc = source.load(path)
            if not doc.ok:
                raise ValueError("; ".join(str(p) for p in doc.problems))
            files[path.relative_to(root).as_posix()] = doc.data
    taxonomy = {
        name: parse_keys((fideslang / name).read_text("utf-8"), section)
        for name, section in (
            ("data_categories.yml", "data_category"),
            ("data_subjects.yml", "data_subject"),
            ("data_uses.yml", "data_use"),
        )
    }
    return {"files": files, "taxonomy": taxonomy}


@functools.cache
def bundled() -> dict[str, Any] | None:
    """The pre-parsed bundled data, if this is an installed wheel."""
    path = resources.files("defa_check").joinpath("_bundled", FILE_NAME)
    try:
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (FileNotFoundError, NotADirectoryError, OSError, ValueError):
        return None
    return data
