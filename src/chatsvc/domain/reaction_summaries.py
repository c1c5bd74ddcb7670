"""Messages are read with their emoji reaction summaries: one grouped query for a whole page."""
from __future__ import annotations

from dataclasses import replace

from chatsvc.domain.models import Message
from chatsvc.domain.ports import Repositories


async def with_summaries(repos: Repositories, messages: list[Message]) -> list[Message]:
    """The messages with `reaction_summaries` filled in (deleted ones show none), of one space or many."""
    live = [(m.space_id, m.id) for m in messages if not m.delete_time_us]
    if not live:
        return messages
    found = await repos.reactions.summaries(live)
    return [replace(m, reaction_summaries=found[m.space_id, m.id]) if (m.space_id, m.id) in found else m
            for m in messages]
