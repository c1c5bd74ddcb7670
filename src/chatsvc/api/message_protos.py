"""google.chat.v1.Message <-> the domain's messages, drafts and patches."""
from __future__ import annotations

from dataclasses import replace

from google.chat.v1 import (
    annotation_pb2,
    deletion_metadata_pb2,
    matched_url_pb2,
    message_pb2,
    slash_command_pb2,
    space_pb2,
    user_pb2,
)
from google.protobuf import field_mask_pb2

from chatsvc.aip import names
from chatsvc.aip.filters import snake
from chatsvc.api.convert import micros, timestamp, user
from chatsvc.api.reaction_protos import summary_proto
from chatsvc.domain import app_triggers, mentions
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.message_drafts import UPDATABLE, MessageDraft, MessagePatch, QuoteRef, ReplyOption
from chatsvc.domain.models import Mention, Message, Quote, QuoteType, ReactionSummary, SlashCommand, UserType

Proto = message_pb2.Message
Notification = message_pb2.CreateMessageNotificationOptions.NotificationType
# Fields only a Chat app may send, as Google documents for user authentication.
_APP_ONLY_FIELDS = ("cards", "cards_v2", "accessory_widgets", "private_message_viewer")
_APP_ONLY_NOTIFICATIONS = (Notification.NOTIFICATION_TYPE_FORCE_NOTIFY, Notification.NOTIFICATION_TYPE_SILENT)
_ALL_USERS = user_pb2.User(name="users/all", display_name="all")


def _encode(message: Proto, present: set[str], *fields: str) -> bytes:
    """A Message holding only `fields` of `message`, encoded; empty when they are all unset (the common case,
    which costs nothing)."""
    wanted = [f for f in fields if f in present]
    if not wanted:
        return b""
    kept = Proto()
    field_mask_pb2.FieldMask(paths=wanted).MergeMessage(message, kept)
    return kept.SerializeToString(deterministic=True)


# --- domain -> proto --------------------------------------------------------------------------------------

def _annotation(mention: Mention) -> annotation_pb2.Annotation:
    mentioned = _ALL_USERS if mention.user_id == mentions.ALL else user_pb2.User(
        name=names.user_name(mention.user_id), display_name=mention.display_name, type=int(mention.user_type))
    return annotation_pb2.Annotation(
        type=annotation_pb2.AnnotationType.USER_MENTION, start_index=mention.start, length=mention.length,
        user_mention=annotation_pb2.UserMentionMetadata(
            user=mentioned, type=annotation_pb2.UserMentionMetadata.Type.MENTION))


def _command_annotation(command: SlashCommand) -> annotation_pb2.Annotation:
    app = user_pb2.User(name=names.user_name(command.app_user_id), display_name=command.app_display_name,
                        type=int(UserType.BOT))
    return annotation_pb2.Annotation(
        type=annotation_pb2.AnnotationType.SLASH_COMMAND, start_index=0, length=command.length,
        slash_command=annotation_pb2.SlashCommandMetadata(
            bot=app, type=annotation_pb2.SlashCommandMetadata.Type.INVOKE, command_name=command.command_name,
            command_id=command.command_id, triggers_dialog=command.opens_dialog))


def _annotations(message: Message, command: SlashCommand | None) -> list[annotation_pb2.Annotation]:
    """The message's annotations in text order: its slash command (at the start), then its mentions."""
    annotations = [_annotation(m) for m in message.mentions]
    if command is not None:
        annotations.insert(0, _command_annotation(command))
        annotations.sort(key=lambda a: a.start_index)
    return annotations


def _quote(quote: Quote) -> message_pb2.QuotedMessageMetadata:
    proto = message_pb2.QuotedMessageMetadata(
        name=names.message_name(quote.space_id, quote.message_id),
        last_update_time=timestamp(quote.last_update_time_us), quote_type=int(quote.quote_type),
        quoted_message_snapshot=message_pb2.QuotedMessageSnapshot(sender=names.user_name(quote.sender_id),
                                                                  text=quote.text))
    if quote.quote_type == QuoteType.FORWARD:
        proto.forwarded_metadata.space = names.space_name(quote.space_id)
        proto.forwarded_metadata.space_display_name = quote.source_space_display_name
    return proto


