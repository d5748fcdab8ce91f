"""The loader: YAML 1.1 surprises, duplicate keys, aliases, located errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from defa_check.inputs import source as yamlio
from defa_check.inputs import yaml_reader


def test_norway_stays_a_country_and_dates_stay_strings() -> None:
    doc = yamlio.loads(
        "to: NO\nyes_word: yes\non_word: on\nday: 2026-01-01\nflag: true\nn: 12\nx: 1.5\nz: null\n"
    )
    assert doc.data == {
        "to": "NO",
        "yes_word": "yes",
        "on_word": "on",
        "day": "2026-01-01",
        "flag": True,
        "n": 12,
        "x": 1.5,
        "z": None,
    }


def test_duplicate_keys_are_located_problems() -> None:
    doc = yamlio.loads("a: 1\nb:\n  c: 1\n  c: 2\n", "m.yaml")
    assert [str(p) for p in doc.problems] == [
        "m.yaml:4:3: $.b.c: duplicate key 'c': each key may appear once (the first is on line 3) "
        "[duplicate-key]"
    ]
    # Deeper, in a list, and twice (a user trial met `$` for a key in the 15,000th flow).
    doc = yamlio.loads("flows:\n  - id: a\n  - id: b\n    to: VN\n    to: TH\ntop: 1\ntop: 2\n", "m.yaml")
    assert [(p.line, p.json_path, p.hint) for p in doc.problems] == [
        (5, "$.flows[1].to", "the first is on line 4"),
        (7, "$.top", "the first is on line 6"),
    ]
    doc = yamlio.loads("a: {x: 1, 'x': 2}\n", "m.yaml")  # quoted or not, the same key
    assert [(p.line, p.column, p.hint) for p in doc.problems] == [
        (1, 11, "the first is earlier on this line")
    ]


def test_syntax_error_has_line_and_column() -> None:
    doc = yamlio.loads("a: 1\nb: [1, 2\nc: 3\n", "m.yaml")
    assert not doc.ok
    problem = doc.problems[0]
    assert problem.line is not None and problem.line >= 2
    assert problem.message.startswith("invalid YAML")


@pytest.mark.parametrize(
    ("text", "where", "said", "hint"),
    [
        ("a:\n\tb: 1\n", (2, 1), "a tab indents this line; YAML indents with spaces only", "replace the tab"),
        ("flows:\n  - id: a\n\t  from: SG\n", (3, 1), "a tab indents this line", "replace the tab"),
        (
            "flows:\n  - id: a\n    from: SG\n   - id: b\n",
            (4, 4),
            "this line is indented differently from the lines above it",
            "start in the same column",
        ),
        (
            "organization:\n  name: X\n home_country: SG\n",
            (3, 2),
            "this line is indented differently from the lines above it",
            "start in the same column",
        ),
        ("organization:\n  name: X: Y\n", (2, 10), "a ':' where no new field can start", "in quotes"),
        (
            "organization:\n  sectors: &s [ecommerce]\n  establishments: &s [SG]\n",
            (3, 19),
            "the anchor '&s' is defined twice: first on line 2, column 12",
            "if nothing repeats it with '*s'",
        ),
        (
            "manifest_version: 1\n---\nmanifest_version: 2\n",
            (2, 1),
            "a second document starts here, and a manifest is one document",
            "remove this '---' line",
        ),
        ("a: [1, 2\nb: 3\n", None, "while parsing a flow sequence", None),  # any other: PyYAML's words
    ],
)
def test_a_yaml_syntax_error_is_said_in_words_a_newcomer_can_act_on(
    text: str, where: tuple[int, int] | None, said: str, hint: str | None
) -> None:
    """A newcomer's tab or misindented line was answered in PyYAML's words ("found character that
    cannot start any token", "did not find expected '-' indicator") with a `$:` before them."""
    [problem] = yamlio.loads(text, "m.yaml").problems
    assert problem.message.startswith(f"invalid YAML: {said}"), problem
    assert (problem.line, problem.column) == where or where is None
    assert (hint in (problem.hint or "")) if hint else problem.hint is None
    assert str(problem).startswith(f"m.yaml:{problem.line}:{problem.column}: invalid YAML: ")  # no `$:`


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    doc = yamlio.loads("\n".join(lines) + "\n")
    assert doc.data is None
    assert "aliases expand" in doc.problems[0].message


def test_small_aliases_are_fine() -> None:
    doc = yamlio.loads("base: &b [SG, VN]\nother: *b\n")
    assert doc.ok and doc.data["other"] == ["SG", "VN"]


def test_python_tags_are_not_executed() -> None:
    doc = yamlio.loads("a: !!python/object/apply:os.system ['echo hi']\n")
    assert not doc.ok
    assert "tag !!python/object/apply:os.system is not allowed" in doc.problems[0].message
    assert (doc.problems[0].line, doc.problems[0].column) == (1, 4)


def test_locate_points_at_items_and_keys() -> None:
    text = "flows:\n  - id: a\n    from: SG\n  - id: b\n    from: VN\n"
    doc = yamlio.loads(text, "m.yaml")
    assert str(doc.locate(["flows", 1])) == "m.yaml:4:5"
    assert str(doc.locate(["flows", 1, "from"])) == "m.yaml:5:5"
    assert str(doc.locate(["flows", 7])) == "m.yaml:1:1"


def test_missing_file_and_binary_file(tmp_path: Path) -> None:
    assert yamlio.load(tmp_path / "nope.yaml").problems[0].message == "no such file"
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert "not UTF-8" in yamlio.load(binary).problems[0].message
    assert "directory" in yamlio.load(tmp_path).problems[0].message


def test_json_is_accepted() -> None:
    doc = yamlio.loads('{"manifest_version": 1, "organization": {"name": "X", "home_country": "NO"}}')
    assert doc.ok and doc.data["organization"]["home_country"] == "NO"


def test_json_manifests_use_the_fast_path_with_positions(tmp_path: Path) -> None:
    import json

    data = {
        "manifest_version": 1,
        "organization": {"name": "X", "home_country": "NO"},
        "flows": [{"id": "a", "from": "SG", "to": "VN"}, {"id": "b", "from": "VN", "to": "SG"}],
    }
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data, indent=2))
    doc = yamlio.load(path)
    assert doc.ok and doc.approximate and doc.data == data
    assert str(doc.locate(["flows", 1])) == f"{path}:13:5"
    assert str(doc.locate(["organization"])) == f"{path}:3:3"


