"""The loader: YAML 1.1 surprises, duplicate keys, aliases, located errors."""

from __future__ import annotations

from pathlib import Path

from defa_check import yamlio


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
    assert [str(p) for p in doc.problems] == ["m.yaml:4:3: $: duplicate key 'c': each key may appear once"]


def test_syntax_error_has_line_and_column() -> None:
    doc = yamlio.loads("a: 1\nb: [1, 2\nc: 3\n", "m.yaml")
    assert not doc.ok
    problem = doc.problems[0]
    assert problem.line is not None and problem.line >= 2
    assert problem.message.startswith("invalid YAML")


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
    assert "constructor" in doc.problems[0].message


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
