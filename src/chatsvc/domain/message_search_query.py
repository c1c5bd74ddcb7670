"""The SearchMessages query language and ordering, as Google documents them, read from the shared AIP-160
parse tree (aip/filters.py, in search mode) into plain data.

A query is free text (bare words and quoted phrases) and conditions on message fields, joined by AND (written
or implied by juxtaposition). OR joins conditions on one field only, and only for the fields Google allows it
on; `space.display_name`, mentions and the free text take AND or OR, never both. NOT and `-` are not part of
the grammar. Anything else is INVALID_ARGUMENT naming `filter`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from chatsvc.aip import filters, names
from chatsvc.aip.filters import And, Call, Comparison, Node, Not, Or, Text
from chatsvc.aip.names import MemberRef
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.models import SpaceType

FIELD = "filter"
MAX_QUERY_LENGTH = 1000

KEYWORDS = "keywords"  # the field the free text counts as
CREATE_TIME = "create_time"
SENDER = "sender.name"
SPACE_NAME = "space.name"
SPACE_DISPLAY_NAME = "space.display_name"
SPACE_TYPE = "space.space_type"
ATTACHMENT = "attachment"
MENTIONED = "annotations.user_mentions.user.name"
HAS_LINK = "has_link()"
IS_UNREAD = "is_unread()"

_ONLY_OR = (SENDER, SPACE_NAME, SPACE_TYPE)  # several conditions must be ORed
_AND_OR_NOT_BOTH = (KEYWORDS, SPACE_DISPLAY_NAME, MENTIONED)
_ONCE = (ATTACHMENT, HAS_LINK, IS_UNREAD)
_FIELDS = frozenset({CREATE_TIME, *_ONLY_OR, *_AND_OR_NOT_BOTH, *_ONCE})
_SPACE_TYPES = {t.name: t for t in (SpaceType.DIRECT_MESSAGE, SpaceType.GROUP_CHAT, SpaceType.SPACE)}
_WORD = re.compile(r"[^\W_]+")
# What `has_link()` looks for in message text (case-insensitively): a web address, as Chat links it.
LINK_MARKERS = ("http://", "https://", "www.")


def words(text: str) -> list[str]:
    """The searchable words of a text: runs of letters and digits, case-folded. Free text without any can
    match no message."""
    return _WORD.findall(text.casefold())


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query. Empty tuples mean "no condition"; `*_any` says whether several values are ORed."""

    keywords: tuple[str, ...] = ()  # each as written: a phrase whose words must appear in order
    keywords_any: bool = False
    created_from_us: int | None = None  # create_time >= this
    created_before_us: int | None = None  # create_time < this
    senders: tuple[MemberRef, ...] = ()  # ORed
    space_ids: tuple[str, ...] = ()  # ORed
    space_types: frozenset[SpaceType] = frozenset()  # ORed
    display_names: tuple[tuple[str, ...], ...] = ()  # each value's words, all prefix-matched
    display_names_any: bool = False
    mentioned: tuple[MemberRef, ...] = ()
    mentioned_any: bool = False
    has_attachment: bool = False
    has_link: bool = False
    unread: bool = False

    @property
    def uses_space_details(self) -> bool:
        """Conditions Google only accepts with a chat.spaces scope."""
        return bool(self.display_names or self.space_types)


def _refuse(why: str) -> InvalidArgument:
    return filters.invalid(FIELD, why)


def parse(text: str) -> SearchQuery:
    if not text.strip():
        raise _refuse("is required: search words or conditions on message fields")
    if len(text) > MAX_QUERY_LENGTH:
        raise _refuse(f"must be at most {MAX_QUERY_LENGTH} characters")
    by_field: dict[str, list[Node]] = {}
    for term in filters.flatten(filters.parse(text, FIELD, search=True), And):
        field = _field_of(term)
        by_field.setdefault(field, []).append(term)
    values: dict = {}
    for field, terms in by_field.items():
        values.update(_read(field, terms))
    return SearchQuery(**values)


def _field_of(term: Node) -> str:
    """The one field a top-level condition is about. An OR group must keep to one field."""
    if isinstance(term, Or):
        fields = {_field_of(leaf) for leaf in filters.flatten(term, Or)}
        if len(fields) > 1:
            raise _refuse("OR can only join conditions on the same field; join different fields with AND")
        return fields.pop()
    if isinstance(term, And):  # only inside an OR: `(a AND b) OR c`
        raise _refuse("an OR group joins single conditions on one field; AND inside OR is not supported")
    if isinstance(term, Not):
        raise _refuse("NOT and `-` are not supported")
    if isinstance(term, Text):
        if not term.quoted and term.value.startswith("-"):
            raise _refuse(f"`{term.value}`: excluding words with `-` is not supported")
        return KEYWORDS
    if isinstance(term, Call):
        name = f"{term.name}()"
        if name not in (HAS_LINK, IS_UNREAD):
            raise _refuse(f"`{term.name}` is not a function; use `has_link()` or `is_unread()`")
        if term.args:
            raise _refuse(f"`{name}` takes no arguments")
        return name
    if term.field not in _FIELDS:
        raise _refuse(f"cannot filter on `{term.field}`")
    return term.field


