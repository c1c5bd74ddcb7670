"""Alembic's script directory: env.py, the revision template and versions/. Run by chatsvc.storage.migrator;
new revisions come from `make migration NAME="what changed"` (__main__.py)."""
