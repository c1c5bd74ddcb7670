"""Enforces, for every RPC, a valid bearer token, an accepted scope and an accepted kind of authentication.

Order of checks, as Google applies them: no or bad token -> UNAUTHENTICATED; a kind of authentication the
RPC does not take -> PERMISSION_DENIED; no accepted scope for that kind -> PERMISSION_DENIED with reason
ACCESS_TOKEN_SCOPE_INSUFFICIENT.
"""
from __future__ import annotations

from grpc_interceptor import AsyncServerInterceptor

from chatsvc.api.interceptors import call_record
from chatsvc.auth.scopes import ADMIN, APP, USER, Rule, expand_scope, rule_for
from chatsvc.auth.tokens import TokenService
from chatsvc.domain.errors import PermissionDenied, Unauthenticated
from chatsvc.domain.principal import Principal, bind_principal, unbind_principal

# Calls that need no token: health checks and server reflection.
PUBLIC_SERVICES = ("/grpc.health.v1.Health/", "/grpc.reflection.v1alpha.ServerReflection/",
                   "/grpc.reflection.v1.ServerReflection/")


def bearer_token(metadata) -> str | None:
    for key, value in metadata or ():
        if key == "authorization":
            scheme, _, token = (value.decode() if isinstance(value, bytes) else value).partition(" ")
            return token.strip() if scheme.lower() == "bearer" else None
    return None


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


class AuthInterceptor(AsyncServerInterceptor):
    def __init__(self, tokens: TokenService, rules=rule_for):
        self._tokens = tokens
        self._rules = rules

    async def intercept(self, method, request_or_iterator, context, method_name):
        if method_name.startswith(PUBLIC_SERVICES):
            response = method(request_or_iterator, context)
            return response if hasattr(response, "__aiter__") else await response
        token = bearer_token(context.invocation_metadata())
        if token is None:
            raise Unauthenticated("Request is missing a bearer token.", reason="CREDENTIALS_MISSING")
        principal = self._tokens.verify(token)
        call_record().principal = principal.label
        rule = self._rules(method_name)
        if rule is None:  # fail closed: a method nobody wrote a rule for is callable by nobody
            raise PermissionDenied("This method is not open to callers.", reason="METHOD_NOT_AUTHORIZED")
        authorize(principal, rule, request_or_iterator, method_name.rpartition("/")[2])
        bound = bind_principal(principal)
        try:
            return await method(request_or_iterator, context)
        finally:
            unbind_principal(bound)
