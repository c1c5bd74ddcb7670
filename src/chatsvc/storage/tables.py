"""The schema. Times are integer microseconds since the epoch (exact, sortable, dialect-neutral)."""
from __future__ import annotations

from sqlalchemy import (
                        BigInteger,
                        Boolean,
                        Column,
                        ForeignKey,
                        ForeignKeyConstraint,
                        Index,
                        Integer,
                        LargeBinary,
                        MetaData,
                        String,
                        Table,
                        Text,
                        UniqueConstraint,
)

metadata = MetaData()

server_settings = Table(
    "server_settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", String(32), primary_key=True),
    Column("type", Integer, nullable=False),
    Column("email", String(320), unique=True),
    Column("app_name", String(64), unique=True),
    Column("display_name", String(256), nullable=False, default=""),
    Column("create_time_us", BigInteger, nullable=False),
)

spaces = Table(
    "spaces", metadata,
    Column("id", String(32), primary_key=True),
    Column("space_type", Integer, nullable=False),
    Column("display_name", String(128), nullable=False, default=""),
    Column("description", String(150), nullable=False, default=""),
    Column("guidelines", Text, nullable=False, default=""),
    Column("threading_state", Integer, nullable=False),
    Column("history_state", Integer, nullable=False),
    Column("external_user_allowed", Boolean, nullable=False, default=False),
    Column("import_mode", Boolean, nullable=False, default=False),
    Column("single_user_bot_dm", Boolean, nullable=False, default=False),
    Column("customer", String(64), nullable=False, default=""),
    Column("create_time_us", BigInteger, nullable=False),
    Column("last_active_time_us", BigInteger, nullable=False),
    Column("joined_humans", Integer, nullable=False, default=0),
    Column("joined_groups", Integer, nullable=False, default=0),
    Column("creator_id", String(32), nullable=False),
    Column("request_id", String(128), nullable=False, default=""),
    Column("extras", LargeBinary, nullable=False, default=b""),
    # JSON: {permission: [managers_allowed, members_allowed, assistant_managers_allowed]}.
    Column("permissions", Text, nullable=False, default="{}"),
    # Lower-cased display name of named spaces, unique per customer; NULL for unnamed ones.
    Column("display_name_key", String(128)),
    # The display name's words, lower-cased, each preceded by a space: SearchSpaces prefix-matches words
    # with LIKE '% word%'.
    Column("name_words", Text, nullable=False, default=""),
    Column("audience", String(320), nullable=False, default=""),
    # JSON: {access permission setting: [audience names]}.
    Column("access_permissions", Text, nullable=False, default="{}"),
    Column("import_mode_expire_time_us", BigInteger, nullable=False, default=0),
    # Direct messages only: who the DM is between, so one pair never gets two DMs, even when set up
    # concurrently. NULL for other spaces.
    Column("dm_key", String(80)),
    UniqueConstraint("customer", "display_name_key", name="uq_spaces_customer_display_name"),
    UniqueConstraint("dm_key", name="uq_spaces_dm_key"),
)
# request_id first: CreateSpace looks it up both with the creator and without (another creator's use).
Index("ix_spaces_request", spaces.c.request_id, spaces.c.creator_id)
# SearchSpaces with admin access: a customer's spaces in each documented order, keyset-paged.
Index("ix_spaces_customer_created", spaces.c.customer, spaces.c.create_time_us, spaces.c.id)
Index("ix_spaces_customer_active", spaces.c.customer, spaces.c.last_active_time_us, spaces.c.id)
Index("ix_spaces_customer_members", spaces.c.customer, spaces.c.joined_humans, spaces.c.id)

memberships = Table(
    "memberships", metadata,
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("is_group", Boolean, nullable=False, default=False),
    Column("role", Integer, nullable=False),
    Column("state", Integer, nullable=False),
    Column("create_time_us", BigInteger, nullable=False),
    # Set only on historical memberships imported into an import-mode space (state NOT_A_MEMBER).
    Column("delete_time_us", BigInteger, nullable=False, default=0),
)
Index("ix_memberships_member", memberships.c.member_id, memberships.c.space_id)

