"""Label changes on a connected Gmail mailbox: read / unread, trash, archive (Gmail API, gmail.modify).

Every batch action is ONE users.messages.batchModify call (it takes up to 1000 ids, the RPCs' own bound).
Trash is batchModify adding the TRASH label rather than users.messages.trash per id: the same effect with the
gmail.modify scope, one request instead of up to a thousand, and no half-trashed batch when the provider
fails midway. Provider failures become the domain errors the credential service uses for provider calls."""
from __future__ import annotations

import logging
import urllib.parse
from contextlib import asynccontextmanager

import httpx

from chatsvc.domain.errors import DeadlineExceeded, FailedPrecondition, InvalidArgument, NotFound, Unavailable

log = logging.getLogger("chatsvc.mail")
_META = {"provider": "google"}

UNREAD, TRASH, INBOX = "UNREAD", "TRASH", "INBOX"


def _raise_for(response: httpx.Response, what: str) -> None:
    status = response.status_code
    if status < 400:
        return
    if status in (401, 403):
        raise FailedPrecondition(f"Google refused access to the mailbox for the {what}; connect the account "
                                 "again.", reason="PROVIDER_ACCESS_DENIED", metadata=_META)
    if status == 404:
        raise NotFound(f"Gmail has no such message (the {what} changed nothing).",
                       reason="MAILBOX_MESSAGE_NOT_FOUND", metadata=_META)
    if status == 400:
        raise InvalidArgument.field("message_ids", "Gmail rejected them as message ids",
                                    reason="MAILBOX_MESSAGE_INVALID")
    if status == 429 or status >= 500:
        raise Unavailable(f"Gmail failed the {what} (HTTP {status}); retry later.", reason="PROVIDER_UNAVAILABLE",
                          metadata=_META)
    raise FailedPrecondition(f"Gmail refused the {what} (HTTP {status}).", reason="PROVIDER_REFUSED",
                             metadata=_META)


class GmailMailbox:
    def __init__(self, mail_api_url: str, timeout: float):
        self._base = mail_api_url.rstrip("/")
        self._timeout = timeout

    async def set_read(self, access_token: str, message_id: str, read: bool) -> None:
        change = {"removeLabelIds": [UNREAD]} if read else {"addLabelIds": [UNREAD]}
        await self._post(access_token, f"messages/{urllib.parse.quote(message_id, safe='')}/modify", change,
                         "read state change")

    async def batch_set_read(self, access_token: str, message_ids: list[str], read: bool) -> None:
        change = {"removeLabelIds": [UNREAD]} if read else {"addLabelIds": [UNREAD]}
        await self._batch(access_token, message_ids, change, "read state change")

    async def batch_trash(self, access_token: str, message_ids: list[str]) -> None:
        await self._batch(access_token, message_ids, {"addLabelIds": [TRASH]}, "trash")

    async def batch_archive(self, access_token: str, message_ids: list[str]) -> None:
        await self._batch(access_token, message_ids, {"removeLabelIds": [INBOX]}, "archive")

    async def _batch(self, access_token: str, message_ids: list[str], change: dict, what: str) -> None:
        await self._post(access_token, "messages/batchModify", {"ids": list(message_ids), **change}, what)

    async def _post(self, access_token: str, path: str, body: dict, what: str) -> None:
        async with self._calls(what):
            async with httpx.AsyncClient(timeout=self._timeout,
                                         headers={"Authorization": f"Bearer {access_token}"}) as client:
                response = await client.post(f"{self._base}/{path}", json=body)
        _raise_for(response, what)

    @asynccontextmanager
    async def _calls(self, what: str):
        try:
            yield
        except httpx.TimeoutException:
            raise DeadlineExceeded(f"Gmail did not answer the {what} in time; retry later.",
                                   reason="PROVIDER_TIMEOUT", metadata=_META) from None
        except httpx.HTTPError as error:
            log.warning("gmail %s failed: %s", what, type(error).__name__)
            raise Unavailable(f"Gmail failed the {what}; retry later.", reason="PROVIDER_UNAVAILABLE",
                              metadata=_META) from None
