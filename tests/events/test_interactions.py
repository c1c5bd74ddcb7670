"""A Chat client's interactions with an app's cards, dialogs and commands (chatsvc.interactions.v1), and every kind
of synchronous reply acted on, against a real app (tests/events/card_app.py, a child process under .venv-official
that verifies chatsvc's ID token with google-auth): a card's button updates its message; a dialog opened, submitted
(a message posted, or an action status) and cancelled; autocomplete; a quick command; REQUEST_CONFIG and its
configCompleteRedirectUrl; a link preview's cards; and the failures (timeout, HTTP 500, not JSON, an invalid card,
an inapplicable reply), each on record as failed, changing nothing, with the user's private "not responding" notice.
"""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
import grpc
import pytest
from google.chat.v1 import message_pb2, space_pb2, space_setup_pb2

from chatsvc.apps.v1 import app_service_pb2 as app_pb
from chatsvc.apps.v1 import chat_app_pb2
from chatsvc.domain.access import read
from chatsvc.events.records import EventState, Outcome
from chatsvc.interactions.v1 import interaction_service_pb2 as ipb
from chatsvc.interactions.v1.interaction_service_pb2_grpc import InteractionServiceStub
from tests.apps.support import md as manager_md
from tests.apps.support import register, stub
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.events.app_process import app_process
from tests.events.deliveries import settled
from tests.helpers import rpc_error_details
from tests.http.rest_support import call

APP_SCRIPT = Path(__file__).resolve().parent / "card_app.py"
ADDON_SCRIPT = Path(__file__).resolve().parent / "addon_card_app.py"
ALICE = "alice@example.com"
SCOPES = ("chat.spaces", "chat.messages", "chat.memberships", "chat.memberships.app")
BOT, ADDON_BOT = "card-bot", "addon-bot"
NOTICE = "Card Bot is not responding."
ActionType = message_pb2.ActionResponse.ResponseType


def inputs(**values) -> dict:
    return {name: ipb.Inputs(string_inputs=ipb.StringInputs(value=[value])) for name, value in values.items()}


class World:
    def __init__(self, server, log: Path, app_user: str, addon_log: Path):
        self.server, self.log, self.app_user, self.addon_log = server, log, app_user, addon_log
        self.interactions = InteractionServiceStub(server.channel)

    def md(self):
        return self.server.md(user=ALICE, app=BOT, scopes=SCOPES)

    def last_event(self) -> dict:
        last = json.loads(self.log.read_text().splitlines()[-1])
        assert last["verified"]
        return last["event"]

    async def deliveries(self):
        return await read(self.server.running.db, lambda r: r.app_events.for_app(BOT))

    async def settled(self, count: int):
        return await settled(self.server, BOT, count)

    async def messages(self, space: str) -> list:
        listed = await self.server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space, page_size=1000),
                                                     metadata=self.md())
        return list(listed.messages)

    async def notices(self, space: str) -> int:
        return sum(m.text == NOTICE and m.private_message_viewer.name != "" for m in await self.messages(space))

    async def get(self, name: str):
        return await self.server.chat.GetMessage(message_pb2.GetMessageRequest(name=name), metadata=self.md())

    async def post(self, space: str, text: str):
        return await self.server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=space, message=message_pb2.Message(text=text)), metadata=self.md())


