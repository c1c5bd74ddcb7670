"""End to end with Google's own OAuth code: `chatsvc oauth-client create` prints a client_secrets.json,
google_auth_oauthlib's InstalledAppFlow (in the official client's environment) runs the authorization-code flow with
PKCE against a `chatsvc serve` process while a scripted browser signs in and allows on the real pages and follows
the redirect to the flow's local server; the resulting Credentials call the API over REST as that user and refresh
when expired; the refresh token still works after the server restarts; revoking stops refresh and access at once.

google_auth_oauthlib (oauthlib) insists on https unless OAUTHLIB_INSECURE_TRANSPORT is set: the plain-text loopback
server here needs it, as any local OAuth server does; with chatsvc's TLS it is not needed."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import aiohttp

from tests import server_process
from tests.helpers import official_python
from tests.oauth_server.browser import Browser
from tests.server_process import REPO, ServerProcess, mint_token

SCRIPT = Path(__file__).resolve().parent / "official_oauth.py"
TIMEOUT = 120.0


def _official_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")}
    env["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    return env


def _official(python: str, *args: str) -> dict:
    proc = subprocess.run([python, "-I", str(SCRIPT), *args], capture_output=True, text=True, timeout=TIMEOUT,
                          env=_official_env())
    assert proc.returncode == 0, f"{args[0]} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _create_client(database_url: str, public_url: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "chatsvc.cli", "oauth-client", "create", "--database", database_url,
                           "--public-url", public_url, "--name", "Chat sample", "--redirect-uri", "http://localhost"],
                          capture_output=True, text=True, timeout=60, cwd=REPO,
                          env={k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


async def _sign_in_when_asked(flow: asyncio.subprocess.Process, base: str) -> str:
    """Reads the flow's output until it prints the authorization URL, then plays the user's browser: the flow's
    local server gets the redirect. Returns the flow's last line."""
    lines = []
    while True:
        line = (await asyncio.wait_for(flow.stdout.readline(), TIMEOUT)).decode()
        assert line, f"the flow ended before asking:\n{''.join(lines)}\n{(await flow.stderr.read()).decode()}"
        lines.append(line)
        if line.startswith("AUTHORIZE "):
            break
    async with Browser(base) as browser:
        back = await browser.consent(line.split(" ", 1)[1].strip(), "alice@example.com")
    assert back.startswith("http://localhost:"), back
    async with aiohttp.ClientSession() as session, session.get(back) as response:
        assert response.status == 200  # the flow's local server: "The authentication flow has completed"
    out, err = await asyncio.wait_for(flow.communicate(), TIMEOUT)
    assert flow.returncode == 0, f"the flow exited {flow.returncode}:\n{out.decode()}\n{err.decode()}"
    return out.decode().strip().splitlines()[-1]


async def test_installed_app_flow_then_api_calls_refresh_restart_and_revocation(database_url, tmp_path,
                                                                                monkeypatch):
    python = official_python()
    server = ServerProcess(database_url, tmp_path / "serve-1.log")
    try:
        server.wait_serving()
        secrets = _create_client(database_url, server.media_url)
        assert set(secrets) == {"installed"}
        installed = secrets["installed"]
        assert (installed["auth_uri"], installed["token_uri"]) == (f"{server.media_url}/oauth2/auth",
                                                                  f"{server.media_url}/oauth2/token")
        (tmp_path / "client_secrets.json").write_text(json.dumps(secrets))
        creds = tmp_path / "token.json"
        flow = await asyncio.create_subprocess_exec(
            python, "-I", "-u", str(SCRIPT), "authorize", str(tmp_path / "client_secrets.json"), str(creds),
            server.media_url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=_official_env())
        result = json.loads(await _sign_in_when_asked(flow, server.media_url))
        assert result["messages"] == ["Hello from InstalledAppFlow"] and result["refreshed"], result
        assert result["has_refresh_token"] and result["sender"].startswith("users/"), result
        assert result["granted"] == sorted(["https://www.googleapis.com/auth/chat.spaces",
                                            "https://www.googleapis.com/auth/chat.messages"]), result
        saved = json.loads(creds.read_text())
        assert saved["client_secret"] == installed["client_secret"] and saved["token_uri"] == installed["token_uri"]
        assert server.terminate() == 0
        assert saved["refresh_token"] not in server.log() and saved["token"] not in server.log()

        # The refresh token is in the database: a new process (on the same ports, where token_uri points) honours it.
        ports = iter((server.port, int(server.media_url.rsplit(":", 1)[1])))
        monkeypatch.setattr(server_process, "free_port", lambda: next(ports))
        server = ServerProcess(database_url, tmp_path / "serve-2.log")
        server.wait_serving()
        assert _official(python, "refresh", str(creds), server.media_url) == {
            "spaces": ["Signed in with OAuth"], "refreshed": True}
        minted = mint_token(database_url, "alice@example.com")  # `chatsvc token` users keep working alongside
        async with aiohttp.ClientSession() as session, session.get(
                f"{server.media_url}/v1/spaces", headers={"Authorization": f"Bearer {minted}"}) as response:
            assert response.status == 200

        # Revoked as Google's web-server sample does it: refresh and access stop at once.
        assert _official(python, "revoke", str(creds), server.media_url) == {"status": 200}
        assert _official(python, "call", str(creds), server.media_url) == {"http_status": 401}
        refused = _official(python, "refresh", str(creds), server.media_url)
        assert "invalid_grant" in refused.get("refresh_error", ""), refused
    finally:
        server.terminate()
