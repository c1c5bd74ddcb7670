"""Enforces, for every RPC (through api/interceptors.py's CallInterceptor), a valid bearer token, an accepted
scope and an accepted kind of authentication.

Order of checks, as Google applies them: no or bad token -> UNAUTHENTICATED; a kind of authentication the
RPC does not take -> PERMISSION_DENIED; no accepted scope for that kind -> PERMISSION_DENIED with reason
ACCESS_TOKEN_SCOPE_INSUFFICIENT.
"""
from __future__ import annotations

from chatsvc.auth.scopes import ADMIN, APP, USER, Rule, expand_scope, rule_for
from chatsvc.auth.tokens import TokenService, invalid_token
from chatsvc.domain.errors import PermissionDenied, Unauthenticated
from chatsvc.domain.principal import Principal

# Calls that need no token: health checks and server reflection.
PUBLIC_SERVICES = ("/grpc.health.v1.Health/", "/grpc.reflection.v1alpha.ServerReflection/",
                   "/grpc.reflection.v1.ServerReflection/")


def bearer_token(metadata) -> str | None:
    """The token of the call's one `authorization: Bearer <token>` header (the scheme is case-insensitive, as
    RFC 6750 has it); None without an authorization header. Another scheme, an empty token or a second
    authorization header is an invalid credential, not a missing one."""
    found = None
    for key, value in metadata or ():
        if key == "authorization":
            if found is not None:
                raise invalid_token()
            found = value
    if found is None:
        return None
    scheme, _, token = (found.decode() if isinstance(found, bytes) else found).partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise invalid_token()
    return token


def authorize(principal: Principal, rule: Rule, request, method: str) -> None:
    """Raises PermissionDenied unless this principal may call the method with this request."""
    admin_access = bool(getattr(request, "use_admin_access", False))
    if admin_access:
        if principal.is_app:
            raise PermissionDenied("Administrator access requires user authentication.",
                                   reason="ADMIN_ACCESS_REQUIRES_USER_AUTHENTICATION")
        if not principal.admin:
            raise PermissionDenied("The caller does not have administrator privileges.",
                                   reason="ADMIN_PRIVILEGES_REQUIRED")
        kind = ADMIN
    else:
        kind = APP if principal.is_app else USER
    if kind not in rule.kinds:
        reason = {APP: "APP_AUTHENTICATION_NOT_SUPPORTED", USER: "USER_AUTHENTICATION_NOT_SUPPORTED"}.get(
            kind, "ADMIN_ACCESS_NOT_SUPPORTED")
        raise PermissionDenied(f"{method} does not support {kind.value} authentication.", reason=reason)
    if not principal.scopes & {expand_scope(s) for s in rule.scopes_for(kind)}:
        raise PermissionDenied("Request had insufficient authentication scopes.",
                               reason="ACCESS_TOKEN_SCOPE_INSUFFICIENT")


class Authenticator:
    def __init__(self, tokens: TokenService, rules=rule_for):
        self._tokens = tokens
        self._rules = rules

    def gate(self, method_name: str) -> Gate | None:
        """The checks one method's calls pass; None for a public service."""
        if method_name.startswith(PUBLIC_SERVICES):
            return None
        return Gate(self._tokens, self._rules(method_name), method_name.rpartition("/")[2])


class Gate:
    __slots__ = ("_verify", "_rule", "_method", "check_grant")

    def __init__(self, tokens: TokenService, rule: Rule | None, method: str):
        self._verify = tokens.verify
        # Awaited for a principal whose token names an OAuth grant (principal.grant): Unauthenticated once the
        # grant is revoked. Tokens naming none never pay for it.
        self.check_grant = tokens.check_grant
        self._rule = rule
        self._method = method

    def identify(self, context) -> Principal:
        """The caller, from its bearer token; Unauthenticated without a valid one. An in-process call without a
        token may carry the principal its caller has already authenticated (an incoming webhook's, admitted by
        chatsvc.http.webhooks): only chatsvc.api.local_calls' context has that attribute, never a gRPC one."""
        token = bearer_token(context.invocation_metadata())
        if token is None:
            vouched = getattr(context, "vouched_principal", None)
            if vouched is not None:
                return vouched
            raise Unauthenticated("Request is missing a bearer token.", reason="CREDENTIALS_MISSING")
        return self._verify(token)

    def permit(self, principal: Principal, request) -> None:
        """PermissionDenied unless this caller may make this request of the method."""
        if self._rule is None:  # fail closed: a method nobody wrote a rule for is callable by nobody
            raise PermissionDenied("This method is not open to callers.", reason="METHOD_NOT_AUTHORIZED")
        authorize(principal, self._rule, request, self._method)
