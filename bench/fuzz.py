"""A longer fuzzing run than CI's (tests/test_fuzz.py): the same mutator and contract, more cases.

    python bench/fuzz.py                        # 2,000 cases of each kind, in process
    python bench/fuzz.py --cases 20000 --start 5000
    python bench/fuzz.py --subprocess --cases 200   # through the installed console script
    python bench/fuzz.py --kind report.json --seed 17 --show   # reproduce one case

Kinds: manifest.yaml, manifest.json, waivers.yaml, settings.yaml, report.json. The
contract (tests/fuzzing.py): exit 0, 1 or 2; no traceback or internal error; every
problem about the mutated file names its line and column. Exit status: 1 if any case
broke it (the first few are printed with a command to reproduce them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzzing import BASE, KINDS, SMALL, describe, in_process_runner, make_case, run_case  # noqa: E402


def subprocess_runner(args: list[str], cwd: Path) -> tuple[int, str, str]:
    command = shutil.which("defa-check")
    prefix = [command] if command else [sys.executable, "-m", "defa_check"]
    proc = subprocess.run(
        [*prefix, *args], cwd=cwd, capture_output=True, text=True, errors="replace", timeout=120, check=False
    )
    return proc.returncode, proc.stdout, proc.stderr


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=2000, help="cases per kind")
    parser.add_argument("--start", type=int, default=0, help="first seed")
    parser.add_argument("--kind", choices=KINDS, action="append", help="only these kinds (repeatable)")
    parser.add_argument("--seed", type=int, help="run this one seed")
    parser.add_argument("--show", action="store_true", help="print the input and the output of each case")
    parser.add_argument("--subprocess", action="store_true", help="run the console script for each case")
    options = parser.parse_args()

    runner = subprocess_runner if options.subprocess else in_process_runner()
    kinds = options.kind or list(KINDS)
    seeds = (
        [options.seed] if options.seed is not None else range(options.start, options.start + options.cases)
    )
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="defa-check-fuzz-") as tmp:
        folder = Path(tmp)
        good = folder / "good.json"
        code, _, err = runner(["check", str(SMALL), *BASE, "-f", "json", "-o", str(good)], folder)
        if code != 1:
            print(f"could not make the saved report: {err}", file=sys.stderr)
            return 2
        report = good.read_bytes()
        for kind in kinds:
            started, count = time.perf_counter(), 0
            work = folder / "work"
            for seed in seeds:
                work.mkdir(exist_ok=True)
                case = make_case(kind, seed, report)
                if options.show:
                    print(f"--- {kind} seed {seed}: defa-check {' '.join(case.args)}")
                    print(case.content.decode("utf-8", "backslashreplace"))
                    path = work / case.name
                    path.write_bytes(case.content)
                    args = [a.replace("{file}", str(path)).replace("{good}", str(good)) for a in case.args]
                    code, out, err = runner(args, work)
                    print(f"--- exit {code}\n{out}{err}")
                problem = run_case(case, work, good, runner)
                if problem:
                    failures.append(describe(kind, seed, case, problem))
                shutil.rmtree(work)
                count += 1
            elapsed = time.perf_counter() - started
            broken = sum(f.startswith(f"{kind} ") for f in failures)
            print(f"{kind}: {count} cases in {elapsed:.1f} s, {broken} broke the contract")
    for failure in failures[:10]:
        print("\n" + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    sys.exit(main())
