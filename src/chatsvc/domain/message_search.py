"""SearchMessages: the messages a user can read across all their spaces that match a query.

What Google leaves out of search results is left out here too: private messages (even those the caller may
see), messages posted by Chat apps, messages of direct messages with a Chat app, and messages of spaces the
caller muted; deleted messages too (nothing of their content is left). Only spaces the caller has joined are
searched, never one in import mode (hidden from users until the import completes, as in ListSpaces). Chat has
blocking, this server does not, so "messages from blocked users" has nothing to remove.

Users named in the query are resolved inside the search's read transaction; a user nobody knows matches
nothing rather than failing the search.
"""
from __future__ import annotations

from dataclasses import dataclass

from chatsvc.aip.names import MemberRef
from chatsvc.domain.access import read
from chatsvc.domain.errors import PermissionDenied
from chatsvc.domain.message_search_query import SearchQuery, words
from chatsvc.domain.models import Message, Page, User
from chatsvc.domain.ports import Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.reaction_summaries import with_summaries
from chatsvc.domain.users import Directory

_SPACE_SCOPES = frozenset({"chat.spaces", "chat.spaces.readonly"})
_READ_STATE_SCOPES = frozenset({"chat.users.readstate", "chat.users.readstate.readonly"})
_SPACE_SETTINGS_SCOPE = "chat.users.spacesettings"


@dataclass(frozen=True)
class SearchCriteria:
    """A query with its users resolved: what storage runs. None means "no condition"."""

    query: SearchQuery
    caller_id: str
    keywords: tuple[str, ...] = ()  # the query's free text that can match (each has a word)
    sender_ids: tuple[str, ...] | None = None  # ORed
    mentioned_ids: tuple[str, ...] | None = None  # ANDed or ORed as the query says
    by_relevance: bool = False
    with_read: bool = False  # also work out whether the caller has read each message


@dataclass(frozen=True)
class SearchHit:
    message: Message
    read: bool | None = None  # None: not asked for, or not allowed
    muted: bool | None = None  # the caller's mute setting of the message's space; None: not shown


def _granted(principal: Principal) -> set[str]:
    return {scope.rsplit("/", 1)[-1] for scope in principal.scopes}


def _insufficient(what: str, scopes: frozenset[str]) -> PermissionDenied:
    listed = " or ".join(sorted(scopes))
    return PermissionDenied(f"{what} needs the {listed} scope.", reason="ACCESS_TOKEN_SCOPE_INSUFFICIENT")


class MessageSearch:
    def __init__(self, db: Transactions, directory: Directory):
        self._db = db
        self._directory = directory

    async def search(self, principal: Principal, query: SearchQuery, *, by_relevance: bool, full_view: bool,
                     after: tuple | None, limit: int) -> Page:
        """A page of SearchHits, newest first (or most relevant first)."""
        granted = _granted(principal)
        if query.uses_space_details and not granted & _SPACE_SCOPES:
            raise _insufficient("Filtering on `space.display_name` or `space.space_type`", _SPACE_SCOPES)
        if query.unread and not granted & _READ_STATE_SCOPES:
            raise _insufficient("The `is_unread()` filter", _READ_STATE_SCOPES)
        with_read = full_view and bool(granted & _READ_STATE_SCOPES)
        # Muted spaces are never searched, so a result's space is always unmuted for the caller.
        muted = False if full_view and _SPACE_SETTINGS_SCOPE in granted else None
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> Page:
            criteria = await _criteria(repos, caller, query, by_relevance=by_relevance, with_read=with_read)
            if criteria is None:
                return Page([], None)
            page = await repos.message_search.search(criteria, after=after, limit=limit)
            messages = await with_summaries(repos, [message for message, _ in page.items])
            hits = [SearchHit(message, read_flag, muted)
                    for message, (_, read_flag) in zip(messages, page.items, strict=True)]
            return Page(hits, page.next_position)

        return await read(self._db, work)


async def _criteria(repos: Repositories, caller: User, query: SearchQuery, *, by_relevance: bool,
                    with_read: bool) -> SearchCriteria | None:
    """The criteria storage runs; None when the query can match nothing."""
    keywords = tuple(k for k in query.keywords if words(k))
    if query.keywords and (not keywords or (not query.keywords_any and len(keywords) < len(query.keywords))):
        return None  # free text without a single word matches no message
    users = await _user_ids(repos, caller, query.senders + query.mentioned)
    sender_ids = mentioned_ids = None
    if query.senders:
        sender_ids = tuple(dict.fromkeys(users[ref] for ref in query.senders if ref in users))
        if not sender_ids:
            return None
    if query.mentioned:
        mentioned_ids = tuple(dict.fromkeys(users[ref] for ref in query.mentioned if ref in users))
        if not mentioned_ids or (not query.mentioned_any and not all(ref in users for ref in query.mentioned)):
            return None
    return SearchCriteria(query, caller.id, keywords, sender_ids, mentioned_ids,
                          by_relevance=by_relevance and bool(keywords), with_read=with_read)


async def _user_ids(repos: Repositories, caller: User, refs: tuple[MemberRef, ...]) -> dict[MemberRef, str]:
    """The user id each reference names, for those that name a user: `me` is the caller, emails are looked up
    in one query, ids are taken as they are. `users/app` is left out: Chat apps' messages are never results."""
    emails = {ref.value.lower() for ref in refs if ref.is_email}
    by_email = await repos.users.get_many_by_email(emails) if emails else {}
    found = {}
    for ref in refs:
        if ref.is_me:
            found[ref] = caller.id
        elif ref.is_email:
            if ref.value.lower() in by_email:
                found[ref] = by_email[ref.value.lower()].id
        elif not ref.is_app:
            found[ref] = ref.value
    return found
