"""A logo for the cover of a report: a PNG or JPEG file, checked before anything is rendered."""

from __future__ import annotations

from pathlib import Path

from defa_check.model import Problem, image_media_type

MAX_LOGO_BYTES = 2 * 1024 * 1024
"""A cover logo larger than this is almost certainly the wrong file (and bloats every report)."""


def read_logo(path: str | Path) -> tuple[bytes | None, list[Problem]]:
    """The logo's bytes, or the problem that makes it unusable."""
    shown = str(path)
    p = Path(path)
    try:
        if not p.is_file():
            return None, [Problem(shown, "no such file (the logo must be a PNG or JPEG file)", code="usage")]
        size = p.stat().st_size
        if size > MAX_LOGO_BYTES:
            return None, [
                Problem(shown, f"the logo is {size:,} bytes; the limit is {MAX_LOGO_BYTES:,}", code="usage")
            ]
        data = p.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, f"cannot read the logo: {exc.strerror}", code="unreadable")]
    if image_media_type(data) is None:
        return None, [Problem(shown, "the logo must be a PNG or JPEG image", code="usage")]
    return data, []
