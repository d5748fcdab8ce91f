"""Hostile and careless input (issue #21): every crash a located problem with exit 2, JSON read as
the data it is, nothing from an input able to act on a terminal or a CI log."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from defa_check.cli import app
from defa_check.model import Citation, Finding, Location, Report, Severity, Status, Subject
from defa_check.render import RenderOptions, get_format
from defa_check.render.escape import code, md, terminal, uri_reference, xml_text

from .conftest import FIXTURES, ROOT

PROJECT = str(FIXTURES / "project")
SMALL = FIXTURES / "manifests" / "aq-small.yaml"
BASE = ["--rules-dir", PROJECT, "--as-of", "2026-11-27"]
FORMATS = ("console", "json", "sarif", "junit", "markdown", "html", "csv", "github")
runner = CliRunner()


def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> tuple[int, str, str]:
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        result = runner.invoke(app, list(args), input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def small_data() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(SMALL.read_text())
    return data


def located(err: str, name: str) -> list[str]:
    """The problem lines about file ``name``; each must say line and column."""
    lines = [line for line in err.splitlines() if line.startswith(name)]
    assert lines, err
    for line in lines:
        assert re.match(rf"{re.escape(name)}:\d+:\d+: ", line), line
    return lines


# --- point 2: crashes became located problems with exit 2 ------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("organization: {foo: 1, 2: 3}\n", 2, "a mapping key must be text"),
        ("organization:\n  name: !!seq x\n", 3, "cannot be read as !!seq"),
        ("organization:\n  name: !!map x\n", 3, "cannot be read as !!map"),
        ("organization:\n  dpo_appointed: !!bool maybe\n", 3, "cannot be read as !!bool"),
        ("organization:\n  name: !!set {a}\n", 3, "tag !!set is not allowed"),
        ("organization:\n  employees: 1.0e999\n", 3, "not a finite number"),
        ("organization:\n  employees: " + "9" * 5000 + "\n", 3, "5,000 digits"),
        ("organization:\n  name: a\x01b\n", 3, "not allowed"),
    ],
)
def test_yaml_that_crashed_is_a_located_problem(tmp_path: Path, text: str, line: int, words: str) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text("manifest_version: 1\n" + text)
    code, _, err = run("check", str(manifest), *BASE)
    assert code == 2 and words in err and "Traceback" not in err
    assert located(err, str(manifest))[0].startswith(f"{manifest}:{line}:")


def json_manifest(tmp_path: Path, replace: tuple[str, str], name: str = "m.json") -> Path:
    text = json.dumps(small_data(), indent=1)
    assert replace[0] in text
    path = tmp_path / name
    path.write_text(text.replace(replace[0], replace[1], 1))
    return path


@pytest.mark.parametrize(
    ("replace", "words"),
    [
        (('"id": "out"', '"id": NaN'), "NaN is not a number JSON allows"),
        (('"monthly_users": 12000', '"monthly_users": 1.0e999'), "too large to be a finite number"),
        (('"monthly_users": 12000', '"monthly_users": Infinity'), "Infinity is not a number JSON allows"),
        (('"monthly_users": 12000', '"monthly_users": ' + "9" * 5000), "5,000 digits"),
        (('"id": "out"', '"id": "o\\ud800ut"'), "lone surrogate"),
        (('"name": "Test', '"name": NaN, "x": "Test'), "NaN is not a number JSON allows"),
    ],
)
def test_json_values_outside_json_data_are_located_problems_in_every_format(
    tmp_path: Path, replace: tuple[str, str], words: str
) -> None:
    manifest = json_manifest(tmp_path, replace)
    for fmt in ("json", "validate"):
        args = (
            ("validate", str(manifest)) if fmt == "validate" else ("check", str(manifest), *BASE, "-f", fmt)
        )
        code, out, err = run(*args)
        assert code == 2 and words in out + err, (fmt, out, err)
        located(out + err, str(manifest))


def test_json_is_validated_as_the_data_that_is_evaluated(tmp_path: Path) -> None:
    # Read as YAML, `1e5` is the text "1e5"; read as JSON it is the number 100000. A .json manifest
    # with another problem is located by reading it again as JSON, so its number stays a number.
    manifest = json_manifest(tmp_path, ('"monthly_users": 12000', '"monthly_users": 1e5, "bogus": 1'))
    code, out, _ = run("validate", str(manifest))
    assert code == 2 and "unknown field 'bogus'" in out and "monthly_users" not in out


def test_a_json_waiver_file_with_a_lone_surrogate_is_located(tmp_path: Path) -> None:
    waivers = tmp_path / "w.json"
    waivers.write_text(
        '{"waivers": [\n {"rule": "AQ-*", "justification": "x\\udc00", "approved_by": "a", '
        '"expires": "2030-01-01"}]}'
    )
    code, _, err = run("check", str(SMALL), *BASE, "--waivers", str(waivers))
    assert code == 2 and located(err, str(waivers))[0].startswith(f"{waivers}:2:")


@pytest.mark.parametrize("fmt", ["console", "json", "sarif", "junit", "markdown", "html", "csv", "github"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path, fmt: str) -> None:
    name = os.fsdecode(b"caf\xe9.yaml")
    (tmp_path / name).write_bytes(SMALL.read_bytes())
    out_file = tmp_path / f"out.{fmt}"
    code, _, err = run("check", str(tmp_path / name), *BASE, "-f", fmt, "-o", str(out_file))
    assert code == 1, err
    written = out_file.read_text(encoding="utf-8")  # valid UTF-8
    assert any(shown in written + err for shown in ("caf\\xe9.yaml", "caf\\\\xe9.yaml", "caf%5Cxe9.yaml"))


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ("manifests: [1]\n", "each item of manifests must be text"),
        ("manifests: [m.yaml]\ncountries: [null]\n", "each item of countries must be text"),
        ("manifests: [m.yaml]\nformats: [{format: json, output: 5}]\n", "`output` must be a file name"),
        ("manifests: [m.yaml]\nformats: [{format: json, outptu: x.json}]\n", "did you mean 'output'"),
    ],
)
def test_settings_of_the_wrong_item_type_are_located(tmp_path: Path, settings: str, words: str) -> None:
    (tmp_path / "m.yaml").write_bytes(SMALL.read_bytes())
    (tmp_path / ".defa-check.yaml").write_text(settings)
    code, _, err = run("check", *BASE, cwd=tmp_path)
    assert code == 2 and words in err
    located(err, ".defa-check.yaml")


@pytest.mark.parametrize(
    ("toml", "line"), [("tool = 5\n", 1), ("[tool.defa-check]\nstrict = true\nfail-on = 5\n", 3)]
)
def test_pyproject_values_of_the_wrong_type_are_located(tmp_path: Path, toml: str, line: int) -> None:
    (tmp_path / "pyproject.toml").write_text(toml)
    code, _, err = run("check", str(SMALL), *BASE, cwd=tmp_path)
    assert code == 2 and located(err, "pyproject.toml")[0].startswith(f"pyproject.toml:{line}:")


def saved_report(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    path = tmp_path / "good.json"
    assert run("check", str(SMALL), *BASE, "-f", "json", "-o", str(path))[0] == 1
    data: dict[str, object] = json.loads(path.read_text())
    return path, data


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d.update(as_of="2026-02-30"),
        lambda d: d["findings"][0].update(effective_from="2026-13-01"),
        lambda d: d["findings"][0].update(
            waiver={"rule": "x", "justification": "j", "approved_by": "a", "expires": "9999-99-99"}
        ),
        lambda d: d["findings"][0].update(message="DEEP"),
        lambda d: d["findings"][0].update(rule_id="\x1b]0;owned\x07"),
    ],
)
def test_saved_reports_with_impossible_values_are_located_problems(tmp_path: Path, spoil: object) -> None:
    good, data = saved_report(tmp_path)
    assert callable(spoil)
    spoil(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=1).replace('"DEEP"', "[" * 5000 + "]" * 5000))
    baseline = ("check", str(SMALL), *BASE, "--baseline", str(bad))
    for args in (("report", str(bad)), ("diff", str(good), str(bad)), baseline):
        code, _, err = run(*args)
        assert code == 2, (args, err)
        located(err, str(bad))


def test_fields_added_to_a_saved_report_are_read_past(tmp_path: Path) -> None:
    good, data = saved_report(tmp_path)
    rules = data["rules"]
    assert isinstance(rules, dict)
    next(iter(rules.values()))["citation"]["note"] = "added by a later version"
    data["packs"] = [{**p, "extra": 1} for p in data["packs"]]  # type: ignore[attr-defined]
    later = tmp_path / "later.json"
    later.write_text(json.dumps(data))
    assert run("report", str(later), "-f", "json")[0] == 0
    assert run("diff", str(good), str(later))[0] == 0


def test_interview_answers_are_never_rich_markup(tmp_path: Path) -> None:
    from .test_init import KUALA_LUMPUR, run_init

    proc = run_init(tmp_path, [KUALA_LUMPUR[0], "[/x]", *KUALA_LUMPUR[1:]])
    assert proc.returncode == 0, proc.stderr
    assert "'[/x]' is not a country code" in " ".join(proc.stderr.split())


def test_the_last_date_with_a_horizon_does_not_overflow() -> None:
    code, out, _ = run("check", str(SMALL), "--rules-dir", PROJECT, "--as-of", "9999-12-31", "--horizon", "1")
    assert code == 1 and "Coming into force in the next 1 months" in out


def test_a_device_as_input_is_refused_at_once() -> None:
    code, _, err = run("check", "/dev/zero", *BASE)  # read only: nothing is written to a system path
    assert code == 2 and "device" in err


def test_a_fifo_as_input_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "m.yaml"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "defa_check", "validate", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


# --- the last net: an escaped exception is a bug report, never exit 1 -------------------------------


def test_an_escaped_exception_is_reported_as_a_bug_with_its_own_exit_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("\x1b[2Jboom")

    monkeypatch.setattr("defa_check.evaluate.batch.run_checks", broken)
    code, _, err = run("check", str(SMALL), *BASE, "--fail-on", "never")
    assert code == 70
    assert "internal error: ZeroDivisionError" in err and "This is a bug in defa-check" in err
    assert "please report" in err.lower() and "\x1b" not in err and "Traceback" not in err


def test_the_console_script_and_python_m_report_a_bug_with_exit_70(tmp_path: Path) -> None:
    # A sitecustomize that breaks the engine, imported by the child process only.
    (tmp_path / "sitecustomize.py").write_text(
        "import defa_check.evaluate.engine as e\n"
        "def broken(*a, **k):\n    raise RuntimeError('injected')\n"
        "e.build_report = broken\n"
        "import defa_check.evaluate.document as d\nd.build_report = broken\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    script = Path(sys.executable).parent / "defa-check"
    commands = [[sys.executable, "-m", "defa_check"]]
    if script.exists():
        commands.append([str(script)])
    for command in commands:
        proc = subprocess.run(
            [*command, "check", str(SMALL), *BASE, "--fail-on", "never"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 70, proc.stderr
        assert "RuntimeError: injected" in proc.stderr and "Traceback" not in proc.stderr


# --- point 4: nothing from an input acts on a terminal or a CI log -------------------------------

FORGED = "x\n::error file=a,line=1::injected\r\x1b]0;title\x07\x1b[2J\x9b31m\x00\u202e"


def test_terminal_text_shows_controls_and_cannot_start_a_workflow_command() -> None:
    safe = terminal(FORGED)
    assert "\n" not in safe and "\r" not in safe and "\x1b" not in safe and "\x9b" not in safe
    assert "\x00" not in safe and "\u202e" not in safe and "\x07" not in safe
    assert safe.startswith("x\\n::error")  # readable, and not at the start of a line
    assert terminal("::add-mask::secret") == "\\::add-mask::secret"
    # The older form is acted on anywhere in a line: it never stays whole.
    assert terminal("  ##[set-env name=X]1") == "  ##\\[set-env name=X]1"
    assert terminal("name ##[error]x") == "name ##\\[error]x"
    assert terminal("\u00a0::error::x") == "\u00a0\\::error::x"  # the runner trims Unicode spaces too
    block = terminal("ok\n  ::stop-commands::t\nfine", multiline=True)
    assert block.splitlines() == ["ok", "  \\::stop-commands::t", "fine"]
    assert terminal(os.fsdecode(b"caf\xe9")) == "caf\\xe9"
    assert terminal("x" * 50, limit=10) == "x" * 10 + "… (40 more characters)"


def test_terminal_skips_only_text_with_nothing_to_escape() -> None:
    """terminal() leaves a printable text to the workflow-command checks alone (start-up: its
    classes are compiled only for text that is not); every character they escape is unprintable."""
    from defa_check.render import escape

    every = "".join(map(chr, range(0x110000)))
    for pattern in (escape._UNSAFE_IN_LINE(), escape._UNSAFE_IN_BLOCK()):
        escaped = {m.group() for m in pattern.finditer(every)}
        assert len(escaped) > 2000 and not any(c.isprintable() for c in escaped)
    assert terminal("tab\there") == "tab\there" and terminal("a\u2028b") == "a\\u2028b"


def forged_manifest(tmp_path: Path) -> Path:
    data = small_data()
    assert isinstance(data["organization"], dict)
    data["organization"]["name"] = FORGED
    path = tmp_path / "forged.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def no_forgery(text: str) -> None:
    for line in text.splitlines():
        assert not re.match(r"\s*(::|##\[)", line) or line.startswith(
            ("::error file=", "::warning", "::notice")
        ), line
    assert "\x1b" not in text and "\x9b" not in text and "\x00" not in text and "\r" not in text


@pytest.mark.parametrize("fmt", ["console", "github"])
def test_manifest_and_waiver_text_cannot_forge_output_or_notices(tmp_path: Path, fmt: str) -> None:
    manifest = forged_manifest(tmp_path)
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        yaml.safe_dump(
            {
                "waivers": [
                    {
                        "rule": "AQ-NOTHING-*",
                        "justification": "accepted risk",
                        "approved_by": "Jane Roe",
                        "expires": "2030-01-01",
                        "flow": "f\n::add-mask::x",
                    }
                ]
            }
        )
    )
    code, out, err = run("check", str(manifest), *BASE, "-f", fmt, "--waivers", str(waivers))
    assert code == 1
    no_forgery(out)
    no_forgery(err)
    assert "::add-mask::" not in err.replace("\\::add-mask::", "") or "\\n::add-mask::" in err


def test_problems_quoting_input_cannot_forge_a_workflow_command(tmp_path: Path) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        'manifest_version: 1\norganization: {name: x, home_country: AQ}\n"\\n::error::x\\e[2J": 1\n'
    )
    code, out, err = run("validate", str(manifest))
    assert code == 2
    no_forgery(out)
    no_forgery(err)


def finding(text: str, path: str = "m.yaml") -> Finding:
    from defa_check.model import Confidence, RuleText

    rule = RuleText(
        rule_id="AQ-TRANSFER-001",
        country="AQ",
        topic="transfer",
        severity=Severity.HIGH,
        title=text,
        citation=Citation(text, text, "https://example.invalid/a"),
        remediation=text,
        effective_from=None,
        effective_until=None,
        upcoming=False,
        confidence=Confidence.HIGH,
        draft=False,
    )
    return Finding(
        rule=rule,
        status=Status.FAIL,
        subject=Subject("flow", text),
        message=text,
        location=Location(path, 3, 5),
    )


def report_with(text: str, path: str = "m.yaml") -> Report:
    import datetime as dt

    return Report(
        tool_version="1",
        as_of=dt.date(2026, 11, 27),
        manifest_path=path,
        manifest_sha256="0" * 64,
        organization=text,
        packs=(),
        findings=(finding(text, path),),
        countries=("AQ",),
        notices=(text,),
    )


def test_markdown_links_mentions_and_references_nothing_from_input() -> None:
    text = (
        "see https://evil.example/x and www.evil.example, ping @octocat @org/team, fixes #12 GH-3 \x1b[2J\x00"
    )
    escaped = md(text)
    for trigger in ("https://", "www.", "@octocat", "@org", "#12", "GH-3"):
        assert trigger not in escaped, trigger
    assert "\x1b" not in escaped and "\x00" not in escaped
    assert escaped.replace("\u2060", "").replace("\\", "").startswith("see https://evil.example/x")
    assert "\x1b" not in code("a\x1bb") and "`" in code("a\x1bb")
    rendered = get_format("markdown").render(report_with(text))
    outside_code_spans = re.sub(r"`[^`]*`", "", rendered)  # GitHub links nothing inside a code span
    assert "@octocat" not in outside_code_spans and "#12" not in outside_code_spans
    assert "https://evil" not in outside_code_spans and "\x1b" not in rendered


def test_junit_is_well_formed_xml_with_control_characters_in_input() -> None:
    import xml.etree.ElementTree as ET

    text = "bad\x01\x08\x0b\x1b\ud800name"
    assert xml_text(text) == "bad\\x01\\x08\\x0b\\e\\ud800name"
    xml = get_format("junit").render(report_with(text, path="a\x01b.yaml"))
    ET.fromstring(xml.encode("utf-8", "surrogateescape"))  # well-formed


def test_sarif_uris_are_percent_encoded() -> None:
    assert uri_reference("my dir/flows #1.yaml") == "my%20dir/flows%20%231.yaml"
    assert uri_reference("C:/work/flows.yaml") == "C%3A/work/flows.yaml"
    assert uri_reference("a:b.yaml") == "a%3Ab.yaml"
    assert uri_reference("ünï.yaml") == "%C3%BCn%C3%AF.yaml"
    sarif = json.loads(get_format("sarif").render(report_with("x", path="my dir/ü #1.yaml")))
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20dir/%C3%BC%20%231.yaml"


def test_console_report_shows_input_text_inert(tmp_path: Path) -> None:
    rendered = get_format("console").render(report_with(FORGED + "[/x][bold]"), RenderOptions(color=True))
    assert "\x1b]0;" not in rendered and "\x1b[2J" not in rendered and "\x9b" not in rendered
    assert "[/x][bold]" in rendered  # Rich markup from input is shown, not interpreted
    long = get_format("console").render(report_with("n" * 1_000_000))
    assert len(long) < 100_000 and "more characters" in long


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_hostile_text(fmt: str) -> None:
    out = get_format(fmt).render(report_with(FORGED + "<script>@x #1 =cmd"))
    out.encode("utf-8")
    if fmt in ("console", "github", "markdown", "junit"):
        assert "\x1b" not in out and "\x00" not in out


# --- point 5: bounded work -------------------------------------------------------------------------


def test_a_million_unknown_keys_give_a_hundred_problems_and_a_count(tmp_path: Path) -> None:
    data = small_data()
    for i in range(9_000):  # under the 10,000-key limit: every key is worked through the cap
        data[f"unknown{i}"] = i
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(data))
    code, out, _ = run("validate", str(manifest))
    lines = out.splitlines()
    assert code == 2 and len(lines) == 101
    assert (
        "… and 8,900 more problems (listing stops at 100" in lines[-1] and "[too-many-problems]" in lines[-1]
    )
    # check's closing line says how many there are as far as it knows ("101 problem(s)" before).
    code, _, err = run("check", str(manifest))
    assert code == 2 and f"{manifest}: more than 100 problems; nothing was checked" in err
    manifest.write_text(json.dumps({**small_data(), **{f"unknown{i}": i for i in range(101)}}))
    listed = run("validate", str(manifest))[1]
    assert "… and 1 more problem (listing stops at 100" in listed
    # The first hundred in the file are listed, in its order (they were in the order of their names:
    # unknown0, unknown1, unknown10, unknown100, ...).
    named = re.findall(r"unknown field '(unknown\d+)'", listed)
    assert named == [f"unknown{i}" for i in range(100)]
    manifest.write_text(json.dumps({**small_data(), "unknown": 1}))
    assert f"{manifest}: 1 problem; nothing was checked" in run("check", str(manifest))[2]


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_mapping_with_too_many_keys_is_refused_where_the_limit_is_passed(
    tmp_path: Path, suffix: str
) -> None:
    from defa_check.inputs.source import MAX_KEYS

    data = small_data()
    data["organization"]["data_subjects_by_country"] = {f"X{i}": 1 for i in range(MAX_KEYS + 5)}  # type: ignore[index]
    manifest = tmp_path / f"m{suffix}"
    manifest.write_text(json.dumps(data) if suffix == ".json" else yaml.safe_dump(data))
    code, out, _ = run("validate", str(manifest))
    assert code == 2 and f"more than {MAX_KEYS:,} keys in one mapping" in out
    located(out, str(manifest))


def _a_million_keys(layout: str) -> str:
    keys = range(1_000_000)
    if layout == "organization":
        return "organization:\n" + "".join(f"  k{i}: {i}\n" for i in keys)
    if layout == "data_subjects_by_country":
        return "manifest_version: 1\norganization:\n  name: X\n  data_subjects_by_country:\n" + "".join(
            f"    k{i}: {i}\n" for i in keys
        )
    return '{"organization": {' + ", ".join(f'"k{i}":{i}' for i in keys) + "}}"


def _address_space(megabytes: int) -> Any:
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))

    return limit


@pytest.mark.skipif(sys.platform != "linux", reason="the memory bound is set with RLIMIT_AS (Linux)")
@pytest.mark.parametrize(
    ("layout", "name", "where", "words"),
    [
        ("organization", "m.yaml", "10002:3", "invalid YAML: more than 10,000 keys in one mapping"),
        (
            "data_subjects_by_country",
            "m.yaml",
            "10005:5",
            "invalid YAML: more than 10,000 keys in one mapping",
        ),
        ("json", "m.json", "1:137799", "more than 10,000 keys in one mapping"),
        ("json", "m.yaml", "1:137799", "invalid YAML: more than 10,000 keys in one mapping"),
    ],
)
def test_a_million_keys_in_one_mapping_are_refused_at_the_first_key_past_the_limit_in_little_memory(
    tmp_path: Path, layout: str, name: str, where: str, words: str
) -> None:
    """17 MB of keys (issue #21): refused where the limit is passed, before a parser builds them.

    Built first, they took about a gigabyte; the process here may use 200 MB of address space.
    """
    command = [sys.executable, "-m", "defa_check", "validate"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    bound = _address_space(200)
    small = subprocess.run(
        [*command, str(SMALL)], capture_output=True, text=True, env=env, preexec_fn=bound, check=False
    )
    if small.returncode != 0:
        pytest.skip(f"this platform needs more than 200 MB to start: {small.stderr[-200:]}")
    manifest = tmp_path / name
    manifest.write_text(_a_million_keys(layout))
    proc = subprocess.run(
        [*command, str(manifest)], capture_output=True, text=True, env=env, preexec_fn=bound, timeout=120,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.splitlines() == [f"{manifest}:{where}: {words} [too-complex]"]


def test_many_invalid_values_in_one_list_stop_at_the_cap(tmp_path: Path) -> None:
    data = small_data()
    data["flows"][0]["safeguards"] = [f"safeguard{i}" for i in range(20_000)]  # type: ignore[index]
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(data))
    code, out, _ = run("validate", str(manifest))
    assert code == 2 and out.count("\n") == 101 and "[too-many-problems]" in out


def test_the_flows_limit_is_part_of_the_schema() -> None:
    from defa_check.inputs.schemas import schema

    assert schema("manifest")["properties"]["flows"]["maxItems"] == 100_000


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from defa_check.inputs import source

    monkeypatch.setattr(source, "MAX_FILE_BYTES", 1000)
    manifest = tmp_path / "m.yaml"
    manifest.write_text("# padding\n" * 200)
    code, _, err = run("check", str(manifest), *BASE)
    assert code == 2 and "the limit is 1,000" in err


# --- point 6: silent surprises ---------------------------------------------------------------------


def test_a_baseline_from_another_manifest_is_said(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    assert run("baseline", "create", str(SMALL), "-o", str(baseline), *BASE)[0] == 0
    other = small_data()
    other["organization"]["name"] = "Another Co"  # type: ignore[index]
    manifest = tmp_path / "other.yaml"
    manifest.write_text(yaml.safe_dump(other))
    _, out, err = run("check", str(manifest), *BASE, "--baseline", str(baseline), "-f", "json")
    assert "the baseline was made from another manifest" in err
    assert any("another manifest" in n for n in json.loads(out)["notices"])
    _, _, same = run("check", str(SMALL), *BASE, "--baseline", str(baseline))
    assert "another manifest" not in same


def test_check_says_when_a_waiver_covers_every_country_or_lasts_too_long(tmp_path: Path) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        yaml.safe_dump(
            {
                "waivers": [
                    {
                        "rule": "*",
                        "justification": "accept all of it",
                        "approved_by": "Jane Roe",
                        "expires": "9999-12-31",
                    }
                ]
            }
        )
    )
    code, out, _ = run("check", str(SMALL), *BASE, "--waivers", str(waivers))
    assert code == 0
    assert (  # in the console report's Notices (and not again on stderr)
        "matches rules of several countries (every country" in out
        and "expires more than a year from now" in out
    )


@pytest.mark.parametrize("ident", ["f1\n", "f1\n\n"])
def test_ids_with_a_trailing_newline_are_rejected(tmp_path: Path, ident: str) -> None:
    data = small_data()
    data["flows"][0]["id"] = ident  # type: ignore[index]
    manifest = tmp_path / "m.yaml"
    manifest.write_text(yaml.safe_dump(data))
    code, out, _ = run("validate", str(manifest))
    assert code == 2 and "$.flows[0].id" in out


def test_every_problem_about_a_malformed_file_has_a_line(tmp_path: Path) -> None:
    cases = {
        "bytes.yaml": b"manifest_version: 1\norganization:\n  name: caf\xe9\n",
        "control.yaml": b"manifest_version: 1\norganization: {name: a\x07b}\n",
        "tag.yaml": b"manifest_version: 1\norganization: {name: !!int x}\n",
        "alias.yaml": b"a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
        + b"".join(
            b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((98 + i,) * 2 + (97 + i,) * 8)
            for i in range(8)
        ),
        "deep.json": b"[" * 5000 + b"]" * 5000,
    }
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        code, out, _ = run("validate", str(path))
        assert code == 2, name
        located(out, str(path))


def test_a_manifest_above_the_working_folder_is_named_by_its_file_name(tmp_path: Path) -> None:
    """`../client/flows.yaml` climbs out of the working folder: no report carries the climb."""
    client = tmp_path / "client"
    client.mkdir()
    (client / "flows.yaml").write_bytes(SMALL.read_bytes())
    work = tmp_path / "work"
    work.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "defa_check", "check", "../client/flows.yaml", *BASE, "-f", "sarif"],
        cwd=work, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    sarif = json.loads(proc.stdout)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"] for loc in r.get("locations", [])}  # fmt: skip
    assert uris == {"flows.yaml"}


def test_explain_and_rules_show_print_pack_text_safely(tmp_path: Path) -> None:
    """A custom pack's text cannot forge a CI workflow command on a line of its own."""
    import shutil

    project = tmp_path / "p"
    shutil.copytree(PROJECT, project)
    rules = project / "rules" / "aq" / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    # A double-quoted YAML "\n" puts a line starting with "::error::" into the title.
    forged = 'title: "Outbound\\n::error::forged"'
    rules.write_text(text.replace("title: Outbound transfers need a transfer mechanism", forged, 1))
    for args in (["explain", "AQ-TRANSFER-001"], ["rules", "show", "AQ-TRANSFER-001"]):
        result = runner.invoke(app, [*args, "--rules-dir", str(project)])
        assert result.exit_code == 0, (args, result.output)
        assert "forged" in result.stdout, args
        assert not any(line.startswith("::") for line in result.stdout.splitlines()), args


def test_a_rules_folder_without_packs_is_refused_not_a_green_run(tmp_path: Path) -> None:
    """Found by a trial: `rules_dir: .` in a contributor-editable settings file checked nothing
    and exited 0 ("No rule pack applies")."""
    import shutil

    flows = tmp_path / "flows.yaml"
    shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", flows)
    (tmp_path / ".defa-check.yaml").write_text("manifests: [flows.yaml]\nrules_dir: .\n")
    proc = subprocess.run(
        [sys.executable, "-m", "defa_check", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "no rule packs here" in proc.stderr


def test_a_rules_folder_without_a_mentioned_country_says_it_was_not_checked(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "packs"
    shutil.copytree(ROOT / "rules" / "sg", root / "rules" / "sg")
    (root / "countries").mkdir()
    shutil.copy(ROOT / "countries" / "sg.yaml", root / "countries" / "sg.yaml")
    example = ROOT / "examples" / "sg-shop-selling-into-vn.yaml"
    report = tmp_path / "r.json"
    args = [
        "check",
        str(example),
        "--rules-dir",
        str(root),
        "--fail-on",
        "never",
        "-f",
        "json",
        "-o",
        str(report),
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "defa_check", *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "has no pack (or no rules) for VN: that country was not checked" in proc.stderr
    data = json.loads(report.read_text())
    assert any("no pack (or no rules) for VN" in n for n in data["notices"])
    assert {r["country"] for r in data["rules"].values()} == {"SG"}


def test_the_summary_error_line_cannot_forge_a_line_from_a_file_name(tmp_path: Path) -> None:
    """Found by a trial: the per-problem lines were escaped, the closing `error: <file>: ...` was not."""
    name = str(tmp_path / "n1\n  ::error::forged")
    for args in (["check", name], ["report", name], ["validate", name]):
        proc = subprocess.run(
            [sys.executable, "-m", "defa_check", *args], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 2, proc.stderr
        assert "forged" in proc.stderr + proc.stdout  # `validate` lists its problems on stdout
        assert not re.search(r"(?m)^[ \t]*::", proc.stderr + proc.stdout), proc.stderr
        # The name stays on one line: its line break is shown, never acted on.
        assert all("n1" in line for line in (proc.stderr + proc.stdout).splitlines() if "forged" in line)


def test_diff_of_reports_of_different_manifests_says_so(tmp_path: Path) -> None:
    """Found by a trial: `--baseline` warned about another manifest's report, `diff` did not."""
    saved = []
    for name in ("sg-shop-selling-into-vn.yaml", "regional-hr.yaml"):
        out = tmp_path / (name + ".json")
        args = ["check", str(ROOT / "examples" / name), "-f", "json", "-o", str(out), "--fail-on", "never"]
        assert (
            subprocess.run([sys.executable, "-m", "defa_check", *args], capture_output=True).returncode == 0
        )
        saved.append(str(out))
    proc = subprocess.run(
        [sys.executable, "-m", "defa_check", "diff", *saved], capture_output=True, text=True, check=False
    )
    assert "reports are of different manifests" in proc.stderr
    same = subprocess.run(
        [sys.executable, "-m", "defa_check", "diff", saved[0], saved[0]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert same.returncode == 0 and "different manifests" not in same.stderr


FORMATS_ON_STDOUT = ("console", "compact", "github", "gitlab", "junit", "csv", "markdown", "json", "sarif")


@pytest.mark.parametrize("fmt", FORMATS_ON_STDOUT)
def test_no_input_text_starts_or_carries_a_workflow_command_in_any_format(tmp_path: Path, fmt: str) -> None:
    """Found by a re-trial: the older `##[command]` form (acted on anywhere in a line), a command
    after a no-break space (the runner trims Unicode whitespace), and a file name that starts with
    `::` at the head of every compact line."""
    data = yaml.safe_load((ROOT / "examples" / "sg-shop-selling-into-vn.yaml").read_text())
    data["organization"]["name"] = "Acme ##[error]forged"
    data["flows"][0]["description"] = "x\n\u00a0::error::nbsp-forged \u3000::warning::w"
    name = tmp_path / "::error::pwned.yaml"
    name.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    waivers = tmp_path / "w.yaml"
    waiver = {
        "rule": "VN-TRANSFER-001",
        "justification": "accepted risk\n\u00a0::error::waiver-forged ##[add-mask]secret",
        "approved_by": "a@b.c ##[error]",
        "expires": "2027-01-31",
    }
    waivers.write_text(yaml.safe_dump({"waivers": [waiver]}, allow_unicode=True))
    proc = subprocess.run(
        [sys.executable, "-m", "defa_check", "check", name.name, "-f", fmt, "--waivers", str(waivers),
         "--as-of", "2026-12-01", "--fail-on", "never", "--all"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for text in (proc.stdout, proc.stderr):
        assert "##[" not in text, fmt
        # The github format's own annotations start lines with `::`; each names its file or title.
        forged = [
            line
            for line in text.splitlines()
            if re.match(r"\s*::", line) and not re.match(r"::(error|warning|notice) (file|title)=", line)
        ]
        assert forged == [], fmt
    if fmt == "json":  # the text itself is kept, written so that no runner acts on it
        assert "##[error]forged" in json.dumps(json.loads(proc.stdout), ensure_ascii=False)


def test_a_pack_without_rules_is_named_as_not_checked(tmp_path: Path) -> None:
    """Found by a re-trial: a `pack.yaml` with no rule files counted as checked, silently."""
    import shutil

    root = tmp_path / "packs"
    for country in ("sg", "vn"):
        shutil.copytree(ROOT / "rules" / country, root / "rules" / country)
        (root / "countries").mkdir(exist_ok=True)
        shutil.copy(ROOT / "countries" / f"{country}.yaml", root / "countries" / f"{country}.yaml")
    for rule_file in (root / "rules" / "vn").glob("*.yaml"):
        if rule_file.name != "pack.yaml":
            rule_file.unlink()
    args = ["check", str(ROOT / "examples" / "sg-shop-selling-into-vn.yaml"), "--rules-dir", str(root)]
    proc = subprocess.run(
        [sys.executable, "-m", "defa_check", *args, "--fail-on", "never"], capture_output=True, text=True
    )
    assert "no pack (or no rules) for VN" in proc.stdout, proc.stdout  # the console report's Notices


def test_a_report_never_replaces_the_settings_file_it_read(tmp_path: Path) -> None:
    """Found by a re-trial: `-o` could name the settings file the run had read."""
    import shutil

    shutil.copy(ROOT / "examples" / "sg-shop-selling-into-vn.yaml", tmp_path / "m.yaml")
    settings = tmp_path / ".defa-check.yaml"
    settings.write_text("manifests: [m.yaml]\nfail_on: never\n")
    before = settings.read_bytes()
    for extra in ([], ["--config", str(settings)]):
        args = ["check", *extra, "-f", "json", "-o", str(settings), "--force"]
        proc = subprocess.run(
            [sys.executable, "-m", "defa_check", *args], cwd=tmp_path, capture_output=True, text=True
        )
        assert proc.returncode == 2 and "is an input of the run" in proc.stderr, proc.stderr
        assert settings.read_bytes() == before


def test_markup_in_a_saved_reports_rule_fields_is_shown_as_text(tmp_path: Path) -> None:
    """A tampered (or future) saved report's topic, id or country is text, never console markup."""
    _, data = saved_report(tmp_path)
    rules = data["rules"]
    assert isinstance(rules, dict)
    for rule in rules.values():
        rule["topic"] = "[/bold] [red]x"
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps(data))
    for extra in ((), ("--all",)):
        code, out, err = run("report", str(odd), *extra)
        assert code == 0, err
        assert "[/bold] [red]x" in out
