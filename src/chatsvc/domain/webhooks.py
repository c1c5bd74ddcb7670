"""Incoming webhooks: URLs that post messages into one space as a Chat app, in Google Chat's shape
(`{public URL}/v1/spaces/{space}/messages?key={key}&token={token}`).

A webhook is registered by a manager of a named space (an owner or manager whom the space's `manage_webhooks`
permission setting allows; plain members never: the URL lets anyone who holds it post) or by the operator from the
command line (no principal). It has:
- an id, which is also the `key` of its URL and the last segment of `spaces/{space}/webhooks/{id}`; not secret;
- a token of 32 random bytes (urlsafe base64), shown once in its URL and stored only as its SHA-256 digest;
- a user of type BOT that its messages are sent as, with the webhook's name. The user's app name, `webhooks/{id}`,
  is one no bearer token can carry (app names in tokens have no `/`), so nobody else acts as it.

Posting (chatsvc.http.webhooks) first calls `admit(space, key, token)`: the token's digest is compared in constant
time (with a stand-in digest for an unknown key, so timing tells nothing), the webhook must belong to the URL's
space, and its rate is checked (a token bucket per webhook, in this process). It returns the webhook's Principal:
app authentication with `chat.bot`, the webhook's app name, and `webhook_space`. The HTTP layer runs CreateMessage
with that principal through the same gate as every call (rate limits, deadline, log line, errors); Messages.create
asks `posting_space` below instead of the membership check: a webhook posts in its own space alone, with the
posting rights of the managers who register webhooks, and only while it still exists (checked in the message's own
transaction, so a revocation that committed first posts nothing).

Revoking (DeleteWebhook) deletes the row: every replica reads it on every post, so the URL stops working at once.
Rotating stores a new digest, with the same effect on the old token. The messages a webhook posted stay.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass, replace
from urllib.parse import quote, urlsplit

from chatsvc.aip import ids
from chatsvc.aip.names import space_name
from chatsvc.domain import permissions
from chatsvc.domain.access import read, space_not_found, visible_space, write
from chatsvc.domain.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    QuotaViolation,
    ResourceExhausted,
    Unauthenticated,
)
from chatsvc.domain.models import (
    Membership,
    MembershipRole,
    MembershipState,
    Page,
    Space,
    SpaceType,
    User,
    UserType,
)
from chatsvc.domain.permissions import Permission
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import AuthKind, Principal
from chatsvc.domain.users import Directory

WEBHOOK_APP_PREFIX = "webhooks/"
CHAT_BOT_SCOPE = "https://www.googleapis.com/auth/chat.bot"
MAX_DISPLAY_NAME = 128
MAX_AVATAR_URL = 2048
MAX_TOKEN_CHARS = 512  # far above the 43 we issue; longer ones are not hashed at all
_KEY = re.compile(r"^[A-Za-z0-9]{1,64}\Z")
_TOKEN_BYTES = 32
_KEY_CHARS = 22
_STAND_IN = hashlib.sha256(b"no such webhook").hexdigest()  # compared against when the key is unknown
_MANAGERS = (MembershipRole.MANAGER, MembershipRole.ASSISTANT_MANAGER)
_MAX_BUCKETS = 100_000


@dataclass(frozen=True)
class Webhook:
    space_id: str
    id: str  # also the `key` of its URL
    display_name: str
    user_id: str  # the BOT user its messages are sent as
    token_sha256: str  # hex digest of the current token
    avatar_url: str = ""
    creator_id: str = ""  # empty: registered from the command line
    create_time_us: int = 0
    token_time_us: int = 0  # when the current token was issued


@dataclass(frozen=True)
class Issued:
    """A webhook with its token in clear: the answer to create and rotate, the only time the token is known."""

    webhook: Webhook
    token: str


def webhook_url(base: str, webhook: Webhook, token: str) -> str:
    """The URL to post to: Google's shape, on our public base URL."""
    return (f"{base.rstrip('/')}/v1/{space_name(webhook.space_id)}/messages"
            f"?key={quote(webhook.id, safe='')}&token={quote(token, safe='')}")


def is_webhook_user(user: User | None) -> bool:
    """Whether this user is a webhook's sender (whose display name messages show)."""
    return user is not None and user.type == UserType.BOT and user.app_name.startswith(WEBHOOK_APP_PREFIX)


def webhook_principal(webhook: Webhook) -> Principal:
    return Principal(AuthKind.APP, app=WEBHOOK_APP_PREFIX + webhook.id, scopes=frozenset({CHAT_BOT_SCOPE}),
                     webhook_space=webhook.space_id)


