"""Did-you-mean: the one place that guesses what the user meant, in one wording.

Field names, country codes, formats, rule ids, topics, taxonomy keys and
interview answers all go through :func:`suggestions`; every message shows them
through :func:`did_you_mean`, so the wording is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from defa_check.model import ASEAN_MEMBERS

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

LONGEST_GUESS = 200
"""Nothing longer is a slip of the keyboard: no guess for it (difflib on 10 MB takes seconds)."""


def suggestions(word: str, choices: Iterable[Any], limit: int = 2) -> list[str]:
    """The known values closest to ``word``, best first (empty when nothing is close)."""
    if len(word) > LONGEST_GUESS:
        return []
    pool = [str(c) for c in choices]
    upper = {c.upper(): c for c in pool}
    if word.upper() in upper:  # case slip: 'vn' for 'VN'
        return [upper[word.upper()]]
    if len(word) == 2 and pool and all(len(c) == 2 for c in pool):
        # Country codes are too short for difflib: suggest codes one letter
        # away, preferring the ASEAN member states this tool is about.
        typed = word.upper()
        near = [c for c in pool if sum(a != b for a, b in zip(c, typed, strict=True)) == 1]
        near.sort(key=lambda c: (c not in ASEAN_MEMBERS, c[0] != typed[0], c))
        return near[:limit]
    import difflib  # here, not at the top: only a mistake needs it, and a valid check skips its import

    return difflib.get_close_matches(word, pool, n=1, cutoff=0.6)


def did_you_mean(word: str, choices: Iterable[Any]) -> str | None:
    """ "did you mean 'X'?" (or "'X' or 'Y'"), or None when nothing is close."""
    return hint(suggestions(word, choices))


def hint(options: list[str]) -> str | None:
    """The did-you-mean wording for already-chosen suggestions."""
    if not options:
        return None
    return "did you mean " + " or ".join(f"'{o}'" for o in options) + "?"


def closest(word: str, choices: Iterable[Any]) -> str | None:
    """The single closest value (for callers that act on it rather than print it)."""
    found = suggestions(word, choices, limit=1)
    return found[0] if found else None


def did_you_mean_key(key: str, keys: Iterable[str]) -> str | None:
    """A did-you-mean for a dotted taxonomy key: a close last part ('user.emial' ->
    'user.contact.email') beats a close whole string ('user.social')."""
    if len(key) > LONGEST_GUESS:
        return None
    pool = [str(k) for k in keys]
    leaf = key.rsplit(".", 1)[-1]
    by_leaf: dict[str, list[str]] = {}
    for candidate in pool:
        by_leaf.setdefault(candidate.rsplit(".", 1)[-1], []).append(candidate)
    import difflib

    close = difflib.get_close_matches(leaf, list(by_leaf), n=1, cutoff=0.75)
    if close and close[0] != leaf:
        return hint(sorted(by_leaf[close[0]], key=len)[:2])
    return did_you_mean(key, pool)


_TRUTHS = {"yes": "true", "no": "false", "on": "true", "off": "false", "true": "true", "false": "false"}


def what_to_write(value: Any, kind: str) -> str | None:
    """What to write instead of ``value`` where a ``kind`` ("list" or "yes/no") is wanted, for the
    wrong kinds users write most: a list written as text, yes/no written as text. None otherwise."""
    if not isinstance(value, str):
        return None
    if kind == "list":
        items = [part.strip() for part in value.split(",") if part.strip()]
        return f"write [{', '.join(items)}]" if items else "write [] for none"
    word = value.strip().lower()
    if kind == "yes/no" and word in _TRUTHS:
        # `yes`, `on` are text in these files (YAML 1.2, as NO stays Norway); "true" in quotes is text.
        return f"write {word} without quotes" if word in ("true", "false") else f"write {_TRUTHS[word]}"
    return None
