"""Where one `check` spends its time, stage by stage, in process.

    python bench/stages.py bench/out/flows-10000.yaml [--repeat 3]

Times load (parse), validate, evaluate and each report format on one manifest,
with the collector paused as the console script pauses it. Medians of the
repeats; nothing here is asserted by the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("manifest")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    gc.disable()
    from defa_check.evaluate.batch import catalog_for
    from defa_check.evaluate.document import check_document
    from defa_check.inputs import source
    from defa_check.inputs.manifest import validate_manifest
    from defa_check.render import get_format

    seconds, doc = timed(args.repeat, lambda: source.load(args.manifest, precise=False))
    print(f"load       {seconds:7.3f} s")
    seconds, problems = timed(args.repeat, lambda: validate_manifest(doc))
    print(f"validate   {seconds:7.3f} s  ({len(problems)} problems)")
    seconds, catalog = timed(1, lambda: catalog_for([doc], None, None))
    print(f"packs      {seconds:7.3f} s")
    today = dt.date(2026, 11, 29)
    seconds, result = timed(args.repeat, lambda: check_document(doc, catalog, today))
    report = result.report
    print(f"check      {seconds:7.3f} s  (validate + evaluate; {len(report.findings)} findings)")
    for name in ("console", "json", "markdown", "sarif"):
        formatter = get_format(name)
        seconds, text = timed(args.repeat, lambda f=formatter: b"".join(f.render_chunks(report)))
        print(f"{name:10} {seconds:7.3f} s  ({len(text) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
