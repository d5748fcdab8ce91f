"""The fideslang taxonomy: data categories, data subjects and data uses.

Data categories derived from the Fides taxonomy (fideslang) by Ethyca, licensed
under CC BY 4.0 (see ``data/fideslang/SOURCE.md``).

Keys are hierarchical and dotted: ``user.contact.email`` is beneath
``user.contact``. The fideslang 3.2 renames are accepted as aliases of the
shipped 3.1 keys, so manifests written for either version work.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from defa_check.records import field, record

CATEGORY_ALIASES: dict[str, str] = {
    "user.biometrics": "user.biometric",
    "user.children": "user.childrens",
    "user.health": "user.health_and_medical",
    "user.health.genetic": "user.health_and_medical.genetic",
    "user.social_activity": "user.social",
    "user.professional_information": "user.workplace",
    "user.professional_information.job_title": "user.job_title",
    "user.professional_information.workplace": "user.workplace",
    "user.location.coarse": "user.location.imprecise",
    "user.contact.social_url": "user.contact.url",
}
"""fideslang 3.2 key -> the 3.1 key shipped here (and by fideslang 3.1.x releases)."""


def parse_keys(text: str, section: str) -> dict[str, str]:
    """Key -> display name from a fideslang data file."""
    import yaml  # an installed wheel reads the taxonomy pre-parsed, without PyYAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries = yaml.load(text, Loader=loader)[section]
    return {e["fides_key"]: e.get("name") or e["fides_key"] for e in entries}


def _load_keys(filename: str, section: str) -> dict[str, str]:
    from defa_check.inputs.bundle import PACKAGE, bundled_taxonomy

    keys = bundled_taxonomy(filename)
    if keys is not None:
        return keys
    return parse_keys((PACKAGE / "data" / "fideslang" / filename).read_text("utf-8"), section)


@record
class Taxonomy:
    """A set of hierarchical keys with aliases and user extensions."""

    names: dict[str, str]
    aliases: dict[str, str] = field(default_factory=dict)

    def canonical(self, key: str) -> str | None:
        """The shipped key for ``key`` (resolving aliases), or None if unknown."""
        if key in self.names:
            return key
        alias = self.aliases.get(key)
        if alias is not None:
            return alias
        # An alias may be a prefix of a longer key (user.health.genetic.x).
        for old, new in self.aliases.items():
            if key.startswith(old + ".") and new + key[len(old) :] in self.names:
                return new + key[len(old) :]
        return None

    @property
    def all_keys(self) -> list[str]:
        """Every key a user may write: shipped keys and aliases (the did-you-mean pool)."""
        return list(self.names) + list(self.aliases)

    def extended(self, keys: Iterable[str]) -> Taxonomy:
        """A copy with user-defined keys (each beneath a known parent) added."""
        names = dict(self.names)
        for key in keys:
            names[key] = key
        return Taxonomy(names, self.aliases)

    def parent_known(self, key: str) -> bool:
        parent = key.rpartition(".")[0]
        return bool(parent) and self.canonical(parent) is not None


def is_under(key: str, ancestor: str) -> bool:
    """True if ``key`` equals ``ancestor`` or is beneath it."""
    return key == ancestor or key.startswith(ancestor + ".")


def match_categories(declared: Iterable[str], wanted: Iterable[str]) -> bool | None:
    """Three-valued match of declared categories against a rule's keys.

    True if a declared key equals or is beneath a wanted key; None (unknown)
    if a declared key is only an *ancestor* of a wanted key (``user`` declared,
    ``user.biometric`` wanted: the data may or may not include it); else False.
    """
    wanted = tuple(wanted)
    unknown = False
    for key in declared:
        for target in wanted:
            if is_under(key, target):
                return True
            if is_under(target, key):
                unknown = True
    return None if unknown else False


@functools.lru_cache(maxsize=65536)
def match_categories_cached(declared: tuple[str, ...], wanted: tuple[str, ...]) -> bool | None:
    """:func:`match_categories` memoised: large manifests repeat the same category lists."""
    return match_categories(declared, wanted)


@functools.lru_cache(maxsize=1)
def data_categories() -> Taxonomy:
    return Taxonomy(_load_keys("data_categories.yml", "data_category"), CATEGORY_ALIASES)


@functools.lru_cache(maxsize=1)
def data_subjects() -> Taxonomy:
    return Taxonomy(_load_keys("data_subjects.yml", "data_subject"))


@functools.lru_cache(maxsize=1)
def data_uses() -> Taxonomy:
    return Taxonomy(_load_keys("data_uses.yml", "data_use"))