@pytest.fixture(scope="module", params=BACKENDS)
async def world(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("interactions")
    async with (fresh_database_url(request.param, tmp) as url,
                serving(url, app_events_poll_seconds=0.1, app_event_timeout_seconds=1.5) as server):
        log, addon_log = tmp / "received.jsonl", tmp / "addon.jsonl"
        async with (app_process(APP_SCRIPT, server, log) as endpoint,
                    app_process(ADDON_SCRIPT, server, addon_log) as addon_endpoint):
            command = chat_app_pb2.AppCommand(command_id=7, command_type=chat_app_pb2.AppCommand.QUICK_COMMAND,
                                              name="Create ticket", opens_dialog=True)
            app = await register(server, BOT, display_name="Card Bot", endpoint_url=endpoint,
                                 commands=[command], link_preview_patterns=[
                                     chat_app_pb2.LinkPreviewPattern(host_pattern="preview.example.com")])
            await register(server, ADDON_BOT, endpoint_url=addon_endpoint,
                           event_format=chat_app_pb2.ChatApp.ADDON)
            yield World(server, log, app.user, addon_log)


async def test_cards_dialogs_commands_and_replies(world):
    md, calls = world.md(), world.interactions
    dm = await world.server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)), metadata=md)
    await world.post(dm.name, "card")
    await world.settled(1)
    poll = (await world.messages(dm.name))[-1]
    assert poll.sender.name == world.app_user and poll.cards_v2[0].card_id == "poll"

    # A button click updates the app's message; the form inputs and the button's parameters arrive.
    clicked = await calls.ClickCardAction(ipb.ClickCardActionRequest(
        message=poll.name, function="vote", form_inputs=inputs(city="Paris")), metadata=md)
    assert clicked.message == poll.name and clicked.action_response.type == ActionType.UPDATE_MESSAGE
    assert clicked.app == f"apps/{BOT}" and clicked.delivery.startswith(f"apps/{BOT}/deliveries/")
    assert (await world.get(poll.name)).text == "Votes: 1 (Paris)"
    event = world.last_event()
    assert event["type"] == "CARD_CLICKED" and event["message"]["name"] == poll.name
    assert event["action"] == {"actionMethodName": "vote", "parameters": [{"key": "count", "value": "0"}]}
    assert event["common"]["invokedFunction"] == "vote" and event["common"]["parameters"] == {"count": "0"}
    assert event["common"]["formInputs"] == {"city": {"stringInputs": {"value": ["Paris"]}}}
    assert "isDialogEvent" not in event and event["user"]["email"] == ALICE
    record = await stub(world.server).GetDelivery(app_pb.GetDeliveryRequest(name=clicked.delivery),
                                                 metadata=manager_md(world.server))
    assert (record.event_type, record.outcome, record.reply_message) == ("CARD_CLICKED", record.REPLIED, poll.name)
    assert record.request_headers["Authorization"] == "Bearer REDACTED"
    assert record.request_headers["User-Agent"] == "Google-Dynamite"
    with pytest.raises(grpc.aio.AioRpcError) as caught:  # only what the card shows can be clicked
        await calls.ClickCardAction(ipb.ClickCardActionRequest(message=poll.name, function="delete"), metadata=md)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    refused = [  # refused before anything is sent: the record below counts only what was delivered
        (calls.ClickCardAction(ipb.ClickCardActionRequest(message=poll.name, function="vote"),
                               metadata=world.server.md(user="bob@example.com", scopes=SCOPES)),
         grpc.StatusCode.NOT_FOUND),  # someone who cannot see the message
        (calls.RunQuickCommand(ipb.RunQuickCommandRequest(space=dm.name, app=f"apps/{BOT}", command_id=99),
                               metadata=md), grpc.StatusCode.INVALID_ARGUMENT),
        (calls.SubmitDialog(ipb.SubmitDialogRequest(space=dm.name, function="submitForm"), metadata=md),
         grpc.StatusCode.INVALID_ARGUMENT),  # which app's dialog?
    ]
    for pending, code in refused:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await pending
        assert caught.value.code() == code

    # A dialog: opened by an OPEN_DIALOG button, submitted (a message posted; an action status), cancelled.
    opened = await calls.ClickCardAction(ipb.ClickCardActionRequest(message=poll.name, function="openForm"),
                                         metadata=md)
    assert opened.action_response.type == ActionType.DIALOG and not opened.message
    assert opened.action_response.dialog_action.dialog.body.header.title == "Contact"
    assert (world.last_event()["isDialogEvent"], world.last_event()["dialogEventType"]) == (True, "REQUEST_DIALOG")
    submitted = await calls.SubmitDialog(ipb.SubmitDialogRequest(
        space=dm.name, message=poll.name, function="submitForm", form_inputs=inputs(contactName="Kai")), metadata=md)
    saved = await world.get(submitted.message)
    assert saved.text == "Saved Kai" and saved.sender.name == world.app_user
    event = world.last_event()
    assert event["dialogEventType"] == "SUBMIT_DIALOG" and event["common"]["invokedFunction"] == "submitForm"
    assert event["common"]["formInputs"]["contactName"]["stringInputs"]["value"] == ["Kai"]
    quiet = await calls.SubmitDialog(ipb.SubmitDialogRequest(space=dm.name, app=f"apps/{BOT}",
                                                             function="submitQuiet"), metadata=md)
    assert quiet.action_response.dialog_action.HasField("action_status") and not quiet.message
    assert quiet.action_response.dialog_action.action_status.status_code == 0  # OK
    cancelled = await calls.CancelDialog(ipb.CancelDialogRequest(space=dm.name, app=f"apps/{BOT}"), metadata=md)
    assert cancelled.action_response.dialog_action.action_status.status_code == 1  # CANCELLED
    assert world.last_event()["dialogEventType"] == "CANCEL_DIALOG"

    # Autocomplete of the card's input, over REST (the route comes from the RPC's google.api.http binding).
    token = world.server.token(user=ALICE, app=BOT, scopes=SCOPES)
    reply = await call(world.server, "POST", f"/v1/{dm.name}:autocompleteWidget", token=token,
                       body={"message": poll.name, "widget": "city", "value": "Par"})
    assert reply.status == 200, reply
    suggested = reply.json["actionResponse"]["updatedWidget"]
    assert [i["text"] for i in suggested["suggestions"]["items"]] == ["Paris", "Parma"]
    event = world.last_event()
    assert event["type"] == "WIDGET_UPDATED" and event["common"]["invokedFunction"] == "suggestCities"
    assert event["common"]["parameters"] == {"autocomplete_widget_query": "Par"}

    # A quick command that opens a dialog.
    ran = await calls.RunQuickCommand(ipb.RunQuickCommandRequest(space=dm.name, app=f"apps/{BOT}", command_id=7),
                                      metadata=md)
    assert ran.action_response.dialog_action.dialog.body.header.title == "Command 7"
    event = world.last_event()
    assert event["type"] == "APP_COMMAND" and event["isDialogEvent"] and event["dialogEventType"] == "REQUEST_DIALOG"
    assert event["appCommandMetadata"] == {"appCommandId": 7, "appCommandType": "QUICK_COMMAND"}

    # REQUEST_CONFIG (in the action_response spelling): a private prompt from the app with the URL.
    configure = await world.post(dm.name, "configure")
    rows = await world.settled(9)
    prompt = (await world.messages(dm.name))[-1]
    assert prompt.sender.name == world.app_user and prompt.private_message_viewer.name == configure.sender.name
    assert "https://config.example.com/setup" in prompt.text
    assert rows[-1][2].outcome is Outcome.REPLIED and rows[-1][2].reply_message_id == prompt.name
    # The app sends the user to the event's configCompleteRedirectUrl: the prompt is erased and the message
    # dispatched again (now answered); the link works once, and a forged one not at all.
    link_url = world.last_event()["configCompleteRedirectUrl"]
    assert link_url.startswith(f"{world.server.media_url}/chat/config_complete/")
    async with aiohttp.ClientSession() as session:
        async with session.get(link_url) as answer:
            assert answer.status == 200 and "complete" in await answer.text()
        rows = await world.settled(10)
        assert world.last_event()["message"]["name"] == configure.name and rows[-1][0].message_id == configure.name \
            .rsplit("/", 1)[1]
        shown = await world.messages(dm.name)
        assert prompt.name not in {m.name for m in shown} and shown[-1].text == "Configured"
        async with session.get(link_url) as answer:
            assert answer.status == 200 and "used already" in await answer.text()
        async with session.get(link_url[:-2] + ("AA" if not link_url.endswith("AA") else "BB")) as answer:
            assert answer.status == 404

    # A link preview: the app's cards on the user's message; a click on them answered with UPDATE_MESSAGE fails
    # (the message is not the app's).
    link = await world.post(dm.name, "see https://preview.example.com/case/1")
    rows = await world.settled(11)
    assert rows[-1][2].outcome is Outcome.REPLIED and rows[-1][2].reply_message_id == link.name
    previewed = await world.get(link.name)
    assert previewed.cards_v2[0].card.header.title == "Preview of https://preview.example.com/case/1"
    assert previewed.text == link.text and previewed.sender.name == link.sender.name

    notices = await world.notices(dm.name)
    assert notices == 0
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await calls.ClickCardAction(ipb.ClickCardActionRequest(message=link.name, function="rename"), metadata=md)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    info = rpc_error_details(caught.value)["ErrorInfo"]
    assert info.reason == "APP_NOT_RESPONDING" and info.metadata["cause"] == "INVALID_REPLY"
    assert "sent by someone else" in info.metadata["error"]
    assert (await world.get(link.name)).text == link.text
    assert await world.notices(dm.name) == notices + 1

    # Failures of a click: nothing changes, each is on record, the user is told each time.
    expected = {"slow": (grpc.StatusCode.UNAVAILABLE, "TIMEOUT", "no answer within 1.5 s"),
                "boom": (grpc.StatusCode.UNAVAILABLE, "HTTP_STATUS", "the app answered HTTP 500"),
                "garbage": (grpc.StatusCode.FAILED_PRECONDITION, "NOT_JSON", "the reply is not JSON"),
                "badCard": (grpc.StatusCode.FAILED_PRECONDITION, "INVALID_REPLY", "noSuchWidget"),
                "claim": (grpc.StatusCode.FAILED_PRECONDITION, "INVALID_REPLY", "sent by a Chat app")}
    for function, (code, cause, why) in expected.items():
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await calls.ClickCardAction(ipb.ClickCardActionRequest(message=poll.name, function=function),
                                        metadata=md)
        assert caught.value.code() == code, function
        info = rpc_error_details(caught.value)["ErrorInfo"]
        assert info.reason == "APP_NOT_RESPONDING" and info.metadata["cause"] == cause, function
        assert why in info.metadata["error"] and info.metadata["delivery"].startswith(f"apps/{BOT}/deliveries/")
    after = await world.get(poll.name)
    assert after.text == "Votes: 1 (Paris)" and after.cards_v2[0].card_id == "poll"
    assert await world.notices(dm.name) == notices + 6

    # Failures of replies to messages: an invalid card, UPDATE_MESSAGE of the user's message, a link's cards without
    # a matched URL. Nothing is posted or changed but the notices.
    before = await world.messages(dm.name)
    sent = [await world.post(dm.name, text) for text in ("badcard", "update me", "unpreviewed")]
    rows = await world.settled(20)
    failed = [d for _, _, d in rows[-3:]]
    assert [d.outcome for d in failed] == [Outcome.FAILED] * 3, failed
    assert "noSuchWidget" in failed[0].error
    assert "cannot answer a MESSAGE event" in failed[1].error
    assert "no matched URL" in failed[2].error
    assert all(not d.reply_message_id for d in failed)
    after = await world.messages(dm.name)
    assert sorted(m.text for m in after[len(before):]) == sorted([s.text for s in sent] + [NOTICE] * 3)
    assert all(m.sender.name == world.app_user for m in after[len(before):] if m.text == NOTICE)
    for message in sent:
        assert (await world.get(message.name)).text == message.text and not (await world.get(message.name)).cards_v2

    # Every interaction is on record as a delivery, done.
    records = await world.deliveries()
    assert len(records) == 20 and all(state is EventState.DONE for _, state, _ in records)
    assert sum(d.outcome is Outcome.FAILED for _, _, d in records) == 9


