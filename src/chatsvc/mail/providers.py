"""Senders bound to a campaign's connected mailbox: the Gmail API for a Google credential, Microsoft Graph for
a Microsoft one. The access token is fetched (and the credential checked) each time a sender is made, so a
credential revoked or deleted after scheduling stops the campaign with FailedPrecondition CREDENTIAL_*."""
from __future__ import annotations

from chatsvc.domain.credential_models import Provider
from chatsvc.domain.credentials import Credentials
from chatsvc.mail.gmail import GmailSender
from chatsvc.mail.graph import GraphSender
from chatsvc.mail.outgoing import Sender
from chatsvc.oauth.endpoints import ProviderEndpoints

SEND_CAPABILITIES = ("mail.send",)


class ProviderSenders:
    def __init__(self, credentials: Credentials, endpoints: dict[str, ProviderEndpoints], timeout: float):
        """`endpoints`: provider name ("google", "microsoft") -> its endpoints (mail_api_url is used)."""
        self._credentials = credentials
        self._endpoints = endpoints
        self._timeout = timeout

    async def for_campaign(self, user_id: str, google_credential_id: str, microsoft_credential_id: str) -> Sender:
        """A sender through the campaign's credential. Raises FailedPrecondition (CREDENTIAL_NOT_FOUND,
        _DELETED, _REVOKED, _SCOPE_MISSING) when it may not send; ValueError when the campaign names no
        credential (it goes through the mail service instead)."""
        if google_credential_id:
            _, token = await self._credentials.mail_access(user_id, google_credential_id, Provider.GOOGLE,
                                                           SEND_CAPABILITIES)
            return GmailSender(self._endpoints[Provider.GOOGLE.value].mail_api_url, token, self._timeout)
        if microsoft_credential_id:
            _, token = await self._credentials.mail_access(user_id, microsoft_credential_id, Provider.MICROSOFT,
                                                           SEND_CAPABILITIES)
            return GraphSender(self._endpoints[Provider.MICROSOFT.value].mail_api_url, token, self._timeout)
        raise ValueError("the campaign names no Google or Microsoft credential")
