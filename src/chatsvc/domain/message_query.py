"""The ListMessages filter, read from the shared AIP-160 tree with the rules Google documents for it.

Accepted: `create_time > "<RFC-3339>"`, `create_time < "<RFC-3339>"` (at most one of each, so two make an
interval) and `thread.name = spaces/{space}/threads/{thread}` (at most one), joined with AND. Anything else
-- OR, NOT, other fields or operators, an unquoted timestamp, a thread of another space -- is refused.
"""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.aip import filters, names
from chatsvc.aip.filters import And, Comparison, Not, Or
from chatsvc.domain.errors import InvalidArgument

FIELD = "filter"


@dataclass(frozen=True)
class MessageQuery:
    created_after_us: int | None = None
    created_before_us: int | None = None
    thread_id: str | None = None


def _terms(node) -> list:
    """The terms ANDed together, parentheses around AND groups removed."""
    if isinstance(node, And):
        return [term for operand in node.operands for term in _terms(operand)]
    return [node]


def _refuse(why: str) -> InvalidArgument:
    return filters.invalid(FIELD, why)


def parse(text: str, space_id: str) -> MessageQuery:
    tree = filters.parse(text, FIELD)
    if tree is None:
        return MessageQuery()
    after = before = thread_id = None
    for term in _terms(tree):
        if isinstance(term, Or):
            raise _refuse("combine conditions with AND; OR is not supported")
        if isinstance(term, Not):
            raise _refuse("NOT is not supported")
        if not isinstance(term, Comparison):
            raise _refuse("only `create_time` and `thread.name` conditions are supported")
        if term.field == "create_time":
            if term.op not in (">", "<"):
                raise _refuse("`create_time` takes `>` or `<`")
            if not term.quoted:
                raise _refuse("write the `create_time` timestamp in double quotes")
            value = filters.timestamp_us(term.value, FIELD)
            if term.op == ">":
                if after is not None:
                    raise _refuse("at most one `create_time >` condition")
                after = value
            else:
                if before is not None:
                    raise _refuse("at most one `create_time <` condition")
                before = value
        elif term.field == "thread.name":
            if term.op != "=":
                raise _refuse("`thread.name` takes `=`")
            if thread_id is not None:
                raise _refuse("at most one `thread.name` condition")
            try:
                thread_space, thread_id = names.thread(term.value, FIELD)
            except InvalidArgument:
                raise _refuse("`thread.name` must have the form `spaces/{space}/threads/{thread}`") from None
            if thread_space != space_id:
                raise _refuse("`thread.name` must name a thread of the space in `parent`")
        else:
            raise _refuse(f"cannot filter on `{term.field}`; use `create_time` or `thread.name`")
    return MessageQuery(after, before, thread_id)
