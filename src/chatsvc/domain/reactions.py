"""Reactions: create, list, delete. One transaction per request; a members-only affair like the messages
they react to."""
from __future__ import annotations

from dataclasses import replace

from chatsvc.aip import ids
from chatsvc.aip.names import reaction_name
from chatsvc.domain import events, message_rules, reaction_rules
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import NotFound, PermissionDenied
from chatsvc.domain.events import EventType
from chatsvc.domain.message_lookup import live_message, live_message_with_snapshot
from chatsvc.domain.message_snapshots import refresh_summaries
from chatsvc.domain.models import Emoji, Page, Reaction, User
from chatsvc.domain.ports import Clock, MessageSnapshots, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.reaction_filter import ReactionQuery
from chatsvc.domain.users import Directory

# Scopes of each reaction RPC besides chat.import, which reaches spaces in import mode only.
_CREATE_SCOPES = frozenset({"chat.messages", "chat.messages.reactions", "chat.messages.reactions.create"})
_DELETE_SCOPES = frozenset({"chat.messages", "chat.messages.reactions"})


def _not_found(space_id: str, message_id: str, reaction_id: str) -> NotFound:
    return NotFound(f"Reaction `{reaction_name(space_id, message_id, reaction_id)}` not found.",
                    reason="REACTION_NOT_FOUND")


class Reactions:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, snapshots: MessageSnapshots):
        self._db = db
        self._directory = directory
        self._clock = clock
        self._snapshots = snapshots  # a message's stored snapshot counts its reactions

    async def create(self, principal: Principal, space_id: str, message_id: str, emoji: Emoji) -> Reaction:
        """Adds the caller's reaction. A user reacts once per emoji per message: a repeat returns the reaction
        made the first time (and records nothing new), the way the Chat UI treats a second tap."""
        if emoji.unicode:
            reaction_rules.check_unicode(emoji.unicode)
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Reaction:
            space, _ = await visible_space(repos, space_id, caller)
            message_rules.check_import_scope(principal, space, _CREATE_SCOPES)
            message, stored = await live_message_with_snapshot(repos, principal, caller, space_id, message_id)
            chosen = await _resolve(repos, emoji)
            reaction = Reaction(space_id=space.id, message_id=message.id, id=ids.opaque_id(), user_id=caller.id,
                                emoji=chosen, create_time_us=self._clock(), user=caller)
            if not await repos.reactions.add(reaction):
                existing = await repos.reactions.find(space.id, message.id, caller.id, chosen)
                return replace(existing, user=caller)
            await refresh_summaries(repos, self._snapshots, message, stored)
            await events.record(repos, space.id, EventType.REACTION_CREATED,
                                reaction_name(space.id, message.id, reaction.id), reaction.create_time_us)
            return reaction

        return await write(self._db, work)

    async def list(self, principal: Principal, space_id: str, message_id: str, query: ReactionQuery, *,
                   after: tuple | None, limit: int) -> Page:
        """A page of the message's reactions, oldest first, with their users read in one query."""
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Page:
            await visible_space(repos, space_id, caller)
            message = await live_message(repos, principal, caller, space_id, message_id)
            user_ids = None if query.users is None else await self._user_ids(repos, caller, query)
            if user_ids == ():
                return Page([], None)  # only users who don't exist: nothing can match
            page = await repos.reactions.list(message.space_id, message.id, emojis=query.emojis,
                                              user_ids=user_ids, after=after, limit=limit)
            users = await repos.users.get_many({r.user_id for r in page.items})
            return Page([replace(r, user=users.get(r.user_id)) for r in page.items], page.next_position)

        return await read(self._db, work)

    async def delete(self, principal: Principal, space_id: str, message_id: str, reaction_id: str) -> None:
        """Only the user who reacted removes their reaction."""
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> None:
            space, _ = await visible_space(repos, space_id, caller)
            message_rules.check_import_scope(principal, space, _DELETE_SCOPES)
            message, stored = await live_message_with_snapshot(repos, principal, caller, space_id, message_id)
            reaction = await repos.reactions.get(space.id, message.id, reaction_id)
            if reaction is None:
                raise _not_found(space_id, message_id, reaction_id)
            if reaction.user_id != caller.id:
                raise PermissionDenied("Only the user who added a reaction can delete it.",
                                       reason="NOT_REACTION_CREATOR")
            await repos.reactions.remove(space.id, message.id, reaction.id)
            await refresh_summaries(repos, self._snapshots, message, stored)
            await events.record(repos, space.id, EventType.REACTION_DELETED,
                                reaction_name(space.id, message.id, reaction.id), self._clock())

        await write(self._db, work)

    @staticmethod
    async def _user_ids(repos: Repositories, caller: User, query: ReactionQuery) -> tuple[str, ...]:
        """The ids of the filter's users; names of users that don't exist match no reaction."""
        emails = {ref.value.lower() for ref in query.users if ref.is_email}
        by_email = await repos.users.get_many_by_email(emails)
        found = []
        for ref in query.users:
            if ref.is_me:
                found.append(caller.id)
            elif ref.is_email:
                if ref.value.lower() in by_email:
                    found.append(by_email[ref.value.lower()].id)
            elif not ref.is_app:  # a Chat app never reacts: reactions need user authentication
                found.append(ref.value)
        return tuple(found)


async def _resolve(repos: Repositories, emoji: Emoji) -> Emoji:
    """A custom emoji must exist; the reaction keeps its immutable name and id."""
    if not emoji.custom_uid:
        return emoji
    custom = await repos.custom_emojis.by_uid(emoji.custom_uid)
    if custom is None:
        raise NotFound(f"Custom emoji with uid `{emoji.custom_uid}` not found.", reason="CUSTOM_EMOJI_NOT_FOUND")
    return Emoji(custom_uid=custom.uid, custom_id=custom.id, custom_name=custom.emoji_name)
