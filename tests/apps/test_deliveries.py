"""Every delivery of an event to a Chat app on record (AppService GetDelivery / ListDeliveries, over gRPC and REST),
and kept within its bounds by the server's retention sweep:

- a DM with a registered app whose endpoint is a small aiohttp server in the test: a reply and an HTTP 500, each
  listed newest first and read with what was sent and got back; pages, the filter, REST equal to gRPC;
- the headers sent are on record, the app's token never (in the Authorization header or, for an add-on event, in
  its body: not stored, not shown); someone who does not manage the app finds neither it nor its deliveries;
- finished deliveries beyond the newest N per app, or older than the age bound, are deleted, never queued or
  in-flight ones; two sweeps at once delete each delivery once.
"""
from __future__ import annotations

import asyncio
import json
import re

import grpc
import pytest
from aiohttp import web
from google.chat.v1 import message_pb2, space_pb2, space_setup_pb2
from google.protobuf.json_format import MessageToDict

from chatsvc.app import clock_us
from chatsvc.apps.v1 import app_service_pb2 as pb
from chatsvc.apps.v1 import delivery_pb2
from chatsvc.domain.access import read, write
from chatsvc.events.records import Delivery, EventType, Outcome, QueuedEvent
from chatsvc.workers.app_event_retention import AppEventRetention
from tests.apps.support import ALICE, BOB, ROOT, ChatApp, md, register, stub
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.helpers import failure
from tests.http.rest_support import call, envelope

BOT = "record-bot"
ADDON_BOT = "record-addon"
CHAT_SCOPES = ("chat.spaces", "chat.messages", "chat.memberships", "chat.memberships.app")
State, Result = delivery_pb2.Delivery.State, delivery_pb2.Delivery.Outcome


class Endpoint:
    """A Chat app's HTTP endpoint in the test's own loop: answers "You said: TEXT", or HTTP 500 to `boom`; keeps
    the headers and the event of every request."""

    def __init__(self):
        self.authorizations: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.events: list[dict] = []
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.authorizations.append(request.headers.get("Authorization", ""))
        self.headers.append(dict(request.headers))
        event = await request.json()
        self.events.append(event)
        if "chat" in event:  # the add-on format: nothing to say
            return web.Response(status=200)
        text = event.get("message", {}).get("argumentText", event.get("message", {}).get("text", "")).strip()
        if text == "boom":
            return web.Response(status=500, text="internal error")
        return web.json_response({"text": f"You said: {text}"})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/"

    async def stop(self) -> None:
        await self.runner.cleanup()


class World:
    """A server, the app registered by Alice with its endpoint, and Alice's DM with it."""

    def __init__(self, server, endpoint: Endpoint, database_url: str):
        self.server, self.endpoint, self.database_url = server, endpoint, database_url
        self.dm = ""

    def chat_md(self):
        return self.server.md(user=ALICE, app=BOT, scopes=CHAT_SCOPES)

    async def post(self, text: str) -> message_pb2.Message:
        return await self.server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=self.dm, message=message_pb2.Message(text=text)), metadata=self.chat_md())

    async def listed(self, **request) -> pb.ListDeliveriesResponse:
        return await stub(self.server).ListDeliveries(pb.ListDeliveriesRequest(parent=f"apps/{BOT}", **request),
                                                      metadata=md(self.server, ALICE))

    async def settled(self, count: int) -> list[delivery_pb2.Delivery]:
        """The app's deliveries, newest first, once `count` are there and all are done."""
        for _ in range(150):
            found = list((await self.listed(page_size=1000)).deliveries)
            if len(found) >= count and all(d.state == State.DONE for d in found):
                return found
            await asyncio.sleep(0.1)
        raise AssertionError(f"deliveries not settled: {found}")


