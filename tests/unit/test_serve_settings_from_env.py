"""`chatsvc serve` reads every group of settings from CHATSVC_<NAME> (limits, the OAuth server, app events)."""
from __future__ import annotations

import chatsvc.app
from chatsvc.cli import main


def test_serve_reads_grouped_settings_from_the_environment(monkeypatch):
    seen = {}

    async def fake_serve(settings):
        seen["settings"] = settings

    monkeypatch.setattr(chatsvc.app, "serve", fake_serve)
    monkeypatch.setenv("CHATSVC_APP_EVENT_TIMEOUT_SECONDS", "7.5")
    monkeypatch.setenv("CHATSVC_APP_EVENTS_ENABLED", "false")
    monkeypatch.setenv("CHATSVC_CALL_TIMEOUT_SECONDS", "12")
    monkeypatch.setenv("CHATSVC_OAUTH_SERVER_CODE_SECONDS", "90")
    assert main(["serve", "--database", "sqlite+aiosqlite:///unused.db"]) == 0
    settings = seen["settings"]
    assert (settings.app_event_timeout_seconds, settings.app_events_enabled) == (7.5, False)
    assert settings.call_timeout_seconds == 12.0
    assert settings.oauth_server_code_seconds == 90
