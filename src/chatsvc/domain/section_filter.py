"""ListSectionItems' filter, read from the shared AIP-160 parser's tree.

Google documents one field, `space`, compared with `=` to a space name (`space = spaces/{space}`, the name
quoted or not). Several spaces may be ORed; anything else (other fields or operators, AND, NOT) is refused.
"""
from __future__ import annotations

import re

from chatsvc.aip import filters

FIELD = "filter"
_SPACE = re.compile(r"^spaces/([A-Za-z0-9_.@+\-]{1,320})\Z")


def parse(text: str) -> tuple[str, ...] | None:
    """The ids of the spaces the filter asks for; None when there is no filter."""
    tree = filters.parse(text, FIELD)
    if tree is None:
        return None
    return tuple(dict.fromkeys(_space_id(term) for term in _alternatives(tree)))


def _alternatives(node: filters.Node) -> list[filters.Node]:
    if isinstance(node, filters.Or):
        return [term for part in node.operands for term in _alternatives(part)]
    return [node]


def _space_id(node: filters.Node) -> str:
    if not isinstance(node, filters.Comparison) or node.field != "space":
        raise filters.invalid(FIELD, "only `space = spaces/{space}` is supported (several may be joined by OR)")
    if node.op != "=":
        raise filters.invalid(FIELD, "`space` supports only the `=` operator")
    match = _SPACE.match(node.value)
    if not match:
        raise filters.invalid(FIELD, "`space` must be compared with a space name, `spaces/{space}`")
    return match.group(1)