@pytest.fixture(scope="module", params=BACKENDS)
async def world(request, tmp_path_factory):
    endpoint = Endpoint()
    await endpoint.start()
    try:
        async with (fresh_database_url(request.param, tmp_path_factory.mktemp("deliveries")) as url,
                    serving(url, app_events_poll_seconds=0.1, app_event_timeout_seconds=5) as server):
            await register(server, BOT, endpoint_url=endpoint.url)
            await register(server, ADDON_BOT, endpoint_url=endpoint.url, event_format=ChatApp.ADDON)
            world = World(server, endpoint, url)
            world.dm = (await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
                space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)),
                metadata=world.chat_md())).name
            yield world
    finally:
        await endpoint.stop()


async def test_deliveries_listed_and_read_over_grpc_and_rest(world):
    server, apps = world.server, stub(world.server)
    hello = await world.post("hello")
    boom = await world.post("boom")
    failed, replied = await world.settled(2)  # newest first

    assert re.fullmatch(rf"apps/{BOT}/deliveries/[A-Za-z0-9]+", replied.name) and replied.name != failed.name
    assert (replied.event_type, replied.space, replied.message, replied.user) == (
        "MESSAGE", world.dm, hello.name, hello.sender.name)
    assert (replied.state, replied.outcome, replied.http_status, replied.error) == (State.DONE, Result.REPLIED, 200, "")
    sent = json.loads(replied.event_json)
    assert sent["type"] == "MESSAGE" and sent["message"]["name"] == hello.name and sent["space"]["name"] == world.dm
    assert json.loads(replied.reply) == {"text": "You said: hello"}
    answer = (await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=world.dm),
                                             metadata=world.chat_md())).messages
    assert [m.name for m in answer if m.text == "You said: hello"] == [replied.reply_message]
    assert replied.HasField("deliver_time") and replied.deliver_time.ToMicroseconds() >= \
        replied.event_time.ToMicroseconds() and replied.latency_ms >= 0
    assert (failed.message, failed.outcome, failed.http_status, failed.reply) == (
        boom.name, Result.FAILED, 500, "internal error")
    assert "500" in failed.error and failed.reply_message == ""
    assert json.loads(failed.event_json)["message"]["text"] == "boom"

    # The headers sent are on record as the app received them, but for the bearer token, which is nowhere.
    tokens = [auth.removeprefix("Bearer ") for auth in world.endpoint.authorizations]
    assert len(tokens) == 2 and all(len(token) > 100 for token in tokens)
    for delivery, received in zip((replied, failed), world.endpoint.headers, strict=True):
        assert dict(delivery.request_headers) == {
            "Authorization": "Bearer REDACTED", "User-Agent": "Google-Dynamite",
            "Content-Type": "application/json; charset=UTF-8"}
        assert all(received[name] == value for name, value in delivery.request_headers.items()
                   if name != "Authorization")
        assert not any(token in str(delivery) for token in tokens)

    # Read one; pages bound to their request; the filter.
    assert await apps.GetDelivery(pb.GetDeliveryRequest(name=replied.name), metadata=md(server)) == replied
    first = await world.listed(page_size=1)
    assert list(first.deliveries) == [failed] and first.next_page_token
    second = await world.listed(page_size=1, page_token=first.next_page_token)
    assert list(second.deliveries) == [replied] and not second.next_page_token
    await failure(world.listed(page_size=1, page_token=first.next_page_token, filter="outcome = FAILED"),
                  grpc.StatusCode.INVALID_ARGUMENT)
    assert list((await world.listed(filter="outcome = FAILED")).deliveries) == [failed]
    assert list((await world.listed(filter='outcome = replied AND eventType = "MESSAGE"')).deliveries) == [replied]
    assert list((await world.listed(filter="event_type = ADDED_TO_SPACE")).deliveries) == []
    assert len((await world.listed(filter="state = DONE")).deliveries) == 2
    for bad in ("outcome = LOST", "outcome != FAILED", "latency_ms = 3", "outcome = FAILED OR state = DONE"):
        await failure(world.listed(filter=bad), grpc.StatusCode.INVALID_ARGUMENT)

    # REST: the same resources at their paths.
    token = server.token(user=ALICE, scopes=("chatsvc.apps.readonly",))
    listed = await call(server, "GET", f"/v1/apps/{BOT}/deliveries", token=token)
    assert listed.status == 200, listed
    assert listed.json == {"deliveries": [MessageToDict(failed), MessageToDict(replied)]}
    assert not any(token in listed.body.decode() for token in tokens)
    one = await call(server, "GET", f"/v1/{failed.name}", token=token)
    assert one.status == 200 and one.json == MessageToDict(failed) and one.json["outcome"] == "FAILED"
    page = await call(server, "GET", f"/v1/apps/{BOT}/deliveries", token=token, query="pageSize=1&filter=state%3DDONE")
    assert [d["name"] for d in page.json["deliveries"]] == [failed.name] and page.json["nextPageToken"]

    # Those who do not manage the app find neither it nor its deliveries; an administrator does.
    for request, method in ((pb.GetDeliveryRequest(name=replied.name), apps.GetDelivery),
                            (pb.ListDeliveriesRequest(parent=f"apps/{BOT}"), apps.ListDeliveries)):
        details = await failure(method(request, metadata=md(server, BOB)), grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "APP_NOT_FOUND"
    bob = server.token(user=BOB, scopes=("chatsvc.apps",))
    assert envelope(await call(server, "GET", f"/v1/{replied.name}", token=bob), 404)["status"] == "NOT_FOUND"
    admin = await apps.ListDeliveries(pb.ListDeliveriesRequest(parent=f"apps/{BOT}"),
                                      metadata=md(server, ROOT, admin=True))
    assert list(admin.deliveries) == [failed, replied]
    missing = await failure(apps.GetDelivery(pb.GetDeliveryRequest(name=f"apps/{BOT}/deliveries/nosuchone"),
                                             metadata=md(server)), grpc.StatusCode.NOT_FOUND)
    assert missing["ErrorInfo"].reason == "DELIVERY_NOT_FOUND"
    await failure(apps.GetDelivery(pb.GetDeliveryRequest(name=f"apps/{BOT}/deliveries/a-b"), metadata=md(server)),
                  grpc.StatusCode.INVALID_ARGUMENT)


async def test_an_add_on_events_id_token_is_not_shown(world):
    server = world.server
    chat_md = server.md(user=ALICE, app=ADDON_BOT, scopes=CHAT_SCOPES)
    dm = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)), metadata=chat_md)
    sent = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=dm.name, message=message_pb2.Message(text="hello add-on")), metadata=chat_md)
    request = pb.ListDeliveriesRequest(parent=f"apps/{ADDON_BOT}")
    for _ in range(150):
        listed = list((await stub(server).ListDeliveries(request, metadata=md(server))).deliveries)
        if listed and listed[0].state == State.DONE:
            break
        await asyncio.sleep(0.1)
    [delivery] = listed
    token = world.endpoint.authorizations[-1].removeprefix("Bearer ")
    # The app got the token in the event's body; the record never held it.
    assert world.endpoint.events[-1]["authorizationEventObject"] == {"systemIdToken": token}
    [(_, _, stored)] = await read(server.running.db, lambda r: r.app_events.for_app(ADDON_BOT))
    assert token not in stored.event_json and token not in str(stored.request_headers)
    assert json.loads(stored.event_json)["authorizationEventObject"] == {"systemIdToken": "REDACTED"}
    assert dict(stored.request_headers)["Authorization"] == "Bearer REDACTED"
    event = json.loads(delivery.event_json)
    assert (delivery.outcome, delivery.message) == (Result.NO_REPLY, sent.name)
    assert event["chat"]["messagePayload"]["message"]["name"] == sent.name
    assert event["authorizationEventObject"] == {"systemIdToken": "REDACTED"}
    assert event == {**world.endpoint.events[-1], "authorizationEventObject": {"systemIdToken": "REDACTED"}}
    assert token not in str(delivery) and delivery.request_headers["Authorization"] == "Bearer REDACTED"
    rest = await call(server, "GET", f"/v1/{delivery.name}", token=server.token(user=ALICE, scopes=("chatsvc.apps",)))
    assert rest.status == 200 and token not in rest.body.decode() and rest.json["name"] == delivery.name