async def test_an_addon_apps_dialog(world):
    """The same interactions with an app in the add-on format: its events as add-on event objects, its add-on
    actions (pushCard, endNavigation with a notification) handed back as the dialog and the action status."""
    md = world.server.md(user=ALICE, app=ADDON_BOT, scopes=SCOPES)
    calls = world.interactions
    dm = await world.server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)), metadata=md)
    await world.server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=dm.name, message=message_pb2.Message(text="form please")), metadata=md)
    for _ in range(150):
        listed = await world.server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=dm.name), metadata=md)
        if len(listed.messages) == 2:
            break
        await asyncio.sleep(0.1)
    card = listed.messages[-1]
    assert card.text == "add-on card" and card.cards_v2[0].card_id == "form"
    opened = await calls.ClickCardAction(ipb.ClickCardActionRequest(message=card.name, function="openForm"),
                                         metadata=md)
    assert opened.action_response.dialog_action.dialog.body.header.title == "Add-on dialog"
    submitted = await calls.SubmitDialog(ipb.SubmitDialogRequest(
        space=dm.name, message=card.name, function="save", form_inputs=inputs(contactName="Kai")), metadata=md)
    assert submitted.action_response.dialog_action.action_status.user_facing_message == "Saved Kai"
    received = [json.loads(line) for line in world.addon_log.read_text().splitlines()]
    assert all(r["verified"] for r in received) and len(received) == 3
    clicked = received[1]["event"]
    assert clicked["commonEventObject"]["invokedFunction"] == "openForm"
    assert clicked["chat"]["buttonClickedPayload"]["message"]["name"] == card.name
    assert received[2]["event"]["chat"]["buttonClickedPayload"]["dialogEventType"] == "SUBMIT_DIALOG"
    # On record (the worker's MESSAGE, then the two interactions): the event the app got, its ID token redacted.
    stored = await read(world.server.running.db, lambda r: r.app_events.for_app(ADDON_BOT))
    assert [event.event_type.value for event, _, _ in stored] == ["MESSAGE", "CARD_CLICKED", "CARD_CLICKED"]
    for (_, _, delivery), got in zip(stored, received, strict=True):
        token = got["event"]["authorizationEventObject"]["systemIdToken"]
        assert len(token) > 100 and token not in delivery.event_json + str(delivery.request_headers)
        assert json.loads(delivery.event_json) == {**got["event"], "authorizationEventObject": {
            "systemIdToken": "REDACTED"}}
        assert dict(delivery.request_headers)["Authorization"] == "Bearer REDACTED"


