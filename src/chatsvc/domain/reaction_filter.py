"""ListReactions' filter grammar, read from the shared AIP-160 parser's tree.

Google documents three fields, compared with `=`: `emoji.unicode`, `emoji.custom_emoji.uid` and `user.name`.
Conditions on emoji join with OR (either kind of emoji), conditions on users join with OR, and the two
groups join with AND (parenthesised where AND and OR meet, which the parser already insists on). So an AND
of two emoji conditions, an OR of an emoji and a user, and any deeper mixing are refused, as the docs list.
"""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.aip import filters
from chatsvc.aip.names import MemberRef, user
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.models import Emoji

FIELD = "filter"
_EMOJI_FIELDS = ("emoji.unicode", "emoji.custom_emoji.uid")
_USER_FIELD = "user.name"


@dataclass(frozen=True)
class ReactionQuery:
    emojis: tuple[Emoji, ...] = ()  # any of these; empty: every emoji
    users: tuple[MemberRef, ...] | None = None  # any of these; None: everyone


def parse(text: str) -> ReactionQuery:
    tree = filters.parse(text, FIELD)
    if tree is None:
        return ReactionQuery()
    emojis: tuple[Emoji, ...] = ()
    users: tuple[MemberRef, ...] | None = None
    for term in filters.flatten(tree, filters.And):
        kind, values = _group(term)
        if kind == "emoji":
            if emojis:
                raise filters.invalid(FIELD, "emoji can be named only once in an AND; join emoji with OR")
            emojis = values
        else:
            if users is not None:
                raise filters.invalid(FIELD, "`user.name` can be named only once in an AND; join users with OR")
            users = values
    return ReactionQuery(emojis, users)


def _group(node: filters.Node) -> tuple[str, tuple]:
    """One ANDed term: conditions of one kind (emoji or user) joined by OR."""
    kinds, values = set(), []
    for leaf in filters.flatten(node, filters.Or):
        if isinstance(leaf, filters.And):
            raise filters.invalid(FIELD, "an OR can't contain an AND; AND joins emoji conditions with user "
                                         "conditions, for example `(emoji.unicode = \"🙂\" OR emoji.unicode = "
                                         "\"👍\") AND user.name = \"users/123\"`")
        kind, value = _condition(leaf)
        kinds.add(kind)
        values.append(value)
    if len(kinds) > 1:
        raise filters.invalid(FIELD, "emoji and `user.name` conditions can't be joined with OR; join them with AND")
    return kinds.pop(), tuple(values)


def _condition(node: filters.Node) -> tuple[str, Emoji | MemberRef]:
    if not isinstance(node, filters.Comparison):
        raise filters.invalid(FIELD, "only `emoji.unicode`, `emoji.custom_emoji.uid` and `user.name` "
                                     "comparisons joined by AND or OR are supported")
    if node.field not in (*_EMOJI_FIELDS, _USER_FIELD):
        raise filters.invalid(FIELD, f"`{node.field}` is not a field reactions can be filtered by; use "
                                     "`emoji.unicode`, `emoji.custom_emoji.uid` or `user.name`")
    if node.op != "=":
        raise filters.invalid(FIELD, f"`{node.field}` supports only the `=` operator")
    if not node.value:
        raise filters.invalid(FIELD, f"`{node.field}` needs a value")
    if node.field == "emoji.unicode":
        return "emoji", Emoji(unicode=node.value)
    if node.field == "emoji.custom_emoji.uid":
        return "emoji", Emoji(custom_uid=node.value)
    try:
        return "user", user(node.value, FIELD)
    except InvalidArgument:
        raise filters.invalid(FIELD, f"`user.name` must have the form `users/{{user}}`, not `{node.value}`") from None
