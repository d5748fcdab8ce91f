"""The loader: YAML 1.1 surprises, duplicate keys, aliases, located errors."""

from __future__ import annotations

from pathlib import Path

from defa_check.inputs import source as yamlio


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
        "m.yaml:4:3: $: duplicate key 'c': each key may appear once [duplicate-key]"
    ]


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
        f"{bad}:2:31: $: invalid JSON: expected a key in double quotes [syntax]"
    ]
    dup = tmp_path / "dup.json"
    dup.write_text('{"a": 1,\n "a": 2}')
    assert "duplicate key 'a'" in yamlio.load(dup).problems[0].message
    assert yamlio.load(dup).problems[0].code == "duplicate-key"
