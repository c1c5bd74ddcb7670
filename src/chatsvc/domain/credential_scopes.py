"""Which provider scopes a consent asks for, and what granted scopes allow (the `scope_summary`)."""
from __future__ import annotations

from chatsvc.domain.credential_models import Credential, Provider
from chatsvc.domain.errors import InvalidArgument

GOOGLE_AUTH = "https://www.googleapis.com/auth/"
GRAPH = "https://graph.microsoft.com/"

# Short names a caller may ask for -> the provider scopes they expand to, in the seed's order.
REQUESTABLE: dict[Provider, dict[str, tuple[str, ...]]] = {
    Provider.GOOGLE: {
        "contacts": (GOOGLE_AUTH + "contacts", GOOGLE_AUTH + "contacts.other.readonly"),
        "gmail.readonly": (GOOGLE_AUTH + "gmail.readonly",),
        "gmail.send": (GOOGLE_AUTH + "gmail.send",),
        "gmail.modify": (GOOGLE_AUTH + "gmail.modify",),
        "calendar": (GOOGLE_AUTH + "calendar",),
        "business.manage": (GOOGLE_AUTH + "business.manage",),
    },
    Provider.MICROSOFT: {
        "contacts": ("Contacts.ReadWrite",),
        "mail.read": ("Mail.Read",),
        "mail.send": ("Mail.Send",),
        "mail.modify": ("Mail.ReadWrite",),
        "calendar": ("Calendars.ReadWrite",),
    },
}
# Always asked: who the account is. Microsoft needs offline_access for a refresh token.
BASE_SCOPES = {Provider.GOOGLE: ("profile", "email"),
               Provider.MICROSOFT: ("openid", "profile", "email", "offline_access", "User.Read")}

SUMMARY_ORDER = ("profile", "contacts", "contacts.read", "mail.read", "mail.send", "mail.modify", "calendar",
                 "business_profile")
_SUMMARY = {
    # Google
    "profile": ("profile",), "email": ("profile",), "openid": ("profile",),
    GOOGLE_AUTH + "userinfo.profile": ("profile",), GOOGLE_AUTH + "userinfo.email": ("profile",),
    GOOGLE_AUTH + "contacts": ("contacts",), GOOGLE_AUTH + "contacts.readonly": ("contacts.read",),
    GOOGLE_AUTH + "gmail.readonly": ("mail.read",), GOOGLE_AUTH + "gmail.send": ("mail.send",),
    GOOGLE_AUTH + "gmail.modify": ("mail.modify",), GOOGLE_AUTH + "calendar": ("calendar",),
    GOOGLE_AUTH + "business.manage": ("business_profile",),
    # Microsoft (compared case-insensitively, without the Graph prefix)
    "user.read": ("profile",), "contacts.readwrite": ("contacts",), "contacts.read": ("contacts.read",),
    "mail.read": ("mail.read",), "mail.send": ("mail.send",), "mail.readwrite": ("mail.read", "mail.modify"),
    "calendars.readwrite": ("calendar",),
}


def requested_scopes(provider: Provider, short_names: list[str]) -> list[str]:
    """The consent's scope list: the base scopes, then each requested one expanded, in canonical order."""
    table = REQUESTABLE[provider]
    if not short_names:
        raise InvalidArgument.field("scopes", f"name at least one of: {', '.join(table)}")
    for name in short_names:
        if name not in table:
            raise InvalidArgument.field("scopes", f"`{name}` is not a {provider.title} scope; valid: "
                                        f"{', '.join(table)}")
    wanted = set(short_names)
    return list(BASE_SCOPES[provider]) + [s for name, scopes in table.items() if name in wanted for s in scopes]


def summary(granted: tuple[str, ...]) -> tuple[str, ...]:
    found: set[str] = set()
    for scope in granted:
        key = scope.removeprefix(GRAPH)
        found.update(_SUMMARY.get(key, ()) or _SUMMARY.get(key.lower(), ()))
    return tuple(s for s in SUMMARY_ORDER if s in found)


# Any one of these lets the People API answer for the account (its contacts or its other contacts).
PEOPLE_API_SCOPES = frozenset(GOOGLE_AUTH + s for s in ("contacts", "contacts.readonly", "contacts.other.readonly"))


def people_apis_enabled(credential: Credential) -> bool:
    """Whether Google's People API may be called for `credential`: a connected Google credential whose
    granted scopes include a contacts scope. The profile is no signal (it is readable with any grant)."""
    return (credential.provider is Provider.GOOGLE and not credential.disconnected
            and not PEOPLE_API_SCOPES.isdisjoint(credential.scope))


def check_capability(credential: Credential, capability: str) -> str:
    """Why `credential` may not be used for `capability` (DELETED, REVOKED, SCOPE_MISSING), or "" if it may.
    The seed's rule: a deleted or revoked credential is disconnected; else its scope summary decides."""
    if capability not in SUMMARY_ORDER:
        raise InvalidArgument.field("capability", f"`{capability}` is not one of {', '.join(SUMMARY_ORDER)}")
    if credential.delete_time_us:
        return "DELETED"
    if credential.revoked:
        return "REVOKED"
    return "" if capability in credential.scope_summary else "SCOPE_MISSING"
