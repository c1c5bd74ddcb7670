"""Availability: a user's presence state and custom status, the caller's own only.

Google derives ACTIVE and IDLE from activity in Chat's own clients; this server has no such clients, so a
user's activity-based state is AWAY, and ACTIVE comes from MarkAsActive. A manual state ends by itself:
ACTIVE (30 minutes unless told otherwise) and DO_NOT_DISTURB (at most a year ahead) become AWAY when they
expire; a manual AWAY stays. A custom status disappears at its own expiry. Nothing runs in the background:
the state is worked out from what the user set and the clock whenever it is read.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import IntEnum

from chatsvc.aip.names import MemberRef
from chatsvc.domain.access import read, write
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.own_user import own_caller
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory

ACTIVE_DEFAULT_US = 30 * 60 * 1_000_000
STATUS_TEXT_MAX = 64
_EMOJI_MAX = 32  # code points: room for the longest ZWJ sequences, not for sentences
_MAX_TIME_US = 253_402_300_799_999_999  # 9999-12-31T23:59:59.999999Z, the last valid Timestamp
STATUS_FIELD = "availability.custom_status"


class AvailabilityState(IntEnum):
    """google.chat.v1.Availability.State, by value."""

    UNSPECIFIED = 0
    ACTIVE = 1
    IDLE = 2
    AWAY = 3
    DO_NOT_DISTURB = 4


@dataclass(frozen=True)
class CustomStatus:
    text: str
    emoji: str  # a Unicode emoji
    expire_time_us: int = 0  # 0: until changed


@dataclass(frozen=True)
class StoredAvailability:
    """What the user set. `state` UNSPECIFIED: no manual state; an expiry of 0 means none."""

    user_id: str
    state: AvailabilityState = AvailabilityState.UNSPECIFIED
    state_expire_time_us: int = 0
    status: CustomStatus | None = None


@dataclass(frozen=True)
class AvailabilityView:
    """The availability as of a moment: the effective state, and what is still in force."""

    user_id: str
    state: AvailabilityState
    dnd_expire_time_us: int = 0  # set when state is DO_NOT_DISTURB
    status: CustomStatus | None = None


@dataclass(frozen=True)
class Expiry:
    """When something ends, as the caller said it: an absolute time or a time-to-live, in microseconds, or
    neither. `prefix` is the path of the request fields, for errors."""

    expire_time_us: int | None = None
    ttl_us: int | None = None
    prefix: str = ""

    @property
    def given(self) -> bool:
        return self.expire_time_us is not None or self.ttl_us is not None


@dataclass(frozen=True)
class StatusDraft:
    text: str
    emoji: str
    expiry: Expiry


def current(stored: StoredAvailability, now_us: int) -> AvailabilityView:
    state, until = stored.state, stored.state_expire_time_us
    if state in (AvailabilityState.ACTIVE, AvailabilityState.DO_NOT_DISTURB) and until <= now_us:
        state = AvailabilityState.AWAY
    if state == AvailabilityState.UNSPECIFIED:
        state = AvailabilityState.AWAY
    status = stored.status
    if status is not None and 0 < status.expire_time_us <= now_us:
        status = None
    return AvailabilityView(stored.user_id, state, until if state == AvailabilityState.DO_NOT_DISTURB else 0,
                            status)


class Availabilities:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    async def get(self, principal: Principal, ref: MemberRef) -> AvailabilityView:
        caller = await own_caller(self._directory, principal, ref, "availability")

        async def work(repos: Repositories) -> AvailabilityView:
            stored = await repos.availabilities.get(caller.id) or StoredAvailability(caller.id)
            return current(stored, self._clock())

        return await read(self._db, work)

    async def mark_active(self, principal: Principal, ref: MemberRef, expiry: Expiry) -> AvailabilityView:
        now = self._clock()
        until = _until(expiry, now) if expiry.given else now + ACTIVE_DEFAULT_US
        return await self._set_state(principal, ref, AvailabilityState.ACTIVE, until)

    async def mark_away(self, principal: Principal, ref: MemberRef) -> AvailabilityView:
        return await self._set_state(principal, ref, AvailabilityState.AWAY, 0)

    async def mark_do_not_disturb(self, principal: Principal, ref: MemberRef, expiry: Expiry) -> AvailabilityView:
        if not expiry.given:
            raise InvalidArgument.field(f"{expiry.prefix}expiration",
                                        "is required: set `expire_time` or `ttl` (at most one year ahead)")
        now = self._clock()
        until = _until(expiry, now)
        if until > _one_year_after(now):
            field = "expire_time" if expiry.expire_time_us is not None else "ttl"
            raise InvalidArgument.field(f"{expiry.prefix}{field}", "Do Not Disturb can last at most one year")
        return await self._set_state(principal, ref, AvailabilityState.DO_NOT_DISTURB, until)

    async def set_status(self, principal: Principal, ref: MemberRef, draft: StatusDraft | None) -> AvailabilityView:
        """Sets the custom status, or clears it (None)."""
        status = _status(draft, self._clock()) if draft is not None else None
        return await self._change(principal, ref, status=status)

    async def _set_state(self, principal: Principal, ref: MemberRef, state: AvailabilityState,
                         until_us: int) -> AvailabilityView:
        return await self._change(principal, ref, state=state, state_expire_time_us=until_us)

    async def _change(self, principal: Principal, ref: MemberRef, **fields) -> AvailabilityView:
        """Stores the caller's availability with `fields` (of StoredAvailability) changed."""
        caller = await own_caller(self._directory, principal, ref, "availability")

        async def work(repos: Repositories) -> AvailabilityView:
            stored = await repos.availabilities.get(caller.id) or StoredAvailability(caller.id)
            stored = replace(stored, **fields)
            await repos.availabilities.put(stored)
            return current(stored, self._clock())

        return await write(self._db, work)


