"""Events for Chat apps that receive them through Pub/Sub: published to the app's topic.

As Google Chat does for a Pub/Sub app, the message's data is the event JSON; the app pulls it and answers, if at
all, through the Chat API with app authentication (a Pub/Sub app has no synchronous reply).

chatsvc publishes to a Pub/Sub emulator only, the one PUBSUB_EMULATOR_HOST names (Google's own, `gcloud beta
emulators pubsub start`), never to Google's Pub/Sub: a local server has no Google credentials to publish with, and an
event meant for a developer's machine must not leave it. Without the variable, publishing fails with a message that
says so; the delivery is recorded failed with it.

google-cloud-pubsub is an optional dependency (`pip install 'chatsvc[pubsub]'`), imported on the first publish, so
HTTP apps never need it. One publisher client per process (per emulator address: the variable is read at each
publish, and a changed one gets its own client); its publish future, resolved on the client's own threads, is awaited
without blocking the event loop.
"""
from __future__ import annotations

import asyncio
import os
import threading

EMULATOR_VARIABLE = "PUBSUB_EMULATOR_HOST"
PUBLISH_SECONDS = 10.0  # the whole publish, retries included

_lock = threading.Lock()
_clients: dict[str, object] = {}  # emulator address -> google.cloud.pubsub_v1.PublisherClient


class PublishError(Exception):
    """The event could not be published; the message says why."""


def _publisher(host: str):
    with _lock:
        client = _clients.get(host)
        if client is None:
            try:
                from google.cloud import pubsub_v1
            except ImportError:
                raise PublishError("publishing to Pub/Sub needs google-cloud-pubsub, which is not installed: "
                                   "pip install 'chatsvc[pubsub]'") from None
            # The client reads the emulator's address from the environment when it is made.
            client = _clients[host] = pubsub_v1.PublisherClient()
        return client


async def publish(topic: str, body: str) -> str:
    """Publishes one event (its JSON) to `topic`; the published message's id."""
    host = os.environ.get(EMULATOR_VARIABLE, "").strip()
    if not host:
        raise PublishError(f"chatsvc publishes Pub/Sub events to an emulator only, and {EMULATOR_VARIABLE} names "
                           f"none: set it to the emulator's host:port (`gcloud beta emulators pubsub start`)")
    # The first publish imports the library and makes the client: off the loop.
    client = _clients.get(host) or await asyncio.to_thread(_publisher, host)
    from google.api_core import exceptions, retry

    try:
        future = client.publish(topic, body.encode(), timeout=PUBLISH_SECONDS,
                                retry=retry.Retry(timeout=PUBLISH_SECONDS))
        return await asyncio.wrap_future(future)
    except exceptions.NotFound:
        raise PublishError(f"the topic {topic} does not exist on the Pub/Sub emulator at {host}") from None
    except exceptions.GoogleAPIError as e:
        raise PublishError(f"publishing to {topic} on the Pub/Sub emulator at {host} failed: {e}") from None
