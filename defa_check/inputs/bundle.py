"""Bundled packs, profiles and taxonomy pre-parsed into JSON when the wheel is built.

Parsing YAML costs about 25 ms a pack; the installed tool reads the same data
from `_bundled/compiled/`: one JSON file per country (its profile and its
pack's files) and one for the taxonomy, so a check reads only the countries its
manifest mentions (a few milliseconds; all eleven in one file took about 12 ms
to read on every run). The files are produced by `hatch_build.py` with
:func:`compile_data` and :func:`split_data`, which use the project's own loader,
so the JSON holds exactly what the YAML gives; a test checks that a catalog
built from them equals the one built from the YAML. A source checkout has no
such files and reads the YAML.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

FOLDER = "compiled"
"""The folder of pre-parsed files inside the wheel's ``defa_check/_bundled``."""
TAXONOMY = "taxonomy"
"""The file holding the taxonomy keys (every other file is named by a country code)."""


def compile_data(root: Path, fideslang: Path) -> dict[str, Any]:
    """Every YAML file under ``root``/rules and ``root``/countries, and the taxonomy keys.

    Each country profile must pass the loader's shape check (the schema's compiled yes/no), which
    the installed tool then skips for these files: a wheel is never built from a profile that fails it.
    """
    from defa_check.inputs import source
    from defa_check.inputs.schemas import quick_check
    from defa_check.inputs.taxonomy import parse_keys

    profile_ok = quick_check("country")
    files: dict[str, Any] = {}
    for folder in ("rules", "countries"):
        for path in sorted((root / folder).rglob("*.y*ml")):
            doc = source.load(path)
            if not doc.ok:
                raise ValueError("; ".join(str(p) for p in doc.problems))
            if folder == "countries" and (profile_ok is None or not profile_ok(doc.data)):
                raise ValueError(f"{path}: not a valid country profile (run `defa-check rules lint`)")
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


def group_of(relative: str) -> str:
    """The pre-parsed file that holds ``relative`` (``rules/sg/transfer.yaml``,
    ``countries/sg.yaml``): its country's, ``sg``."""
    folder, _, rest = relative.partition("/")
    name = rest.partition("/")[0] if folder == "rules" and "/" in rest else rest.rpartition(".")[0]
    return name.lower()


def encoded(content: dict[str, Any]) -> str:
    """The text of one pre-parsed file, as the wheel carries it.

    Keys keep the order the YAML gives them: a profile lists its topics and pillars in the
    order a report shows them, so a wheel and a source checkout write the same report.
    """
    return json.dumps(content, ensure_ascii=False)


def split_data(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """:func:`compile_data`'s result as the files of the wheel: file name (without
    ``.json``) -> content (``{relative path: data}``, or the taxonomy)."""
    groups: dict[str, dict[str, Any]] = {}
    for relative, value in data["files"].items():
        group = group_of(relative)
        if group == TAXONOMY:
            raise ValueError(f"{relative}: a pack or profile cannot be named {TAXONOMY}")
        groups.setdefault(group, {})[relative] = value
    groups[TAXONOMY] = data["taxonomy"]
    return groups


PACKAGE = Path(__file__).parent.parent
"""The installed ``defa_check`` folder. Its data files are read beside the code: the packs are read
from the file system in any case, and ``importlib.resources`` costs ~5 ms of imports at every start."""
_FOLDER = PACKAGE / "_bundled" / FOLDER


@functools.cache
def bundled(group: str) -> dict[str, Any] | None:
    """One pre-parsed file (see :func:`split_data`), if this is an installed wheel."""
    try:
        with open(_FOLDER / f"{group}.json", "rb") as handle:
            data: dict[str, Any] = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    return data


def bundled_file(relative: str) -> Any:
    """The pre-parsed data of a bundled pack or profile file, or None (not in a wheel)."""
    group = bundled(group_of(relative))
    return None if group is None else group.get(relative)


def bundled_taxonomy(name: str) -> dict[str, str] | None:
    """The pre-parsed keys of a fideslang file (``data_categories.yml``), or None."""
    taxonomy = bundled(TAXONOMY)
    return None if taxonomy is None else taxonomy.get(name)
