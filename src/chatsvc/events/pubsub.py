"""Events for Chat apps that receive them through Pub/Sub: published to the app's topic."""
from __future__ import annotations


class PublishError(Exception):
    """The event could not be published; the message says why."""


async def publish(topic: str, body: str) -> str:
    """Publishes one event (its JSON) to `topic`; the published message's id."""
    raise PublishError("Pub/Sub delivery is not built yet")
