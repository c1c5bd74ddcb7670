"""chatsvc's identity towards Chat apps (chatsvc.events.identity, chatsvc.http.google_certs), over real sockets:

- what `running.event_identity.id_token_for(audience)` issues is verified by google-auth (under .venv-official, in
  verify_tokens.py) the way Google's "Verify requests from Google Chat" has apps verify Google Chat's tokens, against
  the certificate URLs chatsvc serves at Google's paths: the ID token of an endpoint-URL audience, the JWT of a
  project-number audience; a wrong audience, another key, an unknown key id and an expired token are refused;
- the JWKS works with PyJWT's PyJWKClient;
- the key is made on first use (a server that never needs it writes nothing), survives a restart (same kid), its file
  is 0600 in a 0700 directory and never logged; several processes starting together on one data directory end with one
  key; an unusable key file stops the start.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from chatsvc.app import start
from chatsvc.config import Settings
from chatsvc.events.identity import (
    CHAT_ACCOUNT_ID,
    CHAT_SERVICE_ACCOUNT,
    EVENTS_DIR,
    GOOGLE_ISSUER,
    EventIdentity,
    IdentityError,
    SigningKey,
)
from chatsvc.http.google_certs import JWK_PATH, OAUTH2_CERTS_PATH, X509_PATH
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.helpers import REPO, official_python

VERIFIER = Path(__file__).resolve().parent / "verify_tokens.py"
APP_URL = "https://chat-app.example.com/events"
PROJECT_NUMBER = "1234567890"
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module", params=BACKENDS)
async def events_server(request, tmp_path_factory):
    async with (fresh_database_url(request.param, tmp_path_factory.mktemp("events")) as url,
                serving(url) as harness):
        yield harness


def run_verifier(base: str, cases: list[dict]) -> dict:
    proc = subprocess.run([official_python(), "-I", str(VERIFIER)], input=json.dumps({"base": base, "cases": cases}),
                          capture_output=True, text=True, timeout=90, cwd=VERIFIER.parent,
                          env={k: v for k, v in os.environ.items()
                               if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")})
    assert proc.returncode == 0, f"verify_tokens.py exited {proc.returncode}\n{proc.stderr}"
    return json.loads(proc.stdout)


def forged(claims_of: str, kid: str) -> str:
    """The claims of the token `claims_of`, under `kid`, signed by a key that is not chatsvc's."""
    return jwt.encode(jwt.decode(claims_of, options={"verify_signature": False}), OTHER_KEY, algorithm="RS256",
                      headers={"kid": kid})


