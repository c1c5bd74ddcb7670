"""`python -m chatsvc.storage.migrations "what changed"` (or `make migration NAME="what changed"`): writes the
next revision in versions/ with `alembic revision --autogenerate`, comparing storage/tables*.py against a
scratch SQLite database migrated to the current head, and makes it the head servers check at start
(storage/schema_head.py). Review the file before committing it."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from chatsvc.storage import migrator, schema_head


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].strip():
        print('usage: python -m chatsvc.storage.migrations "what changed"', file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        engine = create_engine(f"sqlite:///{Path(scratch) / 'head.db'}")
        try:
            with engine.begin() as connection:
                migrator.upgrade(connection)
                number = int(migrator.head() or 0) + 1  # revisions are numbered 0001, 0002, ...
                script = command.revision(migrator.config(connection), message=argv[0], autogenerate=True,
                                          rev_id=f"{number:04d}")
        finally:
            engine.dispose()
    head_file = Path(schema_head.__file__)
    head_file.write_text(head_file.read_text().replace(f'HEAD = "{schema_head.HEAD}"', f'HEAD = "{number:04d}"'))
    print(script.path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