def test_json_errors_are_located_as_precisely_as_yaml(tmp_path: Path) -> None:
    from defa_check.inputs.manifest import validate_manifest

    text = (
        '{\n  "manifest_version": 1,\n  "organization": {"name": "X", "home_country": "SG"},\n'
        '  "flows": [\n    {"id": "a", "from": "SG", "to": "VN"},\n'
        '    {"id": "b", "from": "VM", "to": "SG"}\n  ]\n}\n'
    )
    json_path, yaml_path = tmp_path / "m.json", tmp_path / "m.yaml"
    json_path.write_text(text)
    yaml_path.write_text(text)
    from_json = [str(p).split(":", 1)[1] for p in validate_manifest(yamlio.load(json_path))]
    from_yaml = [str(p).split(":", 1)[1] for p in validate_manifest(yamlio.load(yaml_path))]
    assert (
        from_json
        == from_yaml
        == [
            "6:17: $.flows[1].from: 'VM' is not an ISO 3166-1 alpha-2 country code "
            "(did you mean 'VN' or 'MM'?) [unknown-value]"
        ]
    )


def test_json_syntax_errors_and_duplicates(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"manifest_version": 1,\n "organization": {"name": "X",}}')
    assert [str(p) for p in yamlio.load(bad).problems] == [
        f"{bad}:2:30: invalid JSON: a comma before '}}' (JSON allows no trailing comma) [syntax]"
    ]
    dup = tmp_path / "dup.json"
    dup.write_text('{"a": 1,\n "a": 2}')
    assert "duplicate key 'a'" in yamlio.load(dup).problems[0].message
    assert yamlio.load(dup).problems[0].code == "duplicate-key"
    dup.write_text('{"flows": [{"id": "a"},\n {"id": "b", "to": "VN",\n "to": "TH"}], "top": 1, "top": 2}')
    assert [(p.line, p.json_path, p.hint) for p in yamlio.load(dup).problems] == [
        (3, "$.flows[1].to", "the first is on line 2"),
        (3, "$.top", "the first is earlier on this line"),
    ]


@pytest.mark.parametrize(
    ("text", "at", "words"),
    [
        ('{"manifest_version": 1, "flows": [],\n}', (1, 36), "a comma before '}'"),  # the last member
        (
            '{"manifest_version": 1, "flows": [{"id": "a"},\n]}',
            (1, 46),
            "a comma before ']'",
        ),  # the last item
        ('{"systems": [{"id": "a"}, {"id": "b"}, ], "flows": []}', (1, 38), "a comma before ']'"),
        ('{"organization": {"name": "X",}}', (1, 30), "a comma before '}'"),
        ('{"markets": [,]}', (1, 14), "expected a value"),
    ],
)
def test_a_trailing_comma_in_json_is_a_located_syntax_error(
    text: str, at: tuple[int, int], words: str
) -> None:
    # The fast reader of the top level and the item lists took these (a user trial); json.loads does not.
    import json

    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    problems = yamlio.loads_json(text, "m.json").problems
    assert problems == yamlio.loads_json_exact(text, "m.json").problems
    assert [(p.code, p.line, p.column) for p in problems] == [("syntax", *at)]
    assert words in problems[0].message