def message_proto(message: Message) -> Proto:
    name = names.message_name(message.space_id, message.id)
    if message.delete_time_us:
        # What Google keeps of a deleted message: its name, times and who deleted it.
        return Proto(name=name, create_time=timestamp(message.create_time_us),
                     delete_time=timestamp(message.delete_time_us),
                     deletion_metadata=deletion_metadata_pb2.DeletionMetadata(
                         deletion_type=int(message.deletion_type)))
    command = app_triggers.invoked_command(message)
    proto = Proto(
        name=name,
        sender=user(message.sender),
        create_time=timestamp(message.create_time_us),
        text=message.text,
        formatted_text=mentions.formatted_text(message.text, message.mentions),
        argument_text=app_triggers.argument_text(message),
        annotations=_annotations(message, command),
        thread=message_pb2.Thread(name=names.thread_name(message.space_id, message.thread_id)),
        space=space_pb2.Space(name=names.space_name(message.space_id)),
        thread_reply=message.thread_reply,
        client_assigned_message_id=message.client_id,
    )
    if message.last_update_time_us:
        proto.last_update_time.CopyFrom(timestamp(message.last_update_time_us))
    if message.viewer_id:
        proto.private_message_viewer.name = names.user_name(message.viewer_id)
    if message.quote is not None:
        proto.quoted_message_metadata.CopyFrom(_quote(message.quote))
    if command is not None:
        proto.slash_command.CopyFrom(slash_command_pb2.SlashCommand(command_id=command.command_id))
    if message.matched_url:
        proto.matched_url.CopyFrom(matched_url_pb2.MatchedUrl(url=message.matched_url))
    proto.emoji_reaction_summaries.extend(summary_proto(s) for s in message.reaction_summaries)
    # Concatenated encodings of Messages parse as their merge.
    parts = message.cards + message.cards_v2 + message.widgets + message.attachments + message.extras
    if parts:
        proto.MergeFromString(parts)
    return proto


# --- snapshots: a message's encoding, stored with it and spliced into ListMessages' answer -----------------

# A snapshot is this format byte, then the message framed as ListMessagesResponse.messages (field 1,
# length-delimited), so that a page is the concatenation of its snapshots without the format byte. Bump the
# byte whenever message_proto's output changes: older snapshots are then built afresh on read.
_FORMAT = b"\x01"
_MESSAGES_TAG = b"\x0a"  # ListMessagesResponse.messages = 1, wire type 2
_TOKEN_TAG = b"\x12"  # ListMessagesResponse.next_page_token = 2, wire type 2


def _varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _framed(body: bytes) -> bytes:
    return _FORMAT + _MESSAGES_TAG + _varint(len(body)) + body


def snapshot_body(snapshot: bytes) -> bytes:
    """The encoded Message inside a snapshot."""
    length_start = len(_FORMAT) + len(_MESSAGES_TAG)
    index, shift, length = length_start, 0, 0
    while True:
        byte = snapshot[index]
        length |= (byte & 0x7F) << shift
        index += 1
        if byte < 0x80:
            break
        shift += 7
    return snapshot[index:index + length]


class MessageSnapshots:
    """domain.ports.MessageSnapshots: messages as message_proto makes them, encoded once when written."""

    current = _FORMAT + _MESSAGES_TAG

    def __call__(self, message: Message) -> bytes:
        return _framed(message_proto(message).SerializeToString())

    def with_summaries(self, snapshot: bytes, summaries: tuple[ReactionSummary, ...]) -> bytes:
        proto = Proto.FromString(snapshot_body(snapshot))
        del proto.emoji_reaction_summaries[:]
        proto.emoji_reaction_summaries.extend(summary_proto(s) for s in summaries)
        return _framed(proto.SerializeToString())


def snapshot_message(snapshot: bytes) -> Proto:
    """The message a snapshot holds."""
    return Proto.FromString(snapshot_body(snapshot))


