"""The chat page survives a server crash: alice and bob have a space open in two browser contexts; the server
process is killed (SIGKILL, no goodbye on the live stream) and started again on the same ports and database.
Neither page reloads: each live stream reconnects with its last event id, the tokens the pages hold stay valid
(they are signed with the key kept in the database), and every message shows exactly once on both pages: those
from before the crash, those carol posted through the REST API while the pages were still reconnecting (delivered
by the resume), and those sent after it, by the live stream and from the page itself."""
from __future__ import annotations

import asyncio
import os
import time
from unittest import mock

import pytest
from playwright.async_api import expect

from chatsvc.app import open_database, signing_key
from chatsvc.auth.tokens import TokenService
from chatsvc.config import Settings
from tests import server_process
from tests.browser.support import signed_in_user
from tests.conftest import BACKENDS, fresh_database_url
from tests.http.rest_support import CHAT_SCOPES, call, new_message, new_space
from tests.server_process import ServerProcess

RESUMED_MS = 8000  # the page retries every <= 2 s; a loaded 2-core machine gets the rest as margin
LIVE_MS = 2000
LIVE_PATH = "/v1/live/events"


async def token_service(url: str) -> TokenService:
    db = await open_database(Settings(database_url=url))  # migrates, and makes the key every process will use
    try:
        return TokenService(await signing_key(db, os.environ.get("CHATSVC_SIGNING_KEY")))
    finally:
        await db.dispose()


async def started(server: ServerProcess) -> ServerProcess:
    await asyncio.to_thread(server.wait_serving)
    return server


def restarted(server: ServerProcess, log_name: str) -> ServerProcess:
    """A new process on `server`'s gRPC and HTTP ports, database and data directory (the log's directory)."""
    ports = [server.port, int(server.media_url.rsplit(":", 1)[1])]  # ServerProcess asks for gRPC's port first
    with mock.patch.object(server_process, "free_port", side_effect=ports):
        again = ServerProcess(server.proc.args[server.proc.args.index("--database") + 1],
                              server.log_path.parent / log_name)
    assert (again.target, again.media_url) == (server.target, server.media_url)
    return again


def texts(page, text: str):
    return page.locator(".conversation-main .messages > li.message .text", has_text=text)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_both_pages_resume_after_the_server_is_killed(backend, browser, tmp_path):
    async with fresh_database_url(backend, tmp_path) as url:
        tokens = await token_service(url)
        carol = tokens.mint(user="carol@example.com", scopes=list(CHAT_SCOPES))
        servers = [await started(ServerProcess(url, tmp_path / "server-1.log"))]
        users = []
        try:
            base = servers[0].media_url
            space = (await new_space(servers[0], carol, displayName="Crash"))["name"]
            for email in ("alice@example.com", "bob@example.com"):
                reply = await call(servers[0], "POST", f"/v1/{space}/members", token=carol,
                                   body={"member": {"name": f"users/{email}", "type": "HUMAN"}})
                assert reply.status == 200, reply
            users = [await signed_in_user(browser, base, email) for email in ("alice@example.com", "bob@example.com")]
            alice, bob = users
            for user in users:
                await user.page.get_by_role("navigation").get_by_role("button", name="Crash").click()
                await expect(user.page.get_by_role("heading", name="Crash")).to_be_visible()
                await expect(user.page.locator(".live")).to_have_text("Live")

            async def say(user, text: str) -> None:
                box = user.page.get_by_role("textbox", name="Message Crash")
                await box.fill(text)
                await box.press("Enter")
                await expect(texts(user.page, text)).to_have_count(1)  # stored: the next one comes after it

            sent = ["alice before", "bob before"]
            await say(alice, sent[0])
            await say(bob, sent[1])
            sent.append((await new_message(servers[0], carol, space, "carol before"))["text"])
            for user in users:
                for text in sent:
                    await expect(texts(user.page, text)).to_have_count(1, timeout=LIVE_MS)

            assert [user.errors for user in users] == [[], []]
            # What a killed server may make Chromium log, and nothing else: network errors of the live stream (its
            # response cut off, its retries refused or reset) and of any request that met the server dying or down
            # (e.g. the read state a page stores on seeing carol's message, when a loaded machine sends it late).
            down, lost = [True], {user.email: [] for user in users}

            def network_error(message, mine: list) -> None:
                url = message.location.get("url", "")
                if message.type == "error" and message.text.startswith("Failed to load resource: net::ERR_") and (
                        down[0] or url.endswith(LIVE_PATH)):
                    mine.append(f"{message.text} {url}")
            for user in users:
                user.page.on("console", lambda message, mine=lost[user.email]: network_error(message, mine))
            servers[0].kill()
            for user in users:  # the page notices: its stream ended and retries fail
                await expect(user.page.locator(".live")).to_have_text("Connecting…", timeout=LIVE_MS)

            # The pages' reconnects wait at the door until carol has posted on the new process, so that her
            # messages can only come through the resume (Last-Event-ID), not as live events.
            door, knocks = asyncio.Event(), {user.email: [] for user in users}

            def holding(user):
                async def held(route):
                    knocks[user.email].append(route.request.headers.get("last-event-id"))
                    await door.wait()
                    await route.continue_()
                return held
            holds = [holding(user) for user in users]
            for user, held in zip(users, holds):
                await user.context.route("**" + LIVE_PATH, held)
            servers.append(await started(restarted(servers[0], "server-2.log")))
            down[0] = False
            for i in range(3):
                sent.append((await new_message(servers[1], carol, space, f"carol while away {i}"))["text"])
            deadline = time.monotonic() + 5  # the pages retry every <= 2 s
            while not all(knocks.values()) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            # Each page is back at the door, resuming from the id of an event it saw.
            assert all(ids and all(ids) for ids in knocks.values()), knocks
            answers = {user.email: [] for user in users}  # the HTTP statuses of the streams reopened
            for user, held in zip(users, holds):
                await user.context.unroute("**" + LIVE_PATH, held)
                user.page.on("response", lambda response, mine=answers[user.email]: mine.append(response.status)
                             if response.url.endswith(LIVE_PATH) else None)
            up = time.monotonic()
            door.set()
            for user in users:
                await expect(user.page.locator(".live")).to_have_text("Live", timeout=RESUMED_MS)
                for text in sent:
                    await expect(texts(user.page, text)).to_have_count(1, timeout=RESUMED_MS)
            resumed = time.monotonic() - up
            # Resumed, not started afresh: a refused resume is a 400 (then the page would reload what it shows).
            assert all(statuses and set(statuses) == {200} for statuses in answers.values()), answers
            # Live again, both ways: the pages' tokens are still good for writing, and the stream delivers.
            await say(alice, "alice after")
            await say(bob, "bob after")
            sent += ["alice after", "bob after"]
            sent.append((await new_message(servers[1], carol, space, "carol after"))["text"])
            for user in users:
                for text in sent:
                    await expect(texts(user.page, text)).to_have_count(1, timeout=LIVE_MS)
                # Every message once, in the order sent (a duplicate or a reordering would show here).
                shown = await user.page.locator(".conversation-main .messages > li.message .text").all_inner_texts()
                assert shown == sent, (user.email, shown)
            print(f"both pages resumed {resumed * 1000:.0f} ms after their reconnects went through")

            for user in users:
                assert len(user.errors) == len(lost[user.email]), (user.email, user.errors, lost[user.email])
        finally:
            for user in users:
                await user.close()
            for server in servers:
                server.kill()
