"""The People API's scopes through chatsvc's authorization server: the built-in browser client gets
`directory.readonly` with its chat scopes and no consent page; another app asking for OpenID's `profile email`
gets the consent page, then a token with the userinfo URLs, which reads `people/me` and nobody else."""
from __future__ import annotations

from tests.http.rest_support import call
from tests.oauth_server.browser import Browser, Page, authorization_url, pkce
from tests.oauth_server.support import authorize, post, query_of, register
from tests.people.support import BOB, person_id

WEB_SCOPES = ["https://www.googleapis.com/auth/chat.messages", "https://www.googleapis.com/auth/directory.readonly"]
USERINFO = "https://www.googleapis.com/auth/userinfo."


async def test_the_browser_client_reads_people_without_a_consent_page(people_server):
    server = people_server
    bob = await person_id(server, BOB)
    page_url = server.media_url + "/"
    verifier, challenge = pkce()
    async with Browser(server.media_url) as browser:
        page = await browser.open(authorization_url(server.media_url, "chatsvc-web", page_url, WEB_SCOPES,
                                                    challenge=challenge))
        assert isinstance(page, Page) and page.status == 200, page
        back = await browser.submit(page, page.form_with("email"), email="carol@example.com")
    # Straight back to the page (served here, so the browser follows it there), with a code: no consent page.
    back_url = back if isinstance(back, str) else back.url
    assert back_url.startswith(page_url + "?code="), back
    status, token = await post(server, "/oauth2/token", {
        "grant_type": "authorization_code", "code": query_of(back_url)["code"], "redirect_uri": page_url,
        "client_id": "chatsvc-web", "code_verifier": verifier})
    assert status == 200 and token["scope"].split() == WEB_SCOPES, token
    reply = await call(server, "GET", "/v1/people:batchGet", token=token["access_token"],
                       query=f"resourceNames=people/{bob}&resourceNames=people/me&personFields=names")
    assert reply.status == 200, reply
    assert [r["person"]["names"][0]["displayName"] for r in reply.json["responses"]] == ["bob", "carol"]


async def test_openid_scopes_read_the_callers_own_profile(people_server):
    server = people_server
    bob = await person_id(server, BOB)
    client_id, secret = await register(server)
    verifier, challenge = pkce()
    back = await authorize(server, client_id, challenge=challenge, scopes=["profile", "email"],
                           email="dave@example.com")
    status, token = await post(server, "/oauth2/token", {
        "grant_type": "authorization_code", "code": back["code"], "redirect_uri": "http://localhost:8765/",
        "client_id": client_id, "client_secret": secret, "code_verifier": verifier})
    assert status == 200 and token["scope"].split() == [USERINFO + "profile", USERINFO + "email"], token
    me = await call(server, "GET", "/v1/people/me", token=token["access_token"],
                    query="personFields=names,emailAddresses")
    assert me.status == 200 and me.json["emailAddresses"][0]["value"] == "dave@example.com", me
    other = await call(server, "GET", f"/v1/people/{bob}", token=token["access_token"], query="personFields=names")
    assert other.status == 403, other
