"""Keeping a message's stored snapshot (domain.ports.MessageSnapshots) in step with its reactions."""
from __future__ import annotations

from chatsvc.domain.models import Message
from chatsvc.domain.ports import MessageSnapshots, Repositories
from chatsvc.domain.reaction_summaries import with_summaries


async def refresh_summaries(repos: Repositories, snapshots: MessageSnapshots, message: Message,
                            stored: bytes | None) -> None:
    """Rewrites the snapshot of `message` after its reactions changed in this transaction. `message` and
    `stored` were read with the row locked (messages.get_with_snapshot), so on PostgreSQL a concurrent writer of
    the same message waits, and the counts read here include every reaction committed before."""
    [counted] = await with_summaries(repos, [message])
    if stored is not None and stored.startswith(snapshots.current):
        snapshot = snapshots.with_summaries(stored, counted.reaction_summaries)
    else:  # no snapshot yet (an older row) or an older format: the whole message afresh
        senders = await repos.users.get_many({message.sender_id})
        counted.sender = senders.get(message.sender_id)
        snapshot = snapshots(counted)
    await repos.messages.set_snapshots(message.space_id, {message.id: snapshot})
