"""Chat app events delivered to a real HTTP app (tests/events/chat_app.py, a child process under .venv-official that
verifies chatsvc's ID token with google-auth against chatsvc's certificates URL), and its replies acted on:

- a DM with the app: the app gets MESSAGE and its reply is posted in the DM as the app (no event to itself);
- ADDED_TO_SPACE, with the app's greeting posted; a mention in a thread answered in that thread; REMOVED_FROM_SPACE;
- a message without apps queues nothing; a timeout, HTTP 500 and non-JSON are recorded failed and post nothing.
"""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from google.chat.v1 import membership_pb2 as mp
from google.chat.v1 import message_pb2, space_pb2, space_setup_pb2

from chatsvc.domain.access import read
from chatsvc.events.records import EventType, Outcome
from tests.apps.support import register
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.events.app_process import app_process
from tests.events.deliveries import settled

APP_SCRIPT = Path(__file__).resolve().parent / "chat_app.py"
ALICE = "alice@example.com"
SCOPES = ("chat.spaces", "chat.messages", "chat.memberships", "chat.memberships.app")
BOT = "echo-bot"


class World:
    def __init__(self, server, log: Path, app_user: str):
        self.server, self.log, self.app_user = server, log, app_user

    def md(self):
        return self.server.md(user=ALICE, app=BOT, scopes=SCOPES)

    def received(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines()] if self.log.exists() else []

    async def deliveries(self):
        return await read(self.server.running.db, lambda r: r.app_events.for_app(BOT))

    async def settled(self, count: int, timeout: float = 15.0):
        """The app's deliveries once `count` of them are done."""
        return await settled(self.server, BOT, count, timeout)

    async def messages(self, space: str) -> list:
        listed = await self.server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space),
                                                     metadata=self.md())
        return list(listed.messages)

    async def post(self, space: str, text: str, thread: str = ""):
        message = message_pb2.Message(text=text)
        option = 0
        if thread:
            message.thread.name = thread
            option = message_pb2.CreateMessageRequest.MessageReplyOption.REPLY_MESSAGE_OR_FAIL
        return await self.server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space, message=message, message_reply_option=option), metadata=self.md())


