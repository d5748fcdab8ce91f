"""The bundled packs: clean under lint, and every rule's examples give their expected status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from defa_check.model import ASEAN_MEMBERS, TOPICS
from defa_check.packs.loader import Catalog, lint_topics, load_catalog
from defa_check.workflows.rule_examples import run_example

_CATALOG = load_catalog()
_CASES = [
    pytest.param(rule, example, id=f"{rule.id}::{example.name}")
    for rule in sorted(_CATALOG.rules, key=lambda r: r.id)
    for example in rule.examples
]


def test_bundled_packs_lint_clean(bundled_catalog: Catalog) -> None:
    assert [str(p) for p in (*bundled_catalog.problems, *lint_topics(bundled_catalog))] == []


def test_every_pack_has_a_profile_and_rules(bundled_catalog: Catalog) -> None:
    assert set(bundled_catalog.packs) <= set(bundled_catalog.profiles)
    for country in bundled_catalog.packs:
        assert bundled_catalog.by_country.get(country), f"{country} has no rules"


def test_every_profile_states_a_position_on_every_topic(bundled_catalog: Catalog) -> None:
    for profile in bundled_catalog.profiles.values():
        assert set(profile.data["topics"]) == set(TOPICS), profile.code


def test_every_rule_is_cited_and_dated(bundled_catalog: Catalog) -> None:
    for rule in bundled_catalog.rules:
        assert rule.citation.instrument and rule.citation.provision, rule.id
        assert rule.citation.url.startswith(("https://", "http://")), rule.id
        if rule.draft:
            assert rule.note, f"draft {rule.id} needs a note on where the draft stands"
        else:
            assert rule.effective_from is not None and rule.effective_from.year >= 1990, rule.id
        if rule.confidence != "high":
            assert rule.note, f"{rule.id} has confidence {rule.confidence} but no note"


@pytest.mark.parametrize(("rule", "example"), _CASES)
def test_rule_example(rule, example) -> None:  # type: ignore[no-untyped-def]
    result = run_example(rule, example, _CATALOG)
    assert result.actual == result.expected, result.detail


def test_rule_catalogue_in_docs_is_generated_from_the_packs(bundled_catalog: Catalog) -> None:
    """docs/rules/ must match the packs: regenerate with `defa-check rules docs`."""
    from defa_check.workflows.ruledocs import render_catalogue

    from .conftest import ROOT

    folder = ROOT / "docs" / "rules"
    pages = render_catalogue(bundled_catalog)
    assert sorted(p.name for p in folder.glob("*.md")) == sorted(pages)
    for name, text in pages.items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"docs/rules/{name} is stale"


def test_all_eleven_member_states_have_a_profile_and_a_pack(bundled_catalog: Catalog) -> None:
    from defa_check.model import ASEAN_MEMBERS

    assert len(ASEAN_MEMBERS) == 11 and "TL" in ASEAN_MEMBERS
    assert set(bundled_catalog.profiles) == ASEAN_MEMBERS
    assert set(bundled_catalog.packs) == ASEAN_MEMBERS
    for code in ASEAN_MEMBERS:
        topics = bundled_catalog.profiles[code].data["topics"]
        assert all(topics[t]["position"] and topics[t]["sources"] for t in TOPICS), code


def test_precompiled_bundle_gives_the_same_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wheel reads packs from _bundled/compiled/ (see hatch_build.py): same rules as the YAML."""
    from defa_check.inputs import bundle as compiled
    from defa_check.inputs import taxonomy

    from .conftest import ROOT

    groups = {
        group: json.loads(compiled.encoded(content))  # as the wheel carries them (hatch_build.py)
        for group, content in compiled.split_data(
            compiled.compile_data(ROOT, ROOT / "defa_check" / "data" / "fideslang")
        ).items()
    }
    assert set(groups) == {c.lower() for c in ASEAN_MEMBERS} | {compiled.TAXONOMY}
    read: list[str] = []

    def bundled(group: str) -> object:
        read.append(group)
        return groups.get(group)

    monkeypatch.setattr(compiled, "bundled", bundled)
    for cached in (taxonomy.data_categories, taxonomy.data_subjects, taxonomy.data_uses):
        cached.cache_clear()
    try:
        assert load_catalog(countries={"SG", "VN"}, validate=False).problems == ()
        assert set(read) == {"sg", "vn", compiled.TAXONOMY}  # only the countries asked for
        fast = load_catalog(validate=False)
        assert (
            taxonomy.data_categories().names
            == taxonomy.Taxonomy(
                taxonomy.parse_keys(
                    (ROOT / "defa_check/data/fideslang/data_categories.yml").read_text(), "data_category"
                )
            ).names
        )
    finally:
        for cached in (taxonomy.data_categories, taxonomy.data_subjects, taxonomy.data_uses):
            cached.cache_clear()
    slow = load_catalog()
    assert fast.problems == () and slow.problems == ()
    assert [(r.id, r.raw) for r in fast.rules] == [(r.id, r.raw) for r in slow.rules]
    # In the same order too: a report lists a profile's scope limits in the order it has them.
    assert json.dumps({c: p.data for c, p in fast.profiles.items()}, default=str) == json.dumps(
        {c: p.data for c, p in slow.profiles.items()}, default=str
    )
    assert fast.packs == slow.packs


def test_rule_sources_are_official_or_say_why_not(bundled_catalog: Catalog) -> None:
    """No mirror or staging host anywhere; a first URL off the official domains is explained in the note."""
    from defa_check.packs.loader import lint_sources

    problems, warnings = lint_sources(bundled_catalog)
    assert [str(p) for p in problems] == []
    assert [str(w) for w in warnings if "say in the note" in w.message] == []
    assert all(p.data.get("official_domains") for p in bundled_catalog.profiles.values())


def test_a_wheel_is_never_built_from_a_profile_that_fails_the_shape_check(tmp_path: Path) -> None:
    """The installed tool skips the shape check for pre-parsed profiles (start-up): the build makes it."""
    from defa_check.inputs.bundle import compile_data

    from .conftest import ROOT

    fideslang = ROOT / "defa_check" / "data" / "fideslang"
    (tmp_path / "rules").mkdir()
    (tmp_path / "countries").mkdir()
    profile = (ROOT / "countries" / "sg.yaml").read_text(encoding="utf-8")
    written = tmp_path / "countries" / "sg.yaml"
    written.write_text(profile, encoding="utf-8")
    assert set(compile_data(tmp_path, fideslang)["files"]) == {"countries/sg.yaml"}
    written.write_text(profile.replace("\ntopics:", "\ntopix:"), encoding="utf-8")
    with pytest.raises(ValueError, match="not a valid country profile"):
        compile_data(tmp_path, fideslang)
