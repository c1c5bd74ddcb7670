"""The rules of messages that need no storage: limits, who may see, post, edit and delete what."""
from __future__ import annotations

import re

from chatsvc.domain import permissions
from chatsvc.domain.errors import InvalidArgument, PermissionDenied
from chatsvc.domain.models import (
    DeletionType,
    Membership,
    MembershipRole,
    Message,
    Space,
    SpaceType,
    User,
)
from chatsvc.domain.permissions import Permission
from chatsvc.domain.principal import Principal

MAX_CONTENT_BYTES = 32_000
CLIENT_ID = re.compile(r"^client-[a-z0-9-]{1,56}\Z")  # at most 63 characters in all
CLIENT_ID_RULE = "must start with `client-` and have at most 63 lowercase letters, digits and hyphens"
MAX_THREAD_KEY = 4000
MAX_REQUEST_ID = 128  # the stored column's width; Google recommends a UUID (36 characters)

# Scopes of each message RPC besides chat.import, which Google accepts for spaces in import mode only.
CREATE_SCOPES = frozenset({"chat.bot", "chat.messages", "chat.messages.create"})
LIST_SCOPES = frozenset({"chat.messages", "chat.messages.readonly", "chat.app.messages.readonly"})
EDIT_SCOPES = frozenset({"chat.bot", "chat.messages"})
_IMPORT_SCOPE = "chat.import"
_MODERATORS = (MembershipRole.MANAGER, MembershipRole.ASSISTANT_MANAGER)


def check_import_scope(principal: Principal, space: Space, others: frozenset[str]) -> None:
    """A token whose only accepted scope is chat.import reaches spaces in import mode only."""
    if principal.is_app or space.import_mode:
        return
    granted = {scope.rsplit("/", 1)[-1] for scope in principal.scopes}
    if _IMPORT_SCOPE in granted and not granted & others:
        raise PermissionDenied("The chat.import scope only reaches spaces in import mode.",
                               reason="IMPORT_MODE_SPACE_REQUIRED")


def check_content(message: Message, formatted_text: str) -> None:
    """A message needs text, a card or an attachment; text and cards together fit in 32,000 bytes."""
    if not (message.text or message.cards or message.cards_v2 or message.attachments):
        raise InvalidArgument.field("message", "needs text, cards or an attachment")
    size = len(formatted_text.encode()) + len(message.cards) + len(message.cards_v2)
    if size > MAX_CONTENT_BYTES:
        raise InvalidArgument.field("message.text", f"text and cards together exceed {MAX_CONTENT_BYTES} bytes")
    if message.viewer_id and message.attachments:
        raise InvalidArgument.field("message.attachment", "a private message cannot carry attachments")


def visible(message: Message, caller: User, principal: Principal) -> bool:
    """Private messages are seen by their viewer and by the Chat app that sent them (with chat.bot); the
    chat.app.messages.readonly scope sees public messages only."""
    if not message.viewer_id:
        return True
    if principal.is_app:
        return message.sender_id == caller.id and any(s.endswith("/chat.bot") or s == "chat.bot"
                                                      for s in principal.scopes)
    return message.viewer_id == caller.id


def check_may_post(space: Space, membership: Membership | None, *, replying: bool) -> None:
    """The space's permission settings: POST_MESSAGES for a new thread, REPLY_MESSAGES for a reply."""
    permission = Permission.REPLY_MESSAGES if replying else Permission.POST_MESSAGES
    if space.import_mode or permissions.allowed(space, membership, permission):  # an import writes history
        return
    if replying:
        raise PermissionDenied("This space's permission settings don't let you reply to messages.",
                               reason="REPLY_MESSAGES_NOT_PERMITTED")
    raise PermissionDenied("This space's permission settings don't let you post messages; only replies to "
                           "existing threads may be allowed.", reason="POST_MESSAGES_NOT_PERMITTED")


def check_may_mention_all(space: Space, membership: Membership | None) -> None:
    if not space.import_mode and not permissions.allowed(space, membership, Permission.USE_AT_MENTION_ALL):
        raise PermissionDenied("This space's permission settings don't let you @mention all.",
                               reason="MENTION_ALL_NOT_PERMITTED")


def check_editor(principal: Principal, caller: User, message: Message) -> None:
    """Only the creator edits a message; under app authentication, only the calling app's messages."""
    if message.sender_id == caller.id:
        return
    if principal.is_app:
        raise PermissionDenied("A Chat app can only update messages it created.", reason="NOT_MESSAGE_CREATOR")
    raise PermissionDenied("Only the user who created a message can update it.", reason="NOT_MESSAGE_CREATOR")


def deletion_type(principal: Principal, caller: User, message: Message, space: Space,
                  membership: Membership | None) -> DeletionType:
    """Who may delete the message, recorded as how it was deleted. A Chat app deletes its own messages; a
    user (through an app, as every API call is) their own, and a space's managers anyone's."""
    if principal.is_app:
        if message.sender_id != caller.id:
            raise PermissionDenied("A Chat app can only delete messages it created.", reason="NOT_MESSAGE_CREATOR")
        return DeletionType.CREATOR
    if message.sender_id == caller.id:
        return DeletionType.CREATOR_VIA_APP
    if space.space_type == SpaceType.SPACE and membership is not None and membership.role in _MODERATORS:
        return DeletionType.SPACE_OWNER_VIA_APP
    raise PermissionDenied("Only the message's creator or a space manager can delete it.",
                           reason="NOT_MESSAGE_CREATOR")
