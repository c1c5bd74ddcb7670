"""HTTP calls to a mailbox API (Gmail API, Microsoft Graph) and how their failures become SendError.

Worth retrying: 429, 5xx, timeouts and connection failures. Anything else the provider said is final for
this message (a retry would get the same answer). 401/403 get their own wording: the account's token was
refused, which reconnecting the account fixes, not waiting."""
from __future__ import annotations

from contextlib import asynccontextmanager

import httpx

from chatsvc.mail.outgoing import SendError

_MAX_DETAIL = 200


def _detail(response: httpx.Response) -> str:
    """The provider's own error message, short; never the request (which holds the token)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        message = error.get("message") or error.get("code") or ""
    else:
        message = error if isinstance(error, str) else ""
    return str(message)[:_MAX_DETAIL]


def error_for(provider: str, what: str, response: httpx.Response) -> SendError:
    status = response.status_code
    detail = _detail(response)
    suffix = f": {detail}" if detail else ""
    if status == 401:
        return SendError(f"{provider} refused the account's access token for the {what} (HTTP 401); "
                         f"connect the account again{suffix}", transient=False)
    if status == 403:
        return SendError(f"{provider} denied the {what} (HTTP 403){suffix}", transient=False)
    transient = status == 429 or status >= 500
    return SendError(f"{provider} failed the {what} (HTTP {status}){suffix}", transient=transient)


def check(provider: str, what: str, response: httpx.Response) -> httpx.Response:
    if response.status_code >= 400:
        raise error_for(provider, what, response)
    return response


@asynccontextmanager
async def calls(provider: str, what: str):
    """Transport failures (no HTTP answer at all) as transient SendErrors."""
    try:
        yield
    except httpx.TimeoutException:
        raise SendError(f"{provider} did not answer the {what} in time", transient=True) from None
    except httpx.HTTPError as error:
        raise SendError(f"{provider} could not be reached for the {what} ({type(error).__name__})",
                        transient=True) from None


def json_body(provider: str, what: str, response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise SendError(f"{provider} sent an unreadable answer to the {what}", transient=True)
    return body
