"""A scripted browser for chatsvc's sign-in and consent pages: an aiohttp client with a cookie jar that reads the
pages' forms (hidden fields, buttons) and submits them as a browser would. It follows redirects within chatsvc
and stops at the first one leaving it (the redirect back to the app), whose URL it returns."""
from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import aiohttp


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (name, value)


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        elif tag == "form":
            self.forms.append(Form(attrs.get("action") or ""))
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1].fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "button" and self.forms and attrs.get("name"):
            self.forms[-1].buttons.append((attrs["name"], attrs.get("value") or ""))


@dataclass
class Page:
    status: int
    url: str
    text: str
    headers: dict

    @property
    def forms(self) -> list[Form]:
        parser = _Forms()
        parser.feed(self.text)
        return parser.forms

    @property
    def scripts(self) -> int:
        parser = _Forms()
        parser.feed(self.text)
        return parser.scripts

    def form_with(self, name: str, value: str | None = None) -> Form:
        for form in self.forms:
            if any(n == name and (value is None or v == value) for n, v in form.buttons) or (
                    value is None and name in form.fields):
                return form
        raise AssertionError(f"no form with {name}={value} on {self.url} ({self.status}):\n{self.text[:2000]}")


def pkce() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def authorization_url(base: str, client_id: str, redirect_uri: str, scopes: list[str], *, state: str = "st",
                      challenge: str | None = None, **extra: str) -> str:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
              "scope": " ".join(scopes), "state": state, "access_type": "offline", **extra}
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    return f"{base}/oauth2/auth?{urlencode(params)}"


class Browser:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # cookies for 127.0.0.1

    async def close(self) -> None:
        await self.session.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    def _ours(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.base).netloc

    async def _follow(self, response: aiohttp.ClientResponse) -> Page | str:
        """The page at the end of chatsvc's redirects, or the URL of a redirect leaving chatsvc."""
        while response.status in (301, 302, 303, 307):
            location = urljoin(str(response.url), response.headers["Location"])
            if not self._ours(location):
                return location
            response = await self.session.get(location, allow_redirects=False)
        return Page(response.status, str(response.url), await response.text(), dict(response.headers))

    async def open(self, url: str) -> Page | str:
        return await self._follow(await self.session.get(url, allow_redirects=False))

    async def submit(self, page: Page, form: Form, **values: str) -> Page | str:
        data = {**form.fields, **values}
        action = urljoin(page.url, form.action)
        return await self._follow(await self.session.post(action, data=data, allow_redirects=False))

    async def consent(self, url: str, email: str, decision: str = "allow") -> str:
        """Signs in as `email` if asked, answers the consent page; the URL the browser is sent back to."""
        page = await self.open(url)
        assert isinstance(page, Page), page
        if page.status == 200 and any("email" in f.fields for f in page.forms):
            page = await self.submit(page, page.form_with("email"), email=email)
            assert isinstance(page, Page), page
        assert page.status == 200, f"{page.status}: {page.text[:1000]}"
        back = await self.submit(page, page.form_with("action", decision), action=decision)
        assert isinstance(back, str), f"no redirect back: {back.status} {back.text[:1000]}"
        return back
