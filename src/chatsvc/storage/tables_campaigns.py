"""The campaign service's schema: uploaded files, campaigns with their recipients and attachments, the
emails sent (progress per message, outcome per address), delivery events seen, and sending domains."""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from chatsvc.storage.tables import metadata

COUNTERS = ("accepted", "delivered", "opened", "clicked", "failed", "rejected", "complained", "unsubscribed",
            "stored")


def _counters() -> list[Column]:
    return [Column(name, BigInteger, nullable=False, default=0) for name in COUNTERS]


email_files = Table(
    "email_files", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id"), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("mime_type", String(255), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("origin", Integer, nullable=False),
    Column("blob_key", String(128), nullable=False),
    Column("create_time_us", BigInteger, nullable=False),
)

# `id` is the storage key other tables refer to; `public_id` is the id in the resource name, unique only
# within the brand: a client-chosen id taken in another brand must not answer ALREADY_EXISTS (that would
# tell the caller the id exists elsewhere). Rows made before the split have both the same. The server default
# and the unique index (rather than a constraint) are what migration 0002 can add to SQLite in place.
email_campaigns = Table(
    "email_campaigns", metadata,
    Column("id", String(63), primary_key=True),
    Column("brand_id", String(36), ForeignKey("brands.id"), nullable=False),
    Column("public_id", String(63), nullable=False, server_default=""),
    Column("creator_id", String(32), ForeignKey("users.id"), nullable=False),
    Column("sender_id", String(32), ForeignKey("users.id"), nullable=False),
    Column("state", Integer, nullable=False),
    Column("due_time_us", BigInteger, nullable=False),
    Column("execute_time_us", BigInteger, nullable=False, default=0),
    Column("subject", Text, nullable=False),
    Column("html", Text, nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("headers", Text, nullable=False, default="{}"),  # JSON: in_reply_to, thread_id, message_id
    Column("tags", Text, nullable=False, default="[]"),  # JSON list
    Column("include_signature", Boolean, nullable=False, default=False),
    Column("individual", Boolean, nullable=False, default=False),
    Column("notifications_enabled", Boolean, nullable=False, default=False),
    Column("google_credential_id", String(36)),
    Column("microsoft_credential_id", String(36)),
    *_counters(),
    Column("sent", BigInteger, nullable=False, default=0),
    Column("recipients_count", BigInteger, nullable=False, default=0),
    # Addresses the recipients expanded to when last scheduled or changed: the quota's `scheduled`.
    Column("planned_recipients", BigInteger, nullable=False, default=0),
    Column("fail_time_us", BigInteger, nullable=False, default=0),
    Column("failure", Text, nullable=False, default=""),
    Column("failed_within", String(32), nullable=False, default=""),
    Column("request_id", String(128)),
    Column("create_time_us", BigInteger, nullable=False),
    Column("update_time_us", BigInteger, nullable=False),
    Column("delete_time_us", BigInteger, nullable=False, default=0),
    # The scheduler's claim: which process sends it, until when (renewed while sending). A claim whose
    # lease ran out (its process died) may be taken over; the per-message progress says where to resume.
    Column("lease_owner", String(64), nullable=False, default=""),
    Column("lease_until_us", BigInteger, nullable=False, default=0),
    UniqueConstraint("brand_id", "creator_id", "request_id", name="uq_email_campaigns_request"),
    Index("ix_email_campaigns_due", "state", "due_time_us"),
    Index("uq_email_campaigns_public_id", "brand_id", "public_id", unique=True),
    Index("ix_email_campaigns_brand_created", "brand_id", "create_time_us", "public_id"),
)

# The entries as given (groups stay groups until the campaign is sent).
campaign_recipients = Table(
    "campaign_recipients", metadata,
    Column("id", String(36), primary_key=True),
    Column("campaign_id", String(63), ForeignKey("email_campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("recipient_type", Integer, nullable=False),
    Column("send_type", Integer, nullable=False),
    Column("email", String(320), nullable=False, default=""),
    Column("contact_id", String(36), nullable=False, default=""),
    Column("tag", String(100), nullable=False, default=""),
    Column("list_id", String(36), nullable=False, default=""),
    Column("brand_ref_id", String(36), nullable=False, default=""),  # RECIPIENT_TYPE_BRAND
    Column("agent_brand_id", String(36), nullable=False, default=""),  # RECIPIENT_TYPE_AGENT
    Column("agent_user_id", String(32), nullable=False, default=""),
    Index("ix_campaign_recipients_campaign", "campaign_id", "position"),
)

campaign_attachments = Table(
    "campaign_attachments", metadata,
    Column("id", String(36), primary_key=True),
    Column("campaign_id", String(63), ForeignKey("email_campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("file_id", String(36), ForeignKey("email_files.id")),
    Column("url", Text),
    Column("filename", String(255), nullable=False),
    Column("is_inline", Boolean, nullable=False, default=False),
    Column("content_id", String(255), nullable=False, default=""),
    Index("ix_campaign_attachments_campaign", "campaign_id", "position"),
)

# One email message: to one address (individual campaigns) or to all of them. The unit of progress: it is
# PENDING, then SENDING (committed before the provider is called), then SENT or FAILED.
sent_emails = Table(
    "sent_emails", metadata,
    Column("id", String(36), primary_key=True),
    Column("campaign_id", String(63), ForeignKey("email_campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("state", Integer, nullable=False),
    Column("message_id", String(255), nullable=False, unique=True),  # the Message-ID header, fixed up front
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_us", BigInteger, nullable=False, default=0),
    Column("from_address", String(640), nullable=False, default=""),
    Column("to_addresses", Text, nullable=False, default="[]"),
    Column("cc_addresses", Text, nullable=False, default="[]"),
    Column("bcc_addresses", Text, nullable=False, default="[]"),
    Column("address_count", Integer, nullable=False, default=0),  # To, Cc and Bcc together
    Column("subject", Text, nullable=False, default=""),
    Column("provider_message_id", String(255), nullable=False, default=""),
    Column("send_time_us", BigInteger, nullable=False, default=0),
    Column("error", Text, nullable=False, default=""),
    Index("ix_sent_emails_campaign_state", "campaign_id", "state", "position"),
)

# A campaign's outcome per address: the expanded, deduplicated recipients (one row per address).
campaign_emails = Table(
    "campaign_emails", metadata,
    Column("id", String(36), primary_key=True),
    Column("campaign_id", String(63), ForeignKey("email_campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("sent_email_id", String(36), ForeignKey("sent_emails.id", ondelete="CASCADE"), nullable=False),
    Column("email_address", String(320), nullable=False),
    Column("send_type", Integer, nullable=False),
    Column("full_name", String(256), nullable=False, default=""),
    Column("contact_id", String(36), nullable=False, default=""),
    Column("agent_brand_id", String(36), nullable=False, default=""),
    Column("agent_user_id", String(32), nullable=False, default=""),
    Column("state", Integer, nullable=False),
    Column("error", Text, nullable=False, default=""),
    *_counters(),
    UniqueConstraint("campaign_id", "email_address", name="uq_campaign_emails_address"),
    Index("ix_campaign_emails_campaign_position", "campaign_id", "position"),
    Index("ix_campaign_emails_sent_email", "sent_email_id"),
)

# Provider event ids already counted: a webhook's retry finds its id here and changes nothing.
delivery_events_seen = Table(
    "delivery_events_seen", metadata,
    Column("campaign_email_id", String(36), ForeignKey("campaign_emails.id", ondelete="CASCADE"),
           primary_key=True),
    Column("event_id", String(128), primary_key=True),
    Column("event_type", Integer, nullable=False),
    Column("event_time_us", BigInteger, nullable=False),
)

sending_domains = Table(
    "sending_domains", metadata,
    Column("domain", String(253), primary_key=True),
    Column("mail_domain", String(253), nullable=False),
    Column("dkim_selector", String(63), nullable=False),
    Column("dkim_public_key", Text, nullable=False),  # base64 DER, as the DKIM TXT record carries it
    Column("dkim_private_key", LargeBinary, nullable=False),  # sealed with the server's secret key
    Column("create_time_us", BigInteger, nullable=False),
    Column("enable_time_us", BigInteger, nullable=False, default=0),
)
