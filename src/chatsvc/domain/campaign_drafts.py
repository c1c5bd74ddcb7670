"""A campaign as the caller wrote it, and the checks that need nothing but the request: lengths, shapes,
which fields each recipient type uses, and resource names. Checks against stored data (does the contact
exist, is the file the creator's) are in campaign_checks.py."""
from __future__ import annotations

import re
import urllib.parse
import uuid
from dataclasses import dataclass

from chatsvc.aip import campaign_names, credential_names, directory_names
from chatsvc.domain.campaign_models import Attachment, Headers, Recipient, RecipientType, SendType
from chatsvc.domain.credential_models import Provider
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.models import User

PREFIX = "email_campaign."
MAX_SUBJECT = 998  # RFC 5322's line limit
MAX_BODY = 1024 * 1024  # per body, in bytes of UTF-8
MAX_RECIPIENTS = 1000
MAX_ATTACHMENTS = 100
MAX_TAGS = 10
MAX_TAG = 100
MAX_HEADER = 998
MAX_EMAIL = 320
MAX_URL = 2048
MAX_FILENAME = 255
MAX_CONTENT_ID = 255
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\Z")
_LINE_BREAK = re.compile(r"[\r\n\x00]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PATH = re.compile(r"[/\\]")

# The fields each recipient type uses (EMAIL may also name a contact); any other field set is refused.
USES = {
    RecipientType.EMAIL: ("email", "contact"),
    RecipientType.CONTACT: ("contact",),
    RecipientType.TAG: ("tag",),
    RecipientType.LIST: ("contact_list",),
    RecipientType.BRAND: ("brand",),
    RecipientType.ALL_CONTACTS: (),
    RecipientType.AGENT: ("agent",),
}
REQUIRED = {RecipientType.EMAIL: "email", RecipientType.CONTACT: "contact", RecipientType.TAG: "tag",
            RecipientType.LIST: "contact_list", RecipientType.BRAND: "brand", RecipientType.AGENT: "agent"}
RECIPIENT_FIELDS = ("email", "contact", "tag", "contact_list", "brand", "agent")

# Update masks: the fields a caller may set, and those the server owns.
SETTABLE = ("sender", "due_time", "subject", "html", "text", "headers", "tags", "recipients", "attachments",
            "include_signature", "individual", "notifications_enabled", "google_credential", "microsoft_credential")
OUTPUT_ONLY = ("name", "creator", "state", "execute_time", "counters", "sent", "recipients_count", "fail_time",
               "failure", "failed_within", "emails", "create_time", "update_time")


@dataclass(frozen=True)
class RecipientInput:
    recipient_type: int = 0
    send_type: int = 0
    email: str = ""
    contact: str = ""
    tag: str = ""
    contact_list: str = ""
    brand: str = ""
    agent: str = ""


@dataclass(frozen=True)
class AttachmentInput:
    file: str = ""
    url: str = ""
    filename: str = ""
    is_inline: bool = False
    content_id: str = ""


@dataclass(frozen=True)
class CampaignInput:
    sender: str = ""
    due_time_us: int | None = None  # None: not given
    subject: str = ""
    html: str = ""
    text: str = ""
    headers: Headers = Headers()
    tags: tuple[str, ...] = ()
    recipients: tuple[RecipientInput, ...] = ()
    attachments: tuple[AttachmentInput, ...] = ()
    include_signature: bool = False
    individual: bool = False
    notifications_enabled: bool = False
    google_credential: str = ""
    microsoft_credential: str = ""


def mask_paths(paths: list[str]) -> tuple[str, ...]:
    """AIP-134: empty or `*` is every settable field; unknown and output-only paths are refused."""
    if not paths or paths == ["*"]:
        return SETTABLE
    for index, path in enumerate(paths):
        if path in OUTPUT_ONLY:
            raise InvalidArgument.field("update_mask", f"`{path}` is output only and cannot be changed")
        if path not in SETTABLE:
            raise InvalidArgument.field("update_mask", f"`{path}` (paths[{index}]) is not a field of EmailCampaign "
                                        "that can be set")
    return tuple(dict.fromkeys(paths))


def parse(draft: CampaignInput, paths: tuple[str, ...], brand_id: str, creator: User, now_us: int) -> dict:
    """The Campaign attributes `paths` set, checked and with names turned into ids."""
    creator_id = creator.id
    changes: dict = {}
    if "sender" in paths:
        changes["sender_id"] = _sender(draft.sender, brand_id, creator_id)
    if "due_time" in paths:
        if draft.due_time_us is None:
            raise InvalidArgument.field(PREFIX + "due_time", "is required")
        changes["due_time_us"] = max(draft.due_time_us, now_us)  # a past time means now
    if "subject" in paths:
        changes["subject"] = _subject(draft.subject)
    for body in ("html", "text"):
        if body in paths:
            value = getattr(draft, body)
            if len(value.encode()) > MAX_BODY:
                raise InvalidArgument.field(PREFIX + body, f"must be at most {MAX_BODY} bytes")
            changes[body] = value
    if "headers" in paths:
        changes["headers"] = _headers(draft.headers)
    if "tags" in paths:
        changes["tags"] = _tags(draft.tags)
    if "recipients" in paths:
        changes["recipients"] = recipients(draft.recipients, brand_id, creator_id)
    if "attachments" in paths:
        changes["attachments"] = tuple(_attachment(a, i, creator) for i, a in enumerate(draft.attachments))
        if len(draft.attachments) > MAX_ATTACHMENTS:
            raise InvalidArgument.field(PREFIX + "attachments", f"at most {MAX_ATTACHMENTS} attachments")
    for flag in ("include_signature", "individual", "notifications_enabled"):
        if flag in paths:
            changes[flag] = getattr(draft, flag)
    for provider, attribute in (("google_credential", "google_credential_id"),
                                ("microsoft_credential", "microsoft_credential_id")):
        if provider in paths:
            changes[attribute] = _credential(getattr(draft, provider), provider)
    return changes


def _sender(name: str, brand_id: str, creator_id: str) -> str:
    if not name:
        return creator_id
    member_brand, user_id = directory_names.parse_member(name, PREFIX + "sender")
    if member_brand != brand_id:
        raise InvalidArgument.field(PREFIX + "sender", "must be a member of the campaign's brand")
    return creator_id if user_id == "me" else user_id


def _subject(subject: str) -> str:
    if not subject.strip():
        raise InvalidArgument.field(PREFIX + "subject", "is required")
    if len(subject) > MAX_SUBJECT or _LINE_BREAK.search(subject):
        raise InvalidArgument.field(PREFIX + "subject", f"must be one line of at most {MAX_SUBJECT} characters")
    return subject


def _headers(headers: Headers) -> Headers:
    for name in ("in_reply_to", "thread_id", "message_id"):
        value = getattr(headers, name)
        if len(value) > MAX_HEADER or _CONTROL.search(value):
            raise InvalidArgument.field(f"{PREFIX}headers.{name}",
                                        f"must be at most {MAX_HEADER} characters, without control characters")
    return headers


def _tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    if len(tags) > MAX_TAGS:
        raise InvalidArgument.field(PREFIX + "tags", f"at most {MAX_TAGS} tags")
    for index, tag in enumerate(tags):
        if not tag.strip() or len(tag) > MAX_TAG or _CONTROL.search(tag):
            raise InvalidArgument.field(f"{PREFIX}tags[{index}]", f"must be 1-{MAX_TAG} characters, one line")
    return tuple(tags)


def _credential(name: str, field: str) -> str:
    """The credential's id ("" when not given); whose it is and whether it may send is checked later."""
    if not name:
        return ""
    _, provider, credential_id = credential_names.credential(name, PREFIX + field)
    wanted = Provider.GOOGLE if field == "google_credential" else Provider.MICROSOFT
    if provider is not wanted:
        raise InvalidArgument.field(PREFIX + field, f"must be a `{credential_names.COLLECTIONS[wanted]}` credential")
    return credential_id


def recipients(entries: tuple[RecipientInput, ...], brand_id: str, me: str) -> tuple[Recipient, ...]:
    """`me`: the user id `members/me` stands for."""
    if not entries:
        raise InvalidArgument.field(PREFIX + "recipients", "at least one recipient is required")
    if len(entries) > MAX_RECIPIENTS:
        raise InvalidArgument.field(PREFIX + "recipients", f"at most {MAX_RECIPIENTS} entries")
    return tuple(_recipient(entry, f"{PREFIX}recipients[{i}].", brand_id, me) for i, entry in enumerate(entries))


def _recipient(entry: RecipientInput, at: str, brand_id: str, me: str) -> Recipient:
    try:
        kind = RecipientType(entry.recipient_type)
    except ValueError:
        raise InvalidArgument.field(at + "recipient_type", "is required: EMAIL, CONTACT, TAG, LIST, BRAND, "
                                                           "ALL_CONTACTS or AGENT") from None
    try:
        send_type = SendType(entry.send_type or SendType.TO)
    except ValueError:
        raise InvalidArgument.field(at + "send_type", "must be TO, CC or BCC") from None
    for name in RECIPIENT_FIELDS:
        if getattr(entry, name) and name not in USES[kind]:
            raise InvalidArgument.field(at + name, f"must not be set for RECIPIENT_TYPE_{kind.name}")
    required = REQUIRED.get(kind)
    if required and not getattr(entry, required):
        raise InvalidArgument.field(at + required, f"is required for RECIPIENT_TYPE_{kind.name}")
    fields: dict = {}
    if entry.email:
        if len(entry.email) > MAX_EMAIL or not _EMAIL.match(entry.email):
            raise InvalidArgument.field(at + "email", "is not an email address")
        fields["email"] = entry.email
    if entry.contact:
        fields["contact_id"] = _same_brand(directory_names.parse_contact, entry.contact, at + "contact", brand_id)
    if entry.contact_list:
        fields["list_id"] = _same_brand(directory_names.parse_list, entry.contact_list, at + "contact_list", brand_id)
    if entry.tag:
        if len(entry.tag) > MAX_TAG or _CONTROL.search(entry.tag):
            raise InvalidArgument.field(at + "tag", f"must be at most {MAX_TAG} characters, one line")
        fields["tag"] = entry.tag.strip().lower()
    if entry.brand:
        fields["brand_ref_id"] = directory_names.parse_brand(entry.brand, at + "brand")
    if entry.agent:
        agent_brand, agent_user = directory_names.parse_member(entry.agent, at + "agent")
        fields["agent_brand_id"], fields["agent_user_id"] = agent_brand, me if agent_user == "me" else agent_user
    return Recipient(id=str(uuid.uuid4()), recipient_type=kind, send_type=send_type, **fields)


def _same_brand(parser, name: str, field: str, brand_id: str) -> str:
    owner, item_id = parser(name, field)
    if owner != brand_id:
        raise InvalidArgument.field(field, "must belong to the campaign's brand")
    return item_id


def _attachment(a: AttachmentInput, index: int, creator: User) -> Attachment:
    at = f"{PREFIX}attachments[{index}]."
    if bool(a.file) == bool(a.url):
        raise InvalidArgument.field(at + "source", "exactly one of `file` and `url` is required")
    if a.filename and (len(a.filename) > MAX_FILENAME or _CONTROL.search(a.filename) or _PATH.search(a.filename)):
        raise InvalidArgument.field(at + "filename", f"must be a file name of at most {MAX_FILENAME} characters")
    if len(a.content_id) > MAX_CONTENT_ID or _CONTROL.search(a.content_id) or re.search(r"[<>\s]", a.content_id):
        raise InvalidArgument.field(at + "content_id", f"must be at most {MAX_CONTENT_ID} characters, no spaces or <>")
    if a.is_inline and not a.content_id:
        raise InvalidArgument.field(at + "content_id", "is required for an inline attachment")
    if a.url:
        parsed = urllib.parse.urlsplit(a.url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or len(a.url) > MAX_URL:
            raise InvalidArgument.field(at + "url", f"must be an http or https URL of at most {MAX_URL} characters")
        if not a.filename:
            raise InvalidArgument.field(at + "filename", "is required with `url`")
        return Attachment(id=str(uuid.uuid4()), url=a.url, filename=a.filename, is_inline=a.is_inline,
                          content_id=a.content_id)
    segment, file_id = campaign_names.parse_email_file(a.file, at + "file")
    if segment not in ("me", creator.id, creator.email):
        raise InvalidArgument.field(at + "file", "must be a file the campaign's creator uploaded")
    return Attachment(id=str(uuid.uuid4()), file_id=file_id, filename=a.filename,
                      is_inline=a.is_inline, content_id=a.content_id)
