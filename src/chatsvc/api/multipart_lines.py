"""Multipart bodies whose lines end in a bare LF, read as if they ended in CRLF.

RFC 2046 ends every part with CRLF `--boundary`, and aiohttp's MultipartReader finds a part's end only there.
Python's email generator writes bare LFs, and google-api-python-client builds its multipart uploads with it
(`--===...==\\n`, `{json}\\n--===...==\\n`); Google's upload servers take them. So the body is read through
LenientDelimiters, which gives every delimiter that lacks its CR one (`\\n--boundary` -> `\\r\\n--boundary`) and
passes everything else through untouched, chunk by chunk: a CRLF body reads exactly as before, and the file's
bytes are never held whole. A sender picks a boundary that its data does not contain, so `\\n--boundary` is a
delimiter wherever it appears.
"""
from __future__ import annotations

from aiohttp import MultipartReader, StreamReader
from aiohttp.helpers import parse_mimetype

MAX_LINE = 1 << 16  # a line aiohttp asks for (preamble, boundary, part header) longer than this is refused


class LenientDelimiters:
    """The read side of an aiohttp StreamReader that MultipartReader uses (read, readline, at_eof, unread_data),
    over `source`, with CR added to bare-LF delimiters of `boundary`."""

    def __init__(self, source: StreamReader, boundary: bytes):
        self._source = source
        self._delimiter = b"\n--" + boundary
        self._ready = bytearray()  # scanned bytes, handed out next
        self._pending = b""  # raw bytes at the end that may begin a delimiter: scanned once more arrive
        self._previous = b"\r"  # the raw byte before `_pending` (none at the start: a first boundary needs no CR)
        self._eof = False

    async def _fill(self) -> bool:
        """Scans the next chunk of the source into `_ready`; False at the source's end (all handed over)."""
        if self._eof:
            return False
        chunk = await self._source.readany()
        data = self._pending + chunk
        if not chunk:
            self._eof = True
            self._ready += data
            self._pending = b""
            return bool(data)
        start = 0
        while (found := data.find(self._delimiter, start)) >= 0:
            before = data[found - 1:found] if found else self._previous
            self._ready += data[start:found]
            self._ready += b"\n" if before == b"\r" else b"\r\n"
            start = found + 1
        keep = max(start, len(data) - len(self._delimiter) + 1)
        self._ready += data[start:keep]
        if keep:
            self._previous = data[keep - 1:keep]
        self._pending = data[keep:]
        return True

    async def read(self, n: int = -1) -> bytes:
        while not self._ready and await self._fill():
            pass
        size = len(self._ready) if n < 0 else min(n, len(self._ready))
        taken = bytes(self._ready[:size])
        del self._ready[:size]
        return taken

    async def readline(self, *, max_line_length: int | None = None) -> bytes:
        limit = max_line_length or MAX_LINE
        while (end := self._ready.find(b"\n")) < 0:
            if len(self._ready) > limit:
                raise ValueError("a line of the multipart body is too long")
            if not await self._fill():
                end = len(self._ready) - 1
                break
        if end + 1 > limit + 2:
            raise ValueError("a line of the multipart body is too long")
        taken = bytes(self._ready[:end + 1])
        del self._ready[:end + 1]
        return taken

    def at_eof(self) -> bool:
        return self._eof and not self._ready and not self._pending

    def unread_data(self, data: bytes) -> None:
        self._ready[:0] = data


def multipart_reader(headers, content: StreamReader) -> MultipartReader:
    """A MultipartReader of a body with CRLF or bare-LF lines. ValueError: no multipart Content-Type with a
    boundary."""
    mimetype = parse_mimetype(headers.get("Content-Type", ""))
    boundary = mimetype.parameters.get("boundary", "")
    if mimetype.type != "multipart" or not boundary:
        raise ValueError(f"a multipart Content-Type with a boundary is needed, not `{headers.get('Content-Type')}`")
    return MultipartReader(headers, LenientDelimiters(content, boundary.encode()))  # type: ignore[arg-type]
