"""Slash commands and link previews, through the real server to a real HTTP app (tests/events/chat_app.py, verifying
chatsvc's ID tokens with google-auth), on both backends:

- `/echo hi there` in a space is the app's command: stored and read back (gRPC Get and List, REST GET) with
  `slashCommand`, a SLASH_COMMAND annotation and `argumentText` "hi there"; the app gets one MESSAGE event carrying
  them (no @mention needed) and its answer is posted in the space. Two apps with `/echo`: the first by name has it.
- a command that also @mentions its app, and one in a DM with the app, are still one event each; an edit that takes
  the command away takes its annotation away;
- a link matching the app's preview pattern: the message's `matchedUrl`, sent to the app; other links, unknown
  commands and an app's own messages trigger nothing, and a message that could trigger nothing costs no app query.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from google.chat.v1 import annotation_pb2, message_pb2, space_pb2, space_setup_pb2
from google.chat.v1 import membership_pb2 as mp
from google.protobuf import json_format
from sqlalchemy import event

from chatsvc.domain import app_triggers
from chatsvc.domain.access import read
from chatsvc.domain.chat_apps import AppCommand, ChatApp, CommandType, LinkPreviewPattern
from chatsvc.domain.models import Message, SlashCommand, Space, SpaceType
from chatsvc.events.records import EventType, Outcome
from tests.apps.support import Command, register
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.events.app_process import app_process
from tests.events.deliveries import settled
from tests.helpers import statement_of_a_call
from tests.http.rest_support import call

APP_SCRIPT = Path(__file__).resolve().parent / "chat_app.py"
ALICE = "alice@example.com"
SCOPES = ("chat.spaces", "chat.messages", "chat.memberships", "chat.memberships.app")
BOT, RIVAL = "cmd-bot", "zz-bot"  # both have `/echo`; BOT comes first by name
SLASH = Command.CommandType.SLASH_COMMAND
CASE_LINK = "https://support.example.com/cases/42"
SLASH_COMMAND, USER_MENTION = annotation_pb2.AnnotationType.SLASH_COMMAND, annotation_pb2.AnnotationType.USER_MENTION
INVOKE = annotation_pb2.SlashCommandMetadata.Type.INVOKE


class World:
    def __init__(self, server, log: Path, users: dict[str, str]):
        self.server, self.log, self.users = server, log, users

    def md(self, app: str = BOT):
        return self.server.md(user=ALICE, app=app, scopes=SCOPES)

    def received(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines()] if self.log.exists() else []

    async def deliveries(self, app: str = BOT):
        return await read(self.server.running.db, lambda r: r.app_events.for_app(app))

    async def settled(self, count: int, app: str = BOT, timeout: float = 15.0):
        return await settled(self.server, app, count, timeout)

    async def post(self, space: str, text: str, md=None) -> message_pb2.Message:
        return await self.server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space, message=message_pb2.Message(text=text)), metadata=md or self.md())

    async def get(self, name: str) -> message_pb2.Message:
        return await self.server.chat.GetMessage(message_pb2.GetMessageRequest(name=name), metadata=self.md())

    async def messages(self, space: str) -> list[message_pb2.Message]:
        listed = await self.server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space, page_size=100),
                                                     metadata=self.md())
        return list(listed.messages)

    async def add_app(self, space: str, app: str) -> None:
        await self.server.chat.CreateMembership(mp.CreateMembershipRequest(
            parent=space, membership=mp.Membership(member={"name": "users/app", "type": "BOT"})),
            metadata=self.md(app))

    @contextmanager
    def app_queries(self):
        """The statements of calls made in the block that read the registered apps."""
        seen: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany):
            if statement_of_a_call() and "chat_apps" in statement:
                seen.append(statement)

        engine = self.server.running.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", count)


@pytest.fixture(scope="module", params=BACKENDS)
async def world(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("commands")
    async with (fresh_database_url(request.param, tmp) as url,
                serving(url, app_events_poll_seconds=0.1, app_event_timeout_seconds=5) as server):
        log = tmp / "received.jsonl"
        async with app_process(APP_SCRIPT, server, log) as endpoint:
            # The rival is registered first: the command goes by app name, not by age.
            rival = await register(server, RIVAL, endpoint_url=endpoint, display_name="Rival",
                                   commands=[Command(command_id=3, command_type=SLASH, name="/echo")])
            app = await register(server, BOT, endpoint_url=endpoint, display_name="Command Bot", commands=[
                Command(command_id=7, command_type=SLASH, name="/echo", description="Echoes"),
                Command(command_id=8, command_type=SLASH, name="/form", opens_dialog=True)],
                link_preview_patterns=[{"host_pattern": "*.example.com", "path_prefix": "cases/"}])
            yield World(server, log, {BOT: app.user, RIVAL: rival.user})


def _command(message: message_pb2.Message):
    [annotation] = [a for a in message.annotations if a.type == SLASH_COMMAND]
    return annotation


async def test_slash_commands_and_link_previews(world):
    chat, bot_user = world.server.chat, world.users[BOT]
    space = await chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="Commands")), metadata=world.md())
    for app in (BOT, RIVAL):
        await world.add_app(space.name, app)
    await world.settled(1, BOT)
    await world.settled(1, RIVAL)

    # Messages that could trigger nothing read no app; one starting with `/` reads them once, and triggers nothing
    # when no app has the command.
    with world.app_queries() as seen:
        plain = await world.post(space.name, "hello everyone, no command / no link")
    assert seen == [] and not plain.HasField("slash_command") and not plain.HasField("matched_url")
    with world.app_queries() as seen:
        other = await world.post(space.name, "/other stuff")
    assert len(seen) == 1, seen
    assert not other.HasField("slash_command") and other.argument_text == "/other stuff"
    assert not other.annotations
    echo_only = await world.post(space.name, "/echoes are not /echo")  # `/echo` must end at whitespace
    assert not echo_only.HasField("slash_command")
    assert len(await world.deliveries(BOT)) == 1  # rows are queued with the message: nothing more was queued

    # The command: stored with it, returned as Google returns it.
    sent = await world.post(space.name, "/echo   hi there")
    for message in (sent, await world.get(sent.name)):
        assert message.slash_command.command_id == 7 and message.argument_text == "hi there"
        [annotation] = message.annotations
        assert (annotation.type, annotation.start_index, annotation.length) == (SLASH_COMMAND, 0, 5)
        metadata = annotation.slash_command
        assert (metadata.bot.name, metadata.bot.type, metadata.bot.display_name) == (bot_user, 2, "Command Bot")
        assert (metadata.type, metadata.command_name, metadata.command_id, metadata.triggers_dialog) == (
            INVOKE, "/echo", 7, False)
    listed = {m.name: m for m in await world.messages(space.name)}
    assert listed[sent.name].slash_command.command_id == 7 and listed[sent.name].annotations == sent.annotations

    # The app got one MESSAGE event for it, without an @mention, and its answer is in the space.
    rows = await world.settled(2)
    event_, _, delivery = rows[1]
    assert (event_.event_type, event_.message_id, delivery.outcome) == (
        EventType.MESSAGE, sent.name.rsplit("/", 1)[1], Outcome.REPLIED)
    body = json.loads(delivery.event_json)
    assert body["type"] == "MESSAGE" and body["message"]["slashCommand"] == {"commandId": "7"}
    assert body["message"]["argumentText"] == "hi there"
    assert body["message"]["annotations"] == [{
        "type": "SLASH_COMMAND", "startIndex": 0, "length": 5,
        "slashCommand": {"bot": {"name": bot_user, "displayName": "Command Bot", "type": "BOT"}, "type": "INVOKE",
                         "commandName": "/echo", "commandId": "7"}}]
    [got] = [r for r in world.received() if r["event"].get("message", {}).get("name") == sent.name]
    assert got["verified"] and got["event"] == body
    answer = await world.get(delivery.reply_message_id)
    assert answer.text == "Command 7 (/echo): hi there" and answer.sender.name == bot_user
    assert len(await world.deliveries(RIVAL)) == 1  # the rival's `/echo` was not invoked

    # A command that also mentions its app (in any case of its name) is still one event; it opens a dialog.
    both = await world.post(space.name, f"/FORM <{bot_user}> now")
    assert both.slash_command.command_id == 8 and both.argument_text == "now"
    assert [a.type for a in both.annotations] == [SLASH_COMMAND, USER_MENTION]
    assert both.annotations[1].start_index > 0 and _command(both).slash_command.triggers_dialog
    assert _command(both).slash_command.command_name == "/form"
    # An edit that takes the command away takes away what it annotated.
    edited = await chat.UpdateMessage(message_pb2.UpdateMessageRequest(
        message=message_pb2.Message(name=both.name, text="no longer a command"), update_mask={"paths": ["text"]}),
        metadata=world.md())
    for message in (edited, await world.get(both.name)):
        assert not message.HasField("slash_command") and not message.annotations
        assert message.argument_text == "no longer a command"

    # Links: one outside the pattern triggers nothing; a matching one is the message's matchedUrl, sent to the app.
    await world.post(space.name, "read https://www.example.com/about and https://example.org/cases/1")
    linked = await world.post(space.name, f"see <{CASE_LINK}|the case>, or {CASE_LINK}/notes.")
    assert linked.matched_url.url == CASE_LINK and not linked.HasField("slash_command")
    # A message from an app triggers nothing, whatever it holds.
    from_app = await world.post(space.name, f"/echo {CASE_LINK}", md=world.server.md(app=BOT, scopes=("chat.bot",)))
    assert not from_app.HasField("slash_command") and not from_app.HasField("matched_url")
    rows = await world.settled(4)
    assert len(rows) == 4 and len(await world.deliveries(RIVAL)) == 1
    assert json.loads(rows[2][2].event_json)["message"]["name"] == both.name
    link_event = json.loads(rows[3][2].event_json)
    assert link_event["message"]["name"] == linked.name and link_event["message"]["matchedUrl"] == {"url": CASE_LINK}
    assert "slashCommand" not in link_event["message"] and rows[3][2].outcome is Outcome.NO_REPLY
    assert any(r["event"] == link_event and r["verified"] for r in world.received())

    # REST reads the same JSON fields.
    token = world.server.token(user=ALICE, scopes=("chat.messages",))
    for message in (sent, linked):
        reply = await call(world.server, "GET", f"/v1/{message.name}", token=token)
        assert reply.status == 200, reply
        expected = json_format.MessageToDict(await world.get(message.name))
        for field in ("slashCommand", "matchedUrl", "annotations", "argumentText"):
            assert reply.json.get(field) == expected.get(field), field
    assert (await call(world.server, "GET", f"/v1/{sent.name}", token=token)).json["slashCommand"] == {
        "commandId": "7"}

    # A DM with the app: a command there is one event too.
    dm = await chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)), metadata=world.md())
    in_dm = await world.post(dm.name, "/echo")
    assert in_dm.slash_command.command_id == 7 and in_dm.argument_text == ""
    rows = await world.settled(5)
    assert len(rows) == 5 and rows[4][0].message_id == in_dm.name.rsplit("/", 1)[1]
    assert (await world.get(rows[4][2].reply_message_id)).text.startswith("Command 7 (/echo):")


class _Apps:
    def __init__(self, apps):
        self.apps = apps

    async def apps_among_members(self, space_id, user_ids=None):
        return self.apps


async def test_links_and_command_spans():
    """What detection reads from the text alone: links without the sentence around them, a command's span in UTF-16
    code units, and the command of the first app by name."""
    assert app_triggers.links("see (https://a.example.com/x?y=1), <https://b.example.com/z|B> or http://c.example.com."
                              ) == ["https://a.example.com/x?y=1", "https://b.example.com/z", "http://c.example.com"]
    assert app_triggers.links("no links: ftp://x.example.com, xhttps://y.example.com") == []
    party = AppCommand(5, "/\U0001f389", CommandType.SLASH)
    apps = [ChatApp("a-app", "u1", "A", endpoint_url="http://a/", commands=(party,)),
            ChatApp("b-app", "u2", "B", endpoint_url="http://b/", commands=(party,),
                    link_preview_patterns=(LinkPreviewPattern("example.com"),))]
    repos = SimpleNamespace(app_events=_Apps(apps))
    space = Space("s1", SpaceType.SPACE)
    message = Message("s1", "m1", "u9", "t1", 0, text="/\U0001f389 party https://example.com/")
    triggers = await app_triggers.detect(repos, space, message, True)
    assert triggers.slash_command == SlashCommand(3, "u1", "A", 5, "/\U0001f389")
    assert triggers.matched_url == "https://example.com/" and [a.name for a in triggers.apps] == ["a-app", "b-app"]
    assert await app_triggers.detect(repos, space, message, False) == app_triggers.NOTHING
    message.slash_command = triggers.slash_command
    assert app_triggers.argument_text(message) == "party https://example.com/"
