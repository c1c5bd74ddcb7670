"""Google's own libraries authenticate as a Chat app with a service-account key file that the server trusts, in a
process of their own, changed in nothing but the endpoint and the key file's token_uri (sa_flow.py): google-apps-chat
over REST with self-signed JWTs (scoped, and addressed to Chat's API), the same client exchanging a JWT-bearer
assertion at our /token, and google-api-python-client doing the same exchange. An untrusted key file gets 401 from
the API and `invalid_grant` from /token. On SQLite and PostgreSQL.

gRPC needs TLS before google-auth attaches credentials to a channel; that case belongs with `--tls-self-signed`.
"""
from __future__ import annotations

import asyncio
import json
import os
import re

import pytest
from google.chat.v1 import space_pb2

from chatsvc.auth.service_accounts import app_name_for
from tests.conftest import serving
from tests.helpers import official_python
from tests.service_accounts.keys import AUTH, new_key

FLOW = os.path.join(os.path.dirname(__file__), "sa_flow.py")
FLOW_TIMEOUT = 120.0
KEY = new_key("chat-app@chatsvc-e2e.iam.gserviceaccount.com")
UNTRUSTED = new_key("chat-app@somebody-else.iam.gserviceaccount.com")


def _env() -> dict[str, str]:
    # No Google client setting (GOOGLE_APPLICATION_CREDENTIALS, universe, mTLS, ...) and no proxy may steer the
    # libraries: only the endpoint and the key files differ from a call to Google.
    return {k: v for k, v in os.environ.items() if not k.startswith(("CHATSVC_", "GOOGLE_")) and k.lower() not in (
        "http_proxy", "https_proxy", "all_proxy", "no_proxy")}


async def _run(*command: str) -> dict:
    proc = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE, env=_env())
    try:
        out, err = await asyncio.wait_for(proc.communicate(), FLOW_TIMEOUT)
    except TimeoutError:
        proc.kill()
        out, err = await proc.communicate()
        pytest.fail(f"sa_flow.py still running after {FLOW_TIMEOUT}s\n--- stderr\n{err.decode()}", pytrace=False)
    assert proc.returncode == 0, f"sa_flow.py exited {proc.returncode}\n--- stderr\n{err.decode(errors='replace')}"
    return json.loads(out)


async def test_googles_libraries_authenticate_with_a_trusted_key_file(database_url, tmp_path):
    python = official_python()
    key_file, untrusted_file = tmp_path / "key.json", tmp_path / "untrusted.json"
    KEY.write(key_file)
    async with serving(database_url, trusted_service_accounts=(str(key_file),)) as server:
        token_uri = f"{server.media_url}/token"
        KEY.write(key_file, token_uri=token_uri)  # pointed at us once the port is known; the server kept no file
        UNTRUSTED.write(untrusted_file, token_uri=token_uri)
        s = await _run(python, "-I", FLOW, server.media_url, str(key_file), str(untrusted_file))

        self_signed, exchanged = s["gapic_self_signed"], s["gapic_token_endpoint"]
        # What went over the wire: a self-signed RS256 JWT of the key, or one of our access tokens from /token.
        assert self_signed["token"] == {"alg": "RS256", "kid": KEY.private_key_id, "iss": KEY.client_email,
                                        "sub": KEY.client_email, "aud": None, "kind": None,
                                        "scope": f"{AUTH}chat.app.spaces.create {AUTH}chat.bot"}
        assert s["gapic_audience"]["token"] == {**self_signed["token"], "aud": "https://chat.googleapis.com/",
                                                "scope": None}
        app = app_name_for(KEY.client_email)
        assert app == "chat-app.chatsvc-e2e"
        for path in (exchanged, s["discovery"]):
            assert path["token"] == {"alg": "HS256", "kid": None, "iss": "chatsvc", "aud": "chat.googleapis.com",
                                     "sub": app, "kind": "app",
                                     "scope": f"{AUTH}chat.app.spaces.create {AUTH}chat.bot"}, path

        # Each path ran the app's lifecycle as the same Chat app: the sender is its bot user.
        senders = {self_signed["sender"], exchanged["sender"], s["discovery"]["sender"]["name"]}
        assert len(senders) == 1 and re.fullmatch(r"users/\d+", senders.pop())
        for path in (self_signed, exchanged):
            assert (path["text"], path["sender_type"], path["listed"]) == ("from the service account", "BOT", True)
            assert path["message"].startswith(path["space"] + "/messages/")
        assert s["discovery"]["listed"] and s["discovery"]["sender"]["type"] == "BOT"
        # Addressed to the API without scopes: chat.bot, which lists the app's spaces but cannot create one.
        assert s["gapic_audience"]["listed"] is True
        assert s["gapic_audience"]["create_space"] == {"http": 403, "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                                                       "status": "PERMISSION_DENIED"}

        # The untrusted key: 401 from the API; invalid_grant from /token, and nothing granted.
        assert s["untrusted_self_signed"] == {"http": 401, "reason": "INVALID_TOKEN", "status": "UNAUTHENTICATED"}
        refused = s["untrusted_token_endpoint"]
        assert refused["refresh_error"] == "invalid_grant: Invalid grant: account not found", refused
        assert refused["response"] == {"error": "invalid_grant",
                                       "error_description": "Invalid grant: account not found"}

        # The server side agrees on who called: the app named after the service account sees the spaces it made.
        spaces = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(),
                                              metadata=server.md(app=app, scopes=("chat.bot",)))
        assert {self_signed["space"], exchanged["space"], s["discovery"]["space"]} <= {sp.name for sp in spaces.spaces}
