"""Messages and threads: create, get, list, update, delete. One transaction per request."""
from __future__ import annotations

from dataclasses import dataclass, replace

from chatsvc.aip import ids
from chatsvc.aip.names import MemberRef, message_name
from chatsvc.domain import app_triggers, events, mentions
from chatsvc.domain import message_rules as rules
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from chatsvc.domain.events import EventType
from chatsvc.domain.message_drafts import (
    APP_ONLY_UPDATES,
    MessageDraft,
    MessagePatch,
    QuoteRef,
    ReplyOption,
)
from chatsvc.domain.message_lookup import live_message, live_message_with_snapshot, message_not_found
from chatsvc.domain.message_query import MessageQuery
from chatsvc.domain.models import (
    Membership,
    Message,
    Page,
    Quote,
    QuoteType,
    Space,
    ThreadingState,
    User,
    UserType,
)
from chatsvc.domain.ports import Clock, MessageSnapshots, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.reaction_summaries import with_summaries
from chatsvc.domain.users import Directory
from chatsvc.domain.webhooks import posting_space
from chatsvc.events import outbox

_NO_QUERY = MessageQuery()


@dataclass(frozen=True)
class _Thread:
    id: str
    existing: bool  # the message joins a thread that already has messages
    new_key: str | None = None  # the key a new thread is created with