async def test_every_interaction_rpc_takes_a_user_with_chat_messages_only(world):
    """Each RPC of the service (from its descriptor, so a new one is covered): refused to a user without the
    chat.messages scope, to an app calling as itself, and to no one, before its request is read; let in with it."""
    service = ipb.DESCRIPTOR.services_by_name["InteractionService"]
    callers = [(world.server.md(user=ALICE, app=BOT, scopes=("chat.spaces", "chat.memberships")),
                grpc.StatusCode.PERMISSION_DENIED),
               (world.server.md(app=BOT, scopes=("chat.bot", "chat.messages")), grpc.StatusCode.PERMISSION_DENIED),
               ((), grpc.StatusCode.UNAUTHENTICATED),
               (world.md(), grpc.StatusCode.INVALID_ARGUMENT)]  # let in, the same empty request: what it lacks
    for method in service.methods:
        call = world.server.channel.unary_unary(f"/{service.full_name}/{method.name}", request_serializer=None,
                                                response_deserializer=None)
        for metadata, code in callers:
            with pytest.raises(grpc.aio.AioRpcError) as caught:
                await call(b"", metadata=metadata)
            assert caught.value.code() == code, (method.name, metadata and "token", caught.value.details())
            assert rpc_error_details(caught.value)["ErrorInfo"].reason
