"""Revision 0008 on both backends: an add-on event's ID token recorded by an earlier build leaves the stored event
JSON (the rest of the event unchanged), and the new request_headers column reads as no headers."""
from __future__ import annotations

import json

from sqlalchemy import text

from chatsvc.storage import migrator
from chatsvc.storage.database import Database

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJjaGF0In0.c2lnbmF0dXJl"
EVENT = {"commonEventObject": {"hostApp": "CHAT"}, "authorizationEventObject": {"systemIdToken": TOKEN},
         "chat": {"messagePayload": {"message": {"text": "hi"}}}}


async def test_0008_redacts_an_id_token_recorded_before_it(database_url):
    db = Database(database_url)
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(migrator.upgrade, "0007")
            for event_id, body in (("withtoken", json.dumps(EVENT)), ("classic", '{"type":"MESSAGE"}')):
                await conn.execute(text(
                    "INSERT INTO app_events (id, app_name, event_type, space_id, message_id, user_id, event_time_us,"
                    " state, lease_owner, lease_until_us, event_json, outcome, status_code, latency_ms, reply, error,"
                    " reply_message_id, delivered_time_us) VALUES (:id, 'addon', 'MESSAGE', 'AAAA', '', 'u1', 1, 2,"
                    " '', 0, :body, 'no_reply', 200, 3, '', '', '', 4)"), {"id": event_id, "body": body})
        await db.migrate()
        async with db.transaction() as repos:
            redacted = await repos.app_deliveries.get("addon", "withtoken")
            classic = await repos.app_deliveries.get("addon", "classic")
        assert TOKEN not in redacted.event_json
        assert json.loads(redacted.event_json) == {**EVENT, "authorizationEventObject": {"systemIdToken": "REDACTED"}}
        assert classic.event_json == '{"type":"MESSAGE"}'
        assert redacted.request_headers == classic.request_headers == ()
    finally:
        await db.dispose()