def _until(expiry: Expiry, now_us: int) -> int:
    """The end time an expiry names; it must lie ahead, and within the range of a Timestamp."""
    if expiry.expire_time_us is not None:
        field, until = "expire_time", expiry.expire_time_us
        if until <= now_us:
            raise InvalidArgument.field(f"{expiry.prefix}{field}", "must be in the future")
    else:
        field, until = "ttl", now_us + expiry.ttl_us
        if expiry.ttl_us <= 0:
            raise InvalidArgument.field(f"{expiry.prefix}{field}", "must be positive")
    if until > _MAX_TIME_US:
        raise InvalidArgument.field(f"{expiry.prefix}{field}", "ends after the last representable time")
    return until


def _one_year_after(now_us: int) -> int:
    """The same moment a calendar year later (28 February for 29 February)."""
    moment = datetime.fromtimestamp(now_us / 1_000_000, tz=UTC)
    try:
        later = moment.replace(year=moment.year + 1)
    except ValueError:
        later = moment.replace(year=moment.year + 1, day=28)
    return now_us + round((later - moment).total_seconds()) * 1_000_000


def _status(draft: StatusDraft, now_us: int) -> CustomStatus:
    text = draft.text
    if not text.strip():
        raise InvalidArgument.field(f"{STATUS_FIELD}.text", "is required")
    if len(text) > STATUS_TEXT_MAX:
        raise InvalidArgument.field(f"{STATUS_FIELD}.text", f"must be at most {STATUS_TEXT_MAX} characters")
    emoji = draft.emoji
    if not emoji:
        raise InvalidArgument.field(f"{STATUS_FIELD}.emoji", "is required: a Unicode emoji")
    if len(emoji) > _EMOJI_MAX or emoji.isascii() or any(c.isspace() for c in emoji):
        raise InvalidArgument.field(f"{STATUS_FIELD}.emoji.unicode", "must be a single Unicode emoji")
    until = _until(draft.expiry, now_us) if draft.expiry.given else 0
    return CustomStatus(text, emoji, until)
