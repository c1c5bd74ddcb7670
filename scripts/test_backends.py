"""Which database backends `make test` runs the suite on: the one rule for `make test` and CI alike.

SQLite always. PostgreSQL when a server answers on CHATSVC_TEST_DATABASE_URL, or, with that variable unset, on
this machine's default (postgres@127.0.0.1:5432/test, trust authentication); set it to an empty string to run on
SQLite alone. Prints shell assignments for the Makefile to `eval`: CHATSVC_TEST_DATABASE_URL (exported, or
unset) and CHATSVC_TEST_BACKENDS, the one line `make test` prints after the suite to say what ran.
"""
from __future__ import annotations

import asyncio
import os
import shlex

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
CONNECT_TIMEOUT_SECONDS = 3.0


async def _answers(url: str) -> str | None:
    """None when a real connection (not just an open port) succeeds, else the reason it did not."""
    import asyncpg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    try:
        conn = await asyncpg.connect(user=parsed.username, password=parsed.password, host=parsed.host,
                                     port=parsed.port, database=parsed.database, timeout=CONNECT_TIMEOUT_SECONDS)
    except Exception as error:  # noqa: BLE001 - any failure to connect means: not this backend
        return f"{type(error).__name__}: {error}".strip()
    await conn.close()
    return None


def main() -> None:
    configured = os.environ.get("CHATSVC_TEST_DATABASE_URL")
    url = DEFAULT_URL if configured is None else configured
    if not url:
        line = "backends: SQLite only (CHATSVC_TEST_DATABASE_URL is empty, so PostgreSQL was not tried)"
        print(f"unset CHATSVC_TEST_DATABASE_URL; CHATSVC_TEST_BACKENDS={shlex.quote(line)}")
        return
    reason = asyncio.run(_answers(url))
    shown = url.split("@")[-1]  # never print a password
    if reason is None:
        line = f"backends: SQLite and PostgreSQL ({shown})"
        print(f"export CHATSVC_TEST_DATABASE_URL={shlex.quote(url)}; CHATSVC_TEST_BACKENDS={shlex.quote(line)}")
    else:
        line = (f"backends: SQLite only; PostgreSQL at {shown} did not answer ({reason}). To run the PostgreSQL half "
                "too, start a PostgreSQL there or set CHATSVC_TEST_DATABASE_URL=postgresql+asyncpg://USER@HOST:PORT/DB")
        print(f"unset CHATSVC_TEST_DATABASE_URL; CHATSVC_TEST_BACKENDS={shlex.quote(line)}")


if __name__ == "__main__":
    main()