# --- retention ---------------------------------------------------------------------------------------------------

DAY_US = 86_400 * 1_000_000
SECOND_US = 1_000_000


async def _recorded(db, rows: list[tuple[str, str, int, str]], now: int) -> None:
    """Events (app, id, event time, state) on record: `done` ones finished, `delivering` ones claimed by a live
    process, `queued` ones waiting (this server delivers nothing: its worker is off)."""
    for app, event_id, at, _ in rows:
        await write(db, lambda r, app=app, event_id=event_id, at=at: r.app_events.add(QueuedEvent(
            event_id, app, EventType.MESSAGE, "nospace", "nouser", at)))
    await write(db, lambda r: r.app_events.claim_due(now, "test", now + DAY_US, 1000))
    for _, event_id, _, state in rows:
        if state == "done":
            await write(db, lambda r, event_id=event_id: r.app_events.finish(
                event_id, "test", Delivery(Outcome.NO_REPLY, status_code=200, delivered_time_us=now)))
        elif state == "queued":
            await write(db, lambda r, event_id=event_id: r.app_events.release(event_id, "test"))


async def _kept(server, app: str) -> dict[str, str]:
    listed = await stub(server).ListDeliveries(pb.ListDeliveriesRequest(parent=f"apps/{app}", page_size=1000),
                                               metadata=md(server, ROOT, admin=True))
    return {d.name.rsplit("/", 1)[1]: State.Name(d.state) for d in listed.deliveries}


