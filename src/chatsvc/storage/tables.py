"""The schema. Times are integer microseconds since the epoch (exact, sortable, dialect-neutral)."""
from __future__ import annotations

from sqlalchemy import (
                        BigInteger,
                        Boolean,
                        Column,
                        ForeignKey,
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
    UniqueConstraint("space_id", "client_id", name="uq_messages_client_id"),
    # One request id per space, whoever sent it: a repeat by the same sender finds its message, a reuse by
    # another sender is refused (Google: "Reusing an existing request ID with a different user" is an error).
    UniqueConstraint("space_id", "request_id", name="uq_messages_request_id"),
)
# Keyset pagination of a space's messages in time order.
Index("ix_messages_space_time", messages.c.space_id, messages.c.create_time_us, messages.c.id)
# A thread's messages in time order: ListMessages filtered by thread.name, and replies of a deleted root.
Index("ix_messages_thread", messages.c.space_id, messages.c.thread_id, messages.c.create_time_us, messages.c.id)

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
