"""People (Google's People API, the part that says who a user is): `people/{id}` is Chat's `users/{id}`.

What chatsvc knows of a person is its directory profile: a human's display name and address, a Chat app's display
name and avatar. Every signed-in user may read every person with `directory.readonly` (members of a Workspace read
its directory); `people/me` is also readable with the OpenID profile and email scopes, each for its own fields.
Chat apps (app authentication, its `chat.bot`, which the gate requires) may read anyone: Chat's events already give
them the name and address of every user they meet.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from chatsvc.aip.filters import snake
from chatsvc.aip.names import SEGMENT, parse
from chatsvc.domain.access import read
from chatsvc.domain.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied
from chatsvc.domain.models import User, UserType
from chatsvc.domain.ports import Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

ME = "me"
MAX_BATCH = 200
_PERSON = re.compile(rf"^people/({SEGMENT})\Z")

# The person fields Google's People API documents for `personFields`, by proto name. chatsvc fills the first three;
# asking for another is no error, it simply comes back empty (chatsvc has no birthdays or phone numbers).
NAMES, EMAIL_ADDRESSES, PHOTOS = "names", "email_addresses", "photos"
PERSON_FIELDS = frozenset({
    "addresses", "age_ranges", "biographies", "birthdays", "calendar_urls", "client_data", "cover_photos",
    EMAIL_ADDRESSES, "events", "external_ids", "genders", "im_clients", "interests", "locales", "locations",
    "memberships", "metadata", "misc_keywords", NAMES, "nicknames", "occupations", "organizations", "phone_numbers",
    PHOTOS, "relations", "sip_addresses", "skills", "urls", "user_defined"})
_GUIDE = "Valid paths are documented at https://developers.google.com/people/api/rest/v1/people/get."

_SCOPE = "https://www.googleapis.com/auth/"
DIRECTORY_SCOPE = _SCOPE + "directory.readonly"
# What reads which field of the caller's own person without DIRECTORY_SCOPE.
_OWN_FIELD_SCOPES = {NAMES: _SCOPE + "userinfo.profile", PHOTOS: _SCOPE + "userinfo.profile",
                     EMAIL_ADDRESSES: _SCOPE + "userinfo.email"}


@dataclass(frozen=True)
class Profile:
    """A user as the directory knows it (storage's batch read): for a Chat app, its registration's display name and
    avatar when it is registered."""

    user: User
    app_display_name: str = ""
    avatar_url: str = ""


@dataclass(frozen=True)
class PersonView:
    """One person, with the fields asked for (`fields`; empty when the request's sources leave profiles out)."""

    user_id: str
    is_app: bool
    display_name: str
    email: str
    photo_url: str
    etag: str
    fields: frozenset[str]


@dataclass(frozen=True)
class PersonResult:
    """One requested name's answer in a batch: the person, or None when nobody has that id."""

    requested: str
    person: PersonView | None


def person_ref(name: str, field: str) -> str:
    """`people/{id}` -> the id; `people/me` -> ME; INVALID_ARGUMENT naming `field` for anything else."""
    (ref,) = parse(_PERSON, name, field, "people/{person}")
    return ref


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def person_fields(paths: Iterable[str], *, field: str = "person_fields", prefix: str = "") -> frozenset[str]:
    """The person fields a mask asks for, by proto name. Paths may be written as JSON names (`emailAddresses`, as
    REST sends them) or proto names; `prefix` (`person.`, the older request mask's form) is required when given.
    INVALID_ARGUMENT for an empty mask or a path that is no person field of Google's, naming it."""
    found = set()
    for path in paths:
        name = path if not prefix else path[len(prefix):] if path.startswith(prefix) else ""
        proto_name = snake(name).lower()
        if proto_name not in PERSON_FIELDS:
            shown = path if prefix else _camel(proto_name)
            raise _bad_mask(field, f"Invalid {_camel(field.split('.')[0])} mask path: \"{shown}\". {_GUIDE}")
        found.add(proto_name)
    if not found:
        raise _bad_mask(field, f"personFields mask is required. Please specify one or more valid paths. {_GUIDE}")
    return frozenset(found)


def _bad_mask(field: str, message: str) -> InvalidArgument:
    """Google's words as the message (clients show them), the field in the BadRequest."""
    return InvalidArgument(message, violations=[FieldViolation(field, message)])


def _etag(user: User, display_name: str, avatar_url: str) -> str:
    """The same for the same data, another once any of it changes (opaque, in the shape of Google's)."""
    digest = hashlib.sha256("\x1f".join((user.id, str(int(user.type)), user.email, display_name, avatar_url))
                            .encode()).digest()
    return "%" + base64.urlsafe_b64encode(digest[:18]).decode()


def _view(profile: Profile, fields: frozenset[str]) -> PersonView:
    user = profile.user
    is_app = user.type == UserType.BOT
    display_name = (profile.app_display_name or user.display_name or user.app_name) if is_app else \
        user.display_name or user.email
    return PersonView(user_id=user.id, is_app=is_app, display_name=display_name,
                      email="" if is_app else user.email, photo_url=profile.avatar_url,
                      etag=_etag(user, display_name, profile.avatar_url), fields=fields)


def _not_found(ref: str) -> NotFound:
    return NotFound("Requested entity was not found.", reason="PERSON_NOT_FOUND",
                    metadata={"resourceName": f"people/{ref}"})


class People:
    def __init__(self, db: Transactions, directory: Directory):
        self._db = db
        self._directory = directory

    async def get(self, principal: Principal, ref: str, fields: frozenset[str], *, profiles: bool = True,
                  ) -> PersonView:
        """One person; NOT_FOUND for an id nobody has."""
        (result,) = await self.batch(principal, [ref], fields, profiles=profiles, names=[f"people/{ref}"])
        if result.person is None:
            raise _not_found(ref)
        return result.person

    async def batch(self, principal: Principal, refs: list[str], fields: frozenset[str], *, profiles: bool = True,
                    names: list[str]) -> list[PersonResult]:
        """Each requested person in order, None for an unknown id; one read for all of them. `names`: the names as
        asked, one per ref. `profiles`: whether the request's sources include profiles (else no fields)."""
        if not refs:
            raise InvalidArgument.field("resource_names", "at least one resource name is required")
        if len(refs) > MAX_BATCH:
            raise InvalidArgument.field("resource_names", f"at most {MAX_BATCH} resource names may be requested "
                                        f"in one call; got {len(refs)}")
        _check_scopes(principal, refs, fields)
        me = (await self._directory.caller(principal)).id if ME in refs else ""
        ids = [me if ref == ME else ref for ref in refs]
        found = await read(self._db, lambda repos: repos.users.profiles(set(ids)))
        shown = fields if profiles else frozenset()
        return [PersonResult(name, _view(found[i], shown) if i in found else None) for name, i in zip(names, ids)]


def _check_scopes(principal: Principal, refs: list[str], fields: frozenset[str]) -> None:
    """Users need `directory.readonly` for anyone but themselves, and for themselves a scope for each field asked."""
    if principal.is_app or DIRECTORY_SCOPE in principal.scopes:
        return
    if any(ref != ME for ref in refs):
        raise PermissionDenied(f"Reading people other than `people/me` requires the scope {DIRECTORY_SCOPE}.",
                               reason="ACCESS_TOKEN_SCOPE_INSUFFICIENT")
    for field in sorted(fields):
        scope = _OWN_FIELD_SCOPES.get(field)
        if scope is not None and scope not in principal.scopes:
            raise PermissionDenied(f"Reading `{_camel(field)}` of `people/me` requires the scope {scope} "
                                   f"(or {DIRECTORY_SCOPE}).", reason="ACCESS_TOKEN_SCOPE_INSUFFICIENT")
