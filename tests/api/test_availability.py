"""Availability over gRPC: the default state, MarkAsActive / MarkAsAway / MarkAsDoNotDisturb with their
expirations, custom statuses, states and statuses ending by themselves, and the error cases."""
from __future__ import annotations

import asyncio
import time

import grpc
import pytest
from google.chat.v1 import availability_pb2, reaction_pb2
from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2

from chatsvc.api.convert import micros, timestamp
from chatsvc.domain.availability import AvailabilityState, StoredAvailability
from tests.helpers import failure, field_of

SCOPES = ("chat.users.availability",)
State = availability_pb2.Availability.State
MINUTE_US = 60 * 1_000_000
YEAR_US = 365 * 24 * 60 * MINUTE_US


def now_us() -> int:
    return time.time_ns() // 1000


def get(server, md, name="users/me/availability"):
    return server.chat.GetAvailability(availability_pb2.GetAvailabilityRequest(name=name), metadata=md)


def active(server, md, name="users/me/availability", **expiration):
    return server.chat.MarkAsActive(availability_pb2.MarkAsActiveRequest(name=name, **expiration), metadata=md)


def away(server, md, name="users/me/availability"):
    return server.chat.MarkAsAway(availability_pb2.MarkAsAwayRequest(name=name), metadata=md)


def dnd(server, md, name="users/me/availability", **expiration):
    return server.chat.MarkAsDoNotDisturb(availability_pb2.MarkAsDoNotDisturbRequest(name=name, **expiration),
                                          metadata=md)


def set_status(server, md, status=None, name="users/me/availability", paths=("custom_status",), **fields):
    availability = availability_pb2.Availability(name=name, custom_status=status, **fields)
    return server.chat.UpdateAvailability(availability_pb2.UpdateAvailabilityRequest(
        availability=availability, update_mask=field_mask_pb2.FieldMask(paths=list(paths))), metadata=md)


def status(text="In a meeting", emoji="📅", **expiration):
    return availability_pb2.CustomStatus(text=text, emoji=reaction_pb2.Emoji(unicode=emoji), **expiration)


def ttl(seconds: float) -> duration_pb2.Duration:
    whole = int(seconds)
    return duration_pb2.Duration(seconds=whole, nanos=round((seconds - whole) * 1e9))


@pytest.fixture
def alice(server):
    return server.md(user="alice@example.com", scopes=SCOPES)


async def alice_id(server, md) -> str:
    return (await get(server, md)).name.split("/")[1]


async def test_availability_lifecycle(server, alice):
    fresh = await get(server, alice)
    me = fresh.name.split("/")[1]
    canonical = f"users/{me}/availability"
    # Nobody is using a Chat client here, so the activity-based state is AWAY.
    assert fresh == availability_pb2.Availability(name=canonical, state=State.AWAY)
    for alias in ("users/alice@example.com/availability", "users/ALICE@example.com/availability", canonical):
        assert await get(server, alice, alias) == fresh

    # ACTIVE lasts 30 minutes unless told otherwise.
    before = now_us()
    marked = await active(server, alice, "users/alice@example.com/availability")
    assert marked == availability_pb2.Availability(name=canonical, state=State.ACTIVE)
    async with server.running.db.transaction() as repos:
        stored = await repos.availabilities.get(me)
    assert before + 30 * MINUTE_US <= stored.state_expire_time_us <= now_us() + 30 * MINUTE_US
    assert (await get(server, alice)).state == State.ACTIVE
    assert (await active(server, alice, ttl=ttl(120))).state == State.ACTIVE
    assert (await active(server, alice, expire_time=timestamp(now_us() + MINUTE_US))).state == State.ACTIVE

    # Do Not Disturb reports when it ends: exactly the time given, or now plus the ttl.
    until = timestamp(now_us() + 60 * MINUTE_US)
    marked = await dnd(server, alice, canonical, expire_time=until)
    assert marked.state == State.DO_NOT_DISTURB
    assert marked.do_not_disturb_metadata.expiration_time == until
    before = now_us()
    marked = await dnd(server, alice, ttl=ttl(2 * 3600))
    ends = micros(marked.do_not_disturb_metadata.expiration_time)
    assert before + 120 * MINUTE_US <= ends <= now_us() + 120 * MINUTE_US
    assert await get(server, alice) == marked

    # A manual AWAY stays, with no expiry.
    marked = await away(server, alice)
    assert marked == availability_pb2.Availability(name=canonical, state=State.AWAY)
    async with server.running.db.transaction() as repos:
        assert (await repos.availabilities.get(me)).state_expire_time_us == 0

    # The custom status: set, kept across state changes, changed, cleared.
    shown = await set_status(server, alice, status())
    assert shown.custom_status == status() and shown.state == State.AWAY
    assert (await dnd(server, alice, ttl=ttl(60))).custom_status == status()
    before = now_us()
    shown = await set_status(server, alice, status("Lunch", "🥪", ttl=ttl(3600)))
    assert shown.state == State.DO_NOT_DISTURB  # a status change leaves the state alone
    assert shown.custom_status.text == "Lunch" and shown.custom_status.emoji.unicode == "🥪"
    assert not shown.custom_status.HasField("ttl")  # input only: it comes back as the time it ends
    assert before + 60 * MINUTE_US <= micros(shown.custom_status.expire_time) <= now_us() + 60 * MINUTE_US
    at = timestamp(now_us() + 10 * MINUTE_US)
    assert (await set_status(server, alice, status(expire_time=at), paths=("*",))).custom_status.expire_time == at
    cleared = await set_status(server, alice, None)
    assert not cleared.HasField("custom_status") and cleared.state == State.DO_NOT_DISTURB
    assert not (await get(server, alice)).HasField("custom_status")


