"""Connected Google and Microsoft accounts: consent, grant, reads, sync, calendars, disconnecting.

Only the owner sees or touches a credential; to anyone else it does not exist (NOT_FOUND). Provider calls
happen outside transactions and before any write, so a provider failure leaves the store as it was.
"""
from __future__ import annotations

import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace

from chatsvc.aip import credential_names as names
from chatsvc.domain import credential_scopes as scopes
from chatsvc.domain.access import read, write
from chatsvc.domain.consent_state import ConsentStates, invalid_state
from chatsvc.domain.credential_models import (
    BusinessAccount,
    Credential,
    CredentialJob,
    JobKind,
    JobState,
    Provider,
    RemoteCalendar,
    SyncState,
    TokenSet,
)
from chatsvc.domain.errors import DomainError, FailedPrecondition, InvalidArgument, NotFound
from chatsvc.domain.models import User
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

REFRESH_MARGIN_US = 60_000_000  # refresh an access token that expires within a minute
MAX_BRAND = 64
BUSINESS_PROFILE_REQUIRED = "GOOGLE_BUSINESS_PROFILE_AUTHENTICATION_REQUIRED"
JOBS_SHOWN = 20  # a full read returns at most this many of a credential's latest jobs


@dataclass(frozen=True)
class CalendarList:
    calendars: list[tuple[RemoteCalendar, bool]]  # (calendar, already synced)
    primary: tuple[RemoteCalendar, bool] | None
    configured: bool


@dataclass(frozen=True)
class CredentialPage:
    items: list[Credential]
    next_position: tuple | None


def not_found(name: str) -> NotFound:
    return NotFound(f"Credential `{name}` not found.", reason="CREDENTIAL_NOT_FOUND")


