"""The directory's schema: brands, their members, contacts with tags, and CRM lists."""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text

from chatsvc.storage.tables import metadata

brands = Table(
    "brands", metadata,
    Column("id", String(36), primary_key=True),
    Column("display_name", String(256), nullable=False),
    Column("create_time_us", BigInteger, nullable=False),
)

# A user's place in a brand. Listing a user's brands reads ix_brand_members_user.
brand_members = Table(
    "brand_members", metadata,
    Column("brand_id", String(36), ForeignKey("brands.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", String(32), ForeignKey("users.id"), primary_key=True),
    Column("role", Integer, nullable=False),
    Column("display_name", String(256), nullable=False, default=""),
    Column("email_signature", Text, nullable=False, default=""),
    Column("create_time_us", BigInteger, nullable=False),
    Index("ix_brand_members_user", "user_id", "brand_id"),
    Index("ix_brand_members_brand_created", "brand_id", "create_time_us", "user_id"),
)

contacts = Table(
    "contacts", metadata,
    Column("id", String(36), primary_key=True),
    Column("brand_id", String(36), ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("display_name", String(256), nullable=False, default=""),
    # The first of `emails`, lowercased: where campaigns send ("" when the contact has no address).
    Column("primary_email", String(320), nullable=False, default=""),
    Column("emails", Text, nullable=False, default="[]"),  # JSON list, as given
    Column("create_time_us", BigInteger, nullable=False),
    Index("ix_contacts_brand_created", "brand_id", "create_time_us", "id"),
)

# Tags are stored lowercased; a campaign's TAG recipient reads ix_contact_tags_brand_tag.
contact_tags = Table(
    "contact_tags", metadata,
    Column("contact_id", String(36), ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(100), primary_key=True),
    Column("brand_id", String(36), nullable=False),
    Index("ix_contact_tags_brand_tag", "brand_id", "tag", "contact_id"),
)

contact_lists = Table(
    "contact_lists", metadata,
    Column("id", String(36), primary_key=True),
    Column("brand_id", String(36), ForeignKey("brands.id", ondelete="CASCADE"), nullable=False),
    Column("display_name", String(256), nullable=False),
    Column("create_time_us", BigInteger, nullable=False),
    Index("ix_contact_lists_brand_created", "brand_id", "create_time_us", "id"),
)

contact_list_entries = Table(
    "contact_list_entries", metadata,
    Column("list_id", String(36), ForeignKey("contact_lists.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", String(36), ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_contact_list_entries_contact", "contact_id"),
)