def _values(field: str, terms: list[Node]) -> tuple[list[Node], bool]:
    """The leaves of one field's conditions and whether they are ORed, under the field's AND/OR rules."""
    ored = [t for t in terms if isinstance(t, Or)]
    if field in _ONCE:
        if len(terms) > 1 or ored:
            raise _refuse(f"`{field}` can be used once")
        return terms, False
    if field == CREATE_TIME:
        if ored:
            raise _refuse("`create_time` conditions can only be joined with AND, as an interval")
        return terms, False
    if field in _ONLY_OR:
        if len(terms) > 1:
            raise _refuse(f"`{field}` conditions can only be joined with OR")
        return filters.flatten(terms[0], Or), bool(ored)
    if ored and len(terms) > 1:
        raise _refuse(f"`{field}` conditions take AND or OR, not both")
    return (filters.flatten(terms[0], Or), True) if ored else (terms, False)


def _read(field: str, terms: list[Node]) -> dict:
    leaves, ored = _values(field, terms)
    if field == KEYWORDS:
        return dict(keywords=tuple(leaf.value for leaf in leaves), keywords_any=ored and len(leaves) > 1)
    if field in (HAS_LINK, IS_UNREAD):
        return {"has_link" if field == HAS_LINK else "unread": True}
    if field == CREATE_TIME:
        return _interval(leaves)
    if field == SENDER:
        return dict(senders=tuple(names.user(_value(leaf, "="), FIELD) for leaf in leaves))
    if field == SPACE_NAME:
        return dict(space_ids=tuple(names.space(_value(leaf, "="), FIELD) for leaf in leaves))
    if field == SPACE_TYPE:
        return dict(space_types=frozenset(_space_type(_value(leaf, "=")) for leaf in leaves))
    if field == SPACE_DISPLAY_NAME:
        found = tuple(tuple(words(_value(leaf, ":"))) for leaf in leaves)
        if not all(found):
            raise _refuse("`space.display_name` needs a word to match")
        return dict(display_names=found, display_names_any=ored and len(found) > 1)
    if field == MENTIONED:
        mentioned = tuple(names.user(_value(leaf, ":"), FIELD) for leaf in leaves)
        return dict(mentioned=mentioned, mentioned_any=ored and len(mentioned) > 1)
    (leaf,) = leaves  # attachment
    if _value(leaf, ":") != "*" or leaf.quoted:
        raise _refuse("`attachment` takes `:*` (has any attachment)")
    return dict(has_attachment=True)


def _value(leaf: Comparison, op: str) -> str:
    if leaf.op != op:
        raise _refuse(f"`{leaf.field}` takes the `{op}` operator")
    return leaf.value


def _space_type(value: str) -> SpaceType:
    if value not in _SPACE_TYPES:
        raise _refuse(f"`{value}` is not a space type; use " + ", ".join(f"`{t}`" for t in _SPACE_TYPES))
    return _SPACE_TYPES[value]


def _interval(leaves: list[Node]) -> dict:
    """`create_time >= a`, `create_time < b`, or both (an interval); each at most once."""
    bounds: dict[str, int] = {}
    for leaf in leaves:
        if leaf.op not in (">=", "<"):
            raise _refuse("`create_time` takes `>=` or `<`")
        if not leaf.quoted:
            raise _refuse("write the `create_time` timestamp in double quotes")
        if leaf.op in bounds:
            raise _refuse(f"at most one `create_time {leaf.op}` condition")
        bounds[leaf.op] = filters.timestamp_us(leaf.value, FIELD)
    return dict(created_from_us=bounds.get(">="), created_before_us=bounds.get("<"))


# --- order_by -------------------------------------------------------------------------------------------

def by_relevance(order_by: str) -> bool:
    """`create_time desc` (the default) or `relevance desc`; True for relevance."""
    parts = order_by.split()
    if not parts:
        return False
    field = filters.snake(parts[0])
    if len(parts) != 2 or field not in ("create_time", "relevance") or parts[1].lower() != "desc":
        raise InvalidArgument.field("order_by", "must be `create_time desc` or `relevance desc` (one attribute, "
                                                "descending order only)")
    return field == "relevance"
