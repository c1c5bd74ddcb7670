"""Authentication audiences, end to end: apps whose own checks (tests/events/audience_app.py, google-auth under
.venv-official, against chatsvc's certificates URL) decide whether an event is Google Chat's, as Google's "Verify
requests from Google Chat" has them decide. Four apps are added to one space, each receiving ADDED_TO_SPACE:

- registered with the project number 123456789012, checking for that number: the token verifies (`iss`
  chat@system.gserviceaccount.com, `aud` the number), the same token is refused for another number and for the
  endpoint-URL check, and the app's answer is posted;
- registered with that number, checking for another one; registered with that number, checking for its endpoint URL;
  registered with the audience http://elsewhere/, checking for its endpoint URL: each app refuses the token and
  answers 401, which chatsvc records as a failed delivery with status 401 and posts nothing.
"""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from google.chat.v1 import membership_pb2 as mp
from google.chat.v1 import message_pb2, space_pb2, space_setup_pb2

from chatsvc.domain.access import read
from chatsvc.events.identity import CHAT_SERVICE_ACCOUNT, GOOGLE_ISSUER
from chatsvc.events.records import EventState, EventType, Outcome
from tests.apps.support import register
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.events.app_process import app_process

APP_SCRIPT = Path(__file__).resolve().parent / "audience_app.py"
ALICE = "alice@example.com"
SCOPES = ("chat.spaces", "chat.messages", "chat.memberships", "chat.memberships.app")
NUMBER = "123456789012"
# app name: (endpoint path, registered audience; None: the endpoint URL itself)
APPS = {"numbered": (f"/number/{NUMBER}", NUMBER),
        "misnumbered": ("/number/210987654321", NUMBER),
        "url-checker": ("/url", NUMBER),
        "elsewhere": ("/url", "http://elsewhere/")}


@pytest.fixture(params=BACKENDS)
async def audience_world(request, tmp_path):
    async with (fresh_database_url(request.param, tmp_path) as url,
                serving(url, app_events_poll_seconds=0.1) as server):
        log = tmp_path / "received.jsonl"
        async with app_process(APP_SCRIPT, server, log) as endpoint:
            yield server, endpoint.rstrip("/"), log


async def settled(server, names, timeout: float = 20.0) -> dict:
    """{app: its one delivery} once each app's event is delivered."""
    async def rows():
        return {name: await read(server.running.db, lambda r, n=name: r.app_events.for_app(n)) for name in names}
    for _ in range(int(timeout * 10)):
        found = await rows()
        if all(len(r) == 1 and r[0][1] is EventState.DONE for r in found.values()):
            return {name: r[0] for name, r in found.items()}
        await asyncio.sleep(0.1)
    raise AssertionError(f"deliveries not settled: {await rows()}")


async def test_apps_check_the_audience_of_chatsvcs_tokens(audience_world):
    server, base, log = audience_world
    app_users = {}
    for name, (path, audience) in APPS.items():
        app = await register(server, name, endpoint_url=base + path, authentication_audience=audience)
        assert app.authentication_audience == audience
        app_users[name] = app.user
    md = server.md(user=ALICE, app="numbered", scopes=SCOPES)
    space = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="Audiences")), metadata=md)
    for name in APPS:
        await server.chat.CreateMembership(mp.CreateMembershipRequest(
            parent=space.name, membership=mp.Membership(member={"name": "users/app", "type": "BOT"})),
            metadata=server.md(user=ALICE, app=name, scopes=SCOPES))

    deliveries = await settled(server, APPS)
    received = {line["path"] + " " + line["unverified"]["aud"]: line
                for line in map(json.loads, log.read_text().splitlines())}
    assert len(received) == 4, received

    # The project number: the app's check passes, and its answer is posted as the app.
    event, _, delivery = deliveries["numbered"]
    assert (event.event_type, delivery.outcome, delivery.status_code) == (EventType.ADDED_TO_SPACE,
                                                                         Outcome.REPLIED, 200)
    got = received[f"/number/{NUMBER} {NUMBER}"]
    claims = got["check"].get("claims")
    assert claims, got
    assert (claims["iss"], claims["aud"], claims["exp"] - claims["iat"]) == (CHAT_SERVICE_ACCOUNT, NUMBER, 3600)
    assert "wrong audience" in got["others"]["another number"].get("error", "").lower(), got["others"]
    assert "wrong audience" in got["others"]["the endpoint URL"].get("error", "").lower(), got["others"]
    listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name), metadata=md)
    assert [(m.sender.name, m.text) for m in listed.messages] == [
        (app_users["numbered"], f"Verified for audience {NUMBER}")]

    # Checks that expect another audience: refused by the app, recorded failed with its 401, nothing posted.
    refused = {"misnumbered": f"/number/210987654321 {NUMBER}", "url-checker": f"/url {NUMBER}",
               "elsewhere": "/url http://elsewhere/"}
    for name, key in refused.items():
        _, _, delivery = deliveries[name]
        assert (delivery.outcome, delivery.status_code) == (Outcome.FAILED, 401), (name, delivery)
        assert "401" in delivery.error and delivery.reply == "Unauthorized" and not delivery.reply_message_id
        check = received[key]["check"]
        assert "wrong audience" in check.get("error", "").lower(), (name, check)
    # chatsvc signed each token for the app's registered audience, as the kind of token that audience calls for.
    assert received["/url http://elsewhere/"]["unverified"]["iss"] == GOOGLE_ISSUER
    assert received["/url http://elsewhere/"]["unverified"]["email"] == CHAT_SERVICE_ACCOUNT
    assert received[f"/url {NUMBER}"]["unverified"]["iss"] == CHAT_SERVICE_ACCOUNT