async def test_google_auth_verifies_tokens_as_googles_guide_shows(events_server):
    identity, base = events_server.running.event_identity.key(), events_server.media_url
    x509_url, oauth2_url = base + X509_PATH, base + OAUTH2_CERTS_PATH
    for_url, for_project = identity.id_token_for(APP_URL), identity.id_token_for(PROJECT_NUMBER)
    expired = identity.id_token_for(APP_URL, now=int(time.time()) - 2 * 3600)

    def case(name, check, token, audience, certs_url=x509_url):
        return {"name": name, "check": check, "token": token, "audience": audience, "certs_url": certs_url}

    accepted = [case("url, x509 certs", "guide_url", for_url, APP_URL),
                case("url, oauth2 certs", "guide_url", for_url, APP_URL, oauth2_url),
                case("url, verify_oauth2_token", "oauth2", for_url, APP_URL),
                case("project, verify_token", "guide_project", for_project, PROJECT_NUMBER),
                case("project, jwt.decode", "jwt_decode", for_project, PROJECT_NUMBER)]
    refused = {
        "wrong URL": (case("wrong URL", "guide_url", for_url, APP_URL + "/other"), "wrong audience"),
        "wrong URL, verify_oauth2_token": (case("wrong URL, verify_oauth2_token", "oauth2", for_url,
                                                "https://other.example.com/"), "wrong audience"),
        "wrong number": (case("wrong number", "guide_project", for_project, "1234567891"), "wrong audience"),
        "wrong number, jwt.decode": (case("wrong number, jwt.decode", "jwt_decode", for_project, "987"),
                                     "wrong audience"),
        "another key": (case("another key", "guide_url", forged(for_url, identity.kid), APP_URL), "signature"),
        "another key, project": (case("another key, project", "jwt_decode", forged(for_project, identity.kid),
                                      PROJECT_NUMBER), "signature"),
        "unknown kid": (case("unknown kid", "guide_project", forged(for_project, "0" * 40), PROJECT_NUMBER),
                        "not found"),
        "expired": (case("expired", "guide_url", expired, APP_URL), "expired"),
        "project token for a URL app": (case("project token for a URL app", "oauth2", for_project, PROJECT_NUMBER),
                                        "Wrong issuer"),
        "URL token for a project app": (case("URL token for a project app", "guide_project", for_url, APP_URL),
                                        "Invalid issuer"),
    }
    # In a thread: the server answering the verifier's certificate requests runs in this event loop.
    results = await asyncio.to_thread(run_verifier, base, accepted + [c for c, _ in refused.values()])

    now = int(time.time())
    for name in ("url, x509 certs", "url, oauth2 certs", "url, verify_oauth2_token"):
        claims = results[name].get("claims")
        assert claims, (name, results[name])
        assert abs(claims.pop("iat") - now) < 60 and claims.pop("exp") - now > 3500, claims
        assert claims == {"iss": GOOGLE_ISSUER, "aud": APP_URL, "email": CHAT_SERVICE_ACCOUNT,
                          "email_verified": True, "sub": CHAT_ACCOUNT_ID, "azp": CHAT_ACCOUNT_ID}, claims
    for name in ("project, verify_token", "project, jwt.decode"):
        claims = results[name].get("claims")
        assert claims, (name, results[name])
        assert claims["exp"] - claims["iat"] == 3600
        assert {k: claims[k] for k in ("iss", "aud")} == {"iss": CHAT_SERVICE_ACCOUNT, "aud": PROJECT_NUMBER}
    wrong = {name: results[name] for name, (_, expected) in refused.items()
             if expected.lower() not in results[name].get("error", "").lower()}
    assert not wrong, wrong
    assert jwt.get_unverified_header(for_url) == {"alg": "RS256", "kid": identity.kid, "typ": "JWT"}
    assert CHAT_ACCOUNT_ID.isdigit() and len(CHAT_ACCOUNT_ID) == 21


async def test_the_certificate_endpoints_answer_as_googles(events_server):
    identity, base = events_server.running.event_identity.key(), events_server.media_url
    public_der = identity.public_key.public_bytes(serialization.Encoding.DER,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    async with aiohttp.ClientSession() as session:
        answers = {}
        for path in (X509_PATH, OAUTH2_CERTS_PATH, JWK_PATH):
            async with session.get(base + path) as response:
                assert response.status == 200, path
                assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
                assert response.headers["Cache-Control"].startswith("public, max-age=")
                assert "Expires" in response.headers
                answers[path] = await response.json()
        async with session.post(base + X509_PATH) as response:
            assert response.status == 405
    assert answers[X509_PATH] == answers[OAUTH2_CERTS_PATH] == {identity.kid: identity.certificate_pem}
    certificate = x509.load_pem_x509_certificate(answers[X509_PATH][identity.kid].encode())
    assert certificate.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo) == public_der
    [jwk] = answers[JWK_PATH]["keys"]
    assert {k: jwk[k] for k in ("kid", "kty", "alg", "use", "e")} == {
        "kid": identity.kid, "kty": "RSA", "alg": "RS256", "use": "sig", "e": "AQAB"}


async def test_pyjwt_verifies_with_the_jwks(events_server):
    identity = events_server.running.event_identity.key()
    client = jwt.PyJWKClient(events_server.media_url + JWK_PATH, cache_keys=False)

    def verify(token: str, **expected):
        key = client.get_signing_key_from_jwt(token)
        return jwt.decode(token, key.key, algorithms=["RS256"], **expected)

    claims = await asyncio.to_thread(verify, identity.id_token_for(APP_URL), audience=APP_URL, issuer=GOOGLE_ISSUER)
    assert claims["email"] == CHAT_SERVICE_ACCOUNT
    claims = await asyncio.to_thread(verify, identity.id_token_for(PROJECT_NUMBER), audience=PROJECT_NUMBER,
                                     issuer=CHAT_SERVICE_ACCOUNT)
    assert claims["aud"] == PROJECT_NUMBER
    with pytest.raises(jwt.InvalidSignatureError):
        await asyncio.to_thread(verify, forged(identity.id_token_for(APP_URL), identity.kid), audience=APP_URL)


