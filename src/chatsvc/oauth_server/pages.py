"""The authorization server's web pages: sign-in, consent and errors, rendered on the server by Jinja2 with
autoescaping (every string a user or client supplied is escaped), with no script at all and a Content-Security-
Policy that allows none: styles from our own stylesheet only, no frames around us, forms posting only to us (and,
on the consent page, to the client's redirect URI, which a browser checks a form's redirect against)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from chatsvc.oauth_server.scope_text import describe

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = "/oauth2/assets/page.css"
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                   trim_blocks=True, lstrip_blocks=True)
_CSS = (TEMPLATES / "page.css").read_bytes()


def _csp(form_target: str | None) -> str:
    form_action = "'self'"
    if form_target:
        parts = urlsplit(form_target)
        form_action += f" {parts.scheme}://{parts.netloc}"
    return ("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
            f"form-action {form_action}; frame-ancestors 'none'")


def page(template: str, status: int = 200, *, form_target: str | None = None, **context) -> web.Response:
    """A rendered page with the headers every page of ours carries."""
    body = _ENV.get_template(template).render(stylesheet=STYLESHEET, **context)
    response = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
    response.headers.update({
        "Content-Security-Policy": _csp(form_target),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "Pragma": "no-cache",
    })
    return response


def sign_in_page(*, action: str, csrf: str, client_name: str, email: str = "", problem: str = "",
                 status: int = 200) -> web.Response:
    return page("sign_in.html", status, action=action, csrf=csrf, client_name=client_name, email=email,
                problem=problem)


def consent_page(*, action: str, csrf: str, client_name: str, client_id: str, email: str, scopes: list[str],
                 redirect_uri: str) -> web.Response:
    return page("consent.html", form_target=redirect_uri, action=action, csrf=csrf, client_name=client_name,
                client_id=client_id, email=email, scopes=[describe(s) for s in scopes],
                redirect_host=urlsplit(redirect_uri).netloc)


def error_page(status: int, error: str, description: str) -> web.Response:
    return page("error.html", status, code=status, error=error, description=description)


async def stylesheet(_request: web.Request) -> web.Response:
    response = web.Response(body=_CSS, content_type="text/css", charset="utf-8")
    response.headers.update({"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})
    return response
