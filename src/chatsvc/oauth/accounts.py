"""The account APIs of each provider: the OAuth client plus reading their JSON into domain values."""
from __future__ import annotations

from chatsvc.domain.credential_models import (
    BusinessAccount,
    MailboxCounters,
    Profile,
    Provider,
    RemoteCalendar,
    TokenSet,
)
from chatsvc.domain.errors import FailedPrecondition
from chatsvc.oauth.client import ProviderClient
from chatsvc.oauth.endpoints import ProviderEndpoints

# Parameters the consent URL carries besides the standard ones.
_CONSENT_EXTRAS = {
    # offline: a refresh token; consent + select_account: always ask, so a refresh token comes back every time.
    Provider.GOOGLE: {"access_type": "offline", "prompt": "consent select_account",
                      "include_granted_scopes": "true"},
    Provider.MICROSOFT: {"prompt": "select_account", "response_mode": "query"},
}

_ORDER = {
    Provider.GOOGLE: ("client_id", "access_type", "scope", "state", "prompt", "include_granted_scopes",
                      "response_type", "redirect_uri"),
    Provider.MICROSOFT: ("client_id", "response_type", "redirect_uri", "response_mode", "scope", "state", "prompt"),
}


def _first(items) -> dict:
    for item in items or ():
        if isinstance(item, dict):
            return item
    return {}


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


class ProviderAccounts:
    def __init__(self, provider: Provider, endpoints: ProviderEndpoints, timeout: float):
        self.provider = provider
        self._client = ProviderClient(provider.value, endpoints, timeout)
        self._endpoints = endpoints

    def consent_url(self, scopes: list[str], state: str, redirect_uri: str) -> str:
        return self._client.consent_url(scopes=scopes, state=state, redirect_uri=redirect_uri,
                                        extra=dict(_CONSENT_EXTRAS[self.provider]), order=_ORDER[self.provider])

    async def exchange(self, code: str, redirect_uri: str) -> TokenSet:
        return await self._client.exchange(code, redirect_uri)

    async def refresh(self, refresh_token: str) -> TokenSet:
        return await self._client.refresh(refresh_token)

    async def revoke(self, tokens: TokenSet) -> None:
        await self._client.revoke(tokens, bearer=self.provider is Provider.MICROSOFT)

    async def profile(self, access_token: str) -> Profile:
        body = await self._client.get_json(self._endpoints.profile_url, access_token, "profile")
        if self.provider is Provider.MICROSOFT:
            email = body.get("mail") or body.get("userPrincipalName") or ""
            profile = Profile(email=email, resource_name=str(body.get("id", "")),
                              display_name=body.get("displayName") or email, first_name=body.get("givenName") or "",
                              last_name=body.get("surname") or "")
        else:
            name = _first(body.get("names"))
            email = _first(body.get("emailAddresses")).get("value", "")
            profile = Profile(email=email, resource_name=body.get("resourceName", ""),
                              display_name=name.get("displayName") or email, first_name=name.get("givenName", ""),
                              last_name=name.get("familyName", ""), photo=_first(body.get("photos")).get("url", ""))
        if not profile.email:
            raise FailedPrecondition(f"{self.provider.title} did not share the account's email address; grant the "
                                     "email scope.", reason="PROVIDER_PROFILE_INCOMPLETE")
        return profile

    async def mailbox(self, access_token: str) -> MailboxCounters:
        body = await self._client.get_json(self._endpoints.mailbox_url, access_token, "mailbox")
        if self.provider is Provider.MICROSOFT:
            return MailboxCounters(messages_total=_int(body.get("totalItemCount")))
        return MailboxCounters(_int(body.get("messagesTotal")), _int(body.get("threadsTotal")),
                               _int(body.get("historyId")))

    async def calendars(self, access_token: str) -> list[RemoteCalendar]:
        body = await self._client.get_json(self._endpoints.calendars_url, access_token, "calendar list")
        if self.provider is Provider.MICROSOFT:
            return [RemoteCalendar(id=c.get("id", ""), name=c.get("name", ""),
                                   permission="read.write" if c.get("canEdit") else "read",
                                   primary=bool(c.get("isDefaultCalendar")))
                    for c in body.get("value", []) if isinstance(c, dict)]
        return [RemoteCalendar(id=c.get("id", ""), name=c.get("summaryOverride") or c.get("summary", ""),
                               description=c.get("description", ""), time_zone=c.get("timeZone", ""),
                               permission="read.write" if c.get("accessRole") in ("owner", "writer") else "read",
                               primary=bool(c.get("primary")))
                for c in body.get("items", []) if isinstance(c, dict)]

    async def business_accounts(self, access_token: str) -> list[BusinessAccount]:
        body = await self._client.get_json(self._endpoints.business_accounts_url, access_token,
                                           "business profile accounts")
        return [BusinessAccount(name=a.get("name", ""), account_name=a.get("accountName", ""),
                                account_type=a.get("type", ""), role=a.get("role", ""),
                                verification_state=a.get("verificationState", ""))
                for a in body.get("accounts", []) if isinstance(a, dict)]
