"""chatsvc.campaigns.v1 messages <-> domain values for campaigns, their emails, quota and files."""
from __future__ import annotations

from chatsvc.aip import campaign_names as names
from chatsvc.aip.credential_names import credential_name
from chatsvc.aip.directory_names import brand_name, contact_name, list_name, member_name
from chatsvc.aip.names import user_name
from chatsvc.api.convert import timestamp
from chatsvc.api.times import timestamp_micros
from chatsvc.campaigns.v1 import campaign_pb2
from chatsvc.domain.campaign_drafts import AttachmentInput, CampaignInput, RecipientInput
from chatsvc.domain.campaign_models import (
    COUNTERS,
    Campaign,
    CampaignEmail,
    Counters,
    EmailFile,
    Headers,
    RecipientType,
    SentEmail,
)
from chatsvc.domain.campaign_quota import Quota
from chatsvc.domain.credential_models import Provider


def campaign_input(p: campaign_pb2.EmailCampaign) -> CampaignInput:
    return CampaignInput(
        sender=p.sender, due_time_us=timestamp_micros(p.due_time, "email_campaign.due_time")
        if p.HasField("due_time") else None, subject=p.subject, html=p.html, text=p.text,
        headers=Headers(p.headers.in_reply_to, p.headers.thread_id, p.headers.message_id), tags=tuple(p.tags),
        recipients=tuple(RecipientInput(r.recipient_type, r.send_type, r.email, r.contact, r.tag, r.contact_list,
                                        r.brand, r.agent) for r in p.recipients),
        attachments=tuple(AttachmentInput(a.file, a.url, a.filename, a.is_inline, a.content_id)
                          for a in p.attachments),
        include_signature=p.include_signature, individual=p.individual,
        notifications_enabled=p.notifications_enabled, google_credential=p.google_credential,
        microsoft_credential=p.microsoft_credential)


def counters_proto(c: Counters) -> campaign_pb2.DeliveryCounters:
    return campaign_pb2.DeliveryCounters(**{name: getattr(c, name) for name in COUNTERS})


def _recipient_proto(brand_id: str, r) -> campaign_pb2.EmailRecipient:
    proto = campaign_pb2.EmailRecipient(id=r.id, recipient_type=r.recipient_type.value, send_type=r.send_type.value,
                                        email=r.email, tag=r.tag)
    if r.contact_id:
        proto.contact = contact_name(brand_id, r.contact_id)
    if r.recipient_type is RecipientType.LIST:
        proto.contact_list = list_name(brand_id, r.list_id)
    if r.recipient_type is RecipientType.BRAND:
        proto.brand = brand_name(r.brand_ref_id)
    if r.recipient_type is RecipientType.AGENT:
        proto.agent = member_name(r.agent_brand_id, r.agent_user_id)
    return proto


def _attachment_proto(creator_id: str, a) -> campaign_pb2.EmailAttachment:
    proto = campaign_pb2.EmailAttachment(filename=a.filename, is_inline=a.is_inline, content_id=a.content_id)
    if a.file_id:
        proto.file = names.email_file_name(creator_id, a.file_id)
    else:
        proto.url = a.url
    return proto


def campaign_proto(c: Campaign) -> campaign_pb2.EmailCampaign:
    proto = campaign_pb2.EmailCampaign(
        name=names.campaign_name(c.brand_id, c.id), creator=user_name(c.creator_id),
        sender=member_name(c.brand_id, c.sender_id), state=c.state.value, due_time=timestamp(c.due_time_us),
        subject=c.subject, html=c.html, text=c.text,
        headers=campaign_pb2.EmailHeaders(in_reply_to=c.headers.in_reply_to, thread_id=c.headers.thread_id,
                                          message_id=c.headers.message_id),
        tags=list(c.tags), recipients=[_recipient_proto(c.brand_id, r) for r in c.recipients],
        attachments=[_attachment_proto(c.creator_id, a) for a in c.attachments],
        include_signature=c.include_signature, individual=c.individual,
        notifications_enabled=c.notifications_enabled, counters=counters_proto(c.counters), sent=c.sent,
        recipients_count=c.recipients_count, failure=c.failure, failed_within=c.failed_within,
        emails=[email_proto(c.brand_id, c.id, e) for e in c.emails], create_time=timestamp(c.create_time_us),
        update_time=timestamp(c.update_time_us))
    if c.google_credential_id:
        proto.google_credential = credential_name(c.creator_id, Provider.GOOGLE, c.google_credential_id)
    if c.microsoft_credential_id:
        proto.microsoft_credential = credential_name(c.creator_id, Provider.MICROSOFT, c.microsoft_credential_id)
    if c.execute_time_us:
        proto.execute_time.CopyFrom(timestamp(c.execute_time_us))
    if c.fail_time_us:
        proto.fail_time.CopyFrom(timestamp(c.fail_time_us))
    return proto


def _message_proto(m: SentEmail) -> campaign_pb2.SentEmail:
    proto = campaign_pb2.SentEmail(message_id=m.message_id, from_address=m.from_address, to=list(m.to),
                                   cc=list(m.cc), bcc=list(m.bcc), subject=m.subject, address_count=m.address_count,
                                   provider_message_id=m.provider_message_id)
    if m.send_time_us:
        proto.send_time.CopyFrom(timestamp(m.send_time_us))
    return proto


def email_proto(brand_id: str, campaign_id: str, e: CampaignEmail) -> campaign_pb2.CampaignEmail:
    """`campaign_id`: the id in the campaign's name (`e.campaign_id` is its storage key)."""
    proto = campaign_pb2.CampaignEmail(
        name=names.campaign_email_name(brand_id, campaign_id, e.id), email_address=e.email_address,
        send_type=e.send_type.value, full_name=e.full_name, state=e.state.value, error=e.error,
        counters=counters_proto(e.counters))
    if e.contact_id:
        proto.contact = contact_name(brand_id, e.contact_id)
    if e.agent_user_id:
        proto.agent = member_name(e.agent_brand_id, e.agent_user_id)
    if e.message is not None:
        proto.email.CopyFrom(_message_proto(e.message))
    return proto


def quota_proto(q: Quota) -> campaign_pb2.EmailQuota:
    return campaign_pb2.EmailQuota(name=names.quota_name(q.brand_id), executed=q.executed, scheduled=q.scheduled,
                                   quota=q.quota)


def email_file_proto(f: EmailFile) -> campaign_pb2.EmailFile:
    return campaign_pb2.EmailFile(name=names.email_file_name(f.user_id, f.id), filename=f.filename,
                                  mime_type=f.mime_type, size_bytes=f.size_bytes, origin=f.origin.value,
                                  create_time=timestamp(f.create_time_us))
