"""Long and wrong-kind values (issue #21's red-team trial): a problem message quotes a long value
shortened, a file of the wrong kind is named by its kind and never echoed, every text value of a
manifest has a length limit, and a saved report's `report_version` must be a whole number."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.model import Problem, quote

from .conftest import FIXTURES

PROJECT = str(FIXTURES / "project")
SMALL = FIXTURES / "manifests" / "aq-small.yaml"
BASE = ["--rules-dir", PROJECT, "--as-of", "2026-11-27"]
LONG = 100_000
"""Long enough that a message repeating the value would be unmistakable."""
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def manifest(tmp_path: Path, change: Any, name: str = "m.yaml") -> Path:
    data = yaml.safe_load(SMALL.read_text())
    change(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, width=10**9))
    return path


def problem_lines(err: str, path: Path) -> list[str]:
    lines = [line for line in err.splitlines() if line.startswith(str(path))]
    assert lines, err
    return lines


# --- long values are quoted shortened --------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "at"),
    [
        (lambda d: d["organization"].update(home_country="Z" * LONG), "$.organization.home_country"),
        (
            lambda d: d["flows"][0].update(data_categories=["user." + "q" * LONG]),
            "$.flows[0].data_categories[0]",
        ),
        (lambda d: d["flows"][0].update(system="s" * LONG), "$.flows[0].system"),
        (lambda d: d["organization"].update({"k" * LONG: 1}), "$.organization."),
        (lambda d: d["flows"][0].update(safeguards=["encryption_at_rest"] * 20_000), "$.flows[0].safeguards"),
    ],
)
def test_a_problem_quotes_a_long_value_shortened(tmp_path: Path, change: Any, at: str) -> None:
    path = manifest(tmp_path, change)
    for command in (("validate", str(path)), ("check", str(path), *BASE)):
        code, out, err = run(*command)
        assert code == 2, err
        lines = problem_lines(out + err, path)  # validate lists problems on stdout
        assert any(at in line for line in lines), lines
        for line in lines:
            assert len(line) < 400, line[:400]
        assert len(out + err) < 3_000


def test_a_long_value_is_quoted_with_its_length_and_a_short_one_as_before(tmp_path: Path) -> None:
    long_country = manifest(tmp_path, lambda d: d["organization"].update(home_country="Z" * LONG))
    err = run("validate", str(long_country))[1]
    assert f"'{'Z' * 60}'… ({LONG:,} characters) is not an ISO 3166-1 alpha-2 country code" in err
    short_country = manifest(tmp_path, lambda d: d["organization"].update(home_country="ZZZ"), "s.yaml")
    assert "'ZZZ' is not an ISO 3166-1 alpha-2 country code" in run("validate", str(short_country))[1]
    assert quote("abc") == "'abc'" and quote([1, "a"]) == '[1, "a"]'


def test_settings_quote_a_long_value_shortened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".defa-check.yaml").write_text(f"fail_on: {'h' * LONG}\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = run("check", str(SMALL), *BASE)
    assert code == 2
    assert f"({LONG:,} characters)" in err and len(err) < 2_000


def test_every_problem_message_is_bounded() -> None:
    """The backstop for a message that quotes a value some other way."""
    problem = Problem("m.yaml", "value " + "v" * 10**6 + " is wrong", 1, 1, hint="h" * 10**6)
    assert len(problem.message) < 2_100 and problem.message.endswith(" is wrong")
    assert "(1,000,015 characters)" in problem.message
    assert problem.hint is not None and len(problem.hint) < 2_100


# --- a file of the wrong kind is never echoed ------------------------------------------------

SECRET = "GITHUB_TOKEN=ghp_SECRET0123456789"


@pytest.mark.parametrize(
    ("content", "kind"),
    [(SECRET + "\n", "text"), (f"- {SECRET}\n- b\n", "a list"), ("12345\n", "a whole number")],
)
def test_a_waiver_file_of_the_wrong_kind_is_named_by_kind_never_echoed(
    tmp_path: Path, content: str, kind: str
) -> None:
    env = tmp_path / ".env"
    env.write_text(content)
    code, out, err = run("check", str(SMALL), *BASE, "--waivers", str(env))
    assert code == 2
    assert "SECRET" not in out + err and "12345" not in err
    (line,) = problem_lines(err, env)
    assert line.startswith(f"{env}:1:1: ") and f"it holds {kind}" in line


def test_no_input_file_of_the_wrong_kind_is_echoed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / ".env"
    env.write_text(SECRET + "\n")
    for command in (("check", str(env), *BASE), ("validate", str(env)), ("report", str(env))):
        code, out, err = run(*command)
        assert code == 2 and "SECRET" not in out + err, (command, err)
        assert (out + err).startswith(f"{env}:1:1: "), err
    (tmp_path / ".defa-check.yaml").write_text(SECRET + "\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("check", str(SMALL), *BASE)
    assert code == 2 and "SECRET" not in out + err and ".defa-check.yaml:1:1: " in err


# --- every text value of a manifest has a length limit ---------------------------------------


@pytest.mark.parametrize(
    ("change", "at", "most"),
    [
        (lambda d: d["flows"][0].update(description="x" * 1_000_000), "$.flows[0].description", 10_000),
        (lambda d: d["flows"][0].update(id="f" * 201), "$.flows[0].id", 200),
        (lambda d: d["organization"].update(name="n" * 1_001), "$.organization.name", 1_000),
        (
            lambda d: d.update(systems=[{"id": "s", "country": "SG", "provider": "p" * 1_001}]),
            "$.systems[0].provider",
            1_000,
        ),
    ],
)
def test_a_text_value_over_its_limit_is_a_located_problem(
    tmp_path: Path, change: Any, at: str, most: int
) -> None:
    for name in ("m.yaml", "m.json"):
        path = manifest(tmp_path, change, name)
        if name == "m.json":
            path.write_text(json.dumps(yaml.safe_load(path.read_text())))
        code, out, err = run("check", str(path), *BASE, "--format", "json")
        assert code == 2 and out == "", err
        (line,) = [line for line in problem_lines(err, path) if at in line]
        assert f"characters is too long (at most {most:,})" in line
        assert line.startswith(f"{path}:") and len(line) < 200, line[:300]


def test_text_at_its_limit_is_accepted(tmp_path: Path) -> None:
    path = manifest(tmp_path, lambda d: d["flows"][0].update(description="x" * 10_000, id="f" * 200))
    code, _, err = run("validate", str(path))
    assert code == 0, err


# --- report_version must be a whole number ---------------------------------------------------


def saved(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "good.json"
    assert run("check", str(SMALL), *BASE, "-f", "json", "-o", str(path))[0] == 1
    data: dict[str, Any] = json.loads(path.read_text())
    return data


@pytest.mark.parametrize(
    ("version", "words"),
    [
        ("3", "report_version must be a whole number, not text"),
        (True, "report_version must be a whole number, not true or false"),
        (None, "report_version must be a whole number, not nothing"),
        (3.0, "report_version must be a whole number, not a number"),
        ("absent", "report_version is missing"),
    ],
)
def test_a_report_version_that_is_not_a_whole_number_is_refused(
    tmp_path: Path, version: Any, words: str
) -> None:
    data = saved(tmp_path)
    if version == "absent":
        del data["report_version"]
    else:
        data["report_version"] = version
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=1))
    for command in (
        ("report", str(bad)),
        ("diff", str(bad), str(bad)),
        ("check", str(SMALL), *BASE, "--baseline", str(bad)),
    ):
        code, _, err = run(*command)
        assert code == 2, (command, err)
        (line,) = problem_lines(err, bad)
        assert words in line and "older" not in line and "newer" not in line, line
        assert line.startswith(f"{bad}:2:" if version != "absent" else f"{bad}:1:1:"), line


@pytest.mark.parametrize(("version", "words"), [(0, "written by an older"), (4, "written by a newer")])
def test_a_report_version_out_of_range_is_worded_grammatically(
    tmp_path: Path, version: int, words: str
) -> None:
    data = saved(tmp_path)
    data["report_version"] = version
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, _, err = run("report", str(bad))
    assert code == 2 and words in err and f"report_version {version} was" in err
