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
            said = (
                "a folder, not a file"
                if p.is_dir()
                else "not a regular file (a pipe or a device)"
                if p.exists()
                else "no such file"
            )
            return None, [Problem(shown, f"{said} (the logo must be a PNG or JPEG file)", code="usage")]
        size = p.stat().st_size
        if size > MAX_LOGO_BYTES:
            return None, [
                Problem(shown, f"the logo is {size:,} bytes; the limit is {MAX_LOGO_BYTES:,}", code="usage")
            ]
        data = p.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, f"cannot read the logo: {exc.strerror}", code="unreadable")]
    if not data:
        return None, [Problem(shown, "the logo file is empty (it must be a PNG or JPEG image)", code="usage")]
    kind = image_media_type(data)
    if kind is None:
        return None, [Problem(shown, "the logo must be a PNG or JPEG image", code="usage")]
    if not _whole(data, kind):
        # A cut-short file passes the first bytes' test, then fails inside the PDF renderer, or
        # leaves the cover without its logo and says nothing.
        cut = "the logo is cut short (the image has no end); save or export it again"
        return None, [Problem(shown, cut, code="usage")]
    if kind == "image/png" and _png_damaged(data):
        damaged = "the logo is damaged (its checksums do not match); save or export it again"
        return None, [Problem(shown, damaged, code="usage")]
    return data, []


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = bytes.fromhex("0000000049454e44ae426082")
"""A PNG's last chunk (IEND, empty, its checksum): every whole PNG ends with these 12 bytes."""


def _whole(data: bytes, kind: str) -> bool:
    """Whether an image of ``kind`` ends as a whole one does."""
    if kind == "image/png":
        return data.endswith(PNG_END)
    # JPEG: the end-of-image marker. Inside the image data a 0xFF byte is always followed by
    # 0x00, so FF D9 is only ever the marker; some writers add a little padding after it.
    return b"\xff\xd9" in data[-1024:]


def _png_damaged(data: bytes) -> bool:
    """Whether a PNG's chunks fail their own checksums, or its image data its own (bytes changed
    on the way: a renderer then draws a black box or nothing). Each chunk is length, type, data
    and a CRC-32 of type and data; the image data, all IDAT chunks together, is a zlib stream."""
    import struct
    import zlib

    at = len(PNG_SIGNATURE)
    image = []
    while at + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, at)
        end = at + 12 + length
        if end > len(data):
            return True
        (crc,) = struct.unpack_from(">I", data, end - 4)
        if zlib.crc32(data[at + 4 : end - 4]) != crc:
            return True
        if data[at + 4 : at + 8] == b"IDAT":
            image.append(data[at + 8 : end - 4])
        at = end
    if at != len(data):
        return True
    # The image data is one zlib stream with a checksum of its own (a changed byte with its
    # chunk's CRC written again still fails here). Bounded: a logo is at most 2 MB, and the
    # pixels it unpacks to are not kept.
    unpack = zlib.decompressobj()
    try:
        for part in image:
            while part:
                unpack.decompress(part, 1 << 20)
                part = unpack.unconsumed_tail
    except zlib.error:
        return True
    return not unpack.eof