def _redirect(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 2048:
        raise InvalidArgument.field("redirect", "must be an absolute http or https URL")
    return url


def with_query(url: str, **params: str) -> str:
    """`url` with `params` added to its query (the browser's way back from the callback)."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


class Credentials:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, cipher, accounts: dict,
                 states: ConsentStates, callback_uri: Callable[[], str]):
        self._db = db
        self._directory = directory
        self._clock = clock
        self._cipher = cipher  # chatsvc.crypto.cipher.TokenCipher
        self._accounts = accounts  # Provider -> chatsvc.oauth.accounts.ProviderAccounts
        self._states = states
        self._callback_uri = callback_uri

    # ---- consent and grant

    async def request_access(self, principal: Principal, parent: str, provider: Provider | None,
                             short_scopes: list[str], redirect: str, brand: str) -> str:
        user = await self._owner(principal, names.user_parent(parent), parent)
        if provider is None:
            raise InvalidArgument.field("provider", "is required: PROVIDER_GOOGLE or PROVIDER_MICROSOFT")
        wanted = scopes.requested_scopes(provider, short_scopes)
        if len(brand) > MAX_BRAND:
            raise InvalidArgument.field("brand", f"must be at most {MAX_BRAND} characters")
        token, _ = self._states.issue(user_id=user.id, provider=provider, brand=brand, redirect=_redirect(redirect),
                                      scopes=short_scopes, now_us=self._clock())
        return self._accounts[provider].consent_url(wanted, token, self._callback_uri())

    async def verify_grant(self, principal: Principal | None, state_token: str, code: str,
                           parent: str = "users/me") -> Credential:
        """Exchanges `code`; `principal` None: the browser's callback, where the signed state names the user."""
        if not state_token:
            raise InvalidArgument.field("state", "is required")
        state = self._states.read(state_token, self._clock())
        if principal is not None:
            user = await self._owner(principal, names.user_parent(parent), parent)
            if user.id != state.user_id:
                raise invalid_state("was issued to another user")
        if not code:
            raise InvalidArgument.field("code", "is required")
        if await read(self._db, lambda repos: repos.credentials.state_used(state.nonce)):
            raise invalid_state("has already been used; start the consent again")
        accounts = self._accounts[state.provider]
        started = self._clock()
        tokens = await accounts.exchange(code, self._callback_uri())
        profile = await accounts.profile(tokens.access_token)
        granted = tokens.scopes or tuple(scopes.requested_scopes(state.provider, list(state.scopes)))
        now = self._clock()

        async def store(repos) -> Credential:
            if await repos.credentials.state_used(state.nonce):  # lost a race with the same grant
                raise invalid_state("has already been used; start the consent again")
            await repos.credentials.use_state(state.nonce, state.expires_us, now)
            existing = await repos.credentials.live_for_account(state.user_id, state.provider, state.brand,
                                                               profile.email)
            base = existing or Credential(
                id=str(uuid.uuid4()), user_id=state.user_id, provider=state.provider, brand=state.brand,
                profile=profile, scope=(), scope_summary=(), access_token_sealed=b"", refresh_token_sealed=b"",
                token_expires_us=0, create_time_us=now, update_time_us=now)
            refresh = tokens.refresh_token or (self._open(existing).refresh_token if existing else "")
            credential = replace(base, profile=profile, scope=granted, scope_summary=scopes.summary(granted),
                                 revoked=False, update_time_us=now)
            credential = self._seal(credential, replace(tokens, refresh_token=refresh))
            await (repos.credentials.put if existing else repos.credentials.add)(credential)
            await repos.credentials.add_job(CredentialJob(
                id=str(uuid.uuid4()), credential_id=credential.id, kind=JobKind.CONNECT,
                state=JobState.SUCCEEDED, start_time_us=started, end_time_us=now))
            return credential

        return await write(self._db, store)

    async def callback(self, state_token: str, code: str, error: str) -> str:
        """The browser's return from the provider: where to send it next. Errors before the state is trusted
        raise (there is nowhere safe to redirect); after, they travel to the redirect as `error`."""
        state = self._states.read(state_token, self._clock())
        if error:
            return with_query(state.redirect, error=error[:64])
        try:
            credential = await self.verify_grant(None, state_token, code)
        except DomainError as failure:
            return with_query(state.redirect, error=failure.reason.lower())
        return with_query(state.redirect, credential=self.name(credential))

    # ---- reads

    async def get(self, principal: Principal, name: str, with_jobs: bool = False) -> Credential:
        credential = (await self._own(principal, name))[1]
        if not with_jobs:
            return credential
        jobs = await read(self._db, lambda repos: repos.credentials.jobs_for([credential.id], JOBS_SHOWN))
        return replace(credential, jobs=tuple(jobs[credential.id]))

    async def list(self, principal: Principal, parent: str, provider: Provider | None, show_deleted: bool,
                   after: tuple | None, limit: int, with_jobs: bool = False) -> CredentialPage:
        user = await self._owner(principal, names.user_parent(parent), parent)
        position = (int(after[0]), str(after[1])) if after else None

        async def page(repos) -> tuple[list[Credential], bool]:
            rows = await repos.credentials.list_for_user(user.id, provider, show_deleted, position, limit + 1)
            items = rows[:limit]
            if with_jobs:  # the whole page's jobs in one query, not one per credential
                jobs = await repos.credentials.jobs_for([c.id for c in items], JOBS_SHOWN)
                items = [replace(c, jobs=tuple(jobs[c.id])) for c in items]
            return items, len(rows) > limit

        items, more = await read(self._db, page)
        return CredentialPage(items, (items[-1].create_time_us, items[-1].id) if more else None)

    async def usable(self, user_id: str, credential_id: str, capability: str) -> bool:
        """In-process question for other services (the campaign service): may this user's credential be
        used for `capability`? Unknown or someone else's: False."""
        credential = await read(self._db, lambda repos: repos.credentials.get(credential_id))
        if credential is None or credential.user_id != user_id:
            return False
        return scopes.check_capability(credential, capability) == ""

    async def mail_access(self, user_id: str, credential_id: str, provider: Provider,
                          capabilities: tuple[str, ...]) -> tuple[Credential, str]:
        """For in-process callers (campaign sending, mailbox actions): the user's credential and a fresh
        access token, if the credential is connected and its scope summary holds every capability; else
        FailedPrecondition whose reason says why (CREDENTIAL_NOT_FOUND, CREDENTIAL_DELETED,
        CREDENTIAL_REVOKED, CREDENTIAL_SCOPE_MISSING)."""
        credential = await self._mail_credential(user_id, credential_id, provider, capabilities)
        return await self._access(credential)

    async def check_mail_credential(self, user_id: str, credential_id: str, provider: Provider,
                                    capabilities: tuple[str, ...]) -> None:
        """The same check as `mail_access`, without fetching or refreshing a token (scheduling a campaign)."""
        await self._mail_credential(user_id, credential_id, provider, capabilities)

    async def _mail_credential(self, user_id: str, credential_id: str, provider: Provider,
                               capabilities: tuple[str, ...]) -> Credential:
        credential = await read(self._db, lambda repos: repos.credentials.get(credential_id))
        label = names.credential_name(user_id, provider, credential_id)
        if credential is None or credential.user_id != user_id or credential.provider is not provider:
            raise FailedPrecondition(f"Credential `{label}` does not exist or is not yours.",
                                     reason="CREDENTIAL_NOT_FOUND", metadata={"credential": label})
        for capability in capabilities:
            why = scopes.check_capability(credential, capability)
            if why:
                detail = {"DELETED": "was disconnected (deleted)", "REVOKED": "was revoked",
                          "SCOPE_MISSING": f"lacks `{capability}`"}[why]
                raise FailedPrecondition(f"Credential `{label}` {detail}; it cannot be used for "
                                         f"{' and '.join(capabilities)}.", reason=f"CREDENTIAL_{why}",
                                         metadata={"credential": label, "capability": capability})
        return credential

    async def check_capability(self, principal: Principal, name: str, capability: str) -> str:
        credential = (await self._own(principal, name))[1]
        return scopes.check_capability(credential, capability)

    # ---- changes

    async def delete(self, principal: Principal, name: str) -> Credential:
        """Soft delete: revokes the provider's token first (unless already revoked), then marks it deleted."""
        credential = await self._live(principal, name)
        if not credential.revoked:
            await self._accounts[credential.provider].revoke(self._open(credential))
        now = self._clock()
        return await self._save(replace(credential, delete_time_us=now, update_time_us=now))

    async def revoke(self, principal: Principal, name: str) -> Credential:
        credential = await self._live(principal, name)
        if credential.revoked:
            return credential
        await self._accounts[credential.provider].revoke(self._open(credential))
        return await self._save(replace(credential, revoked=True, update_time_us=self._clock()))

    async def sync(self, principal: Principal, name: str) -> Credential:
        """A sync job: marked running, then the profile and mailbox counters are read and it ends succeeded,
        or failed with the reason recorded and the provider's error returned."""
        credential = self._connected(await self._live(principal, name), name)
        job = CredentialJob(id=str(uuid.uuid4()), credential_id=credential.id, kind=JobKind.SYNC,
                            state=JobState.RUNNING, start_time_us=self._clock())
        credential = await self._save(replace(credential, sync_state=SyncState.RUNNING, sync_error="",
                                              update_time_us=job.start_time_us), started=job)
        accounts = self._accounts[credential.provider]
        try:
            credential, access = await self._access(credential)
            profile = await accounts.profile(access)
            counters = credential.counters
            if {"mail.read", "mail.modify"} & set(credential.scope_summary):
                counters = await accounts.mailbox(access)
        except DomainError as failure:
            now = self._clock()
            await self._save(replace(credential, sync_state=SyncState.FAILED, sync_error=failure.message,
                                     update_time_us=now), finished=(job.id, JobState.FAILED, now, failure.message))
            raise
        now = self._clock()
        return await self._save(replace(credential, profile=profile, counters=counters, last_sync_us=now,
                                        sync_state=SyncState.SUCCEEDED, update_time_us=now),
                                finished=(job.id, JobState.SUCCEEDED, now, ""))

    # ---- calendars and business profile accounts

    async def calendars(self, principal: Principal, name: str) -> CalendarList:
        credential, remote = await self._remote_calendars(principal, name)
        synced = set(credential.synced_calendars)
        listed = [(c, c.id in synced) for c in remote]
        primary = next((entry for entry in listed if entry[0].primary), None)
        return CalendarList(listed, primary, credential.calendars_configured)

    async def configure_calendars(self, principal: Principal, name: str, to_sync: list[str],
                                  to_stop_sync: list[str]) -> Credential:
        if not to_sync and not to_stop_sync:
            raise InvalidArgument.field("to_sync", "name at least one calendar to sync or to stop syncing")
        if both := set(to_sync) & set(to_stop_sync):
            raise InvalidArgument.field("to_stop_sync", f"`{sorted(both)[0]}` is also in `to_sync`")
        credential, remote = await self._remote_calendars(principal, name)
        known = {c.id for c in remote}
        for index, calendar_id in enumerate(to_sync):
            if calendar_id not in known:
                raise InvalidArgument.field(f"to_sync[{index}]", f"`{calendar_id}` is not a calendar of the account")
        kept = [c for c in credential.synced_calendars if c not in set(to_stop_sync)]
        synced = tuple(kept + [c for c in dict.fromkeys(to_sync) if c not in kept])
        return await self._save(replace(credential, synced_calendars=synced, calendars_configured=True,
                                        update_time_us=self._clock()))

    async def business_accounts(self, principal: Principal, name: str) -> list[BusinessAccount]:
        credential = self._connected(await self._live(principal, name), name)
        if credential.provider is not Provider.GOOGLE:
            raise FailedPrecondition("Business Profile accounts exist for Google credentials only.",
                                     reason="PROVIDER_NOT_SUPPORTED")
        if "business_profile" not in credential.scope_summary:
            raise FailedPrecondition("The credential lacks the Business Profile scope; run the consent again with "
                                     "`business.manage`.", reason=BUSINESS_PROFILE_REQUIRED,
                                     metadata={"credential": name})
        credential, access = await self._access(credential)
        return await self._accounts[credential.provider].business_accounts(access)

    # ---- helpers

    @staticmethod
    def name(credential: Credential) -> str:
        return names.credential_name(credential.user_id, credential.provider, credential.id)

    async def _owner(self, principal: Principal, segment: str, parent: str) -> User:
        user = await self._directory.caller(principal)
        if segment not in ("me", user.id, user.email):
            # another user's collection: as invisible as their credentials
            raise NotFound(f"`{parent}` not found.", reason="USER_NOT_FOUND")
        return user

    async def _own(self, principal: Principal, name: str) -> tuple[User, Credential]:
        segment, provider, credential_id = names.credential(name)
        user = await self._directory.caller(principal)
        credential = await read(self._db, lambda repos: repos.credentials.get(credential_id))
        if (credential is None or segment not in ("me", user.id, user.email) or credential.user_id != user.id
                or credential.provider is not provider):
            raise not_found(name)
        return user, credential

    async def _live(self, principal: Principal, name: str) -> Credential:
        """The caller's credential, unless deleted (a deleted one is only readable: AIP-164)."""
        credential = (await self._own(principal, name))[1]
        if credential.delete_time_us:
            raise not_found(name)
        return credential

    @staticmethod
    def _connected(credential: Credential, name: str) -> Credential:
        if credential.revoked:
            raise FailedPrecondition(f"Credential `{name}` was revoked; connect the account again.",
                                     reason="CREDENTIAL_REVOKED")
        return credential

    async def _remote_calendars(self, principal: Principal, name: str) -> tuple[Credential, list[RemoteCalendar]]:
        credential = self._connected(await self._live(principal, name), name)
        if "calendar" not in credential.scope_summary:
            raise FailedPrecondition("The credential lacks the calendar scope; run the consent again with "
                                     "`calendar`.", reason="CALENDAR_SCOPE_REQUIRED")
        credential, access = await self._access(credential)
        return credential, await self._accounts[credential.provider].calendars(access)

    async def _access(self, credential: Credential) -> tuple[Credential, str]:
        """A usable access token, refreshed (and stored) first when it is about to expire."""
        tokens = self._open(credential)
        expiring = credential.token_expires_us and credential.token_expires_us - REFRESH_MARGIN_US < self._clock()
        if expiring and tokens.refresh_token:
            tokens = await self._accounts[credential.provider].refresh(tokens.refresh_token)
            credential = await self._save(self._seal(replace(credential, update_time_us=self._clock()), tokens))
        return credential, tokens.access_token

    async def _save(self, credential: Credential, started: CredentialJob | None = None,
                    finished: tuple[str, JobState, int, str] | None = None) -> Credential:
        """Stores `credential`; in the same transaction records a job's start or its end, when given."""
        async def put(repos):
            await repos.credentials.put(credential)
            if started is not None:
                await repos.credentials.add_job(started)
            if finished is not None:
                await repos.credentials.finish_job(*finished)
            return credential
        return await write(self._db, put)

    def _seal(self, credential: Credential, tokens: TokenSet) -> Credential:
        return replace(credential, token_expires_us=tokens.expires_at_us,
                       access_token_sealed=self._cipher.seal(tokens.access_token, f"{credential.id}:access"),
                       refresh_token_sealed=self._cipher.seal(tokens.refresh_token, f"{credential.id}:refresh"))

    def _open(self, credential: Credential) -> TokenSet:
        return TokenSet(self._cipher.open(credential.access_token_sealed, f"{credential.id}:access"),
                        self._cipher.open(credential.refresh_token_sealed, f"{credential.id}:refresh"),
                        credential.token_expires_us, credential.scope)
