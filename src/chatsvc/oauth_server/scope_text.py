"""The scopes a user may grant through chatsvc's authorization server, and what each lets an app do, in the words
the consent page shows. Scopes are those of user authentication in the scope table (chatsvc.auth.scopes): app
scopes (`chat.bot`, `chat.app.*`) belong to service accounts, and `chat.admin.*` to administrators, whom
this sign-in does not make."""
from __future__ import annotations

from chatsvc.auth.scopes import USER, all_rules, expand_scope, scope_kind, short_scope

DESCRIPTIONS = {
    "chat.customemojis": "See, create and delete custom emoji in Google Chat",
    "chat.customemojis.readonly": "See the custom emoji in Google Chat",
    "chat.delete": "Delete your Google Chat conversations and spaces, and remove access to their files",
    "chat.import": "Import spaces, messages and memberships into Google Chat",
    "chat.memberships": "See, add, change and remove the members of your Google Chat conversations and spaces",
    "chat.memberships.app": "Add this app to, and remove it from, your Google Chat conversations and spaces",
    "chat.memberships.readonly": "See the members of your Google Chat conversations and spaces",
    "chat.messages": "See, create and delete messages in your Google Chat spaces, and change and react to them",
    "chat.messages.create": "Post messages in your Google Chat conversations and spaces",
    "chat.messages.reactions": "See, add and remove reactions to messages in Google Chat",
    "chat.messages.reactions.create": "Add reactions to messages in Google Chat",
    "chat.messages.reactions.readonly": "See the reactions to messages in Google Chat",
    "chat.messages.readonly": "See the messages in your Google Chat conversations and spaces, and their reactions",
    "chat.spaces": "Create Google Chat conversations and spaces, and see, change and delete their details",
    "chat.spaces.create": "Create new Google Chat conversations and spaces",
    "chat.spaces.pins": "See, pin and unpin messages in your Google Chat spaces",
    "chat.spaces.pins.readonly": "See the pinned messages of your Google Chat spaces",
    "chat.spaces.readonly": "See your Google Chat conversations and spaces and their details",
    "chat.users.availability": "See and change whether you are active, away or not to be disturbed in Google Chat",
    "chat.users.availability.readonly": "See whether you are active, away or not to be disturbed in Google Chat",
    "chat.users.readstate": "See and change when you last read your Google Chat conversations and spaces",
    "chat.users.readstate.readonly": "See when you last read your Google Chat conversations and spaces",
    "chat.users.sections": "See and arrange the sections of your Google Chat sidebar",
    "chat.users.sections.readonly": "See the sections of your Google Chat sidebar",
    "chat.users.spacesettings": "See and change your notification settings for your Google Chat spaces",
    "chatsvc.campaigns": "Schedule, change and cancel your brands' email campaigns, and act on your mailboxes",
    "chatsvc.campaigns.readonly": "See your brands' email campaigns and how they went",
    "chatsvc.credentials": "Connect, sync, disconnect and revoke the Google and Microsoft accounts you link",
    "chatsvc.credentials.readonly": "See the Google and Microsoft accounts you linked and their calendars",
    "chatsvc.directory": "See and change your brands, their members, contacts, tags and lists",
    "chatsvc.directory.readonly": "See your brands, their members, contacts, tags and lists",
    "chatsvc.webhooks": "Register, rotate and remove incoming webhooks of the spaces you manage",
    "chatsvc.webhooks.readonly": "See the incoming webhooks of the spaces you manage",
    "chatsvc.apps": "Register Chat apps and change or remove the ones you registered",
    "chatsvc.apps.readonly": "See the Chat apps you registered",
    "directory.readonly": "See the names and email addresses of the people on this server (its directory)",
    "userinfo.email": "See your email address",
    "userinfo.profile": "See your name and profile picture",
}


def grantable_scopes() -> frozenset[str]:
    """Every user-authentication scope some method accepts, as full URLs."""
    found = set()
    for rule in all_rules():
        found.update(expand_scope(s) for s in rule.scopes if scope_kind(s) is USER)
    return frozenset(found)


def describe(scope: str) -> str:
    """What a full scope URL lets an app do; the URL itself for a scope without words (none, a test checks)."""
    return DESCRIPTIONS.get(short_scope(scope), scope)