async def _until_kept(server, app: str, expected: dict[str, str]) -> None:
    for _ in range(100):
        if await _kept(server, app) == expected:
            return
        await asyncio.sleep(0.1)
    assert await _kept(server, app) == expected


@pytest.fixture(params=BACKENDS)
async def bounded_server(request, tmp_path):
    async with (fresh_database_url(request.param, tmp_path) as url,
                serving(url, app_events_enabled=False, app_event_retention_days=1, app_event_retention_count=3,
                        app_event_retention_sweep_seconds=0.2) as server):
        yield server


async def test_retention_by_count_and_age_keeps_unfinished_ones(bounded_server):
    server = bounded_server
    db, now = server.running.db, clock_us()
    for app in ("crowded", "aged"):
        await register(server, app)
    await _recorded(db, [
        # crowded: five recent finished ones; the newest 3 stay. Two-day-old ones: the finished one goes, the queued
        # and the in-flight ones stay whatever their age and number.
        *[("crowded", f"recent{i}", now - i * SECOND_US, "done") for i in range(1, 6)],
        ("crowded", "oldqueued", now - 2 * DAY_US, "queued"),
        ("crowded", "oldflying", now - 2 * DAY_US, "delivering"),
        ("crowded", "olddone", now - 2 * DAY_US, "done"),
        # aged: under the count bound; the one older than a day goes.
        ("aged", "fresh", now - SECOND_US, "done"),
        ("aged", "stale", now - DAY_US - 60 * SECOND_US, "done"),
    ], now)
    await _until_kept(server, "crowded", {"recent1": "DONE", "recent2": "DONE", "recent3": "DONE",
                                          "oldqueued": "QUEUED", "oldflying": "DELIVERING"})
    await _until_kept(server, "aged", {"fresh": "DONE"})

    # Two sweeps at once (as two processes would): each delivery is deleted once, and nothing more.
    await _recorded(db, [("aged", f"again{i}", now - 2 * DAY_US, "done") for i in range(4)], now)
    await server.running.app_event_retention.stop()  # only the two sweeps below, with nothing in between
    sweeps = [AppEventRetention(db, lambda: now, days=1, count=3, sweep_seconds=60) for _ in range(2)]
    deleted = await asyncio.gather(*(sweep.sweep() for sweep in sweeps))
    assert sum(n or 0 for n in deleted) == 4, deleted
    assert await _kept(server, "aged") == {"fresh": "DONE"}
    assert await sweeps[0].sweep() == 0
    rows = await read(db, lambda r: r.app_events.for_app("crowded"))
    assert len(rows) == 5
