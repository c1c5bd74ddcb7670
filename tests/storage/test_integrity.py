"""storage/integrity.py: an intact database reports nothing; a broken invariant is named."""
from __future__ import annotations

from google.chat.v1 import message_pb2
from sqlalchemy import text

from chatsvc.storage.integrity import integrity_problems
from tests.helpers import new_space

SCOPES = ("chat.spaces", "chat.messages")


async def test_a_fresh_database_is_intact(db):
    assert await integrity_problems(db) == []


async def test_a_message_without_its_thread_is_reported(server):
    md = server.md(user="ann@example.com", scopes=SCOPES)
    space = await new_space(server, md)
    await server.chat.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message_pb2.Message(text="hello")), metadata=md)
    db = server.running.db
    assert await integrity_problems(db) == []
    async with db.engine.begin() as conn:
        await conn.execute(text("UPDATE messages SET thread_id = 'missing'"))
    problems = await integrity_problems(db)
    assert len(problems) == 1 and problems[0].startswith("a message whose thread"), problems
