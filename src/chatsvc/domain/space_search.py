"""The query languages of ListSpaces (`filter`) and SearchSpaces (`query`, `order_by`), as Google documents
them, read from the shared AIP-160 parse tree into plain data that storage turns into SQL."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from chatsvc.aip import filters
from chatsvc.aip.filters import And, Comparison, Node, Or
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.models import HistoryState, SpaceType

MAX_QUERY_LENGTH = 1000
MY_CUSTOMER = "customers/my_customer"
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """How display names and the text searched for are split: runs of letters and digits, case-folded."""
    return _WORD.findall(text.casefold())


def name_words(display_name: str) -> str:
    """A display name as storage keeps it for search: every word preceded by a space, so that "a word starts
    with t" is `LIKE '% t%'`."""
    return "".join(" " + w for w in words(display_name))


# --- ListSpaces ----------------------------------------------------------------------------------------

def list_filter(text: str) -> frozenset[SpaceType] | None:
    """`space_type = "SPACE"`, or several such terms joined by OR; None when there is no filter."""
    node = filters.parse(text, "filter")
    if node is None:
        return None
    found = set()
    for term in filters.flatten(node, Or):
        if not isinstance(term, Comparison) or term.field != "space_type":
            raise filters.invalid("filter", "only `space_type` can be filtered on, with `=` and OR")
        if term.op != "=":
            raise filters.invalid("filter", "`space_type` takes the `=` operator")
        found.add(_space_type(term.value, "filter", allowed=(SpaceType.SPACE, SpaceType.GROUP_CHAT,
                                                            SpaceType.DIRECT_MESSAGE)))
    return frozenset(found)


def _space_type(value: str, field: str, *, allowed: tuple[SpaceType, ...]) -> SpaceType:
    kind = SpaceType.__members__.get(value)
    if kind not in allowed:
        names = ", ".join(f"`{t.name}`" for t in allowed)
        raise filters.invalid(field, f"`{value}` is not a space type that can be used here ({names})")
    return kind


# --- SearchSpaces --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bound:
    op: str  # = < <= > >=
    micros: int


Intervals = tuple[tuple[Bound, ...], ...]  # OR of ANDs


@dataclass(frozen=True)
class SpaceQuery:
    """What a search matches; None means "any". Storage reads it; the domain builds it."""

    space_type: SpaceType = SpaceType.SPACE
    customer: str | None = None
    member_id: str | None = None  # only spaces this user has joined
    display_names: tuple[tuple[str, ...], ...] | None = None  # OR of (every word prefix-matched)
    external_user_allowed: frozenset[bool] | None = None
    history_states: frozenset[HistoryState] | None = None
    create_time: Intervals | None = None
    last_active_time: Intervals | None = None

    def for_member(self, member_id: str) -> SpaceQuery:
        return replace(self, member_id=member_id)


_USER_FIELDS = frozenset({"display_name", "external_user_allowed", "space_type"})
_ADMIN_FIELDS = _USER_FIELDS | {"create_time", "customer", "last_active_time", "space_history_state"}
_TIME_FIELDS = ("create_time", "last_active_time")
_LOWER = (">", ">=")
_UPPER = ("<", "<=")


def search_query(text: str, *, admin: bool) -> SpaceQuery:
    if not text.strip():
        raise filters.invalid("query", "is required")
    if len(text) > MAX_QUERY_LENGTH:
        raise filters.invalid("query", f"must be at most {MAX_QUERY_LENGTH} characters")
    allowed = _ADMIN_FIELDS if admin else _USER_FIELDS
    by_field: dict[str, list[Node]] = {}
    for term in _terms(filters.parse(text, "query")):
        field = _only_field(term)
        if field not in _ADMIN_FIELDS:
            raise filters.invalid("query", f"`{field}` cannot be searched on")
        if field not in allowed:
            raise filters.invalid("query", f"`{field}` can only be searched on with `use_admin_access`")
        by_field.setdefault(field, []).append(term)

    if "space_type" not in by_field:
        raise filters.invalid("query", '`space_type = "SPACE"` is required')
    if admin and "customer" not in by_field:
        raise filters.invalid("query", '`customer = "customers/my_customer"` is required with `use_admin_access`')
    query = SpaceQuery(space_type=_space_type(_single(by_field["space_type"], "space_type", "="), "query",
                                              allowed=(SpaceType.SPACE,)))
    if "customer" in by_field:
        customer = _single(by_field["customer"], "customer", "=")
        if customer != MY_CUSTOMER:
            raise filters.invalid("query", f'the only supported `customer` is "{MY_CUSTOMER}"')
        query = replace(query, customer=customer)
    if "display_name" in by_field:
        texts = _any_of(by_field["display_name"], "display_name", ":")
        tokens = tuple(tuple(words(t)) for t in texts)
        if not all(tokens):
            raise filters.invalid("query", "`display_name` needs a word to match")
        query = replace(query, display_names=tokens)
    if "external_user_allowed" in by_field:
        values = _any_of(by_field["external_user_allowed"], "external_user_allowed", "=")
        if not set(values) <= {"true", "false"}:
            raise filters.invalid("query", "`external_user_allowed` is `true` or `false`")
        query = replace(query, external_user_allowed=frozenset(v == "true" for v in values))
    if "space_history_state" in by_field:
        values = _any_of(by_field["space_history_state"], "space_history_state", "=")
        states = {"HISTORY_ON": HistoryState.HISTORY_ON, "HISTORY_OFF": HistoryState.HISTORY_OFF}
        if not set(values) <= set(states):
            raise filters.invalid("query", "`space_history_state` is `HISTORY_ON` or `HISTORY_OFF`")
        query = replace(query, history_states=frozenset(states[v] for v in values))
    for field in _TIME_FIELDS:
        if field in by_field:
            query = replace(query, **{field: _intervals(by_field[field], field)})
    return query