async def test_state_and_status_expire_by_themselves(server, alice):
    me = await alice_id(server, alice)
    await dnd(server, alice, ttl=ttl(0.3))
    await set_status(server, alice, status(ttl=ttl(0.3)))
    shown = await get(server, alice)
    assert shown.state == State.DO_NOT_DISTURB and shown.HasField("custom_status")
    await asyncio.sleep(0.4)
    assert await get(server, alice) == availability_pb2.Availability(name=f"users/{me}/availability",
                                                                     state=State.AWAY)
    # An ACTIVE whose time has passed is AWAY too (written straight to storage, an hour ago).
    async with server.running.db.transaction(write=True) as repos:
        await repos.availabilities.put(StoredAvailability(me, AvailabilityState.ACTIVE, now_us() - 60 * MINUTE_US))
    assert (await get(server, alice)).state == State.AWAY


async def test_output_only_fields_are_ignored(server, alice):
    await away(server, alice)
    shown = await set_status(server, alice, status(), state=State.DO_NOT_DISTURB,
                             do_not_disturb_metadata={"expiration_time": timestamp(now_us() + YEAR_US)})
    assert shown.state == State.AWAY and not shown.HasField("do_not_disturb_metadata")


async def test_do_not_disturb_needs_an_expiration_of_at_most_a_year(server, alice):
    details = await failure(dnd(server, alice), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["expiration"]
    details = await failure(dnd(server, alice, ttl=ttl(366 * 24 * 3600)), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["ttl"]
    details = await failure(dnd(server, alice, expire_time=timestamp(now_us() + YEAR_US + 2 * 24 * 60 * MINUTE_US)),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["expire_time"]
    almost = await dnd(server, alice, ttl=ttl(365 * 24 * 3600 - 60))
    assert almost.state == State.DO_NOT_DISTURB


async def test_expiration_errors(server, alice):
    past = timestamp(now_us() - MINUTE_US)
    for call in (active, dnd):
        details = await failure(call(server, alice, expire_time=past), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["expire_time"]
        for bad in (ttl(0), duration_pb2.Duration(seconds=-5), duration_pb2.Duration(seconds=1, nanos=-5),
                    duration_pb2.Duration(seconds=400_000_000_000)):
            details = await failure(call(server, alice, ttl=bad), grpc.StatusCode.INVALID_ARGUMENT)
            assert field_of(details) == ["ttl"]
        details = await failure(call(server, alice, expire_time=timestamp_pb2.Timestamp(seconds=1, nanos=-1)),
                                grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["expire_time"]
    details = await failure(active(server, alice, ttl=ttl(315_576_000_000)), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["ttl"]
    # Nothing was changed by the refused calls.
    assert (await get(server, alice)).state == State.AWAY


async def test_custom_status_errors(server, alice):
    prefix = "availability.custom_status."
    cases = [
        (status(text=""), "text"), (status(text="   "), "text"), (status(text="x" * 65), "text"),
        (availability_pb2.CustomStatus(text="no emoji"), "emoji"),
        (availability_pb2.CustomStatus(text="custom", emoji=reaction_pb2.Emoji(
            custom_emoji=reaction_pb2.CustomEmoji(uid="abc"))), "emoji"),
        (status(emoji=":)"), "emoji.unicode"), (status(emoji="🙂 ok"), "emoji.unicode"),
        (status(expire_time=timestamp(now_us() - MINUTE_US)), "expire_time"),
        (status(ttl=duration_pb2.Duration(seconds=-1)), "ttl"),
    ]
    for bad, field in cases:
        details = await failure(set_status(server, alice, bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [prefix + field], bad
    # 64 characters, however many bytes they take, are fine.
    assert (await set_status(server, alice, status(text="é" * 64))).custom_status.text == "é" * 64
    for paths in ((), ("state",), ("custom_status.text",), ("customStatus",), ("custom_status", "name")):
        details = await failure(set_status(server, alice, status(), paths=paths), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["update_mask"]
    assert (await get(server, alice)).custom_status.text == "é" * 64


async def test_only_the_callers_own_availability(server, alice):
    bob = server.md(user="bob@example.com", scopes=SCOPES)
    bob_id = await alice_id(server, bob)
    for other in ("bob@example.com", bob_id, "123456789", "nobody@example.com", "app"):
        name = f"users/{other}/availability"
        calls = (get(server, alice, name), active(server, alice, name), away(server, alice, name),
                 dnd(server, alice, name, ttl=ttl(60)), set_status(server, alice, status(), name=name))
        for call in calls:
            details = await failure(call, grpc.StatusCode.PERMISSION_DENIED)
            assert details["ErrorInfo"].reason == "CALLER_ONLY"
    assert (await get(server, bob)).state == State.AWAY and not (await get(server, bob)).HasField("custom_status")

    for bad in ("", "users/me", "users/me/availability/x", "availability", "users//availability"):
        for call in (get(server, alice, bad), active(server, alice, bad), away(server, alice, bad),
                     dnd(server, alice, bad, ttl=ttl(60))):
            assert field_of(await failure(call, grpc.StatusCode.INVALID_ARGUMENT)) == ["name"]
        details = await failure(set_status(server, alice, status(), name=bad), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["availability.name"]


async def test_read_only_scope_reads_but_does_not_change(server):
    reader = server.md(user="alice@example.com", scopes=("chat.users.availability.readonly",))
    assert (await get(server, reader)).state == State.AWAY
    for call in (active(server, reader), away(server, reader), dnd(server, reader, ttl=ttl(60)),
                 set_status(server, reader, status())):
        await failure(call, grpc.StatusCode.PERMISSION_DENIED)