async def posting_space(repos: Repositories, principal: Principal, space_id: str) -> tuple[Space, Membership]:
    """For Messages.create under a webhook's principal: the space, if it is the webhook's own and the webhook
    still exists, with the rights a webhook posts with (a joined manager's: only managers register webhooks).
    NOT_FOUND otherwise, as for any space the caller cannot see."""
    webhook_id = principal.app.removeprefix(WEBHOOK_APP_PREFIX)
    if space_id != principal.webhook_space or await repos.webhooks.get(space_id, webhook_id) is None:
        raise space_not_found(space_id)
    space = await repos.spaces.get(space_id)
    if space is None or space.import_mode:
        raise space_not_found(space_id)
    return space, Membership(space.id, "", MembershipRole.MANAGER, MembershipState.JOINED)


def may_manage(space: Space, membership: Membership | None) -> bool:
    """Owners and managers, as far as the space's `manage_webhooks` setting allows their role."""
    return (membership is not None and membership.role in _MANAGERS
            and permissions.allowed(space, membership, Permission.MANAGE_WEBHOOKS))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _not_found(space_id: str, webhook_id: str) -> NotFound:
    return NotFound(f"Webhook `{space_name(space_id)}/webhooks/{webhook_id}` not found.", reason="WEBHOOK_NOT_FOUND")


def _invalid_credentials() -> Unauthenticated:
    # One answer, whatever is wrong: no such key, a wrong token, a revoked or rotated one.
    return Unauthenticated("The webhook's key or token is not valid.", reason="INVALID_WEBHOOK_TOKEN")


def checked_display_name(display_name: str) -> str:
    name = display_name.strip()
    if not name or len(name) > MAX_DISPLAY_NAME or any(ch < " " for ch in name):
        raise InvalidArgument.field("webhook.display_name", f"must be 1 to {MAX_DISPLAY_NAME} characters, "
                                                            "without control characters")
    return name


def checked_avatar_url(url: str) -> str:
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_AVATAR_URL
            or any(ch <= " " for ch in url)):
        raise InvalidArgument.field("webhook.avatar_url", f"must be an http or https URL of at most "
                                                          f"{MAX_AVATAR_URL} characters")
    return url