threads = Table(
    "threads", metadata,
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(32), primary_key=True),
    # A thread_key is unique per app within a space. Keys run to 4000 characters, so the constraint is on
    # their SHA-256 (hex) rather than on the key itself.
    Column("app_id", String(32), nullable=False),
    Column("thread_key", Text),
    Column("thread_key_hash", String(64)),
    Column("create_time_us", BigInteger, nullable=False),
    UniqueConstraint("space_id", "app_id", "thread_key_hash", name="uq_threads_key"),
)

messages = Table(
    "messages", metadata,
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("sender_id", String(32), nullable=False),
    Column("thread_id", String(32), nullable=False),
    Column("create_time_us", BigInteger, nullable=False),
    Column("last_update_time_us", BigInteger, nullable=False, default=0),
    Column("delete_time_us", BigInteger, nullable=False, default=0),
    Column("text", Text, nullable=False, default=""),
    Column("client_id", String(63)),
    Column("request_id", String(128)),
    Column("extras", LargeBinary, nullable=False, default=b""),
    # Content parts an UpdateMessage mask can replace one by one (proto-encoded by the API layer).
    Column("cards", LargeBinary, nullable=False, default=b""),
    Column("cards_v2", LargeBinary, nullable=False, default=b""),
    Column("widgets", LargeBinary, nullable=False, default=b""),
    Column("attachments", LargeBinary, nullable=False, default=b""),
    Column("thread_reply", Boolean, nullable=False, default=False),
    # Private messages: the one user who may see them; NULL for everyone's messages.
    Column("viewer_id", String(32)),
    Column("deletion_type", Integer, nullable=False, default=0),
    # JSON: [[start, length, user_id, user_type, display_name], ...]; "" without mentions.
    Column("mentions", Text, nullable=False, default=""),
    # JSON object of the quoted message reference and snapshot; "" when nothing is quoted.
    Column("quote", Text, nullable=False, default=""),
    # What the message triggers in Chat apps (chatsvc.domain.app_triggers), "" for most messages: the slash command
    # it is (JSON: [length, app user id, app display name, command id, command name, opens dialog]), and the first
    # link in it an app previews.
    Column("slash_command", Text, nullable=False, default="", server_default=""),
    Column("matched_url", Text, nullable=False, default="", server_default=""),
    # The message as every caller reads it, encoded by the API layer when the message is written and rewritten by
    # every write that changes it (edits, reactions, deletion): ListMessages splices these bytes into its answer.
    # Opaque here. NULL (rows older than the column) or in an older format: built from the columns on read.
    Column("snapshot", LargeBinary),
    UniqueConstraint("space_id", "client_id", name="uq_messages_client_id"),
    # One request id per space, whoever sent it: a repeat by the same sender finds its message, a reuse by
    # another sender is refused (Google: "Reusing an existing request ID with a different user" is an error).
    UniqueConstraint("space_id", "request_id", name="uq_messages_request_id"),
)
# Full-text search over `text` (SearchMessages) lives outside this metadata, kept in step by the database:
# storage/search_index.py (FTS5 and triggers on SQLite, a generated tsvector column on PostgreSQL).
# Keyset pagination of a space's messages in time order.
Index("ix_messages_space_time", messages.c.space_id, messages.c.create_time_us, messages.c.id)
# A thread's messages in time order: ListMessages filtered by thread.name, and replies of a deleted root.
Index("ix_messages_thread", messages.c.space_id, messages.c.thread_id, messages.c.create_time_us, messages.c.id)

# One row per user per emoji per message. emoji_kind 1: `emoji` is the unicode text; 2: a custom emoji's uid,
# with its resource id and `:name:` copied in (both immutable), so reading a reaction needs no join.
reactions = Table(
    "reactions", metadata,
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("message_id", String(64), primary_key=True),
    Column("id", String(32), primary_key=True),
    Column("user_id", String(32), nullable=False),
    Column("emoji_kind", Integer, nullable=False),
    Column("emoji", String(128), nullable=False),
    Column("custom_emoji_id", String(64)),
    Column("custom_emoji_name", String(128)),
    Column("create_time_us", BigInteger, nullable=False),
    ForeignKeyConstraint(["space_id", "message_id"], ["messages.space_id", "messages.id"], ondelete="CASCADE"),
    UniqueConstraint("space_id", "message_id", "user_id", "emoji_kind", "emoji", name="uq_reactions_user_emoji"),
)
# ListReactions pages a message's reactions in time order; the summaries of a page of messages group by it.
Index("ix_reactions_message_time", reactions.c.space_id, reactions.c.message_id, reactions.c.create_time_us,
      reactions.c.id)