@pytest.fixture(scope="module", params=BACKENDS)
async def world(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("delivery")
    async with (fresh_database_url(request.param, tmp) as url,
                serving(url, app_events_poll_seconds=0.1, app_event_timeout_seconds=1.5) as server):
        log = tmp / "received.jsonl"
        async with app_process(APP_SCRIPT, server, log) as endpoint:
            app = await register(server, BOT, endpoint_url=endpoint)
            yield World(server, log, app.user)


async def test_app_events_end_to_end(world):
    md = world.md()
    chat = world.server.chat
    # A DM with the app: the message goes to the app, its reply comes back in the DM as the app.
    dm = await chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)), metadata=md)
    sent = await world.post(dm.name, "hello app")
    [done] = await world.settled(1)
    event, _, delivery = done
    assert (event.event_type, delivery.outcome, delivery.status_code) == (EventType.MESSAGE, Outcome.REPLIED, 200)
    [got] = world.received()
    assert got["verified"] and got["wrong_audience_refused"]
    assert got["user_agent"] == "Google-Dynamite" and got["content_type"].startswith("application/json")
    body = got["event"]
    assert body["type"] == "MESSAGE" and body["message"]["name"] == sent.name
    assert body["message"]["text"] == "hello app" and body["space"]["name"] == dm.name
    assert body["space"]["singleUserBotDm"] is True and body["thread"]["name"] == sent.thread.name
    assert body["user"]["name"] == sent.sender.name and body["user"]["email"] == ALICE
    assert body["user"]["type"] == "HUMAN" and "eventTime" in body and body["common"]["hostApp"] == "CHAT"
    reply = (await world.messages(dm.name))[-1]
    assert reply.text == "You said: hello app" and reply.sender.name == world.app_user
    assert delivery.reply_message_id == reply.name
    await asyncio.sleep(0.5)  # the app's own message is no event to it
    assert len(await world.deliveries()) == 1

    # A space: adding the app is ADDED_TO_SPACE and its greeting is posted.
    space = await chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="App testing")), metadata=md)
    top = await world.post(space.name, "a message without apps")  # before the app joins: nothing queued
    await chat.CreateMembership(mp.CreateMembershipRequest(
        parent=space.name, membership=mp.Membership(member={"name": "users/app", "type": "BOT"})), metadata=md)
    rows = await world.settled(2)
    event, _, delivery = rows[1]
    assert (event.event_type, delivery.outcome) == (EventType.ADDED_TO_SPACE, Outcome.REPLIED)
    added = world.received()[1]["event"]
    assert added["type"] == "ADDED_TO_SPACE" and added["space"]["name"] == space.name and "message" not in added
    greeting = (await world.messages(space.name))[-1]
    assert greeting.text == "Thanks for adding me!" and greeting.sender.name == world.app_user

    # A mention of the app in a thread: answered in that thread. A message mentioning no app queues nothing.
    await world.post(space.name, "still no app here")
    mention = await world.post(space.name, f"<{world.app_user}> ping", thread=top.thread.name)
    rows = await world.settled(3)
    assert len(rows) == 3 and rows[2][2].outcome is Outcome.REPLIED
    assert world.received()[2]["event"]["message"]["argumentText"].strip() == "ping"
    answer = (await world.messages(space.name))[-1]
    assert answer.text == "You said: ping" and answer.thread.name == mention.thread.name == top.thread.name
    assert answer.thread_reply and answer.sender.name == world.app_user

    # Failures, in the DM: nothing posted, each recorded failed with its reason.
    before = len(await world.messages(dm.name))
    for text in ("slow", "boom", "garbage"):
        await world.post(dm.name, text)
    rows = await world.settled(6)
    failed = {world_text: row[2] for world_text, row in zip(("slow", "boom", "garbage"), rows[3:], strict=True)}
    assert all(d.outcome is Outcome.FAILED for d in failed.values()), failed
    assert "no answer within" in failed["slow"].error and failed["slow"].status_code == 0
    assert failed["boom"].status_code == 500 and "500" in failed["boom"].error
    assert failed["boom"].reply == "internal error"
    assert failed["garbage"].error == "the reply is not JSON" and failed["garbage"].status_code == 200
    assert all(not d.reply_message_id for d in failed.values())
    await asyncio.sleep(3)  # the slow app's late answer changes nothing
    # the three user messages and, for each, the app's private "not responding" notice (no reply of the app)
    new = (await world.messages(dm.name))[before:]
    assert sorted(m.text for m in new) == ["boom", "echo-bot is not responding.", "echo-bot is not responding.",
                                           "echo-bot is not responding.", "garbage", "slow"]
    assert all(m.private_message_viewer.name and m.sender.name == world.app_user
               for m in new if m.text.endswith("not responding."))

    # An empty reply posts nothing; REMOVED_FROM_SPACE is delivered.
    await world.post(dm.name, "quiet")
    await chat.DeleteMembership(mp.DeleteMembershipRequest(name=f"{space.name}/members/app"), metadata=md)
    rows = await world.settled(8)
    assert [r[2].outcome for r in rows[6:]] == [Outcome.NO_REPLY, Outcome.NO_REPLY]
    assert rows[7][0].event_type is EventType.REMOVED_FROM_SPACE
    [removed] = [r["event"] for r in world.received() if r["event"]["type"] == "REMOVED_FROM_SPACE"]
    assert removed["type"] == "REMOVED_FROM_SPACE" and removed["space"]["name"] == space.name
    assert all(r["verified"] and r["wrong_audience_refused"] for r in world.received())
    assert len(await world.messages(dm.name)) == before + 7
