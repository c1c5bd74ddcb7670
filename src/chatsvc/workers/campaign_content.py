"""What a campaign sends: the plan of messages (made once, on its first run), each message's content
(rendered per recipient for individual campaigns, once with the sender's values for shared ones), and its
attachments' bytes."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from chatsvc.domain.access import read
from chatsvc.domain.campaign_models import Campaign, CampaignEmail, EmailState, MessageState, SendType, SentEmail
from chatsvc.domain.directory_models import Addressee
from chatsvc.domain.ports import Transactions
from chatsvc.mail import templates, url_fetch
from chatsvc.mail.mime import address_domain
from chatsvc.mail.outgoing import OutgoingAttachment, OutgoingEmail


@dataclass(frozen=True)
class Identity:
    """Who the campaign is sent as: the sending member's name, address and signature."""

    display_name: str
    email: str
    signature: str = ""

    def as_template_value(self) -> dict:
        return {"display_name": self.display_name, "email": self.email}


class AttachmentError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


async def sender_identity(repos, campaign: Campaign) -> Identity:
    member = await repos.directory.member(campaign.brand_id, campaign.sender_id)
    if member is not None:
        return Identity(member.display_name, member.email, member.email_signature)
    user = await repos.users.get(campaign.sender_id)  # no longer a member: the user, without a signature
    return Identity(user.display_name if user else "", user.email if user else "")


def plan(campaign: Campaign, addressees: list[tuple[Addressee, SendType]], identity: Identity,
         ) -> tuple[list[SentEmail], list[CampaignEmail]]:
    """The messages (with their Message-IDs, fixed here for good) and the addresses each carries."""
    domain = address_domain(identity.email)

    def message(position: int, subject: str, to=(), cc=(), bcc=()) -> SentEmail:
        message_uuid = uuid.uuid4().hex
        return SentEmail(id=message_uuid, campaign_id=campaign.key, position=position, state=MessageState.PENDING,
                         message_id=f"<{message_uuid}@{domain}>", from_address=identity.email, to=tuple(to),
                         cc=tuple(cc), bcc=tuple(bcc), subject=subject)

    def email(position: int, carrier: SentEmail, addressee: Addressee, send_type: SendType) -> CampaignEmail:
        return CampaignEmail(id=uuid.uuid4().hex, campaign_id=campaign.key, position=position,
                             sent_email_id=carrier.id, email_address=addressee.email, send_type=send_type,
                             state=EmailState.PENDING, full_name=addressee.display_name,
                             contact_id=addressee.contact_id, agent_brand_id=addressee.agent_brand_id,
                             agent_user_id=addressee.agent_user_id)

    if campaign.individual:
        # One message each, addressed To its one recipient whatever the entry's send type: nobody else is on it.
        messages = [message(i, _subject_for(campaign, identity, {"display_name": a.display_name, "email": a.email}),
                            to=[a.email]) for i, (a, _) in enumerate(addressees)]
        return messages, [email(i, messages[i], a, t) for i, (a, t) in enumerate(addressees)]
    by_type = {t: [a.email for a, st in addressees if st == t] for t in SendType}
    single = message(0, _subject_for(campaign, identity, None), to=by_type[SendType.TO], cc=by_type[SendType.CC],
                     bcc=by_type[SendType.BCC])
    return [single], [email(i, single, a, t) for i, (a, t) in enumerate(addressees)]


def _subject_for(campaign: Campaign, identity: Identity, recipient: dict | None) -> str:
    try:
        return templates.render(campaign.subject, recipient=recipient, sender=identity.as_template_value(),
                                html=False)
    except templates.TemplateError:
        return campaign.subject  # the message fails when it is composed; the row shows the subject as written


def compose(campaign: Campaign, message: SentEmail, carried: list[CampaignEmail], identity: Identity,
            attachments: tuple[OutgoingAttachment, ...]) -> OutgoingEmail:
    """The email for one message. Raises templates.TemplateError when a template fails."""
    # A shared campaign's one email is rendered too, once and without a recipient (scheduling refused
    # `recipient` in it): `{{sender...}}` is filled in and no template text reaches anyone as written.
    recipient = None
    if campaign.individual and carried:
        recipient = {"display_name": carried[0].full_name, "email": carried[0].email_address}
    sender = identity.as_template_value()
    subject, html, text = (templates.render(part, recipient=recipient, sender=sender, html=is_html)
                           for part, is_html in ((campaign.subject, False), (campaign.html, True),
                                                 (campaign.text, False)))
    if campaign.include_signature and identity.signature:
        html = f"{html}\n{identity.signature}" if html else identity.signature
    return OutgoingEmail(
        message_id=message.message_id, from_name=identity.display_name, from_address=message.from_address,
        to=message.to, cc=message.cc, bcc=message.bcc, subject=subject, html=html, text=text,
        in_reply_to=campaign.headers.in_reply_to, thread_id=campaign.headers.thread_id,
        reply_to_message_id=campaign.headers.message_id, attachments=attachments, tags=campaign.tags)


async def load_attachments(db: Transactions, blobs, campaign: Campaign, *, limit: int, fetch_timeout: float,
                           allow_private_urls: bool) -> tuple[OutgoingAttachment, ...]:
    """Every attachment's bytes, at most `limit` bytes in all. Raises AttachmentError naming the one that failed."""
    loaded: list[OutgoingAttachment] = []
    total = 0
    for attachment in campaign.attachments:
        if attachment.file_id:
            file = await read(db, lambda repos, file_id=attachment.file_id: repos.email_files.get(file_id))
            if file is None:
                raise AttachmentError(f"the uploaded file of attachment `{attachment.filename}` no longer exists")
            content = bytearray()
            try:
                async for chunk in blobs.read(file.blob_key):
                    content += chunk
                    if total + len(content) > limit:
                        raise AttachmentError(f"the attachments are larger than the {limit} byte limit")
            except OSError as error:
                raise AttachmentError(f"attachment `{file.filename}` could not be read: {error}") from None
            filename, mime_type = attachment.filename or file.filename, file.mime_type
        else:
            try:
                fetched = await url_fetch.fetch(attachment.url, limit=limit - total, timeout=fetch_timeout,
                                                allow_private=allow_private_urls)
            except url_fetch.FetchError as error:
                raise AttachmentError(f"attachment `{attachment.filename}`: {error.message}") from None
            content, filename, mime_type = fetched.content, attachment.filename, fetched.mime_type
        total += len(content)
        loaded.append(OutgoingAttachment(filename=filename, mime_type=mime_type, content=bytes(content),
                                         is_inline=attachment.is_inline, content_id=attachment.content_id))
    return tuple(loaded)
