"""The initial schema: every table chatsvc had when migrations began, and the full-text index of messages.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Written out in full (generated once by autogenerate, then reviewed) rather than taken from the metadata, so
that later revisions start from a fixed base. A database made before migrations is adopted at this revision
(see storage/migrator.py).
"""

import sqlalchemy as sa
from alembic import op

from chatsvc.storage import search_index

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "availabilities",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("state_expire_time_us", sa.BigInteger(), nullable=False),
        sa.Column("status_text", sa.String(length=256), nullable=False),
        sa.Column("status_emoji", sa.String(length=128), nullable=False),
        sa.Column("status_expire_time_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "brands",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "consent_states_used",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("expire_time_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("nonce"),
    )
    op.create_table(
        "custom_emojis",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("customer", sa.String(length=64), nullable=False),
        sa.Column("emoji_name", sa.String(length=64), nullable=False),
        sa.Column("creator_id", sa.String(length=32), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("blob_key", sa.String(length=255), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer", "emoji_name", name="uq_custom_emojis_name"),
        sa.UniqueConstraint("uid", name="uq_custom_emojis_uid"),
    )
    op.create_index("ix_custom_emojis_creator", "custom_emojis", ["customer", "creator_id", "emoji_name"], unique=False)
    op.create_table(
        "sections",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "id"),
    )
    op.create_index("ix_sections_order", "sections", ["user_id", "sort_order", "id"], unique=False)
    op.create_table(
        "sending_domains",
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("mail_domain", sa.String(length=253), nullable=False),
        sa.Column("dkim_selector", sa.String(length=63), nullable=False),
        sa.Column("dkim_public_key", sa.Text(), nullable=False),
        sa.Column("dkim_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.Column("enable_time_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("domain"),
    )
    op.create_table(
        "server_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "spaces",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("space_type", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=128), nullable=False),
        sa.Column("description", sa.String(length=150), nullable=False),
        sa.Column("guidelines", sa.Text(), nullable=False),
        sa.Column("threading_state", sa.Integer(), nullable=False),
        sa.Column("history_state", sa.Integer(), nullable=False),
        sa.Column("external_user_allowed", sa.Boolean(), nullable=False),
        sa.Column("import_mode", sa.Boolean(), nullable=False),
        sa.Column("single_user_bot_dm", sa.Boolean(), nullable=False),
        sa.Column("customer", sa.String(length=64), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.Column("last_active_time_us", sa.BigInteger(), nullable=False),
        sa.Column("joined_humans", sa.Integer(), nullable=False),
        sa.Column("joined_groups", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=False),
        sa.Column("extras", sa.LargeBinary(), nullable=False),
        sa.Column("permissions", sa.Text(), nullable=False),
        sa.Column("display_name_key", sa.String(length=128), nullable=True),
        sa.Column("name_words", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=320), nullable=False),
        sa.Column("access_permissions", sa.Text(), nullable=False),
        sa.Column("import_mode_expire_time_us", sa.BigInteger(), nullable=False),
        sa.Column("dm_key", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer", "display_name_key", name="uq_spaces_customer_display_name"),
        sa.UniqueConstraint("dm_key", name="uq_spaces_dm_key"),
    )
    op.create_index("ix_spaces_customer_active", "spaces", ["customer", "last_active_time_us", "id"], unique=False)
    op.create_index("ix_spaces_customer_created", "spaces", ["customer", "create_time_us", "id"], unique=False)
    op.create_index("ix_spaces_customer_members", "spaces", ["customer", "joined_humans", "id"], unique=False)
    op.create_index("ix_spaces_request", "spaces", ["request_id", "creator_id"], unique=False)
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("app_name", sa.String(length=64), nullable=True),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("app_name"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "attachments",
        sa.Column("space_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("uploader_id", sa.String(length=32), nullable=False),
        sa.Column("upload_token", sa.String(length=64), nullable=False),
        sa.Column("content_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("blob_key", sa.String(length=255), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("space_id", "id"),
        sa.UniqueConstraint("upload_token", name="uq_attachments_upload_token"),
    )
    op.create_table(
        "brand_members",
        sa.Column("brand_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("email_signature", sa.Text(), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("brand_id", "user_id"),
    )
    op.create_index(
        "ix_brand_members_brand_created", "brand_members", ["brand_id", "create_time_us", "user_id"], unique=False
    )
    op.create_index("ix_brand_members_user", "brand_members", ["user_id", "brand_id"], unique=False)
    op.create_table(
        "contact_lists",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("brand_id", sa.String(length=36), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_contact_lists_brand_created", "contact_lists", ["brand_id", "create_time_us", "id"], unique=False
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("brand_id", sa.String(length=36), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("primary_email", sa.String(length=320), nullable=False),
        sa.Column("emails", sa.Text(), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["brand_id"], ["brands.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contacts_brand_created", "contacts", ["brand_id", "create_time_us", "id"], unique=False)
    op.create_table(
        "credentials",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("brand", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("resource_name", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("first_name", sa.String(length=255), nullable=False),
        sa.Column("last_name", sa.String(length=255), nullable=False),
        sa.Column("photo", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("scope_summary", sa.Text(), nullable=False),
        sa.Column("access_token", sa.LargeBinary(), nullable=False),
        sa.Column("refresh_token", sa.LargeBinary(), nullable=False),
        sa.Column("token_expires_us", sa.BigInteger(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("messages_total", sa.BigInteger(), nullable=False),
        sa.Column("threads_total", sa.BigInteger(), nullable=False),
        sa.Column("history_id", sa.BigInteger(), nullable=False),
        sa.Column("cgroups_sync_token", sa.Text(), nullable=False),
        sa.Column("other_contacts_sync_token", sa.Text(), nullable=False),
        sa.Column("last_sync_us", sa.BigInteger(), nullable=False),
        sa.Column("sync_state", sa.Integer(), nullable=False),
        sa.Column("sync_error", sa.Text(), nullable=False),
        sa.Column("synced_calendars", sa.Text(), nullable=False),
        sa.Column("calendars_configured", sa.Boolean(), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.Column("update_time_us", sa.BigInteger(), nullable=False),
        sa.Column("delete_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_credentials_user_created", "credentials", ["user_id", "create_time_us", "id"], unique=False)
    op.create_table(
        "email_campaigns",
        sa.Column("id", sa.String(length=63), nullable=False),
        sa.Column("brand_id", sa.String(length=36), nullable=False),
        sa.Column("creator_id", sa.String(length=32), nullable=False),
        sa.Column("sender_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("due_time_us", sa.BigInteger(), nullable=False),
        sa.Column("execute_time_us", sa.BigInteger(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("include_signature", sa.Boolean(), nullable=False),
        sa.Column("individual", sa.Boolean(), nullable=False),
        sa.Column("notifications_enabled", sa.Boolean(), nullable=False),
        sa.Column("google_credential_id", sa.String(length=36), nullable=True),
        sa.Column("microsoft_credential_id", sa.String(length=36), nullable=True),
        sa.Column("accepted", sa.BigInteger(), nullable=False),
        sa.Column("delivered", sa.BigInteger(), nullable=False),
        sa.Column("opened", sa.BigInteger(), nullable=False),
        sa.Column("clicked", sa.BigInteger(), nullable=False),
        sa.Column("failed", sa.BigInteger(), nullable=False),
        sa.Column("rejected", sa.BigInteger(), nullable=False),
        sa.Column("complained", sa.BigInteger(), nullable=False),
        sa.Column("unsubscribed", sa.BigInteger(), nullable=False),
        sa.Column("stored", sa.BigInteger(), nullable=False),
        sa.Column("sent", sa.BigInteger(), nullable=False),
        sa.Column("recipients_count", sa.BigInteger(), nullable=False),
        sa.Column("planned_recipients", sa.BigInteger(), nullable=False),
        sa.Column("fail_time_us", sa.BigInteger(), nullable=False),
        sa.Column("failure", sa.Text(), nullable=False),
        sa.Column("failed_within", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.Column("update_time_us", sa.BigInteger(), nullable=False),
        sa.Column("delete_time_us", sa.BigInteger(), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=False),
        sa.Column("lease_until_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id"],
            ["brands.id"],
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brand_id", "creator_id", "request_id", name="uq_email_campaigns_request"),
    )
    op.create_index(
        "ix_email_campaigns_brand_created", "email_campaigns", ["brand_id", "create_time_us", "id"], unique=False
    )
    op.create_index("ix_email_campaigns_due", "email_campaigns", ["state", "due_time_us"], unique=False)
    op.create_table(
        "email_files",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("origin", sa.Integer(), nullable=False),
        sa.Column("blob_key", sa.String(length=128), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "memberships",
        sa.Column("space_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("is_group", sa.Boolean(), nullable=False),
        sa.Column("role", sa.Integer(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.Column("delete_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("space_id", "member_id"),
    )
    op.create_index("ix_memberships_member", "memberships", ["member_id", "space_id"], unique=False)
    op.create_table(
        "messages",
        sa.Column("space_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("sender_id", sa.String(length=32), nullable=False),
        sa.Column("thread_id", sa.String(length=32), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.Column("last_update_time_us", sa.BigInteger(), nullable=False),
        sa.Column("delete_time_us", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("client_id", sa.String(length=63), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("extras", sa.LargeBinary(), nullable=False),
        sa.Column("cards", sa.LargeBinary(), nullable=False),
        sa.Column("cards_v2", sa.LargeBinary(), nullable=False),
        sa.Column("widgets", sa.LargeBinary(), nullable=False),
        sa.Column("attachments", sa.LargeBinary(), nullable=False),
        sa.Column("thread_reply", sa.Boolean(), nullable=False),
        sa.Column("viewer_id", sa.String(length=32), nullable=True),
        sa.Column("deletion_type", sa.Integer(), nullable=False),
        sa.Column("mentions", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("space_id", "id"),
        sa.UniqueConstraint("space_id", "client_id", name="uq_messages_client_id"),
        sa.UniqueConstraint("space_id", "request_id", name="uq_messages_request_id"),
    )
    op.create_index("ix_messages_sender", "messages", ["space_id", "sender_id", "create_time_us"], unique=False)
    op.create_index("ix_messages_space_time", "messages", ["space_id", "create_time_us", "id"], unique=False)
    op.create_index("ix_messages_thread", "messages", ["space_id", "thread_id", "create_time_us", "id"], unique=False)
    op.create_table(
        "space_events",
        sa.Column("space_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("event_time_us", sa.BigInteger(), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("resource_name", sa.String(length=512), nullable=False),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("space_id", "id"),
    )
    op.create_index("ix_space_events_time", "space_events", ["space_id", "event_time_us", "id"], unique=False)
    op.create_table(
        "space_notification_settings",
        sa.Column("space_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("notification_setting", sa.Integer(), nullable=False),
        sa.Column("mute_setting", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("space_id", "user_id"),
    )
    op.create_table(
        "space_read_states",
        sa.Column("space_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("last_read_time_us", sa.BigInteger(), nullable=False),
        sa.Column("update_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("space_id", "user_id"),
    )
    op.create_table(
        "threads",
        sa.Column("space_id", sa.String(length=32), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("thread_key", sa.Text(), nullable=True),
        sa.Column("thread_key_hash", sa.String(length=64), nullable=True),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("space_id", "id"),
        sa.UniqueConstraint("space_id", "app_id", "thread_key_hash", name="uq_threads_key"),
    )
    op.create_table(
        "campaign_attachments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=63), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=36), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("is_inline", sa.Boolean(), nullable=False),
        sa.Column("content_id", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["email_campaigns.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["email_files.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_campaign_attachments_campaign", "campaign_attachments", ["campaign_id", "position"], unique=False
    )
    op.create_table(
        "campaign_recipients",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=63), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("recipient_type", sa.Integer(), nullable=False),
        sa.Column("send_type", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.Column("list_id", sa.String(length=36), nullable=False),
        sa.Column("brand_ref_id", sa.String(length=36), nullable=False),
        sa.Column("agent_brand_id", sa.String(length=36), nullable=False),
        sa.Column("agent_user_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["email_campaigns.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_campaign_recipients_campaign", "campaign_recipients", ["campaign_id", "position"], unique=False)
    op.create_table(
        "contact_list_entries",
        sa.Column("list_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["list_id"], ["contact_lists.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("list_id", "contact_id"),
    )
    op.create_index("ix_contact_list_entries_contact", "contact_list_entries", ["contact_id"], unique=False)
    op.create_table(
        "contact_tags",
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.Column("brand_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_id", "tag"),
    )
    op.create_index("ix_contact_tags_brand_tag", "contact_tags", ["brand_id", "tag", "contact_id"], unique=False)
    op.create_table(
        "credential_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("credential_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("start_time_us", sa.BigInteger(), nullable=False),
        sa.Column("end_time_us", sa.BigInteger(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["credentials.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_credential_jobs_credential_started",
        "credential_jobs",
        ["credential_id", "start_time_us", "id"],
        unique=False,
    )
    op.create_table(
        "message_pins",
        sa.Column("space_id", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("pinner_id", sa.String(length=32), nullable=False),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["space_id", "message_id"], ["messages.space_id", "messages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("space_id", "message_id"),
    )
    op.create_index("ix_message_pins_time", "message_pins", ["space_id", "create_time_us", "message_id"], unique=False)
    op.create_table(
        "reactions",
        sa.Column("space_id", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("emoji_kind", sa.Integer(), nullable=False),
        sa.Column("emoji", sa.String(length=128), nullable=False),
        sa.Column("custom_emoji_id", sa.String(length=64), nullable=True),
        sa.Column("custom_emoji_name", sa.String(length=128), nullable=True),
        sa.Column("create_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["space_id", "message_id"], ["messages.space_id", "messages.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("space_id", "message_id", "id"),
        sa.UniqueConstraint("space_id", "message_id", "user_id", "emoji_kind", "emoji", name="uq_reactions_user_emoji"),
    )
    op.create_index(
        "ix_reactions_message_time", "reactions", ["space_id", "message_id", "create_time_us", "id"], unique=False
    )
    op.create_table(
        "section_items",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("space_id", sa.String(length=32), nullable=False),
        sa.Column("section_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["space_id", "user_id"], ["memberships.space_id", "memberships.member_id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["space_id"], ["spaces.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id", "section_id"], ["sections.user_id", "sections.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "space_id"),
    )
    op.create_index("ix_section_items_section", "section_items", ["user_id", "section_id", "space_id"], unique=False)
    op.create_table(
        "sent_emails",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=63), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_us", sa.BigInteger(), nullable=False),
        sa.Column("from_address", sa.String(length=640), nullable=False),
        sa.Column("to_addresses", sa.Text(), nullable=False),
        sa.Column("cc_addresses", sa.Text(), nullable=False),
        sa.Column("bcc_addresses", sa.Text(), nullable=False),
        sa.Column("address_count", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("provider_message_id", sa.String(length=255), nullable=False),
        sa.Column("send_time_us", sa.BigInteger(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["email_campaigns.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_sent_emails_campaign_state", "sent_emails", ["campaign_id", "state", "position"], unique=False)
    op.create_table(
        "campaign_emails",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campaign_id", sa.String(length=63), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sent_email_id", sa.String(length=36), nullable=False),
        sa.Column("email_address", sa.String(length=320), nullable=False),
        sa.Column("send_type", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=256), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=False),
        sa.Column("agent_brand_id", sa.String(length=36), nullable=False),
        sa.Column("agent_user_id", sa.String(length=32), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("accepted", sa.BigInteger(), nullable=False),
        sa.Column("delivered", sa.BigInteger(), nullable=False),
        sa.Column("opened", sa.BigInteger(), nullable=False),
        sa.Column("clicked", sa.BigInteger(), nullable=False),
        sa.Column("failed", sa.BigInteger(), nullable=False),
        sa.Column("rejected", sa.BigInteger(), nullable=False),
        sa.Column("complained", sa.BigInteger(), nullable=False),
        sa.Column("unsubscribed", sa.BigInteger(), nullable=False),
        sa.Column("stored", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["email_campaigns.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sent_email_id"], ["sent_emails.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "email_address", name="uq_campaign_emails_address"),
    )
    op.create_index(
        "ix_campaign_emails_campaign_position", "campaign_emails", ["campaign_id", "position"], unique=False
    )
    op.create_index("ix_campaign_emails_sent_email", "campaign_emails", ["sent_email_id"], unique=False)
    op.create_table(
        "delivery_events_seen",
        sa.Column("campaign_email_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("event_type", sa.Integer(), nullable=False),
        sa.Column("event_time_us", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_email_id"], ["campaign_emails.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("campaign_email_id", "event_id"),
    )
    # Beyond what SQLAlchemy tables express: FTS5 table and triggers (SQLite), tsvector column and GIN index
    # (PostgreSQL).
    for statement in search_index.statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # PostgreSQL's column and index go with the messages table
        for trigger in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER message_search_{trigger}")
        op.execute(f"DROP TABLE {search_index.FTS}")
        op.execute(f"DROP TABLE {search_index.DOCS}")
    op.drop_table("delivery_events_seen")
    op.drop_index("ix_campaign_emails_sent_email", table_name="campaign_emails")
    op.drop_index("ix_campaign_emails_campaign_position", table_name="campaign_emails")
    op.drop_table("campaign_emails")
    op.drop_index("ix_sent_emails_campaign_state", table_name="sent_emails")
    op.drop_table("sent_emails")
    op.drop_index("ix_section_items_section", table_name="section_items")
    op.drop_table("section_items")
    op.drop_index("ix_reactions_message_time", table_name="reactions")
    op.drop_table("reactions")
    op.drop_index("ix_message_pins_time", table_name="message_pins")
    op.drop_table("message_pins")
    op.drop_index("ix_credential_jobs_credential_started", table_name="credential_jobs")
    op.drop_table("credential_jobs")
    op.drop_index("ix_contact_tags_brand_tag", table_name="contact_tags")
    op.drop_table("contact_tags")
    op.drop_index("ix_contact_list_entries_contact", table_name="contact_list_entries")
    op.drop_table("contact_list_entries")
    op.drop_index("ix_campaign_recipients_campaign", table_name="campaign_recipients")
    op.drop_table("campaign_recipients")
    op.drop_index("ix_campaign_attachments_campaign", table_name="campaign_attachments")
    op.drop_table("campaign_attachments")
    op.drop_table("threads")
    op.drop_table("space_read_states")
    op.drop_table("space_notification_settings")
    op.drop_index("ix_space_events_time", table_name="space_events")
    op.drop_table("space_events")
    op.drop_index("ix_messages_thread", table_name="messages")
    op.drop_index("ix_messages_space_time", table_name="messages")
    op.drop_index("ix_messages_sender", table_name="messages")
    op.drop_table("messages")
    op.drop_index("ix_memberships_member", table_name="memberships")
    op.drop_table("memberships")
    op.drop_table("email_files")
    op.drop_index("ix_email_campaigns_due", table_name="email_campaigns")
    op.drop_index("ix_email_campaigns_brand_created", table_name="email_campaigns")
    op.drop_table("email_campaigns")
    op.drop_index("ix_credentials_user_created", table_name="credentials")
    op.drop_table("credentials")
    op.drop_index("ix_contacts_brand_created", table_name="contacts")
    op.drop_table("contacts")
    op.drop_index("ix_contact_lists_brand_created", table_name="contact_lists")
    op.drop_table("contact_lists")
    op.drop_index("ix_brand_members_user", table_name="brand_members")
    op.drop_index("ix_brand_members_brand_created", table_name="brand_members")
    op.drop_table("brand_members")
    op.drop_table("attachments")
    op.drop_table("users")
    op.drop_index("ix_spaces_request", table_name="spaces")
    op.drop_index("ix_spaces_customer_members", table_name="spaces")
    op.drop_index("ix_spaces_customer_created", table_name="spaces")
    op.drop_index("ix_spaces_customer_active", table_name="spaces")
    op.drop_table("spaces")
    op.drop_table("server_settings")
    op.drop_table("sending_domains")
    op.drop_index("ix_sections_order", table_name="sections")
    op.drop_table("sections")
    op.drop_index("ix_custom_emojis_creator", table_name="custom_emojis")
    op.drop_table("custom_emojis")
    op.drop_table("consent_states_used")
    op.drop_table("brands")
    op.drop_table("availabilities")