async def test_the_key_is_made_on_first_use_and_kept_with_the_data(tmp_path, caplog):
    data_dir = tmp_path / "data"
    events = data_dir / EVENTS_DIR
    caplog.set_level(logging.DEBUG)
    keys, tokens = [], []
    async with fresh_database_url("sqlite", tmp_path) as url:
        for _ in range(2):
            running = await start(Settings(listen="127.0.0.1:0", database_url=url, data_dir=str(data_dir)))
            try:
                if not keys:
                    assert not events.exists()  # nothing asked for it yet
                    async with (aiohttp.ClientSession() as session,  # an app fetching the certificates makes it
                                session.get(running.http.url + X509_PATH) as response):
                        kid, = (await response.json()).keys()
                tokens.append(running.event_identity.id_token_for(APP_URL))
                keys.append(running.event_identity.key())
            finally:
                await running.stop(0)
    assert keys[0].kid == keys[1].kid == kid and (keys[0].made, keys[1].made) == (True, False)
    assert keys[0].certificate_pem == keys[1].certificate_pem
    assert jwt.decode(tokens[0], keys[1].public_key, algorithms=["RS256"], audience=APP_URL)["aud"] == APP_URL
    assert stat.S_IMODE(events.stat().st_mode) == 0o700
    assert stat.S_IMODE((events / "signing-key.pem").stat().st_mode) == 0o600
    key_pem = (events / "signing-key.pem").read_text()
    assert "PRIVATE KEY" in key_pem and "PRIVATE" not in repr(keys[0])
    body = "".join(key_pem.splitlines()[1:-1])
    assert "PRIVATE KEY" not in caplog.text and body[:40] not in caplog.text and body[-40:] not in caplog.text
    assert kid in caplog.text  # the process that made the key names it by its id


async def test_the_default_data_dir_is_beside_the_sqlite_file(tmp_path):
    async with fresh_database_url("sqlite", tmp_path) as url:
        running = await start(Settings(listen="127.0.0.1:0", database_url=url, http_listen="off"))
        await running.stop(0)
    assert running.event_identity.key().key_file == tmp_path / "chatsvc-data" / EVENTS_DIR / "signing-key.pem"


def test_processes_starting_together_share_one_key(tmp_path):
    directory = tmp_path / "data" / EVENTS_DIR
    go = time.time() + 2.0  # every process imports first, then all reach for the key at once
    script = ("import sys, time; from pathlib import Path; from chatsvc.events.identity import SigningKey\n"
              f"time.sleep(max(0, {go} - time.time()))\n"
              f"i = SigningKey.load_or_create(Path({str(directory)!r})); print(i.kid, i.made)")
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=REPO) for _ in range(3)]
    outputs = [proc.communicate(timeout=60) for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), outputs
    answers = [out.split() for out, _ in outputs]
    assert len({kid for kid, _ in answers}) == 1, answers
    assert sorted(made for _, made in answers) == ["False", "False", "True"], answers
    assert sorted(p.name for p in directory.iterdir()) == [".lock", "signing-cert.pem", "signing-key.pem"]


def test_unusable_key_files_stop_the_start_without_showing_them(tmp_path):
    import datetime as dt

    directory = tmp_path / EVENTS_DIR
    key = SigningKey.load_or_create(directory)
    later = SigningKey.load_or_create(directory, now=dt.datetime.now(dt.UTC) + dt.timedelta(days=3640))
    assert later.kid == key.kid and later.certificate_pem != key.certificate_pem  # renewed, same key
    key_file = directory / "signing-key.pem"
    key_file.chmod(0o644)
    with pytest.raises(IdentityError, match="chmod 600"):
        EventIdentity.for_data_dir(tmp_path)  # what start() calls: an existing key is read at once
    key_file.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    key_file.chmod(0o600)
    with pytest.raises(IdentityError) as caught:
        EventIdentity.for_data_dir(tmp_path)
    assert str(key_file) in str(caught.value) and "not a key" not in str(caught.value)
    with pytest.raises(ValueError):
        key.id_token_for("my-app")  # neither a URL nor a project number
