"""RequestAccess: the consent URL, exactly as the seed shows it, and the errors of a bad request."""
from __future__ import annotations

import urllib.parse

import grpc

from chatsvc.credentials.v1 import credential_service_pb2 as pb
from tests.credentials.conftest import GOOGLE, GOOGLE_SCOPES, MICROSOFT, READONLY, REDIRECT
from tests.credentials.fake_provider import CLIENT_ID
from tests.helpers import failure, field_of

# The seed's example URL (000_21fe5167bfc57fed.txt), with its empty client_id and redirect_uri.
SEED_URL = (
    "https://accounts.google.com/o/oauth2/v2/auth?client_id=&access_type=offline&scope=profile%20email%20https%3A%2F%2F"
    "www.googleapis.com%2Fauth%2Fcontacts%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcontacts.other.readonly%20https"
    "%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.send%20"
    "https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.modify%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar%20"
    "https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fbusiness.manage&state=80a227b2-29a0-11e7-b636-e4a7a08e15d4%3A%3A"
    "8399d1b0-2925-45b4-bb58-b367f43b23d7%3A%3Ahttp%3A%2F%2Flocalhost%3A3078%2Fdashboard%2Fcontacts%2F&prompt="
    "consent%20select_account&include_granted_scopes=true&response_type=code&redirect_uri=")


def _params(url: str) -> dict[str, str]:
    query = urllib.parse.urlsplit(url).query
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    assert len(pairs) == len(dict(pairs)), "a parameter appears twice"
    return dict(pairs)


async def test_google_consent_url_matches_the_seed_parameter_by_parameter(env):
    response = await env.stub.RequestAccess(pb.RequestAccessRequest(
        parent="users/me", provider=GOOGLE, scopes=GOOGLE_SCOPES, redirect=REDIRECT, brand="b1"), metadata=env.md())
    ours, seed = _params(response.url), _params(SEED_URL)
    assert response.url.startswith(env.fake.url + "/google/authorize?")
    assert response.redirect == REDIRECT
    assert set(ours) == set(seed)
    for name in set(seed) - {"client_id", "redirect_uri", "state"}:
        assert ours[name] == seed[name], name
    assert ours["client_id"] == CLIENT_ID
    assert ours["redirect_uri"] == env.harness.media_url + "/oauth2/callback"
    # The state is ours, signed: it binds the user, brand and redirect, and the server reads it back.
    assert ours["state"] and "." in ours["state"]
    # Byte for byte too, once the seed's endpoint, client, state and redirect URI are swapped for ours.
    expected = (SEED_URL.replace("https://accounts.google.com/o/oauth2/v2/auth", env.fake.url + "/google/authorize")
                .replace("client_id=&", f"client_id={CLIENT_ID}&")
                .replace(urllib.parse.quote(seed["state"], safe=""), urllib.parse.quote(ours["state"], safe=""))
                .replace("redirect_uri=", "redirect_uri=" + urllib.parse.quote(ours["redirect_uri"], safe="")))
    assert response.url == expected


async def test_asked_scopes_only_plus_profile_and_email(env):
    response = await env.stub.RequestAccess(pb.RequestAccessRequest(
        parent="users/me", provider=GOOGLE, scopes=["gmail.send", "contacts"], redirect=REDIRECT), metadata=env.md())
    assert _params(response.url)["scope"].split() == [
        "profile", "email", "https://www.googleapis.com/auth/contacts",
        "https://www.googleapis.com/auth/contacts.other.readonly", "https://www.googleapis.com/auth/gmail.send"]


async def test_microsoft_consent_url(env):
    response = await env.stub.RequestAccess(pb.RequestAccessRequest(
        parent="users/me", provider=MICROSOFT, scopes=["mail.send", "calendar"], redirect=REDIRECT), metadata=env.md())
    params = _params(response.url)
    assert response.url.startswith(env.fake.url + "/microsoft/authorize?")
    assert params["scope"].split() == ["openid", "profile", "email", "offline_access", "User.Read", "Mail.Send",
                                       "Calendars.ReadWrite"]
    assert params["response_type"] == "code" and params["prompt"] == "select_account"
    assert params["client_id"] == CLIENT_ID and "access_type" not in params


async def test_bad_requests(env):
    def ask(**fields):
        request = dict(parent="users/me", provider=GOOGLE, scopes=["calendar"], redirect=REDIRECT)
        request.update(fields)
        return env.stub.RequestAccess(pb.RequestAccessRequest(**request), metadata=env.md())

    cases = [({"scopes": []}, "scopes"), ({"scopes": ["mail.send"]}, "scopes"),
             ({"provider": MICROSOFT, "scopes": ["gmail.send"]}, "scopes"), ({"provider": 0}, "provider"),
             ({"redirect": ""}, "redirect"), ({"redirect": "javascript:alert(1)"}, "redirect"),
             ({"parent": "spaces/x"}, "parent"), ({"brand": "b" * 65}, "brand")]
    for fields, field in cases:
        details = await failure(ask(**fields), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field], fields
    details = await failure(ask(parent="users/someone-else@example.com"), grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "USER_NOT_FOUND"


async def test_scopes_are_enforced(env):
    request = pb.RequestAccessRequest(parent="users/me", provider=GOOGLE, scopes=["calendar"], redirect=REDIRECT)
    details = await failure(env.stub.RequestAccess(request, metadata=env.md(scopes=READONLY)),
                            grpc.StatusCode.PERMISSION_DENIED)
    assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    await failure(env.stub.RequestAccess(request, metadata=env.md(scopes=("chat.spaces",))),
                  grpc.StatusCode.PERMISSION_DENIED)
    await failure(env.stub.RequestAccess(request, metadata=env.harness.md(app="bot", scopes=("chat.bot",))),
                  grpc.StatusCode.PERMISSION_DENIED)
    await failure(env.stub.RequestAccess(request), grpc.StatusCode.UNAUTHENTICATED)
    listed = await env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me"),
                                            metadata=env.md(scopes=READONLY))
    assert list(listed.credentials) == []
