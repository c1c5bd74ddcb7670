"""Which OAuth scopes and kinds of authentication each RPC accepts.

Data, read from Google's documentation of every ChatService method (tests/auth/test_scope_table.py checks
it against the method documentation of Google's official Python client). Scopes are written short:
`chat.spaces` stands for `https://www.googleapis.com/auth/chat.spaces`.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

SCOPE_PREFIX = "https://www.googleapis.com/auth/"


class Kind(str, Enum):
    USER = "user"  # user authentication
    APP = "app"  # app authentication (the Chat app acts as itself)
    ADMIN = "admin"  # user authentication with administrator privileges, via `use_admin_access`


USER, APP, ADMIN = Kind.USER, Kind.APP, Kind.ADMIN


@dataclass(frozen=True)
class Rule:
    scopes: tuple[str, ...]
    kinds: frozenset[Kind]

    def scopes_for(self, kind: Kind) -> frozenset[str]:
        """The accepted scopes that make sense for one kind of caller.

        `chat.bot` and `chat.app.*` belong to app authentication, `chat.admin.*` to admin access; every
        other scope is a user scope.
        """
        return frozenset(s for s in self.scopes if scope_kind(s) is kind)


def scope_kind(short_scope: str) -> Kind:
    if short_scope in (CAMPAIGN_EVENTS_SCOPE, "chat.bot") or short_scope.startswith("chat.app."):
        return APP
    if short_scope.startswith("chat.admin."):
        return ADMIN
    return USER


# OpenID Connect's names for two of Google's scopes: Google grants and checks them as the URLs.
_OPENID_ALIASES = {"profile": "userinfo.profile", "email": "userinfo.email"}


def expand_scope(scope: str) -> str:
    """`chat.spaces` -> `https://www.googleapis.com/auth/chat.spaces`; `profile` and `email` -> the `userinfo.*`
    URLs they stand for; full URLs pass through."""
    return scope if "://" in scope else SCOPE_PREFIX + _OPENID_ALIASES.get(scope, scope)


def short_scope(scope: str) -> str:
    return scope[len(SCOPE_PREFIX):] if scope.startswith(SCOPE_PREFIX) else scope


CHAT_SERVICE = "google.chat.v1.ChatService"

# GetAttachment and UploadAttachment: the reference table leaves their kinds blank; Google's method docs
# say app authentication for GetAttachment and user authentication for UploadAttachment.
# GetSpaceEvent and ListSpaceEvents accept the same scopes: any that can read some kind of event.
SPACE_EVENT_SCOPES = (
    "chat.app.memberships",
    "chat.app.memberships.readonly",
    "chat.app.messages.readonly",
    "chat.app.spaces",
    "chat.app.spaces.readonly",
    "chat.memberships",
    "chat.memberships.readonly",
    "chat.messages",
    "chat.messages.reactions",
    "chat.messages.reactions.readonly",
    "chat.messages.readonly",
    "chat.spaces",
    "chat.spaces.readonly",
)

CHAT_RULES: dict[str, Rule] = {
    "CompleteImportSpace": Rule(scopes=("chat.import",), kinds=frozenset({USER})),
    "CreateCustomEmoji": Rule(scopes=("chat.customemojis",), kinds=frozenset({USER})),
    "CreateMembership": Rule(
        kinds=frozenset({USER, APP, ADMIN}),
        scopes=(
            "chat.admin.memberships",
            "chat.app.memberships",
            "chat.import",
            "chat.memberships",
            "chat.memberships.app",
        ),
    ),
    "CreateMessage": Rule(
        kinds=frozenset({USER, APP}),
        scopes=(
            "chat.bot",
            "chat.import",
            "chat.messages",
            "chat.messages.create",
        ),
    ),
    "CreateMessagePin": Rule(scopes=("chat.spaces", "chat.spaces.pins"), kinds=frozenset({USER})),
    "CreateReaction": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.import",
            "chat.messages",
            "chat.messages.reactions",
            "chat.messages.reactions.create",
        ),
    ),
    "CreateSection": Rule(scopes=("chat.users.sections",), kinds=frozenset({USER})),
    "CreateSpace": Rule(
        kinds=frozenset({USER, APP}),
        scopes=(
            "chat.app.spaces",
            "chat.app.spaces.create",
            "chat.import",
            "chat.spaces",
            "chat.spaces.create",
        ),
    ),
    "DeleteCustomEmoji": Rule(scopes=("chat.customemojis",), kinds=frozenset({USER})),
    "DeleteMembership": Rule(
        kinds=frozenset({USER, APP, ADMIN}),
        scopes=(
            "chat.admin.memberships",
            "chat.app.memberships",
            "chat.import",
            "chat.memberships",
            "chat.memberships.app",
        ),
    ),
    "DeleteMessage": Rule(scopes=("chat.bot", "chat.import", "chat.messages"), kinds=frozenset({USER, APP})),
    "DeleteMessagePin": Rule(scopes=("chat.spaces", "chat.spaces.pins"), kinds=frozenset({USER})),
    "DeleteReaction": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.import",
            "chat.messages",
            "chat.messages.reactions",
        ),
    ),
    "DeleteSection": Rule(scopes=("chat.users.sections",), kinds=frozenset({USER})),
    "DeleteSpace": Rule(
        kinds=frozenset({USER, APP, ADMIN}),
        scopes=(
            "chat.admin.delete",
            "chat.app.delete",
            "chat.delete",
            "chat.import",
        ),
    ),
    "FindDirectMessage": Rule(
        kinds=frozenset({USER, APP}),
        scopes=(
            "chat.bot",
            "chat.spaces",
            "chat.spaces.readonly",
        ),
    ),
    "FindGroupChats": Rule(scopes=("chat.memberships", "chat.memberships.readonly"), kinds=frozenset({USER})),
    "GetAttachment": Rule(scopes=("chat.bot",), kinds=frozenset({APP})),
    "GetAvailability": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.users.availability",
            "chat.users.availability.readonly",
        ),
    ),
    "GetCustomEmoji": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.customemojis",
            "chat.customemojis.readonly",
        ),
    ),
    "GetMembership": Rule(
        kinds=frozenset({USER, APP, ADMIN}),
        scopes=(
            "chat.admin.memberships",
            "chat.admin.memberships.readonly",
            "chat.app.memberships",
            "chat.bot",
            "chat.memberships",
            "chat.memberships.readonly",
        ),
    ),
    "GetMessage": Rule(
        kinds=frozenset({USER, APP}),
        scopes=(
            "chat.app.messages.readonly",
            "chat.bot",
            "chat.messages",
            "chat.messages.readonly",
        ),
    ),
    "GetSpace": Rule(
        kinds=frozenset({USER, APP, ADMIN}),
        scopes=(
            "chat.admin.spaces",
            "chat.admin.spaces.readonly",
            "chat.app.spaces",
            "chat.bot",
            "chat.spaces",
            "chat.spaces.readonly",
        ),
    ),
    "GetSpaceEvent": Rule(
        kinds=frozenset({USER, APP}),
        scopes=SPACE_EVENT_SCOPES,
    ),
    "GetSpaceNotificationSetting": Rule(scopes=("chat.users.spacesettings",), kinds=frozenset({USER})),
    "GetSpaceReadState": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.users.readstate",
            "chat.users.readstate.readonly",
        ),
    ),
    "GetThreadReadState": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.users.readstate",
            "chat.users.readstate.readonly",
        ),
    ),
    "ListCustomEmojis": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.customemojis",
            "chat.customemojis.readonly",
        ),
    ),
    "ListMemberships": Rule(
        kinds=frozenset({USER, APP, ADMIN}),
        scopes=(
            "chat.admin.memberships",
            "chat.admin.memberships.readonly",
            "chat.app.memberships",
            "chat.bot",
            "chat.import",
            "chat.memberships",
            "chat.memberships.readonly",
        ),
    ),
    "ListMessagePins": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.spaces",
            "chat.spaces.pins",
            "chat.spaces.pins.readonly",
            "chat.spaces.readonly",
        ),
    ),
    "ListMessages": Rule(
        kinds=frozenset({USER, APP}),
        scopes=(
            "chat.app.messages.readonly",
            "chat.import",
            "chat.messages",
            "chat.messages.readonly",
        ),
    ),
    "ListReactions": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.messages",
            "chat.messages.reactions",
            "chat.messages.reactions.readonly",
            "chat.messages.readonly",
        ),
    ),
    "ListSectionItems": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.users.sections",
            "chat.users.sections.readonly",
        ),
    ),
    "ListSections": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.users.sections",
            "chat.users.sections.readonly",
        ),
    ),
    "ListSpaceEvents": Rule(
        kinds=frozenset({USER, APP}),
        scopes=SPACE_EVENT_SCOPES,
    ),
    "ListSpaces": Rule(  # no admin access: Google points administrators to SearchSpaces instead
        kinds=frozenset({USER, APP}),
        scopes=(
            "chat.bot",
            "chat.spaces",
            "chat.spaces.readonly",
        ),
    ),
    "MarkAsActive": Rule(scopes=("chat.users.availability",), kinds=frozenset({USER})),
    "MarkAsAway": Rule(scopes=("chat.users.availability",), kinds=frozenset({USER})),
    "MarkAsDoNotDisturb": Rule(scopes=("chat.users.availability",), kinds=frozenset({USER})),
    "MoveSectionItem": Rule(scopes=("chat.users.sections",), kinds=frozenset({USER})),
    "PositionSection": Rule(scopes=("chat.users.sections",), kinds=frozenset({USER})),
    "SearchMessages": Rule(scopes=("chat.messages", "chat.messages.readonly"), kinds=frozenset({USER})),
    "SearchSpaces": Rule(
        kinds=frozenset({USER, ADMIN}),
        scopes=(
            "chat.admin.spaces",
            "chat.admin.spaces.readonly",
            "chat.spaces",
            "chat.spaces.readonly",
        ),
    ),
    "SetUpSpace": Rule(scopes=("chat.spaces", "chat.spaces.create"), kinds=frozenset({USER})),
    "UpdateAvailability": Rule(scopes=("chat.users.availability",), kinds=frozenset({USER})),
    "UpdateMembership": Rule(
        kinds=frozenset({USER, APP, ADMIN}),
        scopes=(
            "chat.admin.memberships",
            "chat.app.memberships",
            "chat.import",
            "chat.memberships",
        ),
    ),
    "UpdateMessage": Rule(scopes=("chat.bot", "chat.import", "chat.messages"), kinds=frozenset({USER, APP})),
    "UpdateSection": Rule(scopes=("chat.users.sections",), kinds=frozenset({USER})),
    "UpdateSpace": Rule(
        kinds=frozenset({USER, APP, ADMIN}),
        scopes=(
            "chat.admin.spaces",
            "chat.app.spaces",
            "chat.import",
            "chat.spaces",
        ),
    ),
    "UpdateSpaceNotificationSetting": Rule(scopes=("chat.users.spacesettings",), kinds=frozenset({USER})),
    "UpdateSpaceReadState": Rule(scopes=("chat.users.readstate",), kinds=frozenset({USER})),
    "UploadAttachment": Rule(
        kinds=frozenset({USER}),
        scopes=(
            "chat.import",
            "chat.messages",
            "chat.messages.create",
        ),
    ),
}


CREDENTIAL_SERVICE = "chatsvc.credentials.v1.CredentialService"
# Our own scopes, not Google's: full access, and a read-only one for the methods that change nothing here.
CREDENTIALS_SCOPE = "chatsvc.credentials"
CREDENTIALS_READONLY_SCOPE = "chatsvc.credentials.readonly"
_CREDENTIAL_READ = Rule(scopes=(CREDENTIALS_SCOPE, CREDENTIALS_READONLY_SCOPE), kinds=frozenset({USER}))
_CREDENTIAL_WRITE = Rule(scopes=(CREDENTIALS_SCOPE,), kinds=frozenset({USER}))
CREDENTIAL_RULES: dict[str, Rule] = {
    "CheckCapability": _CREDENTIAL_READ,
    "ConfigureCalendars": _CREDENTIAL_WRITE,
    "DeleteCredential": _CREDENTIAL_WRITE,
    "GetCredential": _CREDENTIAL_READ,
    "ListBusinessAccounts": _CREDENTIAL_READ,
    "ListCalendars": _CREDENTIAL_READ,
    "ListCredentials": _CREDENTIAL_READ,
    "RequestAccess": _CREDENTIAL_WRITE,
    "RevokeCredential": _CREDENTIAL_WRITE,
    "SyncCredential": _CREDENTIAL_WRITE,
    "VerifyGrant": _CREDENTIAL_WRITE,
}

DIRECTORY_SERVICE = "chatsvc.directory.v1.DirectoryService"
DIRECTORY_SCOPE = "chatsvc.directory"
DIRECTORY_READONLY_SCOPE = "chatsvc.directory.readonly"
_DIRECTORY_READ = Rule(scopes=(DIRECTORY_SCOPE, DIRECTORY_READONLY_SCOPE), kinds=frozenset({USER}))
_DIRECTORY_WRITE = Rule(scopes=(DIRECTORY_SCOPE,), kinds=frozenset({USER}))
DIRECTORY_RULES: dict[str, Rule] = {
    "CreateBrand": _DIRECTORY_WRITE,
    "CreateContact": _DIRECTORY_WRITE,
    "CreateContactList": _DIRECTORY_WRITE,
    "CreateMember": _DIRECTORY_WRITE,
    "DeleteBrand": _DIRECTORY_WRITE,
    "DeleteContact": _DIRECTORY_WRITE,
    "DeleteContactList": _DIRECTORY_WRITE,
    "DeleteMember": _DIRECTORY_WRITE,
    "GetBrand": _DIRECTORY_READ,
    "GetContact": _DIRECTORY_READ,
    "GetContactList": _DIRECTORY_READ,
    "GetMember": _DIRECTORY_READ,
    "ImportContacts": _DIRECTORY_WRITE,
    "ListBrands": _DIRECTORY_READ,
    "ListContactLists": _DIRECTORY_READ,
    "ListContacts": _DIRECTORY_READ,
    "ListMembers": _DIRECTORY_READ,
}

CAMPAIGN_SERVICE = "chatsvc.campaigns.v1.CampaignService"
CAMPAIGNS_SCOPE = "chatsvc.campaigns"
CAMPAIGNS_READONLY_SCOPE = "chatsvc.campaigns.readonly"
# What a mail provider's webhook holds: app authentication, for delivery events and nothing else.
CAMPAIGN_EVENTS_SCOPE = "chatsvc.campaigns.events"
_CAMPAIGN_READ = Rule(scopes=(CAMPAIGNS_SCOPE, CAMPAIGNS_READONLY_SCOPE), kinds=frozenset({USER}))
_CAMPAIGN_WRITE = Rule(scopes=(CAMPAIGNS_SCOPE,), kinds=frozenset({USER}))
CAMPAIGN_RULES: dict[str, Rule] = {
    "BatchArchiveMailboxMessages": _CAMPAIGN_WRITE,
    "BatchSetMailboxMessagesRead": _CAMPAIGN_WRITE,
    "BatchTrashMailboxMessages": _CAMPAIGN_WRITE,
    "CreateEmailCampaign": _CAMPAIGN_WRITE,
    "CreateSendingDomain": _CAMPAIGN_WRITE,
    "DeleteEmailCampaign": _CAMPAIGN_WRITE,
    "GetEmailCampaign": _CAMPAIGN_READ,
    "GetEmailQuota": _CAMPAIGN_READ,
    "GetSendingDomain": _CAMPAIGN_READ,
    "ListCampaignEmails": _CAMPAIGN_READ,
    "ListEmailCampaigns": _CAMPAIGN_READ,
    "RecordDeliveryEvent": Rule(scopes=(CAMPAIGN_EVENTS_SCOPE,), kinds=frozenset({APP})),
    "SetCampaignNotifications": _CAMPAIGN_WRITE,
    "SetMailboxMessageRead": _CAMPAIGN_WRITE,
    "UpdateEmailCampaign": _CAMPAIGN_WRITE,
    "UploadAttachment": _CAMPAIGN_WRITE,
    "VerifySendingDomain": _CAMPAIGN_WRITE,
}
WEBHOOK_SERVICE = "chatsvc.webhooks.v1.WebhookService"
WEBHOOKS_SCOPE = "chatsvc.webhooks"
WEBHOOKS_READONLY_SCOPE = "chatsvc.webhooks.readonly"
# Space managers, as users. Posting through a webhook's URL needs no token: chatsvc.http.webhooks.
_WEBHOOK_READ = Rule(scopes=(WEBHOOKS_SCOPE, WEBHOOKS_READONLY_SCOPE), kinds=frozenset({USER}))
_WEBHOOK_WRITE = Rule(scopes=(WEBHOOKS_SCOPE,), kinds=frozenset({USER}))
WEBHOOK_RULES: dict[str, Rule] = {
    "CreateWebhook": _WEBHOOK_WRITE,
    "DeleteWebhook": _WEBHOOK_WRITE,
    "GetWebhook": _WEBHOOK_READ,
    "ListWebhooks": _WEBHOOK_READ,
    "RotateWebhookToken": _WEBHOOK_WRITE,
}
APP_SERVICE = "chatsvc.apps.v1.AppService"
APPS_SCOPE = "chatsvc.apps"
APPS_READONLY_SCOPE = "chatsvc.apps.readonly"
# Users, as themselves: each manages the apps they registered, administrators all (chatsvc.domain.chat_apps).
_APP_READ = Rule(scopes=(APPS_SCOPE, APPS_READONLY_SCOPE), kinds=frozenset({USER}))
_APP_WRITE = Rule(scopes=(APPS_SCOPE,), kinds=frozenset({USER}))
APP_RULES: dict[str, Rule] = {
    "CreateApp": _APP_WRITE,
    "DeleteApp": _APP_WRITE,
    "GetApp": _APP_READ,
    "GetDelivery": _APP_READ,
    "ListApps": _APP_READ,
    "ListDeliveries": _APP_READ,
    "UpdateApp": _APP_WRITE,
}
INTERACTION_SERVICE = "chatsvc.interactions.v1.InteractionService"
# A Chat client's calls, as the user: what sending messages allows (chatsvc.domain.app_interactions).
_INTERACT = Rule(scopes=("chat.messages",), kinds=frozenset({USER}))
INTERACTION_RULES: dict[str, Rule] = {
    "AutocompleteWidget": _INTERACT,
    "CancelDialog": _INTERACT,
    "ClickCardAction": _INTERACT,
    "RunQuickCommand": _INTERACT,
    "SubmitDialog": _INTERACT,
}
LIVE_SERVICE = "chatsvc.live.v1.LiveService"
# A Chat client's live channel, as the user: what reads messages (the stream leaves out the event types a
# token's scopes do not read, as ListSpaceEvents refuses them).
LIVE_RULES: dict[str, Rule] = {
    "StreamEvents": Rule(scopes=("chat.messages", "chat.messages.readonly"), kinds=frozenset({USER})),
}
PEOPLE_SERVICE = "chatsvc.people.v1.PeopleService"
# Google's People API scopes that read a profile: the directory (anyone), or the caller's own name or address
# (`people/me` only; chatsvc.domain.people checks which field each reads). Apps, as themselves, with `chat.bot`.
_PEOPLE_READ = Rule(scopes=("chat.bot", "directory.readonly", "userinfo.email", "userinfo.profile"),
                    kinds=frozenset({USER, APP}))
PEOPLE_RULES: dict[str, Rule] = {
    "GetBatchGet": _PEOPLE_READ,
    "GetPerson": _PEOPLE_READ,
}
_RULES_BY_SERVICE = {CHAT_SERVICE: CHAT_RULES, CREDENTIAL_SERVICE: CREDENTIAL_RULES,
                     DIRECTORY_SERVICE: DIRECTORY_RULES, CAMPAIGN_SERVICE: CAMPAIGN_RULES,
                     WEBHOOK_SERVICE: WEBHOOK_RULES, APP_SERVICE: APP_RULES, INTERACTION_SERVICE: INTERACTION_RULES,
                     LIVE_SERVICE: LIVE_RULES, PEOPLE_SERVICE: PEOPLE_RULES}


def all_rules() -> list[Rule]:
    """Every method's rule, of every service."""
    return [rule for rules in _RULES_BY_SERVICE.values() for rule in rules.values()]


def rule_for(full_method: str) -> Rule | None:
    """`/google.chat.v1.ChatService/GetSpace` -> its Rule, or None for methods outside the tables."""
    service, _, method = full_method.lstrip("/").partition("/")
    return _RULES_BY_SERVICE.get(service, {}).get(method)