# --- a mapping past MAX_KEYS, refused before the parser builds it (issue #21) ----------------------


def _keys(n: int, line: str, start: int = 0) -> str:
    return "".join(line.format(i=i) for i in range(start, n))


def _wide(layout: str, n: int) -> str:
    """A text whose one mapping has ``n`` keys, written in ``layout``."""
    import json

    return {
        "block": lambda: "manifest_version: 1\norganization:\n" + _keys(n, "  k{i}: {i}\n"),
        "top-level": lambda: _keys(n, "k{i}: {i}\n"),
        "nested-values": lambda: "organization:\n" + _keys(n, "  k{i}:\n    a: 1\n    b: [1, 2]\n"),
        "deep-values": lambda: "organization:\n" + _keys(n, "  k{i}:\n    a:\n      b:\n        c: 1\n"),
        "lists-at-the-key-indent": lambda: "organization:\n" + _keys(n, "  k{i}:\n  - x\n"),
        "comments-and-blanks": lambda: "organization:\n" + _keys(n, "  # note\n\n  k{i}: {i}  # x\n"),
        "quoted-keys": lambda: "organization:\n" + _keys(n, "  \"k {i}\": 'v'\n"),
        "windows-lines": lambda: ("organization:\n" + _keys(n, "  k{i}: {i}\n")).replace("\n", "\r\n"),
        "first-key-after-a-dash": lambda: "flows:\n- " + _keys(n, "  k{i}: {i}\n")[2:],
        "flow": lambda: "organization: {" + ", ".join(f"k{i}: v{i}" for i in range(n)) + "}\n",
        "json-text": lambda: json.dumps({"organization": {f"k{i}": i for i in range(n)}}),
        "json-text-indented": lambda: json.dumps({"organization": {f"k{i}": i for i in range(n)}}, indent=2),
        "json-nested-values": lambda: json.dumps(
            {"o": {f"k{i}": {"a": [i, "x"], "b": {}} for i in range(n)}}
        ),
        "after-many-flows": lambda: (
            "flows:\n"
            + _keys(3000, "- id: f{i}\n  from: SG\n  data_categories: [user.name]\n")
            + "organization:\n"
            + _keys(n, "  k{i}: {i}\n")
        ),
        "alias-key": lambda: "organization:\n  &a k0: 0\n" + _keys(n - 1, "  k{i}: {i}\n", 1) + "  *a : 1\n",
    }[layout]()


WIDE_LAYOUTS = [
    "block",
    "top-level",
    "nested-values",
    "deep-values",
    "lists-at-the-key-indent",
    "comments-and-blanks",
    "quoted-keys",
    "windows-lines",
    "first-key-after-a-dash",
    "flow",
    "json-text",
    "json-text-indented",
    "json-nested-values",
    "after-many-flows",
    "alias-key",
]


