"""End to end: a real `chatsvc serve` process, called by Google's official Python client in another process.

The server runs as `python -m chatsvc.cli serve` on a free port with a fresh database (SQLite, and
PostgreSQL when CHATSVC_TEST_DATABASE_URL is set: the `database_url` fixture parametrises this test);
tokens come from `chatsvc token` on the same database. official_flow.py then runs under the official
client's interpreter (CHATSVC_OFFICIAL_PYTHON, default .venv-official/bin/python) in isolated mode, so that
neither google.chat.v1 in protobuf's default pool nor its google.apps.card package meets ours. At the end the
server gets SIGTERM and must exit 0 within its grace period.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.helpers import USER_SCOPES, official_python
from tests.server_process import GRACE_SECONDS, ServerProcess, mint_token

REPO = Path(__file__).resolve().parents[2]
FLOW = Path(__file__).resolve().parent / "official_flow.py"
CONVERSATIONS = FLOW.parent / "official_conversations.py"
FEATURES = FLOW.parent / "official_features.py"
FLOW_TIMEOUT = 120.0


def run_flow(python: str, target: str, alice: str, bob: str, script: Path = FLOW,
             *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")}
    env.update(CHATSVC_E2E_TOKEN=alice, CHATSVC_E2E_BOB_TOKEN=bob)
    # -I: isolated mode, so neither this repo's generated/ nor PYTHONPATH can shadow the official packages.
    return subprocess.run([python, "-I", str(script), target, *extra], capture_output=True, text=True,
                          timeout=FLOW_TIMEOUT, cwd=FLOW.parent, env=env)


def test_official_client_end_to_end(database_url, tmp_path):
    python = official_python()
    server = ServerProcess(database_url, tmp_path / "chatsvc-serve.log")
    status = "not stopped"
    try:
        server.wait_serving()
        alice = mint_token(database_url, "alice@example.com")
        bob = mint_token(database_url, "bob@example.com")

        flow = run_flow(python, server.target, alice, bob)

        assert flow.returncode == 0, (
            f"official_flow.py exited {flow.returncode}\n--- stderr\n{flow.stderr}\n--- stdout\n{flow.stdout}"
            f"\n--- server log\n{server.log()}")
        summary = json.loads(flow.stdout)
        space = summary["space"]
        assert space.startswith("spaces/")
        assert summary["messages_created"] == summary["messages_listed"] == 30
        assert summary["bob_messages"] == 30
        assert summary["page_sizes"] == [7, 7, 7, 7, 2]
        assert len(summary["memberships"]) == 2
        assert all(m.startswith(f"{space}/members/") and "@" not in m for m in summary["memberships"])
        assert all(u.startswith("users/") and "@" not in u for u in summary["members"])
        assert summary["got_message"].startswith(f"{space}/messages/")
        assert summary["thread"].startswith(f"{space}/threads/")
        assert summary["spaces_listed"] >= 1
        assert "not_found" in summary
    finally:
        status = server.terminate()
    assert status == 0, f"chatsvc serve did not exit 0 within {GRACE_SECONDS}s of SIGTERM (status {status}):\n" \
                        f"{server.log()}"


def test_official_client_conversations(database_url, tmp_path):
    """Threads, idempotent retries, client ids, paging past 1,000 messages and DM set-up (issue 3)."""
    python = official_python()
    server = ServerProcess(database_url, tmp_path / "chatsvc-serve.log")
    try:
        server.wait_serving()
        flow = run_flow(python, server.target, mint_token(database_url, "alice@example.com"),
                        mint_token(database_url, "bob@example.com"), CONVERSATIONS)
        assert flow.returncode == 0, (
            f"official_conversations.py exited {flow.returncode}\n--- stderr\n{flow.stderr}\n--- stdout\n"
            f"{flow.stdout}\n--- server log (tail)\n{server.log()[-5000:]}")
        summary = json.loads(flow.stdout)
        assert summary["messages_paged"] == 1023 and summary["page_sizes"] == [1000, 23]
        assert summary["dm"].startswith("spaces/") and summary["dm"] != summary["space"]
    finally:
        status = server.terminate()
    assert status == 0, f"chatsvc serve did not exit 0 after SIGTERM (status {status})"


def test_official_client_reactions_pins_media_read_state_and_events(database_url, tmp_path):
    """React, pin, upload through the media endpoint and download byte-identical, mark read, and list the
    space events all of it produced (issue 4)."""
    python = official_python()
    server = ServerProcess(database_url, tmp_path / "chatsvc-serve.log")
    scopes = (*USER_SCOPES, "chat.users.readstate")
    try:
        server.wait_serving()
        flow = run_flow(python, server.target, mint_token(database_url, "alice@example.com", scopes),
                        mint_token(database_url, "bob@example.com", scopes), FEATURES, server.media_url)
        assert flow.returncode == 0, (
            f"official_features.py exited {flow.returncode}\n--- stderr\n{flow.stderr}\n--- stdout\n"
            f"{flow.stdout}\n--- server log (tail)\n{server.log()[-5000:]}")
        summary = json.loads(flow.stdout)
        assert summary["bytes"] == 3 * 1024 * 1024 + 17
        assert summary["events"].count("message.v1.created") == 2
    finally:
        status = server.terminate()
    assert status == 0, f"chatsvc serve did not exit 0 after SIGTERM (status {status})"
