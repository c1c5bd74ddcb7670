"""ListSpaceEvents' filter, read from the shared AIP-160 parser's tree with the rules Google documents.

    event_types:"<type>" [OR event_types:"<type>" ...]      required; `:` only; base types only
    start_time="<RFC-3339>"                                  optional; exclusive
    end_time="<RFC-3339>"                                    optional; inclusive

The event-type group and the two times are ANDed (the group in parentheses when it holds an OR, as the
parser wants wherever AND and OR meet). Refused, as the docs' invalid examples show: times joined with OR,
event types joined with AND (two event-type groups), a time inside the OR group. Batch types are refused
too: the docs ask callers to leave them out, and every base type brings its batch type along.
"""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.aip import filters
from chatsvc.aip.filters import And, Comparison, Or
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.events import EventType

FIELD = "filter"
_TYPES = {t.value: t for t in EventType}
_TIMES = ("start_time", "end_time")


def batch_type(event_type: EventType) -> str:
    """`...message.v1.created` -> `...message.v1.batchCreated`."""
    prefix, _, action = event_type.value.rpartition(".")
    return f"{prefix}.batch{action[0].upper()}{action[1:]}"


_BATCH_TYPES = {batch_type(t): t for t in EventType}


@dataclass(frozen=True)
class EventQuery:
    types: frozenset[EventType]
    start_us: int | None = None  # events strictly after this time
    end_us: int | None = None  # events at or before this time


def _refuse(why: str) -> InvalidArgument:
    return filters.invalid(FIELD, why)


def _event_type(node) -> EventType:
    if not isinstance(node, Comparison):
        raise _refuse("join event types with OR only, as in "
                      '`event_types:"google.workspace.chat.message.v1.created" OR event_types:"..."`')
    if node.field in _TIMES:
        raise _refuse(f"`{node.field}` cannot be joined with OR; AND it with the event types")
    if node.field != "event_types":
        raise _refuse(f"cannot filter on `{node.field}`; use `event_types`, `start_time` and `end_time`")
    if node.op != ":":
        raise _refuse("`event_types` takes the has operator `:`")
    if node.value in _BATCH_TYPES:
        raise _refuse(f"leave out the batch type `{node.value}`: asking for "
                      f"`{_BATCH_TYPES[node.value].value}` returns its batch events too")
    if node.value not in _TYPES:
        raise _refuse(f"`{node.value}` is not a supported event type; supported: {', '.join(sorted(_TYPES))}")
    return _TYPES[node.value]


def parse(text: str) -> EventQuery:
    tree = filters.parse(text, FIELD)
    if tree is None:
        raise _refuse('is required and names at least one event type, e.g. '
                      '`event_types:"google.workspace.chat.message.v1.created"`')
    types: frozenset[EventType] | None = None
    times: dict[str, int] = {}
    for term in filters.flatten(tree, And):
        if isinstance(term, Comparison) and term.field in _TIMES:
            if term.op != "=":
                raise _refuse(f"`{term.field}` takes `=`")
            if term.field in times:
                raise _refuse(f"`{term.field}` can appear only once")
            times[term.field] = filters.timestamp_us(term.value, FIELD)
            continue
        if isinstance(term, Comparison | Or):
            if types is not None:
                raise _refuse("event types cannot be joined with AND; join them with OR")
            types = frozenset(_event_type(part) for part in filters.flatten(term, Or))
            continue
        raise _refuse("only `event_types`, `start_time` and `end_time` conditions are supported; NOT and "
                      "functions are not")
    if types is None:
        raise _refuse('name at least one event type with `event_types:"..."`')
    start, end = times.get("start_time"), times.get("end_time")
    if start is not None and end is not None and end < start:
        raise _refuse("`end_time` must not be earlier than `start_time`")
    return EventQuery(types, start, end)
