"""Wheel build step: pre-parse the bundled rule packs, profiles and taxonomy into JSON
(one file per country and one for the taxonomy, in ``defa_check/_bundled/compiled/``).

See defa_check/inputs/bundle.py. Runs with the project's own loader (imported from
this source tree), so the JSON holds exactly what the YAML loader produces.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[misc]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from defa_check.inputs.bundle import FOLDER, compile_data, encoded, split_data
        finally:
            sys.path.pop(0)
        data = compile_data(root, root / "defa_check" / "data" / "fideslang")
        self._temporary = Path(tempfile.mkdtemp(prefix="defa-check-build-"))
        for group, content in sorted(split_data(data).items()):
            out = self._temporary / f"{group}.json"
            out.write_text(encoded(content), encoding="utf-8")
            build_data["force_include"][str(out)] = f"defa_check/_bundled/{FOLDER}/{group}.json"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """The wheel holds the file now: remove the temporary folder (one was left per build)."""
        temporary = getattr(self, "_temporary", None)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