@pytest.mark.parametrize("layout", WIDE_LAYOUTS)
def test_a_mapping_past_the_key_limit_is_refused_before_it_is_built(
    layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _wide(layout, yamlio.MAX_KEYS + 5)
    built = yaml_reader.parse(text, "m.yaml", True)  # what the constructor says once everything is built
    assert [p.message for p in built.problems] == ["invalid YAML: more than 10,000 keys in one mapping"]

    def not_parsed(*args: object) -> object:
        raise AssertionError("parsed whole")

    monkeypatch.setattr(yaml_reader, "parse", not_parsed)
    refused = yamlio.loads(text, "m.yaml")
    assert refused.problems == built.problems  # the same words, at the same key (the 10,001st)


@pytest.mark.parametrize("layout", ["block", "nested-values", "flow", "json-text", "alias-key"])
def test_a_mapping_at_the_key_limit_is_read(layout: str) -> None:
    text = _wide(layout, yamlio.MAX_KEYS)
    doc, built = yamlio.loads(text, "m.yaml"), yaml_reader.parse(text, "m.yaml", True)
    assert doc.data == built.data and doc.problems == built.problems  # (the alias key is a duplicate)
    widest = max(len(value) for value in doc.data.values() if isinstance(value, dict))
    assert widest == yamlio.MAX_KEYS - (layout == "alias-key")


def test_text_that_only_looks_like_keys_is_not_refused() -> None:
    literal = "organization:\n  description: |\n" + _keys(yamlio.MAX_KEYS + 5, "    k{i}: {i}\n")
    doc = yamlio.loads(literal, "m.yaml")
    assert doc.ok and doc.data["organization"]["description"].count("\n") == yamlio.MAX_KEYS + 5
    prose = yamlio.loads('note: "a' + ", x: y" * 20_000 + '"\n', "m.yaml")
    assert prose.ok


def test_a_long_but_allowed_mapping_before_a_refused_one_is_read_past() -> None:
    text = (
        "organization:\n  data_subjects_by_country:\n"
        + _keys(3000, "    c{i}: {i}\n")
        + "flows:\n"
        + "- {id: x}\n" * 5000
        + "other:\n"
        + _keys(yamlio.MAX_KEYS + 1, "  k{i}: {i}\n")
    )
    refused = yamlio.loads(text, "m.yaml")
    assert [(p.line, p.column) for p in refused.problems] == [
        (2 + 3000 + 1 + 5000 + 1 + yamlio.MAX_KEYS + 1, 3)
    ]


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [
        ("a: !!set x\n", "", "tag !!set is not allowed"),
        ("2: x\n", "", "a mapping key must be text"),
        ("a: 1.0e999\n", "", "not a finite number"),
        ("a: *nowhere\n", "", "undefined alias"),
        ("base: &b {x: 1}\n", "", "more than 10,000 keys"),  # an anchor is fine
        ("", "other: [\n", "more than 10,000 keys"),  # found before the error further on
    ],
)
def test_a_problem_before_the_wide_mapping_is_reported_as_the_full_load_reports_it(
    before: str, after: str, words: str
) -> None:
    text = before + "organization:\n" + _keys(yamlio.MAX_KEYS + 5, "  k{i}: {i}\n") + after
    problems = yamlio.loads(text, "m.yaml").problems
    assert len(problems) == 1 and words in problems[0].message
    if not after:
        assert problems == yaml_reader.parse(text, "m.yaml", True).problems


@pytest.mark.parametrize("layout", ["json-text", "json-text-indented", "json-nested-values"])
def test_a_json_object_past_the_key_limit_is_refused_before_the_c_reader_builds_it(
    layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _wide(layout, yamlio.MAX_KEYS + 5)
    expected = yamlio.loads_json_exact(text, "m.json").problems
    assert [p.message for p in expected] == ["more than 10,000 keys in one mapping"]
    built: list[int] = []
    bounded = yamlio._bounded_pairs

    def counting(pairs: list[tuple[Any, Any]]) -> Any:
        built.append(len(pairs))
        return bounded(pairs)

    monkeypatch.setattr(yamlio, "_bounded_pairs", counting)
    assert yamlio.loads_json(text, "m.json").problems == expected
    assert max(built, default=0) <= yamlio.MAX_KEYS  # no object past the limit was built whole


def test_json_read_around_a_suspect_place_is_the_same_data() -> None:
    import json

    data = {"a": [1, 22, 333], "b": {"c": "x, y: 1, z", "d": [{"e": 1}, 1e5]}, "f": "ok"}
    text = json.dumps({"root": data}, indent=1)
    for offset in [i for i, char in enumerate(text) if char in ",\n"]:
        doc = yamlio.loads_json_exact(text, "m.json", offset)
        assert doc.ok and doc.data == {"root": data}, offset


@pytest.mark.parametrize("language", ["yaml", "json"])
def test_a_mapping_past_the_key_limit_is_too_complex_in_both_languages(language: str) -> None:
    """The same refusal has the same code whether the file is YAML or JSON (a re-trial saw
    `syntax` for YAML beside `too-complex` for JSON)."""
    import json

    keys = {f"k{i}": i for i in range(yamlio.MAX_KEYS + 5)}
    text = (
        json.dumps({"organization": keys})
        if language == "json"
        else "organization:\n" + "".join(f"  {k}: {v}\n" for k, v in keys.items())
    )
    doc = yamlio.loads_json(text, "m.json") if language == "json" else yamlio.loads(text, "m.yaml")
    assert [p.code for p in doc.problems] == ["too-complex"]
    if language == "yaml":  # nesting beyond the limit is the same kind of refusal
        assert [p.code for p in yamlio.loads(("[" * 300) + ("]" * 300), "d.yaml").problems] == ["too-complex"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize(
    ("raw", "where", "byte"), [(b"a: 1\nb: \xff\n", (2, 4), "ff"), (b"\xffa: 1\n", (1, 1), "ff")]
)
def test_a_byte_that_is_not_utf8_is_located_with_or_without_a_byte_order_mark(
    tmp_path: Path, bom: bytes, raw: bytes, where: tuple[int, int], byte: str
) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(bom + raw)
    problem = yamlio.load(path).problems[0]
    assert (problem.line, problem.column) == where
    assert f"byte 0x{byte}" in problem.message
