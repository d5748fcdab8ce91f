"""The JSON report (version 3): what CI consumes, and what `report`, `diff` and `--baseline` read back."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring

from defa_check.model import (
    NO_DEFAULTS,
    Location,
    Report,
    RuleText,
    Status,
    Usual,
    missing_sentence,
)
from defa_check.render.base import OutputFormat, RenderOptions
from defa_check.render.escape import json_document

TYPE_CHECKING = False  # typing is imported for type checkers only (start-up, docs/architecture.md)
if TYPE_CHECKING:
    from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_BATCH = 2000
_NOT_APPLICABLE = Status.NOT_APPLICABLE

_string = encode_basestring
"""One string as the encoder writes it (``ensure_ascii=False``; the C function when there is one)."""


def _strings(items: Sequence[str]) -> str:
    """A list of strings as the encoder writes it."""
    return "[" + ",".join(map(_string, items)) + "]"


def indented(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, the same text about three times faster.

    With an indent the standard library encodes in pure Python through nested generators (a
    value deep in the tree passes through a generator per level); this builds each container's
    text directly. Same types, same spellings (``NaN``, ``Infinity``, non-string keys), same
    TypeError for anything else; only a circular reference is not detected (a RecursionError).
    """
    return _indented(value, "\n")


def _indented(value: Any, newline: str) -> str:
    # Strings, integers and booleans inside a container are written without a call of their own.
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + "  "
        items = []
        for key, item in value.items():
            kind = item.__class__
            if kind is str:
                text = _string(item)
            elif kind is int:
                text = int.__repr__(item)
            elif kind is bool:
                text = "true" if item else "false"
            else:
                text = _indented(item, inner)
            items.append(_string(key if key.__class__ is str else _key(key)) + ": " + text)
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(value, _SEQUENCES):
        if not value:
            return "[]"
        inner = newline + "  "
        items = [_string(item) if item.__class__ is str else _indented(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _key(key: Any) -> str:
    """A dictionary key as :mod:`json` writes it (before quoting)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (_INFINITY, -_INFINITY):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


_INFINITY = float("inf")
_SEQUENCES = (list, tuple)


class _Spec:
    """What every listed finding of one rule and status shares: its line's start, its rule's
    defaults for the status and its rule's fields (a finding that differs from them is rare)."""

    __slots__ = ("evidence", "fields", "message", "prefix", "rule", "rule_data", "usual", "why")

    def __init__(
        self, rule_id: str, status: str, rule: RuleText, rule_data: dict[str, Any], usual: Usual
    ) -> None:
        self.prefix = '{"rule_id":' + _string(rule_id) + ',"status":' + _string(status) + ',"subject":'
        self.rule = rule
        self.rule_data = rule_data
        self.usual = usual
        self.message = usual.message
        self.why = usual.why
        self.evidence = usual.evidence
        self.fields: tuple[Any, ...] = rule.fields


def finding_lines(
    report: Report, rules: dict[str, dict[str, Any]], include_not_applicable: bool = False
) -> Iterator[str]:
    """The listed findings as version 3 writes them, one compact line each: the text
    ``_ENCODER.encode(row)`` gives for each row of :meth:`Report.finding_rows`, built directly.

    Each finding's line is assembled from pieces encoded once and reused: its rule and status's
    start, its subject, location, missing facts, why and evidence (findings share these objects or
    values); a finding carries its message, why and evidence only where they differ from its
    rule's defaults for its status (:meth:`Finding.to_row`). The rare finding whose rule fields
    differ from its rule's is written from :meth:`Finding.to_row` itself.
    """
    texts = {rule.rule_id: rule for rule in report.rules_applied()}
    specs: dict[str, dict[str, _Spec]] = {}
    for rule_id, data in rules.items():
        defaults = data.get("defaults", {})
        specs[rule_id] = {
            status.value: _Spec(
                rule_id,
                status.value,
                texts[rule_id],
                data,
                Usual.of(defaults[status.value]) if status.value in defaults else NO_DEFAULTS,
            )
            for status in Status
        }
    manifest_path = report.manifest_path
    places: dict[int, tuple[Location | None, str, str]] = {}
    waivers: dict[int, str] = {}
    missings: dict[tuple[str, ...], tuple[str, str]] = {}
    lists: dict[tuple[str, ...], str] = {}
    encode = _ENCODER.encode
    skip = None if include_not_applicable else _NOT_APPLICABLE
    last_rule = None
    by_status: dict[str, _Spec] = {}
    for f in report.findings:
        status = f.status
        if status is skip:
            continue
        rule_id = f.rule.rule_id
        if rule_id is not last_rule:  # findings come by rule: one lookup per rule, mostly
            by_status = specs[rule_id]
            last_rule = rule_id
        spec = by_status[status._value_]
        # A subject's findings share its object and, mostly, its location's.
        subject = f.subject
        loc = f.location
        place = places.get(id(subject))
        if place is None or place[0] is not loc:
            head = '{"kind":' + _string(subject.kind) + ',"id":' + _string(subject.id)
            if subject.name:
                head += ',"name":' + _string(subject.name)
            where = ""
            if loc is not None:
                where = ',"location":{'
                if loc.path != manifest_path:
                    where += '"path":' + _string(loc.path) + ","
                where += f'"line":{int(loc.line)},"column":{int(loc.column)}}}'
            place = places[id(subject)] = (loc, head + "}", where)
        line = spec.prefix + place[1]
        message = f.message
        usual = spec.message
        missing = f.missing
        if missing:
            known = missings.get(missing)
            if known is None:
                known = missings[missing] = (missing_sentence(missing), ',"missing":' + _strings(missing))
            if usual is None or usual + known[0] != message:
                line += ',"message":' + _string(message)
            line += known[1]
        elif usual is None or usual != message:
            line += ',"message":' + _string(message)
        line += place[2]
        if f.verdict is not None:
            line += ',"verdict":' + _string(f.verdict._value_)
        if f.in_baseline is not None:
            line += ',"in_baseline":true' if f.in_baseline else ',"in_baseline":false'
        waiver = f.waiver
        if waiver is not None:
            written = waivers.get(id(waiver))
            if written is None:
                written = waivers[id(waiver)] = ',"waiver":' + encode(waiver.to_dict())
            line += written
        why = f.why
        if why != spec.why:
            text = lists.get(why)
            if text is None:
                text = lists[why] = _strings(why)
            line += ',"why":' + text
        evidence = f.evidence
        if evidence != spec.evidence:
            text = lists.get(evidence)
            if text is None:
                text = lists[evidence] = _strings(evidence)
            line += ',"evidence":' + text
        # The rule's fields: its rule text's, unless the finding has its own (from a saved report).
        own = f.rule
        rule = spec.rule
        if own is not rule and own.fields != spec.fields:
            yield encode(f.to_row(rule, spec.rule_data, spec.usual, manifest_path))
            continue
        yield line + "}"


class JsonFormat(OutputFormat):
    name = "json"
    description = "the JSON report (stable; what CI consumes and `report` re-renders)"

    def _pieces(self, report: Report, include_not_applicable: bool) -> Iterator[str]:
        # Report version 3: each rule's fixed text and its findings' usual message,
        # why and evidence once in `rules`, findings that carry only what differs,
        # not-applicable findings counted (listed only when asked). The header is
        # indented; each rule and each finding is one compact line, so diffs and
        # grep stay readable. A rule's line is encoded by the C encoder; a finding's
        # is put together from pieces encoded once (:func:`finding_lines`). Findings
        # are converted as they are written, so a large report never exists as one
        # string (see bench/RESULTS.md).
        head_data = report.to_dict(include_findings=False, include_not_applicable=include_not_applicable)
        rules = head_data.pop("rules")
        head = json.dumps(head_data, indent=2, ensure_ascii=False)[:-2]
        encode = _ENCODER.encode  # one encoder: json.dumps(..., ensure_ascii=False) builds one per call
        yield head + ',\n  "rules": {'
        yield ",".join(f"\n    {encode(rule_id)}: {encode(text)}" for rule_id, text in rules.items())
        yield ("\n  }" if rules else "}") + ',\n  "findings": ['
        lines = finding_lines(report, rules, include_not_applicable)
        first = True
        while batch := list(itertools.islice(lines, _BATCH)):
            yield ("\n    " if first else ",\n    ") + ",\n    ".join(batch)
            first = False
        yield "]\n}\n" if first else "\n  ]\n}\n"

    def render(self, report: Report, options: RenderOptions = RenderOptions()) -> str:
        # Each piece ends at a line's end, so no `##[` spans two pieces.
        return "".join(json_document(piece) for piece in self._pieces(report, options.include_not_applicable))

    def render_chunks(self, report: Report, options: RenderOptions = RenderOptions()) -> Iterator[bytes]:
        return (
            json_document(piece).encode("utf-8")
            for piece in self._pieces(report, options.include_not_applicable)
        )
