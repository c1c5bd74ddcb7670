"""app_events: the request headers a delivery sent; no ID token left in recorded event JSON (issue 17)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 05:48:46.149514

A column added in place on both backends (a server default, so existing rows read "": no headers recorded). Rows
recorded before this revision may hold the ID token an add-on event carries in its body
(`authorizationEventObject`): its values become "REDACTED", as chatsvc now records them.
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('app_events', sa.Column('request_headers', sa.Text(), server_default='', nullable=False))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, event_json FROM app_events "
                                "WHERE event_json LIKE '%authorizationEventObject%'")).all()
    for event_id, text in rows:
        try:
            event = json.loads(text)
        except ValueError:
            continue
        tokens = event.get("authorizationEventObject") if isinstance(event, dict) else None
        if isinstance(tokens, dict) and tokens:
            event["authorizationEventObject"] = {key: "REDACTED" for key in tokens}
            conn.execute(sa.text("UPDATE app_events SET event_json = :body WHERE id = :id"),
                         {"body": json.dumps(event, separators=(",", ":")), "id": event_id})


def downgrade() -> None:
    op.drop_column('app_events', 'request_headers')
