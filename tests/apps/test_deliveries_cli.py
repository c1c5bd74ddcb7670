"""`chatsvc app deliveries --database URL --app NAME [--limit N] [--json] [--follow]` on the server's database: the
newest deliveries oldest first, one line each; JSON lines as GetDelivery answers; an unknown app refused with exit
code 2; and `--follow`, a child process printing each delivery as it finishes until SIGINT ends it with 0."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import sys

from chatsvc.apps.v1 import app_service_pb2 as pb
from tests.apps import test_deliveries
from tests.apps.support import md, stub
from tests.apps.test_cli import cli
from tests.apps.test_deliveries import BOT

world = test_deliveries.world  # the module's server, app endpoint and DM, one per backend


async def test_listing_json_and_unknown_app(world):
    await world.post("first")
    await world.post("boom")
    failed, replied = await world.settled(2)
    db = ("--database", world.database_url)

    lines = (await cli("app", "deliveries", *db, "--app", BOT)).stdout.splitlines()
    assert len(lines) == 2
    older, newer = (line.split("\t") for line in lines)
    assert older[1:4] == ["MESSAGE", "replied", "200"] and older[5] == replied.reply_message
    assert older[0].endswith("Z") and older[4] == f"{replied.latency_ms} ms"
    assert newer[1:4] == ["MESSAGE", "failed", "500"] and "500" in newer[5]

    [only] = (await cli("app", "deliveries", *db, "--app", f"apps/{BOT}", "--limit", "1", "--json")).stdout.splitlines()
    got = await stub(world.server).GetDelivery(pb.GetDeliveryRequest(name=failed.name), metadata=md(world.server))
    assert json.loads(only)["name"] == got.name and json.loads(only)["outcome"] == "FAILED"
    assert json.loads(only)["requestHeaders"] == dict(got.request_headers) == {
        "Authorization": "Bearer REDACTED", "User-Agent": "Google-Dynamite",
        "Content-Type": "application/json; charset=UTF-8"}
    assert not any(auth.removeprefix("Bearer ") in only for auth in world.endpoint.authorizations)

    unknown = await cli("app", "deliveries", *db, "--app", "no-such-bot", check=False)
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr.strip() == "chatsvc app deliveries: App `apps/no-such-bot` not found."


async def test_follow_prints_deliveries_as_they_finish(world):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")}
    sent = await world.post("before")
    await world.settled(1)
    before = (await world.listed(page_size=1000)).deliveries
    assert before[0].message == sent.name
    follow = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "chatsvc.cli", "app", "deliveries", "--database", world.database_url, "--app", BOT,
        "--limit", "1", "--follow", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)
    try:
        first = (await asyncio.wait_for(follow.stdout.readline(), 60)).decode().rstrip("\n").split("\t")
        assert first[1:4] == ["MESSAGE", "replied", "200"] and first[5] == before[0].reply_message  # --limit 1
        await world.post("boom")
        line = (await asyncio.wait_for(follow.stdout.readline(), 30)).decode().rstrip("\n").split("\t")
        assert line[1:4] == ["MESSAGE", "failed", "500"]
        await world.post("followed")
        line = (await asyncio.wait_for(follow.stdout.readline(), 30)).decode().rstrip("\n").split("\t")
        newest = (await world.settled(len(before) + 2))[0]
        assert line[1:4] == ["MESSAGE", "replied", "200"] and line[5] == newest.reply_message
        follow.send_signal(signal.SIGINT)
        rest, errors = await asyncio.wait_for(follow.communicate(), 30)
        assert follow.returncode == 0, errors
        assert rest == b""  # each delivery printed once
    finally:
        if follow.returncode is None:
            follow.kill()
            await follow.wait()


def test_serve_takes_retention_bounds_from_flags_and_environment(monkeypatch):
    import chatsvc.app
    from chatsvc.cli import main

    seen = []

    async def fake_serve(settings):
        seen.append(settings)

    monkeypatch.setattr(chatsvc.app, "serve", fake_serve)
    monkeypatch.setenv("CHATSVC_APP_EVENT_RETENTION_DAYS", "2.5")
    monkeypatch.setenv("CHATSVC_APP_EVENT_RETENTION_COUNT", "50")
    db = ("--database", "sqlite+aiosqlite:///unused.db")
    assert main(["serve", *db]) == 0
    assert main(["serve", *db, "--app-event-retention-count", "0", "--app-event-retention-days", "30"]) == 0
    assert [(s.app_event_retention_days, s.app_event_retention_count) for s in seen] == [(2.5, 50), (30.0, 0)]
