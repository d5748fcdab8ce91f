"""A rule in plain language: what it requires, who it applies to, how to comply."""

from __future__ import annotations

import textwrap

import yaml

from defa_check.model import Rule
from defa_check.packs.conditions import describe
from defa_check.packs.loader import Catalog
from defa_check.workflows.rule_examples import complete_manifest

_SUBJECT_WORDS = {
    "flow": "each data flow that involves {country}",
    "market": "each market in {country} where you sell online",
    "organization": "your organization, once for {country}",
}


DEFAULT_WIDTH = 96
"""Line width when the output is not a terminal (piped, saved, or tested): stable text."""

MIN_WIDTH = 40


def explain_rule(rule: Rule, catalog: Catalog, width: int = DEFAULT_WIDTH) -> str:
    """The explanation `defa-check explain` prints, wrapped to ``width`` columns (never
    narrower than 40: an unreadable column helps nobody)."""
    wrap_width = max(MIN_WIDTH, width)

    def _wrap(text: str, indent: str = "  ") -> str:
        return textwrap.fill(
            " ".join(text.split()),
            width=wrap_width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,  # URLs stay whole so they remain clickable
            break_on_hyphens=False,
        )

    profile = catalog.profiles.get(rule.country)
    country = profile.name if profile else rule.country
    lines = [
        f"{rule.id} — {rule.title}",
        f"Country: {country}   Topic: {rule.topic}   Severity: {rule.severity.label}   "
        f"Confidence: {rule.confidence}",
        "",
        "What it requires:",
        _wrap(rule.explanation or rule.message_pass),
        "",
        "Who it applies to:",
        _wrap(
            _SUBJECT_WORDS[rule.subject].format(country=profile.in_sentence if profile else country)
            + (", when:" if rule.applies_when else ".")
        ),
    ]
    if rule.applies_when is not None:
        lines += ["    " + line for line in describe(rule.applies_when.source)]
    lines += ["", "Compliance means:"]
    lines += ["    " + line for line in describe(rule.requires.source)]
    until = f"; superseded after {rule.effective_until.isoformat()}" if rule.effective_until else ""
    lines += [
        "",
        "Law:",
        _wrap(f"{rule.citation.instrument}, {rule.citation.provision}"),
        f"  {rule.citation.url}",
    ]
    lines += [f"  {url}" for url in rule.sources]
    if rule.draft:
        lines += [
            "  DRAFT: this comes from a draft law that is not in force. It is shown so you can"
            " plan; it never fails a check."
        ]
        if rule.effective_from:
            lines += [
                f"  Expected to take effect on {rule.effective_from.isoformat()} if enacted as drafted."
            ]
    elif rule.effective_from:
        lines += [f"  In force from {rule.effective_from.isoformat()}{until}."]
    if rule.note:
        lines += ["", "Note on the sources:", _wrap(rule.note)]
    lines += ["", "If you do not comply:", _wrap(rule.message_fail)]
    lines += ["", "How to comply:", _wrap(rule.remediation)]
    if rule.examples:
        lines += ["", "Examples (each runs as a test):"]
        for example in rule.examples:
            lines.append(f"  - {example.name}: {example.expect}")
            fragment = yaml.safe_dump(
                complete_manifest(example.manifest), sort_keys=False, default_flow_style=None, width=90
            )
            lines += ["      " + line for line in fragment.rstrip().splitlines()]
    lines += [
        "",
        "This explains a summary of the law; it is not legal advice.",
    ]
    return "\n".join(lines)
