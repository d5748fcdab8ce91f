"""The console report without colour or width (a pipe, a file, a CI log) is laid out without Rich,
byte for byte as Rich lays it out (issue #20: Rich's import and rendering were most of a small check).

Every comparison renders one report both ways: the public render (the plain sink) and
:func:`render_with_rich`, the path a coloured or width-wrapped report takes, forced on the same
options. Where a test expects the plain sink itself to have done the work it also calls
:func:`render_plain`, which raises ``NeedsRich`` instead of falling back, so a fallback cannot
pass for a match.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from defa_check import records
from defa_check.cli import app
from defa_check.inputs.saved_report import load_report
from defa_check.model import Citation, Report, Status, Subject
from defa_check.render import RenderOptions, console, get_format
from defa_check.render.console import render_plain, render_with_rich
from defa_check.render.escape import rich_markup, terminal
from defa_check.render.plain import STYLES, NeedsRich, shown_text

from .conftest import FIXTURES, ROOT

PROJECT = str(FIXTURES / "project")
AQ = ["--rules-dir", PROJECT, "--as-of", "2026-11-27"]
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("*.yaml"))
SHOWN = [[], ["--all"], ["--show", "pass,not_applicable"], ["--all", "--show", "not_applicable"]]
"""What the console lists beyond what needs action (each `show` status, every requirement)."""
runner = CliRunner()

sys.path.insert(0, str(ROOT / "bench"))
from generate import manifest as generated_manifest  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def no_colour_from_the_environment() -> Iterator[None]:
    """A check writing to a pipe: no colour unless the environment forces it, which it must not here."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("FORCE_COLOR", raising=False)
        patch.delenv("NO_COLOR", raising=False)
        yield


@contextmanager
def through(sink: str) -> Iterator[None]:
    """Render the console report only through the plain sink (falling back to Rich fails the
    test) or only through Rich (as if the plain sink could not lay the report out)."""

    def fell_back(report: Report, options: RenderOptions) -> str:
        raise AssertionError("the plain console report fell back to Rich")

    def cannot(report: Report, options: RenderOptions) -> str:
        raise NeedsRich("forced by the test")

    if sink == "plain":
        with mock.patch.object(console, "render_with_rich", fell_back):
            yield
    else:
        with mock.patch.object(console, "render_plain", cannot):
            yield


