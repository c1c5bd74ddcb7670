"""A trusted service-account key, attacked over real sockets: the token endpoint (POST /token, the JWT-bearer grant)
and self-signed JWTs as bearer tokens on REST. Each forged, misaddressed, expired or malformed JWT is refused with the
error Google's endpoints give (RFC 6749 JSON at /token; UNAUTHENTICATED in Google's JSON error with an ErrorInfo on
the API), and nothing is granted; the genuine ones work, including a replayed assertion. gRPC gets the same bearer
attacks in tests/auth/test_token_attacks.py; Google's own libraries drive the key in test_official_clients.py."""
from __future__ import annotations

import json
import time

import aiohttp
import pytest

from chatsvc.auth.service_accounts import app_name_for
from chatsvc.auth.tokens import EXPIRED_TOKEN_MESSAGE, INVALID_TOKEN_MESSAGE, LEEWAY_SECONDS
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.http.rest_support import call, envelope
from tests.service_accounts.keys import AUTH, hs256, new_key, tampered

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TRUSTED = new_key()
OTHER_OF_SAME_ACCOUNT = new_key(TRUSTED.client_email)  # a real key of the account, but not one trusted
UNTRUSTED = new_key("intruder@chatsvc-test.iam.gserviceaccount.com")
BAD_SIGNATURE = {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
NO_ACCOUNT = {"error": "invalid_grant", "error_description": "Invalid grant: account not found"}
BAD_TIMES = {"error": "invalid_grant", "error_description": "Invalid JWT: Token must be a short-lived token (60 "
             "minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."}
BAD_SCOPE = {"error": "invalid_scope", "error_description": "Invalid OAuth scope or ID token audience provided."}


@pytest.fixture(scope="module", params=BACKENDS)
async def sa_server(request, tmp_path_factory):
    directory = tmp_path_factory.mktemp("sa")
    key_file = TRUSTED.write(directory / "key.json")
    async with (fresh_database_url(request.param, directory) as url,
                serving(url, trusted_service_accounts=(str(key_file),)) as harness):
        yield harness


async def post_token(server, data: str | bytes, headers=FORM):
    async with (aiohttp.ClientSession() as session,
                session.post(f"{server.media_url}/token", data=data, headers=headers) as response):
        return response.status, response.headers, await response.read()


def form(assertion=None, grant_type=JWT_BEARER) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in (("grant_type", grant_type), ("assertion", assertion)) if v is not None})


async def list_spaces(server, token: str):
    return await call(server, "GET", "/v1/spaces", token=token)


