"""The authentication/authorization matrix over a real server: for each of the 52 ChatService RPCs, every
way in which a call must be refused, and positive controls proving that accepted scopes and kinds get past
the auth layer.

One test per RPC (and backend) runs all its cases; a failure lists every case that went wrong for that RPC.
Every case is refused by the auth layer or is an empty request, so the tests share one server per backend
(creating a PostgreSQL database per test would cost more than the 52 tests themselves).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import grpc
import pytest
from google.chat.v1 import chat_service_pb2
from google.protobuf import message_factory

from chatsvc.api.status import ERROR_DOMAIN
from chatsvc.auth.scopes import ADMIN, APP, CHAT_RULES, SCOPE_PREFIX, USER
from chatsvc.auth.tokens import TokenService
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.helpers import error_reason, rpc_error_details

SERVICE = chat_service_pb2.DESCRIPTOR.services_by_name["ChatService"]
METHODS = {m.name: m for m in SERVICE.methods}

USER_EMAIL = "matrix-user@example.com"
ADMIN_EMAIL = "matrix-admin@example.com"
APP_NAME = "matrix-bot"
FORGER = TokenService(b"not-the-server-signing-key-000000")

# Reasons only the auth layer gives. A positive control must not see any of them.
AUTH_REASONS = frozenset({
    "CREDENTIALS_MISSING", "INVALID_TOKEN", "EXPIRED_TOKEN", "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
    "APP_AUTHENTICATION_NOT_SUPPORTED", "USER_AUTHENTICATION_NOT_SUPPORTED", "ADMIN_PRIVILEGES_REQUIRED",
    "ADMIN_ACCESS_REQUIRES_USER_AUTHENTICATION", "METHOD_NOT_AUTHORIZED",
})
# Scopes that no ChatService rule lists for the kind in question; the first one not in the rule is used.
UNRELATED = ("chat.users.spacesettings", "chat.customemojis", "chat.users.sections", "drive.file")

PASSES = "passes auth"  # expected outcome of a positive control


@dataclass
class Case:
    name: str
    expect: grpc.StatusCode | str  # a status code (UNAUTHENTICATED) or a PERMISSION_DENIED reason, or PASSES
    metadata: tuple = ()
    admin_access: bool = False
    reason: str | None = None  # for UNAUTHENTICATED: the exact reason, when it is fixed
    fields: dict = field(default_factory=dict)


@pytest.fixture(scope="module", params=BACKENDS)
async def matrix_server(request, tmp_path_factory):
    """Like the `server` fixture of tests/conftest.py, but one per backend for the whole module."""
    async with (fresh_database_url(request.param, tmp_path_factory.mktemp("matrix")) as url,
                serving(url) as harness):
        yield harness


def _unrelated(scopes) -> str:
    return next(s for s in UNRELATED if s not in scopes)


def _bearer(token: str) -> tuple:
    return (("authorization", f"Bearer {token}"),)


def cases_for(rpc: str, server) -> list[Case]:
    rule = CHAT_RULES[rpc]
    has_admin_flag = "use_admin_access" in METHODS[rpc].input_type.fields_by_name
    all_scopes = list(rule.scopes)
    tokens = server.running.tokens
    # An accepted (kind, scope) pair, for the cases where only the credential itself is wrong.
    good_kind = USER if USER in rule.kinds else APP
    good_scope = sorted(rule.scopes_for(good_kind))[0]
    good = ({"user": USER_EMAIL} if good_kind is USER else {"app": APP_NAME}) | {"scopes": [good_scope]}
    valid = tokens.mint(**good)

    cases = [
        # --- UNAUTHENTICATED: no, malformed, forged or expired credentials -----------------------------
        Case("no metadata", grpc.StatusCode.UNAUTHENTICATED, (), reason="CREDENTIALS_MISSING"),
        Case("other metadata only", grpc.StatusCode.UNAUTHENTICATED, (("x-api-key", valid),),
             reason="CREDENTIALS_MISSING"),
        Case("Basic scheme", grpc.StatusCode.UNAUTHENTICATED, (("authorization", "Basic dXNlcjpwYXNz"),)),
        Case("valid token under another scheme", grpc.StatusCode.UNAUTHENTICATED,
             (("authorization", f"Token {valid}"),)),
        Case("valid token without a scheme", grpc.StatusCode.UNAUTHENTICATED, (("authorization", valid),)),
        Case("Bearer alone", grpc.StatusCode.UNAUTHENTICATED, (("authorization", "Bearer"),)),
        Case("Bearer and a space", grpc.StatusCode.UNAUTHENTICATED, (("authorization", "Bearer "),)),
        Case("empty header", grpc.StatusCode.UNAUTHENTICATED, (("authorization", ""),)),
        Case("Bearer garbage", grpc.StatusCode.UNAUTHENTICATED, _bearer("garbage"), reason="INVALID_TOKEN"),
        Case("Bearer a.b.c", grpc.StatusCode.UNAUTHENTICATED, _bearer("a.b.c"), reason="INVALID_TOKEN"),
        Case("forged (another key)", grpc.StatusCode.UNAUTHENTICATED, _bearer(FORGER.mint(**good)),
             reason="INVALID_TOKEN"),
        Case("forged admin user", grpc.StatusCode.UNAUTHENTICATED,
             _bearer(FORGER.mint(user=ADMIN_EMAIL, scopes=all_scopes, admin=True)), reason="INVALID_TOKEN"),
        Case("forged app", grpc.StatusCode.UNAUTHENTICATED,
             _bearer(FORGER.mint(app=APP_NAME, scopes=all_scopes + ["chat.bot"])), reason="INVALID_TOKEN"),
        Case("expired", grpc.StatusCode.UNAUTHENTICATED, _bearer(tokens.mint(**good, ttl=-60)),
             reason="EXPIRED_TOKEN"),
        Case("expired with every scope", grpc.StatusCode.UNAUTHENTICATED,
             _bearer(tokens.mint(user=ADMIN_EMAIL, scopes=all_scopes, admin=True, ttl=-60)),
             reason="EXPIRED_TOKEN"),
    ]

    # --- PERMISSION_DENIED: a kind of authentication the RPC does not take -----------------------------
    if APP not in rule.kinds:
        cases.append(Case("app token (chat.bot)", "APP_AUTHENTICATION_NOT_SUPPORTED",
                          _bearer(tokens.mint(app=APP_NAME, scopes=["chat.bot"]))))
        cases.append(Case("app token with every listed scope", "APP_AUTHENTICATION_NOT_SUPPORTED",
                          _bearer(tokens.mint(app=APP_NAME, scopes=all_scopes + ["chat.bot"]))))
    if USER not in rule.kinds:
        cases.append(Case("user token", "USER_AUTHENTICATION_NOT_SUPPORTED",
                          _bearer(tokens.mint(user=USER_EMAIL, scopes=all_scopes))))
        cases.append(Case("admin user token", "USER_AUTHENTICATION_NOT_SUPPORTED",
                          _bearer(tokens.mint(user=ADMIN_EMAIL, scopes=all_scopes, admin=True))))
        cases.append(Case("user token through the app", "USER_AUTHENTICATION_NOT_SUPPORTED",
                          _bearer(tokens.mint(user=USER_EMAIL, app=APP_NAME, scopes=all_scopes))))
    if has_admin_flag:
        admin_scopes = all_scopes  # every scope the rule lists: only the missing privilege can refuse it
        cases.append(Case("use_admin_access, non-admin user", "ADMIN_PRIVILEGES_REQUIRED",
                          _bearer(tokens.mint(user=USER_EMAIL, scopes=admin_scopes)), admin_access=True))
        cases.append(Case("use_admin_access, app", "ADMIN_ACCESS_REQUIRES_USER_AUTHENTICATION",
                          _bearer(tokens.mint(app=APP_NAME, scopes=admin_scopes + ["chat.bot"])),
                          admin_access=True))

    # --- per accepted kind: scopes that do not fit, then every scope that does --------------------------
    for kind in sorted(rule.kinds, key=lambda k: k.value):
        if kind is ADMIN and not has_admin_flag:
            continue  # ListSpaces: the table says admin, but the request cannot ask for admin access
        fitting = sorted(rule.scopes_for(kind))
        unfitting = [s for s in all_scopes if s not in fitting]
        who = {USER: {"user": USER_EMAIL}, APP: {"app": APP_NAME}, ADMIN: {"user": ADMIN_EMAIL, "admin": True}}[kind]
        as_admin = kind is ADMIN

        def add(name, expect, scopes, *, who=who, as_admin=as_admin, kind=kind):
            cases.append(Case(f"{kind.value}: {name}", expect, _bearer(tokens.mint(**who, scopes=scopes)),
                              admin_access=as_admin))

        add(f"unrelated scope {_unrelated(rule.scopes)}", "ACCESS_TOKEN_SCOPE_INSUFFICIENT", [_unrelated(rule.scopes)])
        if unfitting:  # listed for the RPC, but for another kind of caller (chat.bot for a user, ...)
            add(f"scopes of other kinds {unfitting}", "ACCESS_TOKEN_SCOPE_INSUFFICIENT", unfitting)
        lookalikes = [f"https://example.com/auth/{s}" for s in fitting] + [f"{s}.extra" for s in fitting]
        lookalikes = [s for s in lookalikes if s.removeprefix(SCOPE_PREFIX) not in rule.scopes]
        add("look-alike scopes", "ACCESS_TOKEN_SCOPE_INSUFFICIENT", lookalikes)
        for scope in fitting:
            add(f"accepted scope {scope}", PASSES, [scope])
        add("accepted scope as a full URL, among others", PASSES,
            [_unrelated(rule.scopes), SCOPE_PREFIX + fitting[-1], *unfitting])
        if kind is USER:
            add("admin user without use_admin_access", PASSES, [fitting[0]],
                who={"user": ADMIN_EMAIL, "admin": True})
            add("user through a named app", PASSES, [fitting[0]], who={"user": USER_EMAIL, "app": APP_NAME})
    return cases


def _check(case: Case, outcome) -> str | None:
    """None if the outcome is what the case expects, else a line saying what happened."""
    if case.expect == PASSES:
        if outcome is None:
            return None
        code, reason = outcome.code(), error_reason(outcome)
        if code == grpc.StatusCode.UNAUTHENTICATED or (code == grpc.StatusCode.PERMISSION_DENIED
                                                       and reason in AUTH_REASONS):
            return f"{case.name}: expected to pass auth, got {code.name} {reason}"
        return None
    if outcome is None:
        return f"{case.name}: expected {case.expect}, the call succeeded"
    code = outcome.code()
    try:
        info = rpc_error_details(outcome).get("ErrorInfo")
    except AssertionError as error:
        return f"{case.name}: {error}"
    if info is None:
        return f"{case.name}: {code.name} without ErrorInfo"
    if not info.reason or info.domain != ERROR_DOMAIN:
        return f"{case.name}: ErrorInfo without reason or with domain {info.domain!r}"
    if isinstance(case.expect, grpc.StatusCode):
        if code != case.expect:
            return f"{case.name}: expected {case.expect.name}, got {code.name} {info.reason}"
        if case.reason and info.reason != case.reason:
            return f"{case.name}: expected reason {case.reason}, got {info.reason}"
        if info.reason not in AUTH_REASONS:
            return f"{case.name}: reason {info.reason} is not an auth reason"
        return None
    if code != grpc.StatusCode.PERMISSION_DENIED or info.reason != case.expect:
        return f"{case.name}: expected PERMISSION_DENIED {case.expect}, got {code.name} {info.reason}"
    return None



def test_matrix_covers_every_rpc():
    assert len(METHODS) == 52
    assert set(METHODS) == set(CHAT_RULES)


@pytest.mark.parametrize("rpc", sorted(METHODS))
async def test_auth_matrix(matrix_server, rpc):
    server = matrix_server
    method = METHODS[rpc]
    request_type = message_factory.GetMessageClass(method.input_type)
    response_type = message_factory.GetMessageClass(method.output_type)
    call = server.channel.unary_unary(f"/{SERVICE.full_name}/{rpc}",
                                      request_serializer=request_type.SerializeToString,
                                      response_deserializer=response_type.FromString)
    cases = cases_for(rpc, server)
    failures, passed, refused = [], 0, 0
    for case in cases:
        request = request_type(use_admin_access=True) if case.admin_access else request_type()
        try:
            await call(request, metadata=case.metadata, timeout=10)
            outcome = None
        except grpc.aio.AioRpcError as error:
            outcome = error
        problem = _check(case, outcome)
        if problem:
            failures.append(problem)
        elif case.expect == PASSES:
            passed += 1
        else:
            refused += 1
            # The refusal names no token and no key.
            assert "eyJ" not in (outcome.details() or ""), case.name
    assert not failures, f"{rpc}: {len(failures)} of {len(cases)} cases wrong:\n  " + "\n  ".join(failures)
    # Both sides of the matrix ran: refusals and positive controls.
    assert refused >= 16 and passed >= 2, (refused, passed)


async def test_oversize_token_is_unauthenticated_with_error_info(server):
    """gRPC's own metadata limit would answer RESOURCE_EXHAUSTED without details; ours answers first."""
    from google.chat.v1 import space_pb2

    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await server.chat.GetSpace(space_pb2.GetSpaceRequest(name="spaces/AAAAxxxxxxx"),
                                   metadata=(("authorization", "Bearer " + "a" * 9000),))
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert rpc_error_details(caught.value)["ErrorInfo"].reason == "INVALID_TOKEN"