def cli_stdout(args: list[str], sink: str, cwd: Path) -> str:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with through(sink):
            result = runner.invoke(app, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


def assert_same_on_both_sinks(args: list[str], cwd: Path = ROOT) -> str:
    plain = cli_stdout(args, "plain", cwd)
    assert plain == cli_stdout(args, "rich", cwd)
    return plain


# ---------------------------------------------------------------- differential, through the CLI


@pytest.mark.parametrize("shown", SHOWN, ids=lambda s: " ".join(s) or "default")
@pytest.mark.parametrize("example", EXAMPLES)
def test_each_example_reads_the_same_on_both_sinks(example: str, shown: list[str]) -> None:
    out = assert_same_on_both_sinks(["check", f"examples/{example}", "--as-of", "2026-11-27", *shown])
    assert "Summary (items per status)\n┏━" in out and out.endswith("\n")
    if "pass" in " ".join(shown):
        assert "\nAlready met (" in out
    if "not_applicable" in " ".join(shown):
        assert "\nDoes not apply (" in out


@pytest.fixture(scope="module")
def every_status(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The every-status manifest (fail, needs info, review, pass, not applicable, upcoming and draft
    rules) with a waiver and a baseline made before the flow `unknown`, and its saved report."""
    folder = tmp_path_factory.mktemp("every-status")
    shutil.copy(FIXTURES / "manifests" / "aq-every-status.yaml", folder / "flows.yaml")
    waiver = {
        "rule": "AQ-TRANSFER-*",
        "flow": "out",
        "justification": "Contract clauses signed 2026-10-01; upload pending.",
        "approved_by": "DPO, A. Tan",
        "expires": "2027-01-31",
    }
    (folder / "waivers.yaml").write_text(yaml.safe_dump({"waivers": [waiver]}), encoding="utf-8")
    earlier = yaml.safe_load((folder / "flows.yaml").read_text(encoding="utf-8"))
    earlier["flows"] = [f for f in earlier["flows"] if f["id"] != "unknown"]
    (folder / "earlier.yaml").write_text(yaml.safe_dump(earlier, sort_keys=False), encoding="utf-8")
    baseline = ["baseline", "create", "earlier.yaml", "--output", "baseline.json", *AQ]
    cli_stdout(baseline, "plain", folder)
    check = ["check", "flows.yaml", *AQ, "--waivers", "waivers.yaml", "--baseline", "baseline.json"]
    cli_stdout([*check, "--format", "json", "--output", "saved.json"], "plain", folder)
    cli_stdout(
        [*check, "--format", "json", "--include-not-applicable", "--output", "whole.json"], "plain", folder
    )
    return folder


@pytest.mark.parametrize("shown", SHOWN, ids=lambda s: " ".join(s) or "default")
def test_waivers_baseline_and_every_status_read_the_same_on_both_sinks(
    every_status: Path, shown: list[str]
) -> None:
    check = ["check", "flows.yaml", *AQ, "--waivers", "waivers.yaml", "--baseline", "baseline.json"]
    out = assert_same_on_both_sinks([*check, *shown], every_status)
    assert "\nWaived (" in out and "(in the baseline)" in out
    assert "\nTo confirm with counsel (" in out and "\nComing into force (" in out
    assert "\nPending developments" in out


@pytest.mark.parametrize("shown", SHOWN, ids=lambda s: " ".join(s) or "default")
def test_a_saved_report_reads_the_same_on_both_sinks(every_status: Path, shown: list[str]) -> None:
    """`report`: not-applicable findings only counted, not listed (the summary and 'Does not apply')."""
    assert_same_on_both_sinks(["report", "saved.json", *shown], every_status)


@pytest.mark.parametrize("flows", [40, 600])
def test_a_generated_manifest_reads_the_same_on_both_sinks(tmp_path: Path, flows: int) -> None:
    (tmp_path / "flows.yaml").write_text(yaml.safe_dump(generated_manifest(flows)), encoding="utf-8")
    for shown in (SHOWN[0], ["--all", "--show", "pass,not_applicable"]):
        assert_same_on_both_sinks(["check", "flows.yaml", "--as-of", "2026-11-29", *shown], tmp_path)


def test_the_test_pack_manifest_and_an_output_file_read_the_same_on_both_sinks(tmp_path: Path) -> None:
    """A report written with --output is not coloured either (the `.txt` of `-o report.txt`)."""
    small = str(FIXTURES / "manifests" / "aq-small.yaml")
    assert_same_on_both_sinks(["check", small, *AQ])
    written = {}
    for sink in ("plain", "rich"):
        cli_stdout(["check", small, *AQ, "-o", f"{sink}.txt"], sink, tmp_path)
        written[sink] = (tmp_path / f"{sink}.txt").read_bytes()
    assert written["plain"] == written["rich"] and written["plain"].startswith(b"defa-check report")


# ---------------------------------------------------------------- differential, through render()


def saved_report(path: Path) -> Report:
    report, problems = load_report(path)
    assert report is not None and not problems
    return report


@pytest.fixture(scope="module")
def whole(every_status: Path) -> Report:
    """The report to alter: with a waiver and a baseline, every finding listed."""
    return saved_report(every_status / "whole.json")


@pytest.fixture(scope="module")
def counted(every_status: Path) -> Report:
    """The same report as `check` saves it by default: not-applicable findings only counted."""
    return saved_report(every_status / "saved.json")


OPTIONS = [
    RenderOptions(),
    RenderOptions(limit=1),  # "… and N more"
    RenderOptions(limit=None, show=frozenset({Status.PASS})),
    RenderOptions(limit=0, show=frozenset({Status.NOT_APPLICABLE})),
]


def assert_render_matches_rich(report: Report, options: RenderOptions, *, by_plain_sink: bool) -> None:
    """The public render equals Rich's, whatever Rich does (text or an error); with ``by_plain_sink``
    the plain sink must have produced it itself."""
    expected = outcome(lambda: render_with_rich(report, options))
    assert outcome(lambda: get_format("console").render(report, options)) == expected
    if by_plain_sink:
        assert render_plain(report, options) == expected
    else:  # where the plain sink says it can, it must be right
        try:
            plain = render_plain(report, options)
        except NeedsRich:
            return
        assert plain == expected


def outcome(render: Callable[[], str]) -> str:
    try:
        return render()
    except Exception as error:  # Rich refusing markup is an outcome to compare too
        return f"raised {type(error).__name__}"


@pytest.mark.parametrize("options", OPTIONS, ids=["default", "limit 1", "all, pass", "limit 0, n/a"])
@pytest.mark.parametrize("name", ["whole", "counted"])
def test_limits_and_counted_findings_read_the_same_on_both_sinks(
    request: pytest.FixtureRequest, name: str, options: RenderOptions
) -> None:
    assert_render_matches_rich(request.getfixturevalue(name), options, by_plain_sink=True)


def test_a_table_with_counts_wider_than_their_headers_aligns_as_rich_does(whole: Report) -> None:
    """Five-digit counts (10,000 flows): the header is right-aligned over them, as every count."""
    passed = next(f for f in whole.findings if f.status is Status.PASS and not f.upcoming)
    # One finding many times over: only the counts matter here.
    report = records.replace(whole, findings=(*whole.findings, *[passed] * 12_345))
    out = get_format("console").render(report)
    assert "┃  pass ┃" in out and "│ 123" in out
    assert_render_matches_rich(report, RenderOptions(), by_plain_sink=True)


def test_on_windows_the_console_report_goes_through_rich(
    whole: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """There Rich draws the table with other box characters when standard output is not a VT
    console (its legacy-Windows check), which the plain sink does not imitate."""
    monkeypatch.setattr(console.sys, "platform", "win32")
    with through("plain"), pytest.raises(AssertionError, match="fell back to Rich"):
        get_format("console").render(whole)


# ---------------------------------------------------------------- hostile and unusual text

FRAGMENTS = [
    "[",
    "]",
    "\\",
    "\\\\",
    "[bold]",
    "[/bold]",
    "[/]",
    "[dim]x[/dim]",
    "[link=https://example.com]here[/link]",
    "\\[bold]",
    "\\\\[dim]",
    "\\\\\\[red]",
    "[@click]",
    "[/bold red]",
    "[1]",
    "\\[1]",
    "[#ff0000]",
    "\t",
    "\x1b[31m",
    "\x00",
    "\x07\x08\x0b\x0c\r",
    "\n",
    "\u0085\u2028\u2029",
    "\u202e",
    "::error::",
    "##[group]",
    "中文名字",
    "😀",
    "👩‍💻",
    "\u200d",
    "\ufe0f",
    "e\u0301",
    "  ",
    "ｗｉｄｅ",
]
LONG = ["x" * 2500, "\x01" * 1500, "中" * 2100, "\u202e" * 2100, "[b]" * 900]
"""Lines near and past Rich's 10,000-column canvas: ASCII the plain sink measures, wide and
escaped text it leaves to Rich (which crops an indented line)."""

LEFT_TO_RICH = ("\t", "\u200d", "\ufe0f")
"""Characters whose layout the plain sink leaves to Rich: a tab (Rich's tab stops), a zero-width
joiner and variation selector 16 (Rich's measure of a line is then not the sum of its parts)."""

any_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=6).map("".join),
    st.text(max_size=40),
    st.sampled_from(LONG),
)
plain_text = st.lists(
    st.one_of(
        st.sampled_from([f for f in FRAGMENTS if not any(c in f for c in LEFT_TO_RICH)]),
        st.text(st.characters(exclude_characters=LEFT_TO_RICH), max_size=6),
    ),
    max_size=6,
).map("".join)
"""Input text the plain sink lays out itself."""


def altered(report: Report, data: st.DataObject, texts: st.SearchStrategy[str], titled: str = "") -> Report:
    """The report with its input text (everything the writer escapes) replaced by a few drawn
    texts, each used in many places; ``titled`` starts each title and message."""
    pool = data.draw(st.lists(texts, min_size=1, max_size=4))

    def text() -> str:
        return data.draw(st.sampled_from(pool))

    findings = []
    for finding in report.findings:
        waiver = finding.waiver
        if waiver is not None:
            waiver = records.replace(waiver, justification=text(), approved_by=text())
        findings.append(
            records.replace(
                finding,
                rule=records.replace(
                    finding.rule,
                    title=titled + text(),
                    remediation=text(),
                    citation=Citation(text(), text(), text()),
                ),
                message=titled + text(),
                subject=Subject(finding.subject.kind, text(), name=text(), count=finding.subject.count),
                why=(text(),),
                evidence=(text(), text()),
                waiver=waiver,
            )
        )
    return records.replace(
        report, organization=text(), manifest_path=text(), notices=(text(), text()), findings=tuple(findings)
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_input_text_reads_the_same_on_both_sinks(whole: Report, data: st.DataObject) -> None:
    """Names, notes, file names, titles, messages, citations and waivers holding markup, escapes,
    backslashes before brackets, control characters, tabs, wide characters, emoji and very long
    text: the report reads as Rich writes it, whether the plain sink lays it out or leaves it to Rich."""
    report = altered(whole, data, any_text)
    assert_render_matches_rich(report, data.draw(st.sampled_from(OPTIONS)), by_plain_sink=False)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_input_text_the_plain_sink_lays_out_itself(whole: Report, data: st.DataObject) -> None:
    """The same without tabs, joiners and text too long for the canvas, and with titles and
    messages that show at least one character Rich measures (so it does not leave the line
    out): the plain sink must write it itself, as Rich does."""
    report = altered(whole, data, plain_text, titled="Rule ")
    assert_render_matches_rich(report, data.draw(st.sampled_from(OPTIONS)), by_plain_sink=True)


@pytest.mark.parametrize(
    "name",
    [
        "Acme [bold]Ltd[/bold] \\[x] \\\\[dim] [link=https://e.example]x[/link] [/] \\",
        "中文 😀 ｗｉｄｅ e\u0301 한국어 ภาษาไทย",
        "\x1b[31mred\x1b[0m \x00 \r\n \u202e ::error:: ##[group]",
        "x" * 2500,  # shortened to 2,000 and a note
        "\x01" * 1500,  # shown as 6,000 columns of escapes: measured, within the canvas
    ],
    ids=["markup", "wide", "controls", "long", "long escapes"],
)
def test_the_plain_sink_itself_lays_out_escaped_names(whole: Report, name: str) -> None:
    report = records.replace(whole, organization=name, notices=(name,))
    assert_render_matches_rich(report, RenderOptions(), by_plain_sink=True)


def with_tab(report: Report) -> Report:
    return records.replace(report, organization="Acme\tLtd")


def with_titles(title: str) -> Callable[[Report], Report]:
    def alter(report: Report) -> Report:
        return records.replace(
            report,
            findings=tuple(
                records.replace(f, rule=records.replace(f.rule, title=title)) for f in report.findings
            ),
        )

    alter.__name__ = f"with_titles({title[:12]!r})"
    return alter


def with_wide_text_past_the_canvas(report: Report) -> Report:
    """The line of a waiver: subject, justification and approver, 2,000 two-column characters each."""
    wide = "中" * 2100
    findings = [
        records.replace(
            f,
            subject=Subject(f.subject.kind, wide),
            waiver=records.replace(f.waiver, justification=wide, approved_by=wide),
        )
        if f.waiver
        else f
        for f in report.findings
    ]
    return records.replace(report, findings=tuple(findings))


@pytest.mark.parametrize(
    "alter",
    [
        with_tab,
        with_titles("\u202e" * 2100),  # 2,000 shown escapes (\\u202e, six columns each): cropped
        with_wide_text_past_the_canvas,  # cropped
        with_titles("\u0301"),  # a combining accent alone: zero cells, the line left out
        with_titles("中文名字"),  # no character whose width is the same in every Unicode version
        with_titles("Team 👩\u200d💻"),  # a joiner: Rich measures the line at less than its parts
        with_titles("x\u200d"),  # ... and crops what follows the title on the recap line
    ],
    ids=lambda alter: alter.__name__,
)
def test_what_only_rich_lays_out_is_left_to_rich(whole: Report, alter: Callable[[Report], Report]) -> None:
    """A tab (Rich's tab stops), an indented line past the canvas (Rich crops it by cell width)
    or measured other than the plain sink would (left out, or cropped)."""
    report = alter(whole)
    with pytest.raises(NeedsRich):
        render_plain(report, RenderOptions())
    assert_render_matches_rich(report, RenderOptions(), by_plain_sink=False)


@pytest.mark.parametrize(
    "topic",
    [
        "[link=https://e.example]transfer[/link]",
        "[/bold]",
        "[/]",
        "[@click]x[/@click]",
        "[bold]x",
        "[italic]x[/]",
    ],
)
def test_markup_the_writer_does_not_escape_is_left_to_rich(whole: Report, topic: str) -> None:
    """A saved report's topic and country are printed as they are: whatever Rich makes of markup
    there (a style, a link, a refusal), the plain console report does the same."""
    findings = tuple(records.replace(f, rule=records.replace(f.rule, topic=topic)) for f in whole.findings)
    assert_render_matches_rich(
        records.replace(whole, findings=findings), RenderOptions(), by_plain_sink=False
    )
    countries = (*whole.countries, topic, "中国")
    assert_render_matches_rich(
        records.replace(whole, countries=countries), RenderOptions(), by_plain_sink=False
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=8).map("".join))
def test_the_escaper_and_shown_text_agree_with_rich(text: str) -> None:
    """rich_markup is Rich's markup escape written out (so the plain report need not import Rich);
    for the writer's own tags around escaped input, shown_text is the text Rich shows."""
    from rich.markup import escape, render

    assert rich_markup(text) == escape(terminal(text, limit=2000))
    for style in sorted(STYLES):
        markup = f"[{style}]{rich_markup(text)}[/{style}] {rich_markup(text)}"
        assert shown_text(markup) == render(markup, emoji=False).plain


def test_the_writer_styles_are_as_rich_normalises_them() -> None:
    """An open and a close tag match for the plain sink exactly when they match for Rich."""
    from rich.style import Style

    assert all(Style.normalize(style) == style for style in STYLES)


# ---------------------------------------------------------------- Rich is not imported


def run_python(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


RENDER = """
import datetime as dt
import sys
from defa_check.evaluate.document import check_file
from defa_check.packs.loader import load_catalog
from defa_check.render import RenderOptions, get_format
report = check_file("examples/sg-shop-selling-into-vn.yaml", load_catalog(), dt.date(2026, 11, 27)).report
text = get_format("console").render(report, RenderOptions({options}))
print(len(text) > 1000, sorted({{m.split(".")[0] for m in sys.modules if m.split(".")[0] == "rich"}}))
"""


def test_the_plain_console_report_does_not_import_rich() -> None:
    assert run_python(RENDER.format(options="")) == "True []"


@pytest.mark.parametrize("options", ["color=True", "width=80"])
def test_colour_and_a_width_still_use_rich(options: str) -> None:
    assert run_python(RENDER.format(options=options)) == "True ['rich']"


def test_a_check_on_a_pipe_imports_no_rich() -> None:
    """The whole command: `defa-check check examples/...` with its output read by another program."""
    # Read at exit: the console script ends the process itself once its output is flushed,
    # unless something is registered to run at exit, as this is.
    code = (
        "import atexit, runpy, sys\n"
        "rich = lambda: sorted(m for m in sys.modules if m.split('.')[0] == 'rich')\n"
        "atexit.register(lambda: sys.stderr.write(repr(rich())))\n"
        "sys.argv = ['defa-check', 'check', 'examples/sg-shop-selling-into-vn.yaml', '--fail-on', 'never']\n"
        "runpy.run_module('defa_check', run_name='__main__')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.stdout.startswith("defa-check report — ") and "┏━" in done.stdout
    assert done.stderr.endswith("[]"), done.stderr[-500:]
