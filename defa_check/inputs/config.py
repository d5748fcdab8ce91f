"""Project settings: `.defa-check.yaml` in the working folder, or `[tool.defa-check]` in pyproject.toml.

Command-line options win over the file; `defa-check config show` prints the
effective settings and where each came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from defa_check.inputs.suggest import did_you_mean, what_to_write
from defa_check.model import Problem, quote, shorten
from defa_check.records import field, record

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

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


@record(frozen=False)
class Settings:
    """Effective settings, each with where it came from."""

    values: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS))
    sources: dict[str, str] = field(default_factory=lambda: dict.fromkeys(DEFAULTS, "default"))
    file: str | None = None
    """The settings file as messages name it (``pyproject.toml [tool.defa-check]``)."""
    path: str | None = None
    """The settings file's name, as a problem's location gives it."""
    locate: Callable[[list[Any]], tuple[int | None, int | None]] = field(default=lambda at: (None, None))
    """The line and column of a JSON path in the settings file: a value found wrong after
    loading (a country without a rule pack) is reported where it is written."""
    ignored: str | None = None
    """A settings table this run does not read because the settings file comes first
    (pyproject.toml's [tool.defa-check] beside a .defa-check.yaml)."""

    def set(self, key: str, value: Any, origin: str) -> None:
        self.values[key] = value
        self.sources[key] = origin

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


_EXPECTED: dict[str, tuple[type, ...]] = {
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
}
_TYPE_WORDS = {list: "a list", str: "text", bool: "true or false", dict: "a mapping"}
FORMAT_ITEM_KEYS = ("format", "output")
"""The keys of one `formats:` item."""


def _check(
    data: Any,
    where: str,
    locate: Callable[[list[Any]], tuple[int | None, int | None]],
    formats: tuple[str, ...],
) -> list[Problem]:
    """Every problem in the settings, each located in its file (``locate`` gives a path's line, column)."""

    def problem(message: str, path: list[Any], hint: str | None = None) -> Problem:
        line, column = locate(path)
        return Problem(where, message, line, column, json_path(path), hint, code="config")

    if not isinstance(data, dict):
        return [problem("settings must be a mapping of keys to values", [])]
    problems = []
    value: Any
    for key, value in data.items():
        if key not in KEYS:
            problems.append(problem(f"unknown setting {quote(key)}", [key], did_you_mean(str(key), KEYS)))
            continue
        expected = _EXPECTED[key]
        if not isinstance(value, expected):
            # `countries: VN,TH` is one text in YAML: show the list it was meant to be.
            hint = what_to_write(value, "list" if list in expected else "yes/no" if bool in expected else "")
            problems.append(problem(f"setting {quote(key)} must be {_TYPE_WORDS[expected[0]]}", [key], hint))
        elif key == "fail_on" and value not in ("critical", "high", "medium", "low", "info", "never"):
            problems.append(
                problem(
                    f"fail_on {quote(value)} is not one of critical, high, medium, low, info, never",
                    [key],
                    # Never 'never' as a guess: a typo would turn the gate off (as on the command line).
                    did_you_mean(str(value).lower(), ("critical", "high", "medium", "low", "info")),
                )
            )
        elif key in ("manifests", "countries") and isinstance(value, list):
            for i, item in enumerate(value):
                if not isinstance(item, str):
                    problems.append(problem(f"each item of {key} must be text, not {quote(item)}", [key, i]))
                elif not item.strip():
                    problems.append(problem(f"an item of {key} is empty", [key, i]))
        elif key == "formats":
            items: list[Any] = value if isinstance(value, list) else []
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    problems.append(
                        problem("each item of formats is a mapping: {format: ..., output: ...}", [key, i])
                    )
                    continue
                entry: dict[Any, Any] = item
                for extra in entry:
                    if extra not in FORMAT_ITEM_KEYS:
                        problems.append(
                            problem(
                                f"unknown key {quote(extra)} in a formats item",
                                [key, i, extra],
                                did_you_mean(str(extra), FORMAT_ITEM_KEYS),
                            )
                        )
                name = entry.get("format")
                if not isinstance(name, str):
                    problems.append(problem("each item of formats needs `format` (text)", [key, i]))
                elif name not in formats:
                    problems.append(
                        problem(
                            f"unknown format {quote(name)}; choose from {', '.join(formats)}",
                            [key, i, "format"],
                            did_you_mean(name, formats),
                        )
                    )
                if "output" in entry and not (isinstance(entry["output"], str) and entry["output"]):
                    problems.append(problem("`output` must be a file name (text)", [key, i, "output"]))
            to_stdout = [
                i for i, item in enumerate(items) if isinstance(item, dict) and not item.get("output")
            ]
            if len(to_stdout) > 1:
                problems.append(
                    problem(
                        "at most one item of formats may go to standard output (no `output`)",
                        [key, to_stdout[1]],
                    )
                )
    return problems


def json_path(parts: list[Any]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{shorten(str(p))}" for p in parts)


def _toml_locator(text: str) -> Callable[[list[Any]], tuple[int | None, int | None]]:
    """Lines of `[tool.defa-check]` keys in pyproject.toml (tomllib keeps no positions)."""
    lines = text.splitlines()
    section = next(
        (i for i, line in enumerate(lines) if re.match(r"\s*\[\s*tool\s*\.\s*\"?defa-check\"?\s*\]", line)),
        None,
    )

    def locate(path: list[Any]) -> tuple[int | None, int | None]:
        if section is None:
            tool = next(
                (i for i, line in enumerate(lines) if re.match(r"\s*(\[\s*tool\b|tool\s*=)", line)), 0
            )
            return tool + 1, 1
        if path:
            key = re.escape(str(path[0])).replace("_", "[_-]")
            for i in range(section + 1, len(lines)):
                if lines[i].lstrip().startswith("["):
                    break
                if re.match(rf"\s*\"?{key}\"?\s*=", lines[i]):
                    return i + 1, len(lines[i]) - len(lines[i].lstrip()) + 1
        return section + 1, 1

    return locate


def _nowhere(path: list[Any]) -> tuple[int | None, int | None]:
    return None, None


_OUR_TABLE = (
    # [tool.defa-check], [tool."defa-check".x], tool.defa-check.x = (not [tool.defa-check-extra]);
    # also [tool.defa_check] and other spellings, so that the mistake is reported, not ignored
    r"""\btool["']?\s*\.\s*["']?(?i:defa[-_]?check)(?:["']|\s*[\].=])"""
    r"""|^\s*\[\s*["']?tool["']?\s*\]"""  # [tool], whose keys may include defa-check
    r"""|^\s*["']?tool["']?\s*="""  # tool = {...} (or a tool that is not a table: reported)
    r"""|\\[uU]"""  # an escape in a quoted key may spell any name: parse to be sure
)


def _may_hold_our_table(text: str) -> bool:
    """Whether a pyproject.toml may hold [tool.defa-check]: a text that cannot is not parsed.

    Most projects' pyproject.toml is another tool's; parsing it costs `check` importing tomllib
    (and typing with it), about 9 ms at every start (issue #20)."""
    return re.search(_OUR_TABLE, text, re.MULTILINE) is not None


def _pyproject_table(pyproject: Path) -> tuple[Any, str, list[Problem]]:
    """``pyproject``'s [tool.defa-check] (None when it has none), its text, and what is wrong with
    the file as far as the table goes (a file that cannot hold the table is not parsed)."""
    from defa_check.inputs import source

    raw = source.read_bytes(pyproject, "pyproject.toml")
    if isinstance(raw, source.Document):
        return None, "", raw.problems
    text = source.decode(raw, "pyproject.toml")
    if isinstance(text, source.Document):
        return None, "", text.problems
    if not _may_hold_our_table(text):
        return None, text, []  # another tool's pyproject.toml: not ours to parse or judge
    import tomllib

    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.14 gives the position as attributes; before, only in the message.
        message, _, at = str(exc).partition(" (at line ")
        line_text, _, column_text = at.rstrip(")").partition(", column ")
        line = getattr(exc, "lineno", None) or (int(line_text) if line_text.isdigit() else 1)
        column = getattr(exc, "colno", None) or (int(column_text) if column_text.isdigit() else 1)
        if message.endswith(" (at end of document)"):  # an unclosed array, string or table
            message = message.removesuffix(" (at end of document)")
            lines = text.rstrip("\r\n").split("\n")
            line, column = len(lines), len(lines[-1].rstrip("\r")) + 1
        return (
            None,
            text,
            [Problem("pyproject.toml", f"invalid TOML: {message}", line, column, code="syntax")],
        )
    tools = parsed.get("tool")
    if tools is not None and not isinstance(tools, dict):
        line_at, column_at = _toml_locator(text)([])
        wrong = "`tool` must be a table ([tool.NAME] sections)"
        return None, text, [Problem("pyproject.toml", wrong, line_at, column_at, code="config")]
    tool = (tools or {}).get("defa-check")
    if tool is None:
        # [tool.defa_check], [tool.DefaCheck]: settings meant for us, which would be ignored silently
        near = [k for k in (tools or {}) if re.sub(r"[-_]", "", str(k).lower()) == "defacheck"]
        if near:
            line = next((n for n, t in enumerate(text.splitlines(), 1) if near[0] in t), 1)
            problem = Problem(
                "pyproject.toml",
                f"unknown table [tool.{near[0]}]",
                line,
                1,
                hint="did you mean [tool.defa-check]?",
                code="config",
            )
            return None, text, [problem]
    return tool, text, []


def _holds_our_table(pyproject: Path) -> bool:
    """Whether ``pyproject`` is a readable TOML file with a [tool.defa-check] table."""
    return pyproject.is_file() and _pyproject_table(pyproject)[0] is not None


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
    formats = tuple(formats)
    own: Path | None = base / CONFIG_FILE
    if path is not None:
        if not path.is_file():
            said = "a folder, not a settings file" if path.is_dir() else "no such settings file"
            return settings, [Problem(str(path), said, code="config")]
        # A pyproject.toml given by name: its [tool.defa-check] table, read below.
        own, base = (None, path.parent) if path.name == "pyproject.toml" else (path, base)
    data: Any = None
    where = ""
    locate: Callable[[list[Any]], tuple[int | None, int | None]] = lambda path: (1, 1)  # noqa: E731
    if own is not None and own.is_file():
        from defa_check.inputs import source

        name = str(path) if path is not None else CONFIG_FILE
        # Read as a manifest is: by the fast parser when installed (no PyYAML import, about 12 ms of
        # every run), again exactly when there is a problem to locate.
        doc = source.load(own, name, precise=False)
        precise = not doc.ok or bool(_check({} if doc.data is None else doc.data, name, _nowhere, formats))
        if precise:
            doc = source.load(own, name)
        if not doc.ok:
            return settings, doc.problems
        data, where = {} if doc.data is None else doc.data, name
        exact = [doc] if precise else []

        def locate_in_yaml(at: list[Any]) -> tuple[int | None, int | None]:
            if not exact:  # read again with every position only when one is asked for
                exact.append(source.load(own, name))
            loc = exact[0].locate(at)
            return loc.line, loc.column

        locate = locate_in_yaml
        if path is None and _holds_our_table(base / "pyproject.toml"):
            settings.ignored = "pyproject.toml [tool.defa-check]"

    else:
        pyproject = base / "pyproject.toml"
        if pyproject.is_file():
            tool, text, problems = _pyproject_table(pyproject)
            if problems:
                return settings, problems
            if tool is not None:
                data = {k.replace("-", "_"): v for k, v in tool.items()} if isinstance(tool, dict) else tool
                where, locate = "pyproject.toml", _toml_locator(text)
    if data is None:
        return settings, []
    problems = _check(data, where, locate, formats)
    if problems:
        return settings, problems
    settings.file = "pyproject.toml [tool.defa-check]" if where == "pyproject.toml" else where
    settings.path, settings.locate = where, locate
    for key, value in data.items():
        settings.set(key, value, settings.file)
    return settings, []
