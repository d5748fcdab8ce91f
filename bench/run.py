"""Benchmark defa-check end to end against the floor it cannot beat, on this machine.

    .venv/bin/python bench/run.py       # 1k and 10k flows (about a minute)
    .venv/bin/python bench/run.py --sizes 1000 10000 100000 --repeat 3

It measures the defa-check installed beside the Python running it (else the first on PATH);
run it with that environment's python, which needs PyYAML and Typer for the floors.

Every number is a whole process, measured side by side in one run, the commands compared
run in turns (see measure_together): `check` on
generated manifests (YAML and JSON), the floor (interpreter start plus parsing
the same file: libyaml's C loader with the garbage collector paused, or
json.loads), `--version` and `--help` against `python -c "import typer"`, and
`check` on the bundled example. It prints ratios (the median of the per-round ratios),
not only seconds, and writes
them to bench/out/results.json. Nothing here is asserted by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"

FLOOR_YAML = "import gc, sys, yaml; gc.disable(); yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
FLOOR_JSON = "import json, sys; json.loads(open(sys.argv[1], 'rb').read())"


def run_once(command: list[str], ok: tuple[int, ...] = (0, 1)) -> tuple[float, float]:
    """Wall time and peak resident memory (MiB) of one whole process; exit codes other than
    ``ok`` stop the run (a command that failed was not measured). The peak is counted from
    the fork: keep this process small (the manifests are generated in another one)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"{' '.join(command)} exited {code}: not measured")
    return elapsed, usage.ru_maxrss / 1024  # KiB -> MiB on Linux


def measure_together(
    commands: dict[str, list[str]], repeat: int, exact: frozenset[str] = frozenset({"floor", "import_typer"})
) -> dict[str, dict[str, float]]:
    """Each command's median wall time and peak memory, the commands run in turns.

    This machine is shared: a neighbour's burst of work slows whatever runs during it.
    Running the commands one after the other in each round, rather than each command
    ``repeat`` times in a row, exposes them all to the same conditions, so the ratios
    between them hold even when the absolute times move.
    """
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for round_ in range(repeat):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            elapsed, peak = run_once(commands[name], (0,) if name in exact else (0, 1))
            times[name].append(elapsed)
            peaks[name].append(peak)
    return {
        name: {
            "seconds": round(statistics.median(times[name]), 3),
            "peak_mib": round(max(peaks[name]), 1),
            "runs": [round(t, 4) for t in times[name]],
        }
        for name in names
    }


def ratio(a: dict[str, Any], b: dict[str, Any]) -> float:
    """The median over rounds of a's time over b's in the same round (see measure_together):
    steadier than the ratio of the two medians when the machine's speed drifts."""
    return round(statistics.median(x / y for x, y in zip(a["runs"], b["runs"], strict=True)), 2)


def ensure_manifest(n: int, fmt: str) -> Path:
    path = OUT / f"flows-{n}.{fmt}"
    if not path.exists():
        # In another process: a child's peak memory counts this process's from the fork.
        extra = ["--json"] if fmt == "json" else []
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(n), "--out", str(path), *extra], check=True
        )
    return path


def tool_python(tool: str) -> str | None:
    """The Python the ``defa-check`` script runs with (its ``#!`` line), or None."""
    try:
        with open(tool, "rb") as script:
            first = script.readline(4096)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    command = first[2:].decode("utf-8", "replace").split()
    return command[0] if command and Path(command[0]).is_file() else None


