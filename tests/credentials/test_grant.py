"""VerifyGrant and the HTTP callback: a verified grant makes a credential; a forged, expired, replayed or
foreign state, a denied consent, a bad code, a failing or slow provider make none."""
from __future__ import annotations

import asyncio
import urllib.parse

import aiohttp
import grpc

from chatsvc.credentials.v1 import credential_pb2
from chatsvc.credentials.v1 import credential_service_pb2 as pb
from tests.credentials.conftest import GOOGLE, MICROSOFT, REDIRECT, follow_once
from tests.helpers import failure, field_of


async def _listed(env, email="owner@example.com", **fields) -> list:
    response = await env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me", **fields),
                                              metadata=env.md(email))
    return list(response.credentials)


def _verify(env, state, code, email="owner@example.com"):
    return env.stub.VerifyGrant(pb.VerifyGrantRequest(parent="users/me", state=state, code=code),
                                metadata=env.md(email))


async def test_grant_creates_the_credential_with_profile_and_scopes(env):
    credential = await env.connect(brand="brand-1")
    assert credential.name.startswith("users/") and "/googleCredentials/" in credential.name
    assert credential.provider == GOOGLE and credential.brand == "brand-1"
    assert (credential.email, credential.display_name, credential.first_name, credential.last_name) == (
        "agent@example.com", "Ada Agent", "Ada", "Agent")
    assert credential.resource_name == "people/1001"
    assert credential.photo == credential.profile_image_url == "https://photos.example/ada.png"
    assert list(credential.scope_summary) == ["profile", "contacts", "mail.read", "mail.send", "mail.modify",
                                              "calendar", "business_profile"]
    assert "https://www.googleapis.com/auth/gmail.send" in credential.scope
    assert not credential.revoked and not credential.HasField("delete_time")
    assert await _listed(env) == [credential]
    got = await env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name), metadata=env.md())
    assert got == credential


async def test_a_second_grant_for_the_same_account_and_brand_refreshes_it(env):
    first = await env.connect(scopes=["calendar"])
    assert list(first.scope_summary) == ["profile", "calendar"]
    second = await env.connect(scopes=["gmail.send"])
    assert second.name == first.name and list(second.scope_summary) == ["profile", "mail.send"]
    other_brand = await env.connect(scopes=["gmail.send"], brand="brand-2")
    assert other_brand.name != first.name
    assert len(await _listed(env)) == 2


async def test_microsoft_grant(env):
    credential = await env.connect(provider=MICROSOFT)
    assert "/microsoftCredentials/" in credential.name and credential.provider == MICROSOFT
    assert credential.email == "agent@example.com" and credential.first_name == "Ada"
    assert list(credential.scope_summary) == ["profile", "contacts", "mail.read", "mail.send", "mail.modify",
                                              "calendar"]


async def test_forged_state_is_rejected(env):
    state, code = await env.consent()
    body, _, signature = state.partition(".")
    for forged in ("", "garbage", body + ".AAAA", "A" + state[1:], body[:-2] + "." + signature):
        details = await failure(_verify(env, forged, code), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["state"], forged
    assert await _listed(env) == []
    await _verify(env, state, code)  # the real one still works


async def test_replayed_state_is_rejected(env):
    state, code = await env.consent()
    await _verify(env, state, code)
    details = await failure(_verify(env, state, code), grpc.StatusCode.INVALID_ARGUMENT)
    assert details["ErrorInfo"].reason == "CONSENT_STATE_INVALID"
    assert "already been used" in details["BadRequest"].field_violations[0].description
    assert len(await _listed(env)) == 1


async def test_state_of_another_user_is_rejected(env):
    state, code = await env.consent("owner@example.com")
    details = await failure(_verify(env, state, code, email="mallory@example.com"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["state"]
    assert await _listed(env, "mallory@example.com") == [] and await _listed(env) == []


async def test_expired_state_is_rejected(env_with):
    async with env_with(oauth_state_ttl_seconds=0.2) as env:
        state, code = await env.consent()
        await asyncio.sleep(0.3)
        details = await failure(_verify(env, state, code), grpc.StatusCode.INVALID_ARGUMENT)
        assert "expired" in details["BadRequest"].field_violations[0].description
        assert await _listed(env) == []


async def test_bad_code_and_missing_code(env):
    state, _ = await env.consent()
    details = await failure(_verify(env, state, "not-a-code"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["code"] and details["ErrorInfo"].reason == "PROVIDER_INVALID_GRANT"
    details = await failure(_verify(env, state, ""), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["code"]
    assert await _listed(env) == []


async def test_provider_5xx_and_timeout_leave_nothing_written(env_with):
    async with env_with(provider_timeout_seconds=0.5) as env:
        state, code = await env.consent()
        env.fake.fail_status = 503
        details = await failure(_verify(env, state, code), grpc.StatusCode.UNAVAILABLE)
        assert details["ErrorInfo"].reason == "PROVIDER_UNAVAILABLE"
        assert details["ErrorInfo"].metadata["provider"] == "google"
        env.fake.fail_status = 0
        env.fake.delay = 1.0  # the server waits 0.5 s
        details = await failure(_verify(env, state, code), grpc.StatusCode.DEADLINE_EXCEEDED)
        assert details["ErrorInfo"].reason == "PROVIDER_TIMEOUT"
        env.fake.delay = 0
        assert await _listed(env, show_deleted=True) == []
        # The state was not burnt by the failures: the same grant goes through once the provider recovers.
        assert (await _verify(env, state, code)).email == "agent@example.com"


async def test_callback_route_verifies_and_redirects_the_browser(env):
    state, code = await env.consent()
    location = await follow_once(f"{env.harness.media_url}/oauth2/callback?" + urllib.parse.urlencode(
        {"state": state, "code": code}))
    target = urllib.parse.urlsplit(location)
    assert location.startswith(REDIRECT + "?")
    [credential] = await _listed(env)
    assert dict(urllib.parse.parse_qsl(target.query)) == {"credential": credential.name}
    # Replayed: the browser still goes back, with the reason.
    location = await follow_once(f"{env.harness.media_url}/oauth2/callback?" + urllib.parse.urlencode(
        {"state": state, "code": code}))
    assert location == REDIRECT + "?error=consent_state_invalid"


async def test_callback_after_denied_consent(env):
    env.fake.deny = True
    request = pb.RequestAccessRequest(parent="users/me", provider=GOOGLE, scopes=["calendar"], redirect=REDIRECT)
    consent = await env.stub.RequestAccess(request, metadata=env.md())
    callback = await follow_once(consent.url)  # the provider sends the browser to our callback with the error
    assert callback.startswith(env.harness.media_url + "/oauth2/callback?")
    assert await follow_once(callback) == REDIRECT + "?error=access_denied"
    assert await _listed(env) == []


async def test_callback_with_a_forged_state_is_a_json_error_not_a_redirect(env):
    async with aiohttp.ClientSession() as session:
        for query in ("state=forged&code=x", "code=x"):
            async with session.get(f"{env.harness.media_url}/oauth2/callback?{query}", allow_redirects=False) as r:
                assert r.status == 400
                body = await r.json()
                assert body["error"]["status"] == "INVALID_ARGUMENT"


async def test_scope_summary_follows_what_was_granted(env):
    env.fake.granted_scopes = "profile email https://www.googleapis.com/auth/gmail.readonly"
    credential = await env.connect()
    assert list(credential.scope_summary) == ["profile", "mail.read"]
    assert isinstance(credential, credential_pb2.Credential)
