"""Custom emoji: create, get, list and delete, per organization (customer).

Every user of the organization sees its custom emoji; names are unique within it. The image is validated
(emoji_images) and kept in the blob store; the database holds the rest.
"""
from __future__ import annotations

import re
from collections.abc import AsyncIterator

from chatsvc.aip import filters, ids
from chatsvc.aip.names import custom_emoji_name
from chatsvc.domain import emoji_images
from chatsvc.domain.access import read, write
from chatsvc.domain.errors import AlreadyExists, InvalidArgument, NotFound, PermissionDenied
from chatsvc.domain.media import BlobStore, one_chunk
from chatsvc.domain.models import CustomEmoji, Page
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.space_rules import DEFAULT_CUSTOMER
from chatsvc.domain.users import Directory

# Colons around lowercase letters and digits; a single hyphen or underscore may join two words.
EMOJI_NAME = re.compile(r"^:[a-z0-9]+(?:[-_][a-z0-9]+)*:\Z")
MAX_EMOJI_NAME = 64  # with its colons; Google states no limit, this is the stored column's width
NAME_FIELD = "custom_emoji.emoji_name"
_ME = "users/me"


def _not_found(ref: str) -> NotFound:
    return NotFound(f"Custom emoji `{custom_emoji_name(ref)}` not found.", reason="CUSTOM_EMOJI_NOT_FOUND")


def check_name(name: str) -> None:
    if not name:
        raise InvalidArgument.field(NAME_FIELD, "is required, for example `:valid-emoji-name:`")
    if len(name) > MAX_EMOJI_NAME or not EMOJI_NAME.match(name):
        raise InvalidArgument.field(NAME_FIELD, f"must be at most {MAX_EMOJI_NAME} characters: colons around "
                                                "lowercase letters and digits, with single hyphens or underscores "
                                                "between words, for example `:valid-emoji-name:`")


def parse_filter(text: str) -> bool | None:
    """ListCustomEmojis' filter: `creator("users/me")` -> True, `NOT creator("users/me")` -> False, empty ->
    None (everyone's). Google accepts nothing else."""
    node = filters.parse(text)
    if node is None:
        return None
    mine = True
    if isinstance(node, filters.Not):
        mine, node = False, node.operand
    if isinstance(node, filters.Call) and node.name == "creator" and node.args == (_ME,):
        return mine
    raise filters.invalid("filter", 'only `creator("users/me")` and `NOT creator("users/me")` are supported')


class CustomEmojis:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, blobs: BlobStore):
        self._db = db
        self._directory = directory
        self._clock = clock
        self._blobs = blobs

    async def create(self, principal: Principal, emoji_name: str, filename: str, image: bytes) -> CustomEmoji:
        check_name(emoji_name)
        kind = emoji_images.check(filename, image)
        creator = await self._directory.caller(principal)
        emoji_id = ids.opaque_id(16)
        key = f"emojis/{emoji_id}"
        await self._blobs.put(key, one_chunk(image), limit=emoji_images.MAX_BYTES)

        async def work(repos: Repositories) -> CustomEmoji:
            if await repos.custom_emojis.by_name(DEFAULT_CUSTOMER, emoji_name) is not None:
                raise AlreadyExists(f"A custom emoji named `{emoji_name}` already exists in this organization.",
                                    reason="CUSTOM_EMOJI_NAME_IN_USE")
            emoji = CustomEmoji(id=emoji_id, uid=ids.opaque_id(24), emoji_name=emoji_name, creator_id=creator.id,
                                content_type=kind, size_bytes=len(image), blob_key=key,
                                create_time_us=self._clock(), customer=DEFAULT_CUSTOMER)
            await repos.custom_emojis.add(emoji)
            return emoji

        try:
            return await write(self._db, work)
        except BaseException:
            await self._blobs.delete(key)
            raise

    async def get(self, principal: Principal, ref: str) -> CustomEmoji:
        """By id, or by `:name:` (the alias Google accepts in names). Every user of the organization sees it."""
        return await read(self._db, lambda repos: _find(repos, ref))

    async def list(self, principal: Principal, *, after: tuple | None, limit: int, mine: bool | None) -> Page:
        caller = await self._directory.caller(principal)
        return await read(self._db, lambda repos: repos.custom_emojis.list(
            DEFAULT_CUSTOMER, after=after[0] if after else None, limit=limit,
            creator_id=caller.id if mine is True else None, not_creator_id=caller.id if mine is False else None))

    async def delete(self, principal: Principal, ref: str) -> None:
        """The creator deletes their emoji; an administrator (Google: an emoji manager) deletes any."""
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> CustomEmoji:
            emoji = await _find(repos, ref)
            if emoji.creator_id != caller.id and not principal.admin:
                raise PermissionDenied("Only the custom emoji's creator or an emoji manager can delete it.",
                                       reason="NOT_CUSTOM_EMOJI_CREATOR")
            await repos.custom_emojis.delete(emoji.id)
            return emoji

        deleted = await write(self._db, work)
        await self._blobs.delete(deleted.blob_key)  # after the commit: a failed delete leaves the emoji whole

    async def image(self, emoji_id: str) -> CustomEmoji:
        """The emoji behind a temporary image URL (the URL's signature, checked by the caller, is the grant)."""
        return await read(self._db, lambda repos: _find(repos, emoji_id))

    def content(self, emoji: CustomEmoji, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        return self._blobs.read(emoji.blob_key, start, end)


async def _find(repos: Repositories, ref: str) -> CustomEmoji:
    if ref.startswith(":"):
        emoji = await repos.custom_emojis.by_name(DEFAULT_CUSTOMER, ref)
    else:
        emoji = await repos.custom_emojis.get(ref)
    if emoji is None or emoji.customer != DEFAULT_CUSTOMER:
        raise _not_found(ref)
    return emoji