def has_fast_extra(python: str | None) -> bool | None:
    """Whether ``python`` has the `fast` extra's libraries (yaml-rs, jsonschema-rs); None if unknown."""
    if python is None:
        return None
    probe = subprocess.run(
        [python, "-c", "import yaml_rs, jsonschema_rs"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return probe.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 10000],
        help="manifest sizes in flows (default: 1000 10000)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds per measure; medians are reported (default: 3)"
    )
    args = parser.parse_args()
    beside = Path(sys.executable).parent / "defa-check"
    tool = str(beside) if beside.is_file() else shutil.which("defa-check")
    if tool is None:
        sys.exit(
            f"no defa-check beside {sys.executable} or on PATH: install it (pip install '.[fast]' in a "
            "clone) and run this script with that environment's python"
        )
    py = sys.executable
    if subprocess.run([py, "-c", "import yaml, typer"], capture_output=True, check=False).returncode:
        sys.exit(
            f"{py} lacks PyYAML or Typer, which the floors use: run this script with the python of "
            "the environment defa-check is installed in"
        )
    runs_with = tool_python(tool)
    fast = has_fast_extra(runs_with)
    results: dict[str, object] = {
        "python": sys.version.split()[0],
        "defa_check": tool,
        "defa_check_python": runs_with,
        "fast_extra": fast,
        "sizes": {},
    }
    extra = "installed" if fast else "not installed" if fast is False else "unknown"
    print(f"measuring {tool} (the fast extra: {extra}); the floor runs with {py}")
    # Compared by folder: a virtual environment's pythons are links to one interpreter.
    if runs_with is not None and Path(runs_with).absolute().parent != Path(py).absolute().parent:
        print(
            f"note: defa-check runs with {runs_with}, the floor with {py}: run this script with the "
            "same Python (that environment's python) for ratios that compare like with like"
        )

    measured = measure_together(
        {
            "import_typer": [py, "-c", "import typer"],
            "version": [tool, "--version"],
            "help": [tool, "--help"],
            "example": [tool, "check", str(ROOT / "examples" / "sg-shop-selling-into-vn.yaml")],
        },
        args.repeat * 3,
    )
    typer_import, version, help_, example = (
        measured[k] for k in ("import_typer", "version", "help", "example")
    )
    startup = {
        "import_typer": typer_import,
        "version": version,
        "help": help_,
        "check_example": example,
        "ratio_version": ratio(version, typer_import),
        "ratio_help": ratio(help_, typer_import),
        "ratio_check_example": ratio(example, typer_import),
    }
    results["startup"] = startup
    print(
        f"import typer {typer_import['seconds']:.3f}s | --version {version['seconds']:.3f}s "
        f"({startup['ratio_version']}x, target <= 1.2x) | --help {help_['seconds']:.3f}s "
        f"({startup['ratio_help']}x, target <= 2x) | check example {example['seconds']:.3f}s "
        f"({startup['ratio_check_example']}x, target <= 1.5x)"
    )

    sizes: dict[str, object] = {}
    for n in args.sizes:
        row: dict[str, object] = {}
        for fmt, floor_code in (("yaml", FLOOR_YAML), ("json", FLOOR_JSON)):
            path = ensure_manifest(n, fmt)
            repeat = 1 if n >= 100_000 else args.repeat
            commands = {
                "floor": [py, "-c", floor_code, str(path)],
                "check": [tool, "check", str(path)],
                "with_json": [
                    tool,
                    "check",
                    str(path),
                    "--format",
                    "json",
                    "--output",
                    str(OUT / "report.json"),
                    "--force",
                ],
            }
            if fmt == "json" and n == 1000:
                # The small-manifest target: two countries, a JSON report, against json.loads.
                commands["sg_vn"] = [
                    tool,
                    "check",
                    str(path),
                    "--country",
                    "SG,VN",
                    "--format",
                    "json",
                    "--output",
                    str(OUT / "report-sg-vn.json"),
                    "--force",
                ]
            measured = measure_together(commands, repeat)
            floor, check, with_json = measured["floor"], measured["check"], measured["with_json"]
            to_floor = ratio(check, floor)
            row[fmt] = {
                "floor": floor,
                "check": check,
                "check_with_json_report": with_json,
                "ratio_to_floor": to_floor,
                "ratio_json_report_to_floor": ratio(with_json, floor),
                "bytes": path.stat().st_size,
            }
            if fmt == "json" and n == 1000:
                sg_vn = measured["sg_vn"]
                row[fmt]["check_sg_vn_json_report"] = sg_vn
                row[fmt]["ratio_sg_vn_json_report_to_floor"] = ratio(sg_vn, floor)
                print(
                    f"   1k JSON, --country SG,VN, JSON report: {sg_vn['seconds']:.2f}s "
                    f"({row[fmt]['ratio_sg_vn_json_report_to_floor']}x the floor, target <= 4x)"
                )
            if fmt == "yaml" and n == 10000:
                sizes_out = {}
                for report_format in ("json", "markdown"):
                    target = OUT / f"report-{n}.{report_format}"
                    subprocess.run(
                        [
                            tool,
                            "check",
                            str(path),
                            "--format",
                            report_format,
                            "--output",
                            str(target),
                            "--force",
                        ],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                        check=False,
                    )
                    sizes_out[report_format] = target.stat().st_size
                row[fmt]["report_bytes"] = sizes_out
                print(
                    f"   10k report sizes: JSON {sizes_out['json'] / 1e6:.1f} MB (target <= 12 MB), "
                    f"Markdown {sizes_out['markdown'] / 1e6:.2f} MB (target <= 1 MB)"
                )
            targets = ("", "", "")
            if fmt == "yaml" and n == 10000:
                targets = (", target <= 0.8x", ", target <= 1.0x", "")
            elif fmt == "yaml" and n == 100000:
                targets = ("", "", " (target <= 1024)")
            print(
                f"{n:>7} flows {fmt:4}: check {check['seconds']:7.2f}s  floor {floor['seconds']:6.2f}s  "
                f"ratio {to_floor:5.2f}x{targets[0]}  peak {check['peak_mib']:7.1f} MiB{targets[2]} | with a "
                f"JSON report {with_json['seconds']:6.2f}s ({row[fmt]['ratio_json_report_to_floor']}x"
                f"{targets[1]}), peak {with_json['peak_mib']:7.1f} MiB"
            )
        sizes[str(n)] = row
    results["sizes"] = sizes
    if "10000" in sizes and "100000" in sizes:
        linear = round(
            sizes["100000"]["yaml"]["check"]["seconds"] / sizes["10000"]["yaml"]["check"]["seconds"], 2
        )  # type: ignore[index]
        results["ratio_100k_to_10k"] = linear
        print(f"100k / 10k (YAML): {linear}x (target <= 10x; medians of separate rounds)")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