async def test_the_token_endpoint_grants_only_genuine_assertions(sa_server):
    now = int(time.time())
    ours = f"{sa_server.media_url}/token"
    app = app_name_for(TRUSTED.client_email)

    # Genuine: google-auth's assertion (Google's audience), replayed; our own token URL; Node gtoken's (no kid).
    genuine = TRUSTED.assertion(scope=f"{AUTH}chat.bot {AUTH}chat.app.spaces.create {AUTH}not-a-scope-of-ours")
    for assertion in (genuine, genuine, TRUSTED.assertion(aud=ours),
                      TRUSTED.assertion(header={"alg": "RS256", "typ": "JWT"}),
                      TRUSTED.assertion(sub=TRUSTED.client_email)):
        status, headers, body = await post_token(sa_server, form(assertion))
        assert status == 200, body
        answer = json.loads(body)
        assert set(answer) == {"access_token", "expires_in", "token_type"}, answer
        assert (answer["expires_in"], answer["token_type"]) == (3599, "Bearer")
        assert headers["Cache-Control"] == "no-store"
        principal = sa_server.running.tokens.verify(answer["access_token"])
        assert (principal.kind.value, principal.app) == ("app", app)
        assert principal.scopes <= {AUTH + "chat.bot", AUTH + "chat.app.spaces.create"}, principal.scopes
        assert (await list_spaces(sa_server, answer["access_token"])).status == 200
    assert principal.scopes == {AUTH + "chat.bot"}  # the last one asked for chat.bot alone

    refusals = {
        # the grant type and the form
        "no grant_type": (form(genuine, grant_type=None),
                          {"error": "unsupported_grant_type", "error_description": "Invalid grant_type: "}),
        "password grant": (form(genuine, grant_type="password"),
                           {"error": "unsupported_grant_type", "error_description": "Invalid grant_type: password"}),
        "no assertion": (form(), {"error": "invalid_request",
                                  "error_description": "Missing required parameter: assertion"}),
        "empty assertion": (form(""), {"error": "invalid_request",
                                       "error_description": "Missing required parameter: assertion"}),
        "grant_type twice": (form(genuine) + "&grant_type=" + JWT_BEARER, "invalid_request"),
        # signatures and keys
        "another key, the trusted kid": (TRUSTED.assertion(sign=UNTRUSTED.sign), BAD_SIGNATURE),
        "another key of the account, the trusted kid": (TRUSTED.assertion(sign=OTHER_OF_SAME_ACCOUNT.sign),
                                                        BAD_SIGNATURE),
        "untrusted key file": (UNTRUSTED.assertion(), NO_ACCOUNT),
        "untrusted key, no kid": (UNTRUSTED.assertion(header={"alg": "RS256"}), NO_ACCOUNT),
        "alg none": (TRUSTED.assertion(header={"alg": "none", "kid": TRUSTED.private_key_id}, sign=lambda d: b""),
                     BAD_SIGNATURE),
        "HS256 with the public key as secret": (TRUSTED.assertion(
            header={"alg": "HS256", "kid": TRUSTED.private_key_id}, sign=hs256(TRUSTED.public_pem())), BAD_SIGNATURE),
        "claims tampered, signature kept": (tampered(genuine, scope=AUTH + "chat.app.delete"), BAD_SIGNATURE),
        "another account's email, the trusted kid": (TRUSTED.assertion(iss=UNTRUSTED.client_email), NO_ACCOUNT),
        "garbage": ("not.a.jwt", BAD_SIGNATURE),
        # what the assertion says
        "the API's audience": (TRUSTED.assertion(aud="https://chat.googleapis.com/"), "invalid_grant"),
        "no audience": (TRUSTED.assertion(aud=...), "invalid_grant"),
        "expired": (TRUSTED.assertion(iat=now - 4000, exp=now - 400), BAD_TIMES),
        "living longer than an hour": (TRUSTED.assertion(exp=now + 3601 + LEEWAY_SECONDS), BAD_TIMES),
        "issued in the future": (TRUSTED.assertion(iat=now + 600, exp=now + 1200), BAD_TIMES),
        "no exp": (TRUSTED.assertion(exp=...), BAD_TIMES),
        "impersonating a user (domain-wide delegation)": (
            TRUSTED.assertion(sub="alice@example.com"),
            {"error": "unauthorized_client", "error_description": "Client is unauthorized to retrieve access tokens "
             "using this method, or client not authorized for any of the scopes requested."}),
        "no scope": (TRUSTED.assertion(scope=...), BAD_SCOPE),
        "empty scope (google-auth without scopes)": (TRUSTED.assertion(scope=""), BAD_SCOPE),
        "only scopes we do not know": (TRUSTED.assertion(scope="https://www.googleapis.com/auth/cloud-platform"),
                                       BAD_SCOPE),
        "scope as a list": (TRUSTED.assertion(scope=[AUTH + "chat.bot"]), BAD_SCOPE),
    }
    wrong = []
    for name, (data, expected) in refusals.items():
        if not data.startswith(("grant_type=", "assertion=")):
            data = form(data)
        status, headers, body = await post_token(sa_server, data)
        answer = json.loads(body)
        shape_ok = status == 400 and set(answer) == {"error", "error_description"} and \
            headers["Cache-Control"] == "no-store"
        matches = answer == expected if isinstance(expected, dict) else answer.get("error") == expected
        if not (shape_ok and matches):
            wrong.append(f"{name}: {status} {answer}")
    assert wrong == [], "\n".join(wrong)
    audience = json.loads((await post_token(sa_server, form(TRUSTED.assertion(aud="https://x.example/token"))))[2])
    assert audience["error_description"] == f"Invalid JWT: Failed audience check. The right audience is {ours}"

    # Not a form, or not a POST: refused before any grant is looked at.
    status, _, body = await post_token(sa_server, json.dumps({"grant_type": JWT_BEARER, "assertion": genuine}),
                                       headers={"Content-Type": "application/json"})
    assert (status, json.loads(body)["error"]) == (400, "invalid_request")
    reply = await call(sa_server, "GET", "/token", query=form(genuine))
    assert reply.status == 405 and "access_token" not in reply.body.decode()


