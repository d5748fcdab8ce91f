"""Fuzzing the real command line with mutated manifests, waiver files, settings and saved reports.

A bounded, seeded run for CI (the same cases every time); `python bench/fuzz.py` runs as many
as you like, and reproduces one with `--kind KIND --seed SEED --show`. The contract is in
tests/fuzzing.py: exit 0, 1 or 2; no traceback; every problem about the file located.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .fuzzing import KINDS, describe, in_process_runner, make_case, run_case

CASES_PER_KIND = int(os.environ.get("DEFA_FUZZ_CASES", "60"))
"""About 10 s in all; bench/fuzz.py runs thousands."""


@pytest.fixture(scope="module")
def good_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .fuzzing import BASE, SMALL

    folder = tmp_path_factory.mktemp("fuzz-report")
    report = folder / "good.json"
    code, _, err = in_process_runner()(["check", str(SMALL), *BASE, "-f", "json", "-o", str(report)], folder)
    assert code == 1, err
    return report


@pytest.mark.parametrize("kind", KINDS)
def test_mutated_inputs_keep_the_contract(kind: str, good_report: Path, tmp_path: Path) -> None:
    run = in_process_runner()
    report = good_report.read_bytes()
    failures = []
    for seed in range(CASES_PER_KIND):
        case = make_case(kind, seed, report)
        problem = run_case(case, tmp_path, good_report, run)
        if problem:
            failures.append(describe(kind, seed, case, problem))
    assert not failures, "\n\n".join(failures[:5])


def test_the_mutator_is_deterministic_and_does_mutate(good_report: Path) -> None:
    report = good_report.read_bytes()
    first = [make_case(kind, 3, report).content for kind in KINDS]
    assert first == [make_case(kind, 3, report).content for kind in KINDS]
    from .fuzzing import seed_inputs

    seeds = seed_inputs(report)
    changed = sum(make_case(kind, s, report).content != seeds[kind] for kind in KINDS for s in range(20))
    assert changed >= 90
