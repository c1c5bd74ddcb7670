"""Checks of a campaign against stored data, inside the transaction that writes it: the sender belongs to
the brand, every recipient's target exists where the caller may address it, attachments are the creator's
files and fit the sending channel's limit."""
from __future__ import annotations

from dataclasses import replace

from chatsvc.domain.campaign_drafts import PREFIX
from chatsvc.domain.campaign_models import Attachment, Campaign, Origin, Recipient, RecipientType
from chatsvc.domain.email_files import MB, ORIGIN_LABELS, ORIGIN_LIMITS
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.models import User
from chatsvc.domain.ports import Repositories
from chatsvc.mail.templates import check_templates


def channel(campaign: Campaign) -> Origin:
    """The mail service a campaign goes out through: a Google credential's Gmail, a Microsoft credential's
    Outlook, else the product's own mail service."""
    if campaign.google_credential_id:
        return Origin.GMAIL
    if campaign.microsoft_credential_id:
        return Origin.OUTLOOK
    return Origin.MAILGUN


def check_pure(campaign: Campaign) -> None:
    """Rules over several fields, after an update's changes are merged in."""
    if campaign.google_credential_id and campaign.microsoft_credential_id:
        raise InvalidArgument.field(PREFIX + "microsoft_credential",
                                    "must not be set together with `google_credential`")
    # The templates must parse now, not fail at sending time; a shared campaign's cannot ask for the recipient.
    check_templates(campaign.subject, campaign.html, campaign.text, shared=not campaign.individual)


async def check_stored(repos: Repositories, campaign: Campaign, caller: User, changed: set[str]) -> Campaign:
    """`changed`: the attributes the request set; only those reach into the directory again. Returns the
    campaign with attachment names filled from their files."""
    directory = repos.directory
    if "sender_id" in changed and await directory.member(campaign.brand_id, campaign.sender_id) is None:
        raise InvalidArgument.field(PREFIX + "sender", "is not a member of the campaign's brand")
    if "recipients" in changed:
        for index, entry in enumerate(campaign.recipients):
            await _recipient(repos, campaign.brand_id, entry, caller, f"{PREFIX}recipients[{index}].")
    return replace(campaign, attachments=await _attachments(repos, campaign))


async def _recipient(repos: Repositories, brand_id: str, entry: Recipient, caller: User, at: str) -> None:
    directory = repos.directory
    kind = entry.recipient_type
    if entry.contact_id:
        contact = await directory.contact(entry.contact_id)
        if contact is None or contact.brand_id != brand_id:
            raise InvalidArgument.field(at + "contact", "is not a contact of the campaign's brand")
    if kind is RecipientType.LIST:
        found = await directory.contact_list(entry.list_id)
        if found is None or found.brand_id != brand_id:
            raise InvalidArgument.field(at + "contact_list", "is not a list of the campaign's brand")
    if kind is RecipientType.BRAND and await directory.member(entry.brand_ref_id, caller.id) is None:
        raise InvalidArgument.field(at + "brand", "is not a brand you belong to")
    if kind is RecipientType.AGENT:
        if await directory.member(entry.agent_brand_id, caller.id) is None:
            raise InvalidArgument.field(at + "agent", "is not a member of a brand you belong to")
        if await directory.member(entry.agent_brand_id, entry.agent_user_id) is None:
            raise InvalidArgument.field(at + "agent", "is not a member of that brand")


async def _attachments(repos: Repositories, campaign: Campaign) -> tuple[Attachment, ...]:
    files = await repos.email_files.get_many([a.file_id for a in campaign.attachments if a.file_id])
    total, named = 0, []
    for index, attachment in enumerate(campaign.attachments):
        if attachment.file_id:
            stored = files.get(attachment.file_id)
            if stored is None or stored.user_id != campaign.creator_id:
                raise InvalidArgument.field(f"{PREFIX}attachments[{index}].file",
                                            "is not a file the campaign's creator uploaded")
            total += stored.size_bytes
            attachment = replace(attachment, filename=attachment.filename or stored.filename)
        named.append(attachment)
    origin = channel(campaign)
    if total > ORIGIN_LIMITS[origin]:
        raise InvalidArgument.field(PREFIX + "attachments",
                                    f"the files add up to {total} bytes, over the {ORIGIN_LIMITS[origin] // MB} MB "
                                    f"{ORIGIN_LABELS[origin]} takes for one message")
    return tuple(named)
