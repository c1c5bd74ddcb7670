"""Incoming webhooks over HTTP: `POST {public URL}/v1/spaces/{space}/messages?key=K&token=T` with a JSON Message
body posts that message as the webhook, exactly as Google Chat's webhook URLs do; the answer is the created
Message, as CreateMessage's REST answer.

How a post travels, and why this way:
1. A request is a webhook's when it carries a `token` query parameter and no other credential (no Authorization
   header, no `access_token`). This middleware runs before every route, so such a request never reaches another
   handler: anything but POST on `/v1/spaces/{space}/messages` (another path, another method, a method override)
   is refused with PERMISSION_DENIED before the key and token are even looked at. A webhook is one-way.
2. `Webhooks.admit` (chatsvc.domain.webhooks) checks the key and token (the token's SHA-256 compared in constant
   time; one UNAUTHENTICATED answer for an unknown key, a wrong, rotated or revoked token), that the URL's space
   is the webhook's own (else PERMISSION_DENIED), and the webhook's message rate (else RESOURCE_EXHAUSTED with
   QuotaFailure and RetryInfo, HTTP 429 with `Retry-After`). It returns the webhook's principal.
3. The request, without `key` and `token`, is handed to the REST surface (chatsvc.http.rest.RestApi) with the
   routes every REST call uses, so the body, `threadKey`, `messageReplyOption`, `requestId`, `messageId` and the
   system parameters are read exactly as for CreateMessage. Its calls go to LocalCalls with the webhook's
   principal vouched for (`vouched_principal`: the gate takes it in place of a bearer token) and no token at
   all, for CreateMessage alone: the call passes the same gate as every gRPC and REST call (scope rule, rate
   limits, the server's deadline, one log line naming `app:webhooks/{id}`, errors as google.rpc.Status in
   Google's JSON envelope). Messages.create then confines the webhook to its space (chatsvc.domain.webhooks).

A refusal in steps 1-2 never became a call; it is answered in the same envelope and logged in the gate's format.
"""
from __future__ import annotations

import json
import logging
import math
import re
import time

import grpc
from aiohttp import web

from chatsvc.api import http_errors
from chatsvc.api.local_calls import LocalCalls
from chatsvc.api.status import grpc_code
from chatsvc.domain.errors import DomainError, PermissionDenied, ResourceExhausted
from chatsvc.domain.principal import Principal
from chatsvc.domain.webhooks import Webhooks
from chatsvc.http.rest import RestApi, RestRoutes

log = logging.getLogger("chatsvc.calls")
CREATE_MESSAGE = "/google.chat.v1.ChatService/CreateMessage"
# The one path a webhook's URL has; matched on the raw path, so an encoded `/` never makes a second segment.
_PATH = re.compile(r"^/v1/spaces/([A-Za-z0-9_.\-]{1,64})/messages\Z")
_CREDENTIALS = ("key", "token")


def carries_webhook_credentials(request: web.Request) -> bool:
    """A `token` parameter and no other credential: what a webhook's URL sends. (Not at the OAuth revocation
    endpoint, which takes the token to revoke in the query as Google's does: chatsvc.oauth_server.)"""
    query = request.query
    return ("token" in query and "Authorization" not in request.headers
            and not ({"access_token", "oauth_token"} & query.keys()) and request.path != "/oauth2/revoke")


def _one_only(request: web.Request, name: str) -> str:
    values = request.query.getall(name, [])
    return values[0] if len(values) == 1 else ""  # missing or repeated: no valid credential


class _AsWebhook:
    """LocalCalls for one admitted webhook: CreateMessage alone, as the webhook, with no bearer token."""

    def __init__(self, calls: LocalCalls, principal: Principal):
        self._calls = calls
        self._principal = principal

    async def unary(self, full_method: str, request, metadata):
        if full_method != CREATE_MESSAGE:
            raise _one_way()
        return await self._calls.unary(full_method, request, (), vouched_principal=self._principal)


def _one_way() -> PermissionDenied:
    return PermissionDenied("A webhook's key and token only create messages in the webhook's space: "
                            "POST /v1/spaces/{space}/messages.", reason="WEBHOOK_CAN_ONLY_POST_MESSAGES")


class IncomingWebhooks:
    def __init__(self, webhooks: Webhooks, routes: RestRoutes, calls: LocalCalls, max_body_bytes: int):
        self._webhooks = webhooks
        self._routes = routes
        self._calls = calls
        self._max_body = max_body_bytes

    @web.middleware
    async def middleware(self, request: web.Request, handler):
        if not carries_webhook_credentials(request):
            return await handler(request)
        return await self.post(request)

    async def post(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        raw_path = request.raw_path.split("?", 1)[0]
        label = f"REST {request.method} {raw_path}"
        try:
            found = _PATH.match(raw_path)
            override = request.headers.get("X-HTTP-Method-Override")
            if request.method != "POST" or found is None or (override and override.strip().upper() != "POST"):
                raise _one_way()
            label = CREATE_MESSAGE
            principal = await self._webhooks.admit(found.group(1), _one_only(request, "key"),
                                                   _one_only(request, "token"))
        except DomainError as error:
            return _refused(error, label, started)
        except Exception:
            log.exception("unexpected error in %s", label)
            return log_refused(http_errors.internal_error(label), grpc.StatusCode.INTERNAL, label, started)
        query = [(name, value) for name, value in request.rel_url.query.items() if name not in _CREDENTIALS]
        plain = request.clone(rel_url=request.rel_url.with_query(query))
        return await RestApi(self._routes, _AsWebhook(self._calls, principal), self._max_body).handle(plain)


def add_incoming_webhooks(app: web.Application, webhooks: Webhooks, routes: RestRoutes, calls: LocalCalls,
                          max_body_bytes: int) -> None:
    """Puts the webhooks' middleware in front of every other, so no route ever sees a webhook's credentials."""
    app.middlewares.insert(0, IncomingWebhooks(webhooks, routes, calls, max_body_bytes).middleware)


def _refused(error: DomainError, label: str, started: float) -> web.Response:
    response = http_errors.domain_error(error, label)
    if isinstance(error, ResourceExhausted) and error.retry_after_seconds is not None:
        response.headers["Retry-After"] = str(max(1, math.ceil(error.retry_after_seconds)))
    return log_refused(response, grpc_code(error), label, started)


def log_refused(response: web.Response, code: grpc.StatusCode, label: str, started: float) -> web.Response:
    """The log line of a webhook request refused before it became a call, in the gate's format."""
    log.info(json.dumps({"method": label, "status": code.name,
                         "duration_ms": round((time.perf_counter() - started) * 1000, 3), "principal": "-"}))
    return response