class TokenBuckets:
    """A token bucket per key, refilled continuously: `per_minute` on average, `burst` at once."""

    def __init__(self, per_minute: int, burst: int, clock=time.monotonic):
        self.per_minute = per_minute
        self._per_second = per_minute / 60.0
        self._capacity = float(max(burst, 1))
        self._clock = clock
        self._buckets: dict[str, list[float]] = {}  # key -> [tokens available, when last counted]

    def take(self, key: str) -> float | None:
        """Counts one use; None when allowed, else the seconds until one would be."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _MAX_BUCKETS:
                self._forget_full(now)
            self._buckets[key] = [self._capacity - 1.0, now]
            return None
        available = min(self._capacity, bucket[0] + (now - bucket[1]) * self._per_second)
        bucket[1] = now
        if available < 1.0:
            bucket[0] = available
            return (1.0 - available) / self._per_second
        bucket[0] = available - 1.0
        return None

    def _forget_full(self, now: float) -> None:
        full = [key for key, (available, since) in self._buckets.items()
                if available + (now - since) * self._per_second >= self._capacity]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= _MAX_BUCKETS:
            self._buckets.clear()


class Webhooks:
    """`per_minute` / `burst`: each webhook's message rate (0: unlimited), counted in this process."""

    def __init__(self, db: Transactions, directory: Directory, clock: Clock, *, per_minute: int = 60,
                 burst: int = 5, monotonic=time.monotonic):
        self._db = db
        self._directory = directory
        self._clock = clock
        self._buckets = TokenBuckets(per_minute, burst, monotonic) if per_minute > 0 else None

    # --- management -----------------------------------------------------------------------------------------

    async def create(self, principal: Principal | None, space_id: str, display_name: str,
                     avatar_url: str = "") -> Issued:
        """Registers a webhook; `principal` None: the operator (command line), who needs no membership."""
        display_name = checked_display_name(display_name)
        avatar_url = checked_avatar_url(avatar_url)
        caller = await self._caller(principal)

        async def work(repos: Repositories) -> Issued:
            space = await self._managed_space(repos, principal, caller, space_id)
            now = self._clock()
            webhook_id = ids.opaque_id(_KEY_CHARS)
            sender = User(id=ids.user_id(), type=UserType.BOT, app_name=WEBHOOK_APP_PREFIX + webhook_id,
                          display_name=display_name)
            await repos.users.add(sender, now)
            token = secrets.token_urlsafe(_TOKEN_BYTES)
            webhook = Webhook(space_id=space.id, id=webhook_id, display_name=display_name, user_id=sender.id,
                              token_sha256=_digest(token), avatar_url=avatar_url,
                              creator_id=caller.id if caller else "", create_time_us=now, token_time_us=now)
            await repos.webhooks.add(webhook)
            return Issued(webhook, token)

        return await write(self._db, work)

    async def get(self, principal: Principal | None, space_id: str, webhook_id: str) -> Webhook:
        caller = await self._caller(principal)

        async def work(repos: Repositories) -> Webhook:
            await self._managed_space(repos, principal, caller, space_id)
            return await self._existing(repos, space_id, webhook_id)

        return await read(self._db, work)

    async def list(self, principal: Principal | None, space_id: str, *, after: tuple | None, limit: int) -> Page:
        caller = await self._caller(principal)

        async def work(repos: Repositories) -> Page:
            await self._managed_space(repos, principal, caller, space_id)
            return await repos.webhooks.list(space_id, after=after, limit=limit)

        return await read(self._db, work)

    async def delete(self, principal: Principal | None, space_id: str, webhook_id: str) -> None:
        """Revokes the webhook: the row goes, and with it every way to post as it."""
        caller = await self._caller(principal)

        async def work(repos: Repositories) -> None:
            await self._managed_space(repos, principal, caller, space_id)
            if not await repos.webhooks.delete(space_id, webhook_id):
                raise _not_found(space_id, webhook_id)

        await write(self._db, work)

    async def rotate(self, principal: Principal | None, space_id: str, webhook_id: str) -> Issued:
        """A new token; the old one stops working when this commits."""
        caller = await self._caller(principal)

        async def work(repos: Repositories) -> Issued:
            await self._managed_space(repos, principal, caller, space_id)
            webhook = await self._existing(repos, space_id, webhook_id)
            token = secrets.token_urlsafe(_TOKEN_BYTES)
            rotated = replace(webhook, token_sha256=_digest(token), token_time_us=self._clock())
            await repos.webhooks.set_token(space_id, webhook_id, rotated.token_sha256, rotated.token_time_us)
            return Issued(rotated, token)

        return await write(self._db, work)

    # --- posting --------------------------------------------------------------------------------------------

    async def admit(self, space_id: str, key: str, token: str) -> Principal:
        """The principal to post as, for a URL's space, key and token: UNAUTHENTICATED unless the key names a
        webhook and the token is its current one; PERMISSION_DENIED for another space's URL; RESOURCE_EXHAUSTED
        above the webhook's rate."""
        webhook = None
        if _KEY.match(key) and len(token) <= MAX_TOKEN_CHARS:
            webhook = await read(self._db, lambda repos: repos.webhooks.by_id(key))
        expected = webhook.token_sha256 if webhook is not None else _STAND_IN
        if not hmac.compare_digest(expected, _digest(token[:MAX_TOKEN_CHARS])) or webhook is None:
            raise _invalid_credentials()
        if webhook.space_id != space_id:
            raise PermissionDenied("A webhook only posts messages to its own space.", reason="WEBHOOK_SPACE_MISMATCH")
        self._count(webhook)
        return webhook_principal(webhook)

    def _count(self, webhook: Webhook) -> None:
        if self._buckets is None:
            return
        wait = self._buckets.take(webhook.id)
        if wait is None:
            return
        limit = self._buckets.per_minute
        description = f"More than {limit} messages per minute from this webhook."
        raise ResourceExhausted(
            f"Quota exceeded: {description} Retry after {wait:.1f} s.",
            reason="RATE_LIMIT_EXCEEDED",
            metadata={"quota_limit": "WebhookMessagesPerMinute", "quota_limit_value": str(limit)},
            quota_violations=[QuotaViolation(f"webhook:{space_name(webhook.space_id)}/webhooks/{webhook.id}",
                                             description)],
            retry_after_seconds=wait,
        )

    # --- rules ----------------------------------------------------------------------------------------------

    async def _caller(self, principal: Principal | None) -> User | None:
        return await self._directory.caller(principal) if principal is not None else None

    async def _managed_space(self, repos: Repositories, principal: Principal | None, caller: User | None,
                             space_id: str) -> Space:
        """The space, if the caller may manage its webhooks: NOT_FOUND for a non-member (as every space they
        cannot see), FAILED_PRECONDITION outside named spaces, PERMISSION_DENIED for a member who is no manager."""
        if principal is None or caller is None:  # the operator
            space, membership = await repos.spaces.get(space_id), None
            if space is None:
                raise space_not_found(space_id)
        else:
            space, membership = await visible_space(repos, space_id, caller)
        if space.space_type != SpaceType.SPACE or space.import_mode:
            raise FailedPrecondition("Incoming webhooks belong to named spaces (not group chats or direct "
                                     "messages, nor spaces being imported).", reason="NAMED_SPACE_REQUIRED")
        if principal is not None and not may_manage(space, membership):
            raise PermissionDenied("Only the space's managers can manage its webhooks.",
                                   reason="MANAGE_WEBHOOKS_NOT_PERMITTED")
        return space

    @staticmethod
    async def _existing(repos: Repositories, space_id: str, webhook_id: str) -> Webhook:
        webhook = await repos.webhooks.get(space_id, webhook_id) if _KEY.match(webhook_id) else None
        if webhook is None:
            raise _not_found(space_id, webhook_id)
        return webhook