class Messages:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, snapshots: MessageSnapshots,
                 uploads=None):
        self._db = db
        self._directory = directory
        self._clock = clock
        # Every write stores the message's snapshot as the wire layer encodes it; ListMessages answers with them.
        self._snapshots = snapshots
        self._uploads = uploads  # domain.attachments.Attachments: turns upload tokens into attachments

    # --- create -------------------------------------------------------------------------------------------

    async def create(self, principal: Principal, space_id: str, draft: MessageDraft) -> Message:
        return (await self.create_encoded(principal, space_id, draft))[0]

    async def create_encoded(self, principal: Principal, space_id: str,
                             draft: MessageDraft) -> tuple[Message, bytes]:
        """`create`, with the message's snapshot (CreateMessage answers with it rather than encode it again)."""
        _validate(principal, draft)
        sender = await self._directory.caller(principal)
        # thread keys belong to the app the message is sent through
        app = sender if principal.is_app else await self._directory.app(principal.app)

        async def work(repos: Repositories) -> tuple[Message, bytes]:
            if principal.webhook_space:  # an incoming webhook: its own space, which it is no member of
                space, membership = await posting_space(repos, principal, space_id)
            else:
                space, membership = await visible_space(repos, space_id, sender)
            rules.check_import_scope(principal, space, rules.CREATE_SCOPES)
            if draft.request_id:
                earlier = await repos.messages.by_request_id(space.id, draft.request_id)
                if earlier is not None:
                    if earlier.sender_id != sender.id:  # Google: reuse by another caller is an error
                        raise AlreadyExists("Another caller already used this `request_id`.",
                                            reason="REQUEST_ID_IN_USE")
                    earlier = replace(earlier, sender=sender)
                    return earlier, self._snapshots(earlier)
            return await self._insert(repos, principal, space, membership, sender, app, draft)

        return await write(self._db, work)

    async def _insert(self, repos: Repositories, principal: Principal, space: Space, membership: Membership | None,
                      sender: User, app: User, draft: MessageDraft) -> tuple[Message, bytes]:
        if draft.client_id and await repos.messages.client_id_taken(space.id, draft.client_id):
            raise AlreadyExists(f"A message with id `{draft.client_id}` already exists in this space.",
                                reason="MESSAGE_ID_IN_USE")
        thread = await _pick_thread(repos, space.id, app.id, draft)
        rules.check_may_post(space, membership, replying=thread.existing)
        rendered = await self._render(repos, space, membership, draft.text)
        viewer_id = await self._viewer(repos, principal, draft.viewer)
        quote = await self._quote(repos, principal, sender, space, draft.quote,
                                  reply_thread=thread.id if thread.existing else None)
        now = self._clock()
        create_time = now
        if space.import_mode and draft.create_time_us:  # imports keep their historical times
            if draft.create_time_us > now:
                raise InvalidArgument.field("message.create_time", "must not be in the future")
            create_time = draft.create_time_us
        message = Message(
            space_id=space.id, id=ids.opaque_id(22), sender_id=sender.id, thread_id=thread.id,
            create_time_us=create_time, text=rendered.text, mentions=rendered.mentions, client_id=draft.client_id,
            request_id=draft.request_id, extras=draft.extras, cards=draft.cards, cards_v2=draft.cards_v2,
            widgets=draft.widgets, attachments=draft.attachments, viewer_id=viewer_id, quote=quote,
            thread_reply=thread.existing and space.threading_state == ThreadingState.THREADED_MESSAGES,
            sender=sender)
        message.attachments = await self._attachments(repos, sender.id, space.id, message.id, draft)
        rules.check_content(message, mentions.formatted_text(message.text, message.mentions))
        if not thread.existing:
            await repos.threads.add(space.id, thread.id, app.id, thread.new_key, create_time)
        # What the message triggers in Chat apps (a DM with one, a mention, a slash command, a previewed link): the
        # command and the link are stored with the message, the apps' MESSAGE events queued with it
        triggers = await app_triggers.detect(repos, space, message,
                                             not principal.is_app and sender.type == UserType.HUMAN)
        message.slash_command, message.matched_url = triggers.slash_command, triggers.matched_url
        snapshot = self._snapshots(message)
        await repos.messages.add(message, snapshot)
        await events.record(repos, space.id, EventType.MESSAGE_CREATED, message_name(space.id, message.id), now)
        await outbox.queue_for_message(repos, space, message, triggers, now)
        if create_time > space.last_active_time_us:
            await repos.spaces.touch(space.id, create_time)
        return message, snapshot

    async def _render(self, repos: Repositories, space: Space, membership: Membership | None,
                      text: str) -> mentions.Rendered:
        user_ids, emails, everyone = mentions.referenced(text)
        if everyone:
            rules.check_may_mention_all(space, membership)
        by_id = await repos.users.get_many(user_ids) if user_ids else {}
        by_email = await repos.users.get_many_by_email(emails) if emails else {}
        return mentions.render(text, by_id, by_email)

    async def _viewer(self, repos: Repositories, principal: Principal, ref: MemberRef | None) -> str:
        if ref is None:
            return ""
        field = "message.private_message_viewer.name"
        user = await self._directory.resolve(repos, ref, principal, field)
        if user.type != UserType.HUMAN:
            raise InvalidArgument.field(field, "must name a human user")
        return user.id

    async def _quote(self, repos: Repositories, principal: Principal, caller: User, space: Space,
                     ref: QuoteRef | None, *, reply_thread: str | None) -> Quote | None:
        """The quoted message, checked as Google documents: a REPLY quotes within this space (a message of
        the reply's own thread, or another thread's first message for a new thread); a FORWARD quotes any
        message the caller can read; the quoted version must be the latest."""
        if ref is None:
            return None
        field = "message.quoted_message_metadata"
        kind = ref.quote_type or QuoteType.REPLY
        source = space
        if ref.space_id != space.id:
            if kind == QuoteType.REPLY:
                raise InvalidArgument.field(f"{field}.name", "a REPLY quote names a message of this space; "
                                                             "quote another space's message with FORWARD")
            source, _ = await visible_space(repos, ref.space_id, caller)
        quoted = await live_message(repos, principal, caller, ref.space_id, ref.message_id)
        if ref.last_update_time_us != (quoted.last_update_time_us or quoted.create_time_us):
            raise InvalidArgument.field(f"{field}.last_update_time",
                                        "must be the quoted message's last_update_time (its create_time if it "
                                        "was never edited)")
        if kind == QuoteType.REPLY:
            if reply_thread is not None and quoted.thread_id != reply_thread:
                raise InvalidArgument.field(f"{field}.name", "a reply can only quote messages of its own thread")
            if reply_thread is None and quoted.thread_reply:
                raise InvalidArgument.field(f"{field}.name", "a new thread can only quote another thread's first "
                                                             "message; quote a reply with FORWARD")
        return Quote(space_id=quoted.space_id, message_id=quoted.id, last_update_time_us=ref.last_update_time_us,
                     quote_type=kind, sender_id=quoted.sender_id, text=quoted.text,
                     source_space_display_name=source.display_name if kind == QuoteType.FORWARD else "")

    # --- read ---------------------------------------------------------------------------------------------

    async def get(self, principal: Principal, space_id: str, message_id: str) -> bytes:
        """A message, as its snapshot (built here only when the stored one is missing or of an older format). A
        deleted one is NOT_FOUND: what is left of it shows only in ListMessages with show_deleted (GetMessage
        has no such switch)."""
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> bytes:
            await visible_space(repos, space_id, caller)
            message, stored = await live_message_with_snapshot(repos, principal, caller, space_id, message_id,
                                                               lock=False)
            if stored is not None and stored.startswith(self._snapshots.current):
                return stored
            senders = await repos.users.get_many({message.sender_id})
            [message] = await with_summaries(repos, [message])
            return self._snapshots(replace(message, sender=senders.get(message.sender_id)))

        return await read(self._db, work)

    async def list(self, principal: Principal, space_id: str, *, after: tuple | None, limit: int,
                   descending: bool = False, show_deleted: bool = False, query: MessageQuery = _NO_QUERY) -> Page:
        """A page of messages as their snapshots (MessageSnapshots' bytes), read as stored: only messages without
        a current one (older rows) are built here, their senders and reactions read in one query each."""
        caller = await self._directory.caller(principal)
        snapshots = self._snapshots

        async def work(repos: Repositories) -> Page:
            space, _ = await visible_space(repos, space_id, caller)
            rules.check_import_scope(principal, space, rules.LIST_SCOPES)
            page = await repos.messages.list(
                space_id, after=after, limit=limit, descending=descending, show_deleted=show_deleted,
                created_after_us=query.created_after_us, created_before_us=query.created_before_us,
                thread_id=query.thread_id, private_for=None if principal.is_app else caller.id,
                snapshots=snapshots.current)
            stale = [m for m in page.items if type(m) is not bytes]
            if not stale:
                return page
            senders = await repos.users.get_many({m.sender_id for m in stale if not m.delete_time_us})
            built = {}
            for message in await with_summaries(repos, stale):
                message.sender = senders.get(message.sender_id)  # a fresh object of this request
                built[message.id] = snapshots(message)
            return Page([built[m.id] if type(m) is not bytes else m for m in page.items], page.next_position)

        return await read(self._db, work)

    # --- update -------------------------------------------------------------------------------------------

    async def update(self, principal: Principal, space_id: str, message_id: str, patch: MessagePatch, *,
                     allow_missing: bool = False) -> Message:
        """Applies the patch to a message its caller created. With `allow_missing`, a client-assigned id that
        names no message yet creates the message from the patch's draft instead (the mask is then ignored)."""
        _validate_patch(principal, patch)
        caller = await self._directory.caller(principal)
        app = caller if principal.is_app else await self._directory.app(principal.app)

        async def work(repos: Repositories) -> Message:
            space, membership = await visible_space(repos, space_id, caller)
            rules.check_import_scope(principal, space, rules.EDIT_SCOPES)
            # Locked (PostgreSQL) before the reactions are counted for the new snapshot, as reactions do.
            found = await repos.messages.get_with_snapshot(space_id, message_id)
            message = found[0] if found else None
            if message is None and allow_missing:
                if not message_id.startswith("client-"):
                    raise InvalidArgument.field("message.name", "with `allow_missing`, a message that does not "
                                                                "exist yet must be named by a client-assigned id")
                draft = replace(patch.draft, client_id=message_id, request_id="", thread_id="", thread_key="",
                                reply_option=ReplyOption.START_NEW_THREAD)
                _validate(principal, draft, client_id_field="message.name")
                return (await self._insert(repos, principal, space, membership, caller, app, draft))[0]
            if message is None or message.delete_time_us or not rules.visible(message, caller, principal):
                raise message_not_found(space_id, message_id)
            if not patch.fields:
                raise InvalidArgument.field("update_mask", "name the fields to update, or `*` for all of them")
            rules.check_editor(principal, caller, message)
            updated = await self._apply(repos, principal, space, membership, message, patch)
            rules.check_content(updated, mentions.formatted_text(updated.text, updated.mentions))
            [updated] = await with_summaries(repos, [updated])
            updated = replace(updated, sender=caller)  # check_editor: the caller is the sender
            await repos.messages.update_content(updated, self._snapshots(updated))
            await events.record(repos, space.id, EventType.MESSAGE_UPDATED, message_name(space.id, message.id),
                                updated.last_update_time_us)
            return updated

        return await write(self._db, work)

    async def _apply(self, repos: Repositories, principal: Principal, space: Space, membership: Membership | None,
                     message: Message, patch: MessagePatch) -> Message:
        draft, fields, changes = patch.draft, patch.fields, {}
        if "text" in fields:
            rendered = await self._render(repos, space, membership, draft.text)
            changes.update(text=rendered.text, mentions=rendered.mentions)
        if "attachment" in fields:
            changes["attachments"] = await self._attachments(repos, message.sender_id, space.id, message.id, draft)
        for path, attr in APP_ONLY_UPDATES.items():
            # Under `*` a user's request leaves app-only parts alone (they were checked to be empty).
            if path in fields and (principal.is_app or not patch.full):
                changes[attr] = getattr(draft, attr)
        if "quoted_message_metadata" in fields:
            # Google: an update may remove a quote but not add or replace one; sending the same quote keeps it.
            if draft.quote is None:
                changes["quote"] = None
            elif message.quote is None or (message.quote.space_id, message.quote.message_id) != (
                    draft.quote.space_id, await _quoted_id(repos, draft.quote)):
                raise InvalidArgument.field("message.quoted_message_metadata",
                                            "can only be removed; a quote cannot be added or replaced")
        return replace(message, last_update_time_us=self._clock(), **changes)

    async def _attachments(self, repos: Repositories, sender_id: str, space_id: str, message_id: str,
                           draft: MessageDraft) -> bytes:
        """The attachments to store: as sent, with uploads named by their tokens resolved."""
        if self._uploads is None or not any(draft.upload_tokens):
            return draft.attachments
        return await self._uploads.attach(repos, sender_id, space_id, message_id, draft.attachments,
                                          draft.upload_tokens)

    # --- delete -------------------------------------------------------------------------------------------

    async def delete(self, principal: Principal, space_id: str, message_id: str, *, force: bool = False) -> None:
        """Deletes a message, leaving a tombstone. Under user authentication the first message of a thread
        with replies needs `force`, which deletes the replies too; a Chat app's deletion leaves them."""
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> None:
            space, membership = await visible_space(repos, space_id, caller)
            rules.check_import_scope(principal, space, rules.EDIT_SCOPES)
            message = await live_message(repos, principal, caller, space_id, message_id)
            kind = rules.deletion_type(principal, caller, message, space, membership)
            now = self._clock()
            opens_thread = space.threading_state == ThreadingState.THREADED_MESSAGES and not message.thread_reply
            if (not principal.is_app and opens_thread
                    and await repos.messages.has_live_replies(space_id, message.thread_id, message.id)):
                if not force:
                    raise FailedPrecondition("The message has threaded replies; set `force` to delete them too.",
                                             reason="MESSAGE_HAS_REPLIES")
                tombstones = await repos.messages.delete_thread(space_id, message.thread_id, now, kind)
                await repos.messages.set_snapshots(space_id, {t.id: self._snapshots(t) for t in tombstones})
                deleted = [t.id for t in tombstones]
            else:
                tombstone = replace(message, delete_time_us=now, deletion_type=kind)
                await repos.messages.delete(space_id, message.id, now, kind, self._snapshots(tombstone))
                deleted = [message.id]
            for deleted_id in deleted:
                await events.record(repos, space.id, EventType.MESSAGE_DELETED, message_name(space.id, deleted_id),
                                    now)

        await write(self._db, work)


