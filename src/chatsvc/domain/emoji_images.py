"""Custom emoji images as Google documents them: a PNG, JPEG or GIF under 256 KB, square, 64 to 500 pixels a
side. The type is read from the bytes' signature (a declared name proves nothing) and must agree with the
file name's extension; the size in pixels is read from the image's header."""
from __future__ import annotations

import struct

from chatsvc.domain.errors import InvalidArgument

MAX_BYTES = 256 * 1024
MIN_SIDE, MAX_SIDE = 64, 500
# The documented extensions, and the type each one stands for.
EXTENSIONS = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif"}
CONTENT_FIELD = "custom_emoji.payload.file_content"
NAME_FIELD = "custom_emoji.payload.filename"

# JPEG start-of-frame markers carry the image size; C4 (Huffman tables), C8 and CC (arithmetic coding
# conditioning) share the range but are not frames.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def sniff(data: bytes) -> str | None:
    """The image type of `data` by its signature, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return None


def dimensions(data: bytes, kind: str) -> tuple[int, int] | None:
    """(width, height) from the image's header, or None when the header is damaged."""
    if kind == "image/png":
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        return struct.unpack(">II", data[16:24])
    if kind == "image/gif":
        return struct.unpack("<HH", data[6:10]) if len(data) >= 10 else None
    return _jpeg_dimensions(data)


def _jpeg_dimensions(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        if marker in _SOF:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        if marker == 0xD9 or length < 2:  # end of image, or a damaged segment
            return None
        at += 2 + length
    return None


def check(filename: str, data: bytes) -> str:
    """Validates an emoji image; returns its content type."""
    if not filename:
        raise InvalidArgument.field(NAME_FIELD, "is required: the image's file name, ending in .png, .jpg or .gif")
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension not in EXTENSIONS:
        raise InvalidArgument.field(NAME_FIELD, "must end in .png, .jpg or .gif")
    if not data:
        raise InvalidArgument.field(CONTENT_FIELD, "is required: the emoji's image")
    if len(data) >= MAX_BYTES:
        raise InvalidArgument.field(CONTENT_FIELD, f"must be under 256 KB ({MAX_BYTES} bytes); it is {len(data)}")
    kind = sniff(data)
    if kind is None:
        raise InvalidArgument.field(CONTENT_FIELD, "is not a PNG, JPEG or GIF image")
    if kind != EXTENSIONS[extension]:
        raise InvalidArgument.field(NAME_FIELD, f"says .{extension} but the image is {kind}")
    size = dimensions(data, kind)
    if size is None:
        raise InvalidArgument.field(CONTENT_FIELD, "is a damaged image: its size cannot be read")
    width, height = size
    if width != height or not MIN_SIDE <= width <= MAX_SIDE:
        raise InvalidArgument.field(CONTENT_FIELD, f"must be square, {MIN_SIDE} to {MAX_SIDE} pixels a side; it "
                                                   f"is {width}x{height}")
    return kind
