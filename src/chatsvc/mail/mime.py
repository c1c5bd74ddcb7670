"""OutgoingEmail -> an RFC 5322 message, as SMTP sends it and the Gmail API takes it (raw).

Layout: text and html as multipart/alternative; inline attachments wrap that in multipart/related (the
html refers to them as `cid:<content_id>`); regular attachments make the outer multipart/mixed. Bcc
addresses never appear in a header: they are envelope recipients only.
"""
from __future__ import annotations

from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from chatsvc.mail.outgoing import OutgoingAttachment, OutgoingEmail

# Headers we set ourselves; an extra header with one of these names is ignored rather than duplicated.
_OWN_HEADERS = {"from", "to", "cc", "bcc", "subject", "message-id", "date", "in-reply-to", "references",
                "mime-version", "content-type", "content-transfer-encoding"}


def build_message(email: OutgoingEmail, *, date: datetime | None = None) -> EmailMessage:
    message = EmailMessage()
    from_name = _clean(email.from_name)
    message["From"] = formataddr((from_name, email.from_address)) if from_name else email.from_address
    if email.to:
        message["To"] = ", ".join(email.to)
    if email.cc:
        message["Cc"] = ", ".join(email.cc)
    message["Subject"] = _clean(email.subject)
    message["Message-ID"] = email.message_id
    message["Date"] = format_datetime(date or datetime.now(UTC))
    if email.in_reply_to:
        reply_to = _angle(email.in_reply_to)
        message["In-Reply-To"] = reply_to
        message["References"] = reply_to
    for name, value in email.extra_headers.items():
        if name.lower() not in _OWN_HEADERS and _safe_header(name, value):
            message[name] = value
    _set_body(message, email)
    return message


def _set_body(message: EmailMessage, email: OutgoingEmail) -> None:
    inline = [a for a in email.attachments if a.is_inline]
    regular = [a for a in email.attachments if not a.is_inline]
    if email.html and email.text:
        message.set_content(email.text, subtype="plain", charset="utf-8")
        message.add_alternative(email.html, subtype="html", charset="utf-8")
    elif email.html:
        message.set_content(email.html, subtype="html", charset="utf-8")
    else:
        message.set_content(email.text, subtype="plain", charset="utf-8")
    if email.html:
        html_part = _html_part(message)
        if inline:
            # The html and the images it shows travel together in multipart/related.
            html_part.make_related()
            for attachment in inline:
                _attach(html_part, attachment, related=True)
    else:
        regular = regular + inline  # nothing can show them inline: attach them like the others
    for attachment in regular:
        _attach(message, attachment, related=False)


def _html_part(message: EmailMessage) -> EmailMessage:
    if message.get_content_type() == "text/html":
        return message
    for part in message.iter_parts():
        if part.get_content_type() == "text/html":
            return part
    raise AssertionError("no html part")


def _attach(container: EmailMessage, attachment: OutgoingAttachment, *, related: bool) -> None:
    maintype, _, subtype = (attachment.mime_type or "application/octet-stream").partition("/")
    if not subtype or "\n" in attachment.mime_type or "\r" in attachment.mime_type:
        maintype, subtype = "application", "octet-stream"
    kwargs = {"maintype": maintype, "subtype": subtype, "filename": _clean(attachment.filename) or "attachment"}
    if related:
        kwargs["disposition"] = "inline"
        if attachment.content_id:
            kwargs["cid"] = _angle(attachment.content_id)
        container.add_related(attachment.content, **kwargs)
    else:
        container.add_attachment(attachment.content, **kwargs)


def _angle(value: str) -> str:
    value = _clean(value).strip()
    return value if value.startswith("<") else f"<{value}>"


def _clean(value: str) -> str:
    """No CR/LF in a header value: a crafted name must not add headers of its own."""
    return value.replace("\r", " ").replace("\n", " ")


def _safe_header(name: str, value: str) -> bool:
    return bool(name) and all(33 <= ord(c) <= 126 and c != ":" for c in name) and "\n" not in value \
        and "\r" not in value


def envelope_recipients(email: OutgoingEmail) -> list[str]:
    """Every address the message goes to (To, Cc and Bcc), each once, in that order."""
    seen: dict[str, None] = {}
    for address in (*email.to, *email.cc, *email.bcc):
        seen.setdefault(address, None)
    return list(seen)


def address_domain(address: str) -> str:
    """The domain of an address (`a@example.com` -> `example.com`); `localhost` when it has none."""
    try:
        return Address(addr_spec=address).domain or "localhost"
    except (ValueError, IndexError, TypeError):
        return address.rpartition("@")[2] or "localhost"