def _terms(node: Node) -> list[Node]:
    """The conditions ANDed at the top of a query, one field each. An AND whose conditions are all on one
    field stays whole (a time interval)."""
    if isinstance(node, And) and len(_fields(node)) > 1:
        return [term for operand in node.operands for term in _terms(operand)]
    return [node]


def _fields(node: Node) -> set[str]:
    if isinstance(node, Comparison):
        return {node.field}
    if isinstance(node, (And, Or)):
        return set().union(*(_fields(o) for o in node.operands))
    raise filters.invalid("query", "only comparisons joined by AND and OR are supported (no NOT, no functions)")


def _only_field(term: Node) -> str:
    fields = _fields(term)
    if len(fields) > 1:
        raise filters.invalid("query", "OR can only join conditions on the same field; join fields with AND")
    return fields.pop()


def _single(terms: list[Node], field: str, op: str) -> str:
    if len(terms) != 1 or not isinstance(terms[0], Comparison):
        raise filters.invalid("query", f"`{field}` takes a single value (no AND, no OR)")
    return _value(terms[0], field, op)


def _value(term: Comparison, field: str, op: str) -> str:
    if term.op != op:
        raise filters.invalid("query", f"`{field}` takes the `{op}` operator")
    return term.value


def _any_of(terms: list[Node], field: str, op: str) -> list[str]:
    """The values of `field = a OR field = b ...`: one term, ORs only."""
    if len(terms) != 1:
        raise filters.invalid("query", f"`{field}` conditions can only be joined with OR")
    leaves = filters.flatten(terms[0], Or)
    if not all(isinstance(leaf, Comparison) for leaf in leaves):
        raise filters.invalid("query", f"`{field}` conditions can only be joined with OR")
    return [_value(leaf, field, op) for leaf in leaves]


def _intervals(terms: list[Node], field: str) -> Intervals:
    """create_time / last_active_time: comparisons, intervals (two ends joined by AND), and ORs of them."""
    if len(terms) > 1:  # `t > a AND t < b` written without parentheses at the top of the query
        terms = [And(tuple(terms))]
    (term,) = terms
    if isinstance(term, Or):
        return tuple(_interval(option, field) for option in filters.flatten(term, Or))
    return (_interval(term, field),)


def _interval(node: Node, field: str) -> tuple[Bound, ...]:
    if isinstance(node, Comparison):
        return (_bound(node, field),)
    ends = filters.flatten(node, And)
    if not all(isinstance(end, Comparison) for end in ends):
        raise filters.invalid("query", f"`{field}`: AND can only join the two ends of an interval")
    bounds = tuple(_bound(end, field) for end in ends)
    if len(bounds) != 2 or {b.op in _LOWER for b in bounds} != {True, False} or any(b.op == "=" for b in bounds):
        raise filters.invalid("query", f"`{field}`: AND can only join the two ends of an interval (one of > >= "
                                       "and one of < <=)")
    return bounds


def _bound(term: Comparison, field: str) -> Bound:
    if term.op not in ("=", *_LOWER, *_UPPER):
        raise filters.invalid("query", f"`{field}` takes =, <, >, <= or >=")
    return Bound(term.op, filters.timestamp_us(term.value, "query"))


# --- SearchSpaces order_by -----------------------------------------------------------------------------

@dataclass(frozen=True)
class SearchOrder:
    field: str
    descending: bool


_MEMBER_COUNT = "membership_count.joined_direct_human_user_count"
_ADMIN_ORDERS = (_MEMBER_COUNT, "last_active_time", "create_time")


def search_order(text: str, *, admin: bool) -> SearchOrder:
    """Admin searches order by member count, last activity or creation, ASC (default) or DESC; other
    searches by `create_time DESC` or `relevance DESC`. Relevance is not modelled: newest first stands in
    for it, and is the default."""
    parts = text.split()
    if not parts:
        return SearchOrder("create_time", descending=not admin)
    field = ".".join(filters.snake(p) for p in parts[0].split("."))
    direction = parts[1].upper() if len(parts) == 2 else "ASC"
    if len(parts) > 2 or direction not in ("ASC", "DESC"):
        raise InvalidArgument.field("order_by", "must be a field, optionally followed by ASC or DESC")
    if admin:
        if field not in _ADMIN_ORDERS:
            raise InvalidArgument.field("order_by", "orders by " + ", ".join(f"`{f}`" for f in _ADMIN_ORDERS))
        return SearchOrder(field, direction == "DESC")
    if field not in ("create_time", "relevance") or direction != "DESC":
        raise InvalidArgument.field("order_by", "without `use_admin_access`, only `create_time DESC` and "
                                                "`relevance DESC` are supported")
    return SearchOrder("create_time", descending=True)
