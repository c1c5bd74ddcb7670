"""Pub/Sub Chat apps (chatsvc.events.pubsub) on Google's own Pub/Sub emulator, started once for the module: the event
JSON published to the app's topic and pulled from a subscription as a Pub/Sub app pulls it, the delivery recorded
NO_REPLY with the published id, and the app's later answer through the API with app authentication. Also: no
emulator named, a missing topic, and google-cloud-pubsub not installed each fail with a clear message.

Skipped only where the Cloud SDK's emulator is not installed.
"""
from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from google.chat.v1 import message_pb2, space_pb2, space_setup_pb2

from chatsvc.domain.access import read
from chatsvc.events import pubsub
from chatsvc.events.records import EventState, EventType, Outcome
from tests.apps.support import register
from tests.conftest import BACKENDS, fresh_database_url, serving

ALICE = "alice@example.com"
SCOPES = ("chat.spaces", "chat.messages", "chat.memberships", "chat.memberships.app")
PROJECT = "chatsvc-test"
EMULATOR = "platform/pubsub-emulator/bin/cloud-pubsub-emulator"


def _emulator_command(port: int) -> list[str] | None:
    """The emulator's launcher in the Cloud SDK (what `gcloud beta emulators pubsub start` runs); None: not
    installed."""
    roots = [Path("/usr/lib/google-cloud-sdk")]
    if gcloud := shutil.which("gcloud"):
        roots.append(Path(os.path.realpath(gcloud)).parents[1])  # <sdk>/bin/gcloud
    for root in roots:
        if (root / EMULATOR).is_file():
            return [str(root / EMULATOR), "--host=127.0.0.1", f"--port={port}"]
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """host:port of a running emulator, set as PUBSUB_EMULATOR_HOST for the module."""
    port = _free_port()
    command = _emulator_command(port)
    if command is None:
        pytest.skip("no Pub/Sub emulator here: the Cloud SDK's pubsub-emulator component (Debian package "
                    "google-cloud-cli-pubsub-emulator) is not installed")
    log = tmp_path_factory.mktemp("pubsub") / "emulator.log"
    started = time.monotonic()
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)  # its own group: the launcher script runs java
    try:
        while b"Server started, listening on" not in log.read_bytes():
            if proc.poll() is not None or time.monotonic() - started > 60:
                pytest.fail(f"the Pub/Sub emulator did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)
        sys.stderr.write(f"\nPub/Sub emulator ready in {time.monotonic() - started:.2f} s\n")
        host = f"127.0.0.1:{port}"
        before = os.environ.get(pubsub.EMULATOR_VARIABLE)
        os.environ[pubsub.EMULATOR_VARIABLE] = host
        try:
            yield host
        finally:
            if before is None:
                os.environ.pop(pubsub.EMULATOR_VARIABLE, None)
            else:
                os.environ[pubsub.EMULATOR_VARIABLE] = before
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def _topic_with_subscription(name: str) -> tuple[str, str]:
    from google.cloud import pubsub_v1

    topic, subscription = f"projects/{PROJECT}/topics/{name}", f"projects/{PROJECT}/subscriptions/{name}-app"
    pubsub_v1.PublisherClient().create_topic(name=topic)
    pubsub_v1.SubscriberClient().create_subscription(name=subscription, topic=topic)
    return topic, subscription


def _pull(subscription: str) -> list:
    """What the app pulls: the subscription's messages, acknowledged."""
    from google.cloud import pubsub_v1

    client = pubsub_v1.SubscriberClient()
    pulled = client.pull(subscription=subscription, max_messages=10, timeout=10).received_messages
    if pulled:
        client.acknowledge(subscription=subscription, ack_ids=[m.ack_id for m in pulled])
    return [m.message for m in pulled]


async def test_no_emulator_no_package_or_no_topic_is_a_clear_error(emulator, monkeypatch):
    with pytest.raises(pubsub.PublishError, match="does not exist on the Pub/Sub emulator at " + emulator):
        await pubsub.publish(f"projects/{PROJECT}/topics/missing-topic", "{}")
    monkeypatch.delenv(pubsub.EMULATOR_VARIABLE)
    with pytest.raises(pubsub.PublishError, match="publishes Pub/Sub events to an emulator only.*PUBSUB_EMULATOR"):
        await pubsub.publish(f"projects/{PROJECT}/topics/missing-topic", "{}")
    # Without the `pubsub` extra (a fresh process's first publish): the import fails, the message says what to install.
    monkeypatch.setenv(pubsub.EMULATOR_VARIABLE, "127.0.0.1:1")
    import google.cloud

    monkeypatch.setitem(sys.modules, "google.cloud.pubsub_v1", None)
    monkeypatch.delattr(google.cloud, "pubsub_v1", raising=False)
    monkeypatch.setattr(pubsub, "_clients", {})
    with pytest.raises(pubsub.PublishError, match=r"needs google-cloud-pubsub.*chatsvc\[pubsub\]"):
        await pubsub.publish(f"projects/{PROJECT}/topics/missing-topic", "{}")


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_pubsub_app_gets_the_event_and_answers_through_the_api(emulator, backend, tmp_path):
    name = f"chat-events-{backend}"
    topic, subscription = await asyncio.to_thread(_topic_with_subscription, name)
    async with (fresh_database_url(backend, tmp_path) as url,
                serving(url, app_events_poll_seconds=0.1) as server):
        app = await register(server, "pubsub-bot", pubsub_topic=topic)
        md = server.md(user=ALICE, app="pubsub-bot", scopes=SCOPES)
        dm = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(space=space_pb2.Space(
            space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE, single_user_bot_dm=True)), metadata=md)
        sent = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=dm.name, message=message_pb2.Message(text="hello over pubsub")), metadata=md)

        for _ in range(150):
            rows = await read(server.running.db, lambda r: r.app_events.for_app("pubsub-bot"))
            if rows and rows[0][1] is EventState.DONE:
                break
            await asyncio.sleep(0.1)
        [(event, _, delivery)] = rows
        assert event.event_type is EventType.MESSAGE
        assert delivery.outcome is Outcome.NO_REPLY and delivery.status_code == 0, delivery

        [pulled] = await asyncio.to_thread(_pull, subscription)
        assert delivery.reply == f"published as {pulled.message_id}"
        body = json.loads(pulled.data)
        assert pulled.data.decode() == delivery.event_json
        assert delivery.request_headers == () and not pulled.attributes  # published without attributes
        assert body["type"] == "MESSAGE" and body["space"]["name"] == dm.name
        assert body["message"]["name"] == sent.name and body["message"]["text"] == "hello over pubsub"
        assert body["user"]["email"] == ALICE

        # The app answers later, through the API as itself: one CreateMessage, and no event to itself.
        answer = await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
            parent=body["space"]["name"], message=message_pb2.Message(text="got it")),
            metadata=server.md(app="pubsub-bot", scopes=("chat.bot",)))
        assert answer.sender.name == app.user
        listed = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=dm.name), metadata=md)
        assert [(m.text, m.sender.name) for m in listed.messages] == [
            ("hello over pubsub", sent.sender.name), ("got it", app.user)]
        await asyncio.sleep(0.3)  # a poll or two of the worker: the app's own message queues nothing
        assert len(await read(server.running.db, lambda r: r.app_events.for_app("pubsub-bot"))) == 1
