"""Messages are read with their emoji reaction summaries: one grouped query for a whole page."""
from __future__ import annotations

from dataclasses import replace

from chatsvc.domain.models import Message
from chatsvc.domain.ports import Repositories


async def with_summaries(repos: Repositories, messages: list[Message]) -> list[Message]:
    """The messages with `reaction_summaries` filled in (deleted ones show none); all of one space."""
    live = [m.id for m in messages if not m.delete_time_us]
    if not live:
        return messages
    found = await repos.reactions.summaries(messages[0].space_id, live)
    return [replace(m, reaction_summaries=found[m.id]) if m.id in found else m for m in messages]
