"""Command-line options and the settings file merged into a request (command-line options win)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from defa_check.cli.output import Target, output_path, pair_targets
from defa_check.evaluate.batch import CheckRequest
from defa_check.inputs.config import Settings
from defa_check.model import Problem, Severity
from defa_check.render.base import RenderOptions


def check_request(
    settings: Settings,
    *,
    manifests: list[Path] | None,
    formats: list[str] | None,
    outputs: list[Path] | None,
    force: bool,
    as_of: dt.date,
    countries: list[str] | None,
    fail_on: str | None,
    strict: bool | None,
    strict_review: bool | None,
    waivers: Path | None,
    baseline: Path | None,
    rules_dir: Path | None,
) -> tuple[CheckRequest, list[Target], bool, list[Problem]]:
    """`check`'s options merged over the settings file: the request, its outputs, force, and problems.

    Command-line options win. The settings' `formats` list is used only when no
    --format or --output is given; it pairs each format with its own output.
    """

    for key, value in (
        ("manifests", [str(m) for m in manifests] if manifests else None),
        ("fail_on", fail_on),
        ("strict", strict),
        ("strict_review", strict_review),
        ("waivers", str(waivers) if waivers else None),
        ("baseline", str(baseline) if baseline else None),
        ("rules_dir", str(rules_dir) if rules_dir else None),
        ("countries", list(countries) if countries else None),
    ):
        if value is not None:
            settings.set(key, value, "command line")
    problems: list[Problem] = []
    if not settings["manifests"]:
        problems.append(
            Problem(
                "check",
                "no manifest given (pass one, or set `manifests` in "
                + (settings.file or ".defa-check.yaml")
                + ")",
                code="usage",
            )
        )
    from_config = not formats and not outputs and bool(settings["formats"])
    force = force or (from_config and bool(settings["force"]))
    if from_config:
        targets: list[Target] = [
            (item["format"], output_path(item["output"]) if item.get("output") else None)
            for item in settings["formats"]
        ]
    else:
        targets = pair_targets(formats, outputs)
    from_file = settings.sources.get("countries") not in ("command line", "default")

    def country_located(n: int) -> tuple[str, int | None, int | None]:
        return (settings.path or "", *settings.locate(["countries", n]))

    request = CheckRequest(
        manifests=tuple(Path(m) for m in settings["manifests"]),
        as_of=as_of,
        countries=tuple(settings["countries"] or ()),
        countries_from=f"countries in {settings.file}" if from_file else "--country",
        countries_located=country_located if from_file else None,
        fail_on=None if settings["fail_on"] == "never" else Severity.parse(settings["fail_on"]),
        strict=bool(settings["strict"]),
        strict_review=bool(settings["strict_review"]),
        waivers=Path(settings["waivers"]) if settings["waivers"] else None,
        baseline=Path(settings["baseline"]) if settings["baseline"] else None,
        rules_dir=Path(settings["rules_dir"]) if settings["rules_dir"] else None,
    )
    return request, targets, force, problems


def cover_options(
    settings: Settings,
    options: RenderOptions,
    *,
    title: str | None,
    prepared_for: str | None,
    prepared_by: str | None,
    logo: Path | None,
) -> tuple[RenderOptions, list[Problem]]:
    """The cover of a deliverable (title, prepared for / by, logo): options over settings."""
    from defa_check import records

    for key, value in (
        ("title", title),
        ("prepared_for", prepared_for),
        ("prepared_by", prepared_by),
        ("logo", str(logo) if logo else None),
    ):
        if value is not None:
            settings.set(key, value, "command line")
    data: bytes | None = None
    problems: list[Problem] = []
    if settings["logo"]:
        from defa_check.inputs.logo import read_logo

        data, problems = read_logo(settings["logo"])
    return (
        records.replace(
            options,
            title=settings["title"] or None,
            prepared_for=settings["prepared_for"] or None,
            prepared_by=settings["prepared_by"] or None,
            logo=data,
        ),
        problems,
    )