async def _quoted_id(repos: Repositories, ref: QuoteRef) -> str:
    """The system id of a quoted message named by a client-assigned id."""
    if not ref.message_id.startswith("client-"):
        return ref.message_id
    quoted = await repos.messages.get(ref.space_id, ref.message_id)
    return quoted.id if quoted else ""


async def _pick_thread(repos: Repositories, space_id: str, app_id: str, draft: MessageDraft) -> _Thread:
    """The thread a new message goes to, by the request's reply option and Google's fallbacks."""
    if draft.reply_option != ReplyOption.START_NEW_THREAD:
        if draft.thread_id and await repos.threads.exists(space_id, draft.thread_id):
            return _Thread(draft.thread_id, existing=True)
        if draft.thread_key:
            existing = await repos.threads.by_key(space_id, app_id, draft.thread_key)
            if existing:
                return _Thread(existing, existing=True)
        # Google: under REPLY_MESSAGE_OR_FAIL "if a new thread_key is used, a new thread is created"; only a
        # thread named by an unknown `thread.name` (or no thread at all) fails.
        if draft.reply_option == ReplyOption.REPLY_MESSAGE_OR_FAIL and (draft.thread_id or not draft.thread_key):
            raise NotFound("The thread to reply to was not found.", reason="THREAD_NOT_FOUND")
    # A new thread keeps the key it was asked for, so later replies by key find it.
    key = draft.thread_key if draft.reply_option != ReplyOption.START_NEW_THREAD else ""
    return _Thread(ids.opaque_id(), existing=False, new_key=key or None)


