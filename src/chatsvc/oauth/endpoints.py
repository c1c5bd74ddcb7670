"""Each provider's OAuth client and API endpoints: configuration, with the real providers' URLs as defaults.

Every field can be set from the environment as CHATSVC_<PROVIDER>_<FIELD>, e.g. CHATSVC_GOOGLE_CLIENT_ID,
CHATSVC_GOOGLE_TOKEN_URL, CHATSVC_MICROSOFT_AUTHORIZE_URL.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

GOOGLE = "google"
MICROSOFT = "microsoft"


@dataclass(frozen=True)
class ProviderEndpoints:
    client_id: str = ""
    client_secret: str = ""
    authorize_url: str = ""
    token_url: str = ""
    revoke_url: str = ""
    profile_url: str = ""
    mailbox_url: str = ""  # message and thread counters, read by a sync
    calendars_url: str = ""
    business_accounts_url: str = ""  # Google only
    mail_api_url: str = ""  # the mailbox API's base: sending mail, marking messages (Gmail API, Graph)


GOOGLE_DEFAULTS = ProviderEndpoints(
    authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
    token_url="https://oauth2.googleapis.com/token",
    revoke_url="https://oauth2.googleapis.com/revoke",
    profile_url="https://people.googleapis.com/v1/people/me?personFields=names,emailAddresses,photos",
    mailbox_url="https://gmail.googleapis.com/gmail/v1/users/me/profile",
    calendars_url="https://www.googleapis.com/calendar/v3/users/me/calendarList",
    business_accounts_url="https://mybusinessaccountmanagement.googleapis.com/v1/accounts",
    mail_api_url="https://gmail.googleapis.com/gmail/v1/users/me",
)

# Microsoft has no RFC 7009 revocation endpoint; revoking sign-in sessions invalidates its refresh tokens.
MICROSOFT_DEFAULTS = ProviderEndpoints(
    authorize_url="https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token_url="https://login.microsoftonline.com/common/oauth2/v2.0/token",
    revoke_url="https://graph.microsoft.com/v1.0/me/revokeSignInSessions",
    profile_url="https://graph.microsoft.com/v1.0/me",
    mailbox_url="https://graph.microsoft.com/v1.0/me/mailFolders/inbox",
    calendars_url="https://graph.microsoft.com/v1.0/me/calendars",
    mail_api_url="https://graph.microsoft.com/v1.0/me",
)


def from_env(provider: str, defaults: ProviderEndpoints, environ=os.environ) -> ProviderEndpoints:
    changes = {}
    for field in fields(ProviderEndpoints):
        value = environ.get(f"CHATSVC_{provider.upper()}_{field.name.upper()}")
        if value is not None:
            changes[field.name] = value
    return replace(defaults, **changes)


def configured(environ=os.environ) -> dict[str, ProviderEndpoints]:
    return {GOOGLE: from_env(GOOGLE, GOOGLE_DEFAULTS, environ),
            MICROSOFT: from_env(MICROSOFT, MICROSOFT_DEFAULTS, environ)}