def list_response_bytes(snapshots: list[bytes], next_page_token: str) -> bytes:
    """An encoded ListMessagesResponse: the page's snapshots spliced together, then the token."""
    skip = len(_FORMAT)
    body = b"".join([s[skip:] for s in snapshots])
    if next_page_token:
        token = next_page_token.encode()
        body += _TOKEN_TAG + _varint(len(token)) + token
    return body


# --- proto -> domain --------------------------------------------------------------------------------------

def _quote_ref(message: Proto) -> QuoteRef | None:
    if not message.HasField("quoted_message_metadata"):
        return None
    quoted = message.quoted_message_metadata
    field = "message.quoted_message_metadata"
    space_id, message_id = names.message(quoted.name, f"{field}.name")
    if not quoted.HasField("last_update_time"):
        raise InvalidArgument.field(f"{field}.last_update_time", "is required: the quoted message's "
                                    "last_update_time, or its create_time if it was never edited")
    if quoted.quote_type not in QuoteType._value2member_map_:
        raise InvalidArgument.field(f"{field}.quote_type", "is not a known quote type")
    return QuoteRef(space_id, message_id, micros(quoted.last_update_time), QuoteType(quoted.quote_type))


def content_draft(message: Proto, **request) -> MessageDraft:
    """The content of a message as the caller sent it (output-only fields ignored)."""
    present = {field.name for field, _ in message.ListFields()}
    viewer = None
    if "private_message_viewer" in present:
        viewer = names.user(message.private_message_viewer.name, "message.private_message_viewer.name")
    return MessageDraft(
        text=message.text,
        cards=_encode(message, present, "cards"),
        cards_v2=_encode(message, present, "cards_v2"),
        widgets=_encode(message, present, "accessory_widgets"),
        attachments=_encode(message, present, "attachment"),
        upload_tokens=tuple(a.attachment_data_ref.attachment_upload_token for a in message.attachment),
        extras=_encode(message, present, "fallback_text"),
        viewer=viewer,
        quote=_quote_ref(message),
        create_time_us=micros(message.create_time) if "create_time" in present else 0,
        app_only_field=next((f for f in _APP_ONLY_FIELDS if f in present), ""),
        **request,
    )


def create_draft(request: message_pb2.CreateMessageRequest) -> MessageDraft:
    message = request.message
    thread_id = ""
    if message.thread.name:
        space_id, thread_id = names.thread(message.thread.name, "message.thread.name")
        if names.space_name(space_id) != request.parent:
            raise InvalidArgument.field("message.thread.name", "must name a thread of the space in `parent`")
    if request.message_reply_option not in ReplyOption._value2member_map_:
        raise InvalidArgument.field("message_reply_option", "is not a known reply option")
    notification = request.create_message_notification_options.notification_type
    if notification not in Notification.values():
        raise InvalidArgument.field("create_message_notification_options.notification_type",
                                    "is not a known notification type")
    draft = content_draft(
        message, thread_id=thread_id, thread_key=message.thread.thread_key or request.thread_key,
        reply_option=ReplyOption(request.message_reply_option), client_id=request.message_id,
        request_id=request.request_id)
    if not draft.app_only_field and notification in _APP_ONLY_NOTIFICATIONS:
        draft = replace(draft, app_only_field="create_message_notification_options")
    if notification == Notification.NOTIFICATION_TYPE_SILENT:
        draft = _with_extras(draft, Proto(silent=True))
    return draft


def _with_extras(draft: MessageDraft, extra: Proto) -> MessageDraft:
    return replace(draft, extras=draft.extras + extra.SerializeToString(deterministic=True))


def update_patch(request: message_pb2.UpdateMessageRequest) -> MessagePatch:
    paths = [snake(path) for path in request.update_mask.paths]
    full = "*" in paths
    for path in paths:
        if path != "*" and path not in UPDATABLE:
            raise InvalidArgument.field("update_mask", f"`{path}` cannot be updated; the updatable fields are "
                                                       f"{', '.join(UPDATABLE)} (or `*` for all of them)")
    fields = frozenset(UPDATABLE) if full else frozenset(paths)
    return MessagePatch(fields=fields, draft=content_draft(request.message), full=full)