def _validate(principal: Principal, draft: MessageDraft, *, client_id_field: str = "message_id") -> None:
    if draft.app_only_field and not principal.is_app:
        raise PermissionDenied(f"Only a Chat app (app authentication) can send `{draft.app_only_field}`.",
                               reason="APP_AUTHENTICATION_REQUIRED")
    if draft.client_id and not rules.CLIENT_ID.match(draft.client_id):
        raise InvalidArgument.field(client_id_field, rules.CLIENT_ID_RULE)
    if len(draft.request_id) > rules.MAX_REQUEST_ID:
        raise InvalidArgument.field("request_id", f"must be at most {rules.MAX_REQUEST_ID} characters")
    if len(draft.thread_key) > rules.MAX_THREAD_KEY:
        raise InvalidArgument.field("message.thread.thread_key", f"must be at most {rules.MAX_THREAD_KEY} characters")
    if draft.viewer is not None and draft.attachments:
        raise InvalidArgument.field("message.attachment", "a private message cannot carry attachments")
    if not (draft.text or draft.cards or draft.cards_v2 or draft.attachments):
        raise InvalidArgument.field("message", "needs text, cards or an attachment")


def _validate_patch(principal: Principal, patch: MessagePatch) -> None:
    if principal.is_app:
        return
    for path, attr in APP_ONLY_UPDATES.items():
        if path in patch.fields and (not patch.full or getattr(patch.draft, attr)):
            raise PermissionDenied(f"Only a Chat app (app authentication) can update `{path}`.",
                                   reason="APP_AUTHENTICATION_REQUIRED")
