"""Mailbox actions on a connected Google account: read / unread, trash, archive.

The credential must be the caller's Google credential (anyone else's does not exist for them: NOT_FOUND, as
in the credential service), connected, and its scope summary must hold mail.send and mail.modify (the
seed's rule); otherwise FAILED_PRECONDITION with the credential service's CREDENTIAL_* reason."""
from __future__ import annotations

from chatsvc.aip import credential_names as names
from chatsvc.domain.credential_models import Provider
from chatsvc.domain.credentials import Credentials, not_found
from chatsvc.domain.errors import FailedPrecondition, InvalidArgument
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

CAPABILITIES = ("mail.send", "mail.modify")
MAX_IDS = 1000
MAX_ID_LENGTH = 256


def message_ids(ids: list[str], field: str = "message_ids") -> list[str]:
    """1 to MAX_IDS non-empty ids of at most MAX_ID_LENGTH characters, duplicates dropped (first kept)."""
    if not ids:
        raise InvalidArgument.field(field, "name at least one message id")
    if len(ids) > MAX_IDS:
        raise InvalidArgument.field(field, f"at most {MAX_IDS} message ids per call (got {len(ids)})")
    for index, message_id in enumerate(ids):
        message_id_of(message_id, f"{field}[{index}]")
    return list(dict.fromkeys(ids))


def message_id_of(message_id: str, field: str = "message_id") -> str:
    if not message_id.strip():
        raise InvalidArgument.field(field, "is required")
    if len(message_id) > MAX_ID_LENGTH:
        raise InvalidArgument.field(field, f"must be at most {MAX_ID_LENGTH} characters")
    return message_id


class Mailbox:
    def __init__(self, directory: Directory, credentials: Credentials, gmail):
        self._directory = directory
        self._credentials = credentials
        self._gmail = gmail  # chatsvc.mail.gmail_mailbox.GmailMailbox

    async def set_read(self, principal: Principal, credential: str, message_id: str, read: bool) -> None:
        message_id = message_id_of(message_id)
        token = await self._access(principal, credential)
        await self._gmail.set_read(token, message_id, read)

    async def batch_set_read(self, principal: Principal, credential: str, ids: list[str], read: bool) -> None:
        ids = message_ids(ids)
        await self._gmail.batch_set_read(await self._access(principal, credential), ids, read)

    async def batch_trash(self, principal: Principal, credential: str, ids: list[str]) -> None:
        ids = message_ids(ids)
        await self._gmail.batch_trash(await self._access(principal, credential), ids)

    async def batch_archive(self, principal: Principal, credential: str, ids: list[str]) -> None:
        ids = message_ids(ids)
        await self._gmail.batch_archive(await self._access(principal, credential), ids)

    async def _access(self, principal: Principal, name: str) -> str:
        segment, provider, credential_id = names.credential(name, "credential")
        if provider is not Provider.GOOGLE:
            raise InvalidArgument.field("credential", "must be a Google credential, "
                                        "`users/{user}/googleCredentials/{credential}`")
        user = await self._directory.caller(principal)
        if segment not in ("me", user.id, user.email):
            raise not_found(name)
        try:
            _, token = await self._credentials.mail_access(user.id, credential_id, Provider.GOOGLE, CAPABILITIES)
        except FailedPrecondition as refused:
            if refused.reason == "CREDENTIAL_NOT_FOUND":  # missing or someone else's: the same answer
                raise not_found(name) from None
            raise
        return token
