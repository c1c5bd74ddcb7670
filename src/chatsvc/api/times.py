"""Timestamps and durations from requests, checked against the ranges protobuf defines for them."""
from __future__ import annotations

from google.protobuf import duration_pb2, timestamp_pb2

from chatsvc.domain.errors import InvalidArgument

_MIN_SECONDS, _MAX_SECONDS = -62_135_596_800, 253_402_300_799  # 0001-01-01 .. 9999-12-31
_MAX_DURATION_SECONDS = 315_576_000_000  # 10,000 years


def timestamp_micros(ts: timestamp_pb2.Timestamp, field: str) -> int:
    if not (_MIN_SECONDS <= ts.seconds <= _MAX_SECONDS and 0 <= ts.nanos < 1_000_000_000):
        raise InvalidArgument.field(field, "is not a valid timestamp")
    return ts.seconds * 1_000_000 + ts.nanos // 1000


def duration_micros(d: duration_pb2.Duration, field: str) -> int:
    in_range = abs(d.seconds) <= _MAX_DURATION_SECONDS and abs(d.nanos) < 1_000_000_000
    if not in_range or (d.seconds > 0 and d.nanos < 0) or (d.seconds < 0 and d.nanos > 0):
        raise InvalidArgument.field(field, "is not a valid duration")
    return d.seconds * 1_000_000 + int(d.nanos / 1000)
