"""Project settings: `.defa-check.yaml` in the working folder, or `[tool.defa-check]` in pyproject.toml.

Command-line options win over the file; `defa-check config show` prints the
effective settings and where each came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defa_check.inputs.suggest import did_you_mean
from defa_check.model import Problem

CONFIG_FILE = ".defa-check.yaml"
KEYS: dict[str, str] = {
    "manifests": "manifests or folders to check when none is given",
    "countries": "only these countries",
    "fail_on": "exit 1 at or above this severity (critical|high|medium|low|info|never)",
    "strict": "needs_info counts as failing",
    "strict_review": "review items (law unsettled) count as failing",
    "waivers": "waiver file",
    "baseline": "baseline JSON report: fail only on new findings",
    "formats": "outputs: a list of {format, output}",
    "rules_dir": "folder of custom rule packs instead of the bundled ones",
    "force": "replace the output files named under formats when they exist",
    "title": "the report's title (HTML, PDF, Word, Markdown)",
    "prepared_for": "the client the report is for, on its cover",
    "prepared_by": "who prepared the report (consultant or firm), on its cover",
    "logo": "a PNG or JPEG file shown on the report's cover",
}
DEFAULTS: dict[str, Any] = {
    "manifests": [],
    "countries": [],
    "fail_on": "high",
    "strict": False,
    "strict_review": False,
    "waivers": None,
    "baseline": None,
    "formats": [],
    "rules_dir": None,
    "force": False,
    "title": None,
    "prepared_for": None,
    "prepared_by": None,
    "logo": None,
}


@dataclass
class Settings:
    """Effective settings, each with where it came from."""

    values: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS))
    sources: dict[str, str] = field(default_factory=lambda: dict.fromkeys(DEFAULTS, "default"))
    file: str | None = None

    def set(self, key: str, value: Any, origin: str) -> None:
        self.values[key] = value
        self.sources[key] = origin

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def _check(data: Any, where: str, doc: Any, formats: tuple[str, ...]) -> list[Problem]:
    """Every problem in the settings; located when they come from `.defa-check.yaml`."""

    def problem(message: str, key: Any = None, hint: str | None = None) -> Problem:
        if doc is not None and key is not None:
            loc = doc.locate([key])
            return Problem(where, message, loc.line, loc.column, f"$.{key}", hint, code="config")
        return Problem(where, message, hint=hint, code="config")

    if not isinstance(data, dict):
        return [problem("settings must be a mapping of keys to values")]
    problems = []
    for key, value in data.items():
        if key not in KEYS:
            problems.append(problem(f"unknown setting {key!r}", key, did_you_mean(str(key), KEYS)))
            continue
        expected: tuple[type, ...] = {
            "manifests": (list,),
            "countries": (list,),
            "fail_on": (str,),
            "strict": (bool,),
            "strict_review": (bool,),
            "waivers": (str,),
            "baseline": (str,),
            "formats": (list,),
            "rules_dir": (str,),
            "force": (bool,),
            "title": (str,),
            "prepared_for": (str,),
            "prepared_by": (str,),
            "logo": (str,),
        }[key]
        if not isinstance(value, expected):
            problems.append(problem(f"setting {key!r} must be a {expected[0].__name__}", key))
        elif key == "fail_on" and value not in ("critical", "high", "medium", "low", "info", "never"):
            problems.append(
                problem(f"fail_on {value!r} is not one of critical, high, medium, low, info, never", key)
            )
        elif key == "formats" and isinstance(value, list):
            for item in value:
                if not (isinstance(item, dict) and isinstance(item.get("format"), str)):
                    problems.append(
                        problem("each item of formats needs `format` (and optionally `output`)", key)
                    )
                elif item["format"] not in formats:
                    problems.append(
                        problem(f"unknown format {item['format']!r}; choose from {', '.join(formats)}", key)
                    )
    return problems


def load_settings(
    folder: Path | None = None, formats: Iterable[str] = (), path: Path | None = None
) -> tuple[Settings, list[Problem]]:
    """Settings from `.defa-check.yaml` or pyproject.toml in ``folder`` (default: the working folder),
    or from the file ``path`` (`check --config`; YAML, or a pyproject.toml's [tool.defa-check]).

    ``formats`` are the output format names a `formats:` item may use (the CLI
    passes the render registry; this module knows no renderer).
    """
    base = folder or Path.cwd()
    settings = Settings()
    own: Path | None = base / CONFIG_FILE
    if path is not None:
        if not path.is_file():
            return settings, [Problem(str(path), "no such settings file", code="config")]
        # A pyproject.toml given by name: its [tool.defa-check] table, read below.
        own, base = (None, path.parent) if path.name == "pyproject.toml" else (path, base)
    data: Any = None
    where = ""
    located: Any = None
    if own is not None and own.is_file():
        from defa_check.inputs import source

        name = str(path) if path is not None else CONFIG_FILE
        doc = source.load(own, name)
        if not doc.ok:
            return settings, doc.problems
        data, where, located = doc.data or {}, name, doc
    else:
        pyproject = base / "pyproject.toml"
        if pyproject.is_file():
            import tomllib

            try:
                parsed = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                return settings, [Problem("pyproject.toml", f"invalid TOML: {exc}", code="syntax")]
            tool = parsed.get("tool", {}).get("defa-check")
            if tool is not None:
                data = {k.replace("-", "_"): v for k, v in tool.items()} if isinstance(tool, dict) else tool
                where = "pyproject.toml [tool.defa-check]"
    if data is None:
        return settings, []
    problems = _check(data, where, located, tuple(formats))
    if problems:
        return settings, problems
    settings.file = where
    for key, value in data.items():
        settings.set(key, value, where)
    return settings, []