async def test_self_signed_jwts_as_bearer_tokens_over_rest(sa_server):
    now = int(time.time())
    base = sa_server.media_url
    # Genuine: with a scope (no audience), with Chat's audience and no scope (chat.bot), with our public URL.
    # Without a kid (Node's google-auth-library given `credentials: {client_email, private_key}`): the issuer's key.
    for token in (TRUSTED.self_signed(), TRUSTED.self_signed(scope=..., aud="https://chat.googleapis.com/"),
                  TRUSTED.self_signed(scope=..., aud=base + "/"),
                  TRUSTED.self_signed(header={"typ": "JWT", "alg": "RS256"})):
        reply = await list_spaces(sa_server, token)
        assert reply.status == 200, reply
    principal = sa_server.running.tokens.verify(TRUSTED.self_signed(scope=..., aud="https://chat.googleapis.com/"))
    assert (principal.app, principal.scopes) == (app_name_for(TRUSTED.client_email), {AUTH + "chat.bot"})

    remembered = sa_server.running.tokens.remembered
    invalid = {
        "another key, the trusted kid": TRUSTED.self_signed(sign=UNTRUSTED.sign),
        "another key, no kid, the trusted issuer": TRUSTED.self_signed(header={"typ": "JWT", "alg": "RS256"},
                                                                       sign=UNTRUSTED.sign),
        "untrusted key file": UNTRUSTED.self_signed(),
        "alg none": TRUSTED.self_signed(header={"alg": "none", "kid": TRUSTED.private_key_id}, sign=lambda d: b""),
        "HS256 with the public key as secret": TRUSTED.self_signed(
            header={"alg": "HS256", "kid": TRUSTED.private_key_id}, sign=hs256(TRUSTED.public_pem())),
        "an assertion meant for the token endpoint": TRUSTED.assertion(sub=TRUSTED.client_email),
        "an assertion without sub": TRUSTED.assertion(),
        "wrong audience": TRUSTED.self_signed(scope=..., aud="https://gmail.googleapis.com/"),
        "neither scope nor audience": TRUSTED.self_signed(scope=...),
        "another subject": TRUSTED.self_signed(sub="alice@example.com"),
        "another issuer": TRUSTED.self_signed(iss=UNTRUSTED.client_email, sub=UNTRUSTED.client_email),
        "living longer than an hour": TRUSTED.self_signed(exp=now + 7200),
        "issued in the future": TRUSTED.self_signed(iat=now + 600, exp=now + 1200),
        "tampered scope": tampered(TRUSTED.self_signed(), scope=AUTH + "chat.app.spaces.create"),
    }
    wrong = []
    for name, token in invalid.items():
        reply = await list_spaces(sa_server, token)
        details = envelope(reply, 401) if reply.status == 401 else {}
        if (details.get("ErrorInfo", {}).get("reason"), details.get("message")) != ("INVALID_TOKEN",
                                                                                   INVALID_TOKEN_MESSAGE):
            wrong.append(f"{name}: {reply}")
        elif reply.headers.get("WWW-Authenticate") != "Bearer":
            wrong.append(f"{name}: no WWW-Authenticate")
    assert wrong == [], "\n".join(wrong)
    expired = envelope(await list_spaces(sa_server, TRUSTED.self_signed(iat=now - 4000, exp=now - 400)), 401)
    assert (expired["ErrorInfo"]["reason"], expired["message"]) == ("EXPIRED_TOKEN", EXPIRED_TOKEN_MESSAGE)
    assert sa_server.running.tokens.remembered == remembered  # no refused token was remembered
    # A scope app authentication cannot use grants nothing.
    denied = envelope(await list_spaces(sa_server, TRUSTED.self_signed(scope=AUTH + "chat.spaces")), 403)
    assert denied["ErrorInfo"]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