# Pinned messages: a pin is named after its message, so one per message.
message_pins = Table(
    "message_pins", metadata,
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("message_id", String(64), primary_key=True),
    Column("pinner_id", String(32), nullable=False),
    Column("create_time_us", BigInteger, nullable=False),
    ForeignKeyConstraint(["space_id", "message_id"], ["messages.space_id", "messages.id"], ondelete="CASCADE"),
)
# ListMessagePins in the order messages were pinned.
Index("ix_message_pins_time", message_pins.c.space_id, message_pins.c.create_time_us, message_pins.c.message_id)

space_events = Table(
    "space_events", metadata,
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(32), primary_key=True),
    Column("event_time_us", BigInteger, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("resource_name", String(512), nullable=False),
)
# ListSpaceEvents reads a space's events in time order.
Index("ix_space_events_time", space_events.c.space_id, space_events.c.event_time_us, space_events.c.id)

# A user's own grouping of their spaces. A user's rows appear with their first change to sections; until then
# the three system sections are implied in their default order. sort_order is dense: 1..n per user.
sections = Table(
    "sections", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("id", String(32), primary_key=True),
    Column("type", Integer, nullable=False),
    Column("display_name", String(80), nullable=False, default=""),
    Column("sort_order", Integer, nullable=False),
)
Index("ix_sections_order", sections.c.user_id, sections.c.sort_order, sections.c.id)

# Spaces a user filed in a custom section (a space in its default section has no row). A row goes with its
# section, with the user's membership (leaving a space forgets where it was filed) and with the space
# (DeleteSpace clears every table with a space_id).
section_items = Table(
    "section_items", metadata,
    Column("user_id", String(64), primary_key=True),
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("section_id", String(32), nullable=False),
    ForeignKeyConstraint(["space_id", "user_id"], ["memberships.space_id", "memberships.member_id"],
                         ondelete="CASCADE"),
    ForeignKeyConstraint(["user_id", "section_id"], ["sections.user_id", "sections.id"], ondelete="CASCADE"),
)
Index("ix_section_items_section", section_items.c.user_id, section_items.c.section_id, section_items.c.space_id)

# Where a user marked a space read (UpdateSpaceReadState), and when they did: their own messages sent after
# that moment count as read too (domain/read_states.py). Thread read states have no rows of their own.
space_read_states = Table(
    "space_read_states", metadata,
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", String(32), primary_key=True),
    Column("last_read_time_us", BigInteger, nullable=False),
    Column("update_time_us", BigInteger, nullable=False),
)
# Read states look up the caller's own latest message in a space without walking everyone else's.
Index("ix_messages_sender", messages.c.space_id, messages.c.sender_id, messages.c.create_time_us)

# A user's notification setting in a space; no row means Google's defaults (ALL, UNMUTED).
space_notification_settings = Table(
    "space_notification_settings", metadata,
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", String(32), primary_key=True),
    Column("notification_setting", Integer, nullable=False),
    Column("mute_setting", Integer, nullable=False),
)

# What a user set of their availability: a manual state (with its expiry, 0 = none) and a custom status
# (empty text = none). The state shown is worked out from these and the clock when read.
availabilities = Table(
    "availabilities", metadata,
    Column("user_id", String(32), primary_key=True),
    Column("state", Integer, nullable=False, default=0),
    Column("state_expire_time_us", BigInteger, nullable=False, default=0),
    Column("status_text", String(256), nullable=False, default=""),
    Column("status_emoji", String(128), nullable=False, default=""),
    Column("status_expire_time_us", BigInteger, nullable=False, default=0),
)

