"""`chatsvc webhook create --database URL --space spaces/X --name NAME [--avatar-url URL]` prints the webhook's
URL on its last line; a script posts to it while the server runs on that database. `list`, `rotate` and `revoke`
do the rest of a webhook's life from the command line (as the operator: no membership needed)."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from tests.webhooks.support import create_webhook, envelope, messages, post, space_of_alice_with_bob, url_parts


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")}
    env.update(extra)
    return env


async def chatsvc(*args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """`chatsvc webhook ...` in a process of its own (off the event loop, which serves the server meanwhile)."""
    def run():
        return subprocess.run([sys.executable, "-m", "chatsvc.cli", "webhook", *args], capture_output=True,
                              text=True, env=env or _env(), timeout=120)
    result = await asyncio.to_thread(run)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def last_line(result: subprocess.CompletedProcess) -> str:
    assert result.stdout.endswith("\n"), result.stdout
    return result.stdout.splitlines()[-1]


async def test_create_post_list_rotate_revoke(server, database_url):
    space = await space_of_alice_with_bob(server)
    created = await chatsvc("create", "--database", database_url, "--space", space, "--name", "Nightly build",
                            "--avatar-url", "https://example.com/ci.png", "--public-url", server.media_url)
    name, url = created.stdout.splitlines()
    base, key, _ = url_parts(url)
    assert base == f"{server.media_url}/v1/{space}/messages" and name == f"{space}/webhooks/{key}"

    reply = await post(url, {"text": "nightly: 1204 passed"})
    assert reply.status == 200, reply
    assert reply.json["sender"]["displayName"] == "Nightly build"
    [message] = await messages(server, space)
    assert (message.text, message.sender.display_name) == ("nightly: 1204 passed", "Nightly build")

    another = await create_webhook(server, space, "From the API")
    listed = await chatsvc("list", "--database", database_url, "--space", space)
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [(row[0], row[2]) for row in rows] == [(name, "Nightly build"), (another.name, "From the API")]
    assert rows[0][1] == message.sender.name

    rotated = last_line(await chatsvc("rotate", "--database", database_url, name, "--public-url", server.media_url))
    assert rotated != url and url_parts(rotated)[1] == key
    assert envelope(await post(url, {"text": "old url"}), 401)["status"] == "UNAUTHENTICATED"
    assert (await post(rotated, {"text": "new url"})).status == 200

    revoked = await chatsvc("revoke", "--database", database_url, name)
    assert last_line(revoked) == f"revoked {name}"
    assert envelope(await post(rotated, {"text": "after revoke"}), 401)["status"] == "UNAUTHENTICATED"
    assert [m.text for m in await messages(server, space)] == ["nightly: 1204 passed", "new url"]


async def test_the_public_url_comes_from_the_environment(server, database_url):
    space = await space_of_alice_with_bob(server)
    result = await chatsvc("create", "--database", database_url, "--space", space, "--name", "Env",
                           env=_env(CHATSVC_PUBLIC_URL=server.media_url + "/"))
    assert (await post(last_line(result), {"text": "via env"})).status == 200
    # Without one, the URL is where `chatsvc serve` would listen with this environment: the gRPC port + 1.
    default = await chatsvc("create", "--database", database_url, "--space", space, "--name", "Default",
                            env=_env(CHATSVC_LISTEN="127.0.0.1:6000"))
    assert last_line(default).startswith(f"http://127.0.0.1:6001/v1/{space}/messages?key=")


async def test_errors_are_one_line_on_stderr(server, database_url):
    missing = await chatsvc("create", "--database", database_url, "--space", "spaces/AAAAnosuch", "--name", "x",
                            check=False)
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.strip() == "chatsvc webhook create: Space `spaces/AAAAnosuch` not found."
    space = await space_of_alice_with_bob(server)
    unnamed = await chatsvc("create", "--database", database_url, "--space", space, "--name", " ", check=False)
    assert unnamed.returncode == 2 and "webhook.display_name" in unnamed.stderr
    revoke = await chatsvc("revoke", "--database", database_url, f"{space}/webhooks/nosuch", check=False)
    assert revoke.returncode == 2 and "not found" in revoke.stderr
