"""Credential resource names: `users/{user}/googleCredentials/{credential}` and the Microsoft twin."""
from __future__ import annotations

import re

from chatsvc.domain.credential_models import Provider
from chatsvc.domain.errors import InvalidArgument

COLLECTIONS = {Provider.GOOGLE: "googleCredentials", Provider.MICROSOFT: "microsoftCredentials"}
_BY_COLLECTION = {collection: provider for provider, collection in COLLECTIONS.items()}
_NAME = re.compile(r"^users/([^/]+)/(googleCredentials|microsoftCredentials)/([A-Za-z0-9-]{1,64})$")
_PARENT = re.compile(r"^users/([^/]+)$")


def credential_name(user_id: str, provider: Provider, credential_id: str) -> str:
    return f"users/{user_id}/{COLLECTIONS[provider]}/{credential_id}"


def credential(name: str, field: str = "name") -> tuple[str, Provider, str]:
    """(user segment, provider, credential id); the user segment may be `me`, an id or an email."""
    match = _NAME.match(name)
    if not match:
        raise InvalidArgument.field(field, "must look like `users/{user}/googleCredentials/{credential}` or "
                                    "`users/{user}/microsoftCredentials/{credential}`")
    return match.group(1), _BY_COLLECTION[match.group(2)], match.group(3)


def user_parent(parent: str, field: str = "parent") -> str:
    """The user segment of `users/{user}`."""
    match = _PARENT.match(parent)
    if not match:
        raise InvalidArgument.field(field, "must look like `users/{user}`, e.g. `users/me`")
    return match.group(1)