# Uploaded files (UploadAttachment and the media endpoint). A row starts as an upload (message_id NULL) and
# becomes an attachment when a message carries its upload token; the bytes live in the blob store.
attachments = Table(
    "attachments", metadata,
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("id", String(32), primary_key=True),
    Column("message_id", String(64)),
    Column("uploader_id", String(32), nullable=False),
    Column("upload_token", String(64), nullable=False),
    Column("content_name", String(255), nullable=False),
    Column("content_type", String(255), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("blob_key", String(255), nullable=False),
    Column("create_time_us", BigInteger, nullable=False),
    UniqueConstraint("upload_token", name="uq_attachments_upload_token"),
)

# Custom emoji of an organization (customer). Names are unique per customer; reactions find them by uid.
custom_emojis = Table(
    "custom_emojis", metadata,
    Column("id", String(32), primary_key=True),
    Column("uid", String(32), nullable=False),
    Column("customer", String(64), nullable=False),
    Column("emoji_name", String(64), nullable=False),
    Column("creator_id", String(32), nullable=False),
    Column("content_type", String(32), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("blob_key", String(255), nullable=False),
    Column("create_time_us", BigInteger, nullable=False),
    UniqueConstraint("uid", name="uq_custom_emojis_uid"),
    UniqueConstraint("customer", "emoji_name", name="uq_custom_emojis_name"),
)
# ListCustomEmojis filtered by creator, in name order.
Index("ix_custom_emojis_creator", custom_emojis.c.customer, custom_emojis.c.creator_id, custom_emojis.c.emoji_name)

# Incoming webhooks of spaces (chatsvc.domain.webhooks). The id is also the `key` of the webhook's URL, so it is
# unique on its own; the token is kept only as its SHA-256 (hex). `user_id`: the BOT user its messages are sent as.
webhooks = Table(
    "webhooks", metadata,
    Column("id", String(32), primary_key=True),
    Column("space_id", String(32), ForeignKey("spaces.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", String(32), ForeignKey("users.id"), nullable=False),
    Column("display_name", String(128), nullable=False),
    Column("avatar_url", Text, nullable=False, default=""),
    Column("token_sha256", String(64), nullable=False),
    Column("creator_id", String(32), nullable=False, default=""),
    Column("create_time_us", BigInteger, nullable=False),
    Column("token_time_us", BigInteger, nullable=False),
    # ListWebhooks' keyset: a space's webhooks, oldest first.
    Index("ix_webhooks_space_created", "space_id", "create_time_us", "id"),
)

# Chat apps registered with chatsvc (chatsvc.domain.chat_apps): the configuration Google's console holds for an app.
# `name` is the app's name as tokens carry it (users.app_name of `user_id`, its BOT user). Commands and link-preview
# patterns are JSON lists, checked by the domain and read whole with the app.
chat_apps = Table(
    "chat_apps", metadata,
    Column("name", String(64), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id"), nullable=False),
    Column("display_name", String(128), nullable=False),
    Column("avatar_url", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("endpoint_url", Text, nullable=False, default=""),
    Column("pubsub_topic", Text, nullable=False, default=""),
    Column("audience", Text, nullable=False, default=""),
    Column("event_format", String(16), nullable=False),  # chat | addon
    Column("commands", Text, nullable=False, default="[]"),
    Column("link_previews", Text, nullable=False, default="[]"),
    Column("direct_messages", Boolean, nullable=False),
    Column("spaces", Boolean, nullable=False),
    Column("creator_id", String(32), nullable=False, default=""),
    Column("create_time_us", BigInteger, nullable=False),
    Column("update_time_us", BigInteger, nullable=False),
    # ListApps for a user who is not an administrator: the apps they registered, by name.
    Index("ix_chat_apps_creator", "creator_id", "name"),
)

# The outbox of events for Chat apps (chatsvc.events.outbox): queued in the transaction of the call that caused
# them, claimed under a lease by one process's worker (state 0 queued, 1 delivering, 2 done), and kept with the
# record of their delivery. The event JSON is built at delivery from the ids, and kept as sent.
app_events = Table(
    "app_events", metadata,
    Column("id", String(32), primary_key=True),
    Column("app_name", String(64), nullable=False),
    Column("event_type", String(32), nullable=False),
    Column("space_id", String(32), nullable=False),
    Column("message_id", String(64), nullable=False, default=""),
    Column("user_id", String(32), nullable=False),
    Column("event_time_us", BigInteger, nullable=False),
    Column("state", Integer, nullable=False),
    Column("lease_owner", String(96), nullable=False, default=""),
    Column("lease_until_us", BigInteger, nullable=False, default=0),
    Column("event_json", Text, nullable=False, default=""),
    Column("outcome", String(16), nullable=False, default=""),
    Column("status_code", Integer, nullable=False, default=0),
    Column("latency_ms", Integer, nullable=False, default=0),
    Column("reply", Text, nullable=False, default=""),
    Column("error", Text, nullable=False, default=""),
    Column("reply_message_id", String(64), nullable=False, default=""),
    Column("delivered_time_us", BigInteger, nullable=False, default=0),
    # The request headers sent, a JSON object in the order sent; "" before delivery and for Pub/Sub publishes.
    Column("request_headers", Text, nullable=False, default="", server_default=""),
    # The workers' claim: queued ones, and ones whose delivering process let its lease run out.
    Index("ix_app_events_due", "state", "lease_until_us"),
    # The deliveries of one app, in order.
    Index("ix_app_events_app", "app_name", "event_time_us"),
)

# Connected Google / Microsoft accounts. Tokens are stored sealed (AES-GCM, see chatsvc.crypto); lists of
# scopes and calendars are JSON text.
credentials = Table(
    "credentials", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id"), nullable=False),
    Column("provider", String(16), nullable=False),
    Column("brand", String(64), nullable=False, default=""),
    Column("email", String(320), nullable=False),
    Column("resource_name", String(255), nullable=False, default=""),
    Column("display_name", String(255), nullable=False, default=""),
    Column("first_name", String(255), nullable=False, default=""),
    Column("last_name", String(255), nullable=False, default=""),
    Column("photo", Text, nullable=False, default=""),
    Column("scope", Text, nullable=False),
    Column("scope_summary", Text, nullable=False),
    Column("access_token", LargeBinary, nullable=False),
    Column("refresh_token", LargeBinary, nullable=False),
    Column("token_expires_us", BigInteger, nullable=False, default=0),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("messages_total", BigInteger, nullable=False, default=0),
    Column("threads_total", BigInteger, nullable=False, default=0),
    Column("history_id", BigInteger, nullable=False, default=0),
    Column("cgroups_sync_token", Text, nullable=False, default=""),
    Column("other_contacts_sync_token", Text, nullable=False, default=""),
    Column("last_sync_us", BigInteger, nullable=False, default=0),
    Column("sync_state", Integer, nullable=False, default=0),
    Column("sync_error", Text, nullable=False, default=""),
    Column("synced_calendars", Text, nullable=False, default="[]"),
    Column("calendars_configured", Boolean, nullable=False, default=False),
    Column("create_time_us", BigInteger, nullable=False),
    Column("update_time_us", BigInteger, nullable=False),
    Column("delete_time_us", BigInteger, nullable=False, default=0),
    # ListCredentials' keyset: a user's credentials, newest first.
    Index("ix_credentials_user_created", "user_id", "create_time_us", "id"),
)

# A credential's history: each connect and sync job, with its outcome. Read newest first per credential,
# for a page of credentials at once (CREDENTIAL_VIEW_FULL).
credential_jobs = Table(
    "credential_jobs", metadata,
    Column("id", String(36), primary_key=True),
    Column("credential_id", String(36), ForeignKey("credentials.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("state", Integer, nullable=False),
    Column("start_time_us", BigInteger, nullable=False),
    Column("end_time_us", BigInteger, nullable=False, default=0),
    Column("error", Text, nullable=False, default=""),
    Index("ix_credential_jobs_credential_started", "credential_id", "start_time_us", "id"),
)

# Nonces of consent states already used: a replayed grant finds its nonce here. Rows past their expiry
# can go (an expired state is refused anyway).
consent_states_used = Table(
    "consent_states_used", metadata,
    Column("nonce", String(64), primary_key=True),
    Column("expire_time_us", BigInteger, nullable=False),
)

# The directory's and the campaign service's tables live in their own modules; importing them here puts
# them in `metadata` for create_all.
from chatsvc.storage import tables_campaigns, tables_directory, tables_oauth_server  # noqa: E402,F401
