"""Alembic's environment. chatsvc.storage.migrator hands over an open connection (inside the transaction that
holds the migration lock), so there is no URL or alembic.ini here and Alembic opens no transaction of its own."""
from alembic import context

from chatsvc.storage.migrator import VERSION_TABLE, include_name
from chatsvc.storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    include_name=include_name,  # the full-text index objects are not in the metadata
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
