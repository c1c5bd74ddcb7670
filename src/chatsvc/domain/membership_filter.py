"""ListMemberships' filter grammar, read from the shared AIP-160 parser's tree.

Google documents two fields: `role` (`=` only) and `member.type` (`=` and `!=`, HUMAN or BOT). Terms combine
with AND and OR (the parser wants parentheses where both meet); an AND may name each field only once, which
refuses Google's two documented invalid queries (`member.type = "HUMAN" AND member.type = "BOT"`,
`role = "ROLE_MANAGER" AND role = "ROLE_MEMBER"`). A Google Group has no member type, so it fails every
`member.type =` and passes every `member.type !=`; its role is always unspecified, so it fails every `role =`.
"""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.aip import filters
from chatsvc.domain.models import MembershipRole, UserType

FIELD = "filter"
_ROLES = {"ROLE_MEMBER": MembershipRole.MEMBER, "ROLE_MANAGER": MembershipRole.MANAGER,
          "ROLE_ASSISTANT_MANAGER": MembershipRole.ASSISTANT_MANAGER}
_TYPES = {"HUMAN": UserType.HUMAN, "BOT": UserType.BOT}


@dataclass(frozen=True)
class RoleIs:
    role: MembershipRole


@dataclass(frozen=True)
class TypeIs:
    type: UserType
    equal: bool = True  # False for `!=`


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]


Condition = RoleIs | TypeIs | AllOf | AnyOf


def parse(text: str, *, admin_access: bool = False) -> Condition | None:
    """The condition of a ListMemberships filter; None when empty. With administrator access the filter must
    keep apps out: one of its ANDed terms is `member.type = "HUMAN"` or `member.type != "BOT"`, and it holds
    no other member.type term."""
    tree = filters.parse(text, FIELD)
    condition = _read(tree) if tree is not None else None
    if admin_access:
        _check_admin(condition)
    return condition


def _read(node: filters.Node) -> Condition:
    if isinstance(node, filters.Comparison):
        return _comparison(node)
    if isinstance(node, filters.Or):
        return AnyOf(tuple(_read(part) for part in node.operands))
    if isinstance(node, filters.And):
        parts = tuple(_read(part) for part in node.operands)
        seen: set[str] = set()
        for part in parts:
            named = _fields(part)
            if named & seen:
                raise filters.invalid(FIELD, f"`{sorted(named & seen)[0]}` can appear only once in an AND; "
                                             "use OR to match either value")
            seen |= named
        return AllOf(parts)
    raise filters.invalid(FIELD, "only `role` and `member.type` comparisons joined by AND or OR are supported")


def _comparison(node: filters.Comparison) -> Condition:
    if node.field == "role":
        if node.op != "=":
            raise filters.invalid(FIELD, "`role` supports only the `=` operator")
        if node.value not in _ROLES:
            raise filters.invalid(FIELD, f"`role` must be one of {', '.join(_ROLES)}")
        return RoleIs(_ROLES[node.value])
    if node.field == "member.type":
        if node.op not in ("=", "!="):
            raise filters.invalid(FIELD, "`member.type` supports only the `=` and `!=` operators")
        if node.value not in _TYPES:
            raise filters.invalid(FIELD, "`member.type` must be HUMAN or BOT")
        return TypeIs(_TYPES[node.value], equal=node.op == "=")
    raise filters.invalid(FIELD, f"`{node.field}` is not a field memberships can be filtered by; "
                                 "use `role` or `member.type`")


def _fields(condition: Condition) -> set[str]:
    if isinstance(condition, RoleIs):
        return {"role"}
    if isinstance(condition, TypeIs):
        return {"member.type"}
    return set().union(*(_fields(part) for part in condition.parts))


def _type_terms(condition: Condition) -> list[TypeIs]:
    if isinstance(condition, TypeIs):
        return [condition]
    if isinstance(condition, RoleIs):
        return []
    return [term for part in condition.parts for term in _type_terms(part)]


_HUMANS_ONLY = (TypeIs(UserType.HUMAN, equal=True), TypeIs(UserType.BOT, equal=False))


def _check_admin(condition: Condition | None) -> None:
    top = condition.parts if isinstance(condition, AllOf) else (condition,) if condition else ()
    required = [part for part in top if part in _HUMANS_ONLY]
    if not required or _type_terms(condition) != required[:1]:
        raise filters.invalid(FIELD, 'with `use_admin_access`, the filter must include `member.type = "HUMAN"` '
                                     'or `member.type != "BOT"` (ANDed with any other terms) and no other '
                                     "`member.type` term")
