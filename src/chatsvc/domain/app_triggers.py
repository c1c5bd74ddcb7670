"""What a user's new message triggers in the Chat apps of its space, as Google Chat decides it.

An app gets a MESSAGE event for a message, once however many reasons it has, when the message is
- in a DM with the app;
- an @mention of the app;
- the app's slash command: the text starts with `/name` (then the end or whitespace) and `/name` is a slash command
  of an app in the space. The message carries the command (Google's `slashCommand`, a SLASH_COMMAND annotation,
  `argumentText` without it). Two apps with the same command: the first by app name is the one invoked;
- a link the app previews: the first link in the text that matches a link-preview pattern of an app in the space
  is the message's `matchedUrl`, and that app (the first by name, if several preview it) gets the event.

Only registered apps that are joined members of the space and take events there count; a message from an app
triggers nothing. The cost: nothing unless the message could trigger (a DM with an app, a mention of an app, text
starting with `/` or holding `://`), then one query for the space's apps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from chatsvc.domain import mentions
from chatsvc.domain.chat_apps import ChatApp
from chatsvc.domain.models import Message, SlashCommand, Space, SpaceType, UserType
from chatsvc.domain.ports import Repositories

_COMMAND = re.compile(r"/\S+")
# A link as it appears in text: a scheme, `://`, then anything up to whitespace or the markup `<`, `>`, `|` of
# formatted links (`<https://example.com|label>`); trailing punctuation belongs to the sentence, not the link.
_LINK = re.compile(r"\bhttps?://[^\s<>|\"]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


@dataclass(frozen=True)
class Triggers:
    """What a new message triggers: the apps that get its MESSAGE event (each once, by name), and what the message
    itself carries."""

    apps: tuple[ChatApp, ...] = ()
    slash_command: SlashCommand | None = None
    matched_url: str = ""


NOTHING = Triggers()


def takes_events(app: ChatApp, space: Space) -> bool:
    """Whether the app is sent events in this space: it has a connection, and takes DMs or joins spaces."""
    if not (app.endpoint_url or app.pubsub_topic):
        return False
    if space.space_type == SpaceType.DIRECT_MESSAGE:
        return app.direct_messages_enabled
    return app.spaces_enabled


def _app_dm(space: Space) -> bool:
    return space.space_type == SpaceType.DIRECT_MESSAGE and space.single_user_bot_dm


def _mentioned_apps(message: Message) -> set[str]:
    return {m.user_id for m in message.mentions if m.user_type == UserType.BOT}


def could_trigger(space: Space, message: Message) -> bool:
    """Whether the message might trigger an app, decided without a query."""
    return (_app_dm(space) or message.text.startswith("/") or "://" in message.text
            or bool(_mentioned_apps(message)))


def links(text: str) -> list[str]:
    """The http(s) links in the text, in order."""
    return [match.group().rstrip(_TRAILING) for match in _LINK.finditer(text)]


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _slash_command(text: str, apps: list[ChatApp]) -> tuple[ChatApp, SlashCommand] | None:
    typed = _COMMAND.match(text)
    if typed is None:
        return None
    for app in apps:  # by app name: the first app with the command is the one invoked
        command = app.slash_command(typed.group())
        if command is not None:
            return app, SlashCommand(length=_units(typed.group()), app_user_id=app.user_id,
                                     app_display_name=app.display_name, command_id=command.id,
                                     command_name=command.name, opens_dialog=command.opens_dialog)
    return None


def _link_preview(text: str, apps: list[ChatApp]) -> tuple[ChatApp, str] | None:
    previewing = [app for app in apps if app.link_preview_patterns]
    if not previewing or "://" not in text:
        return None
    for url in links(text):
        for app in previewing:
            if app.previews(url):
                return app, url
    return None


async def detect(repos: Repositories, space: Space, message: Message, sender_is_human: bool) -> Triggers:
    """What the new message triggers; at most one query, and none for a message that could trigger nothing."""
    if not sender_is_human or not could_trigger(space, message):
        return NOTHING
    apps = [app for app in await repos.app_events.apps_among_members(space.id) if takes_events(app, space)]
    if not apps:
        return NOTHING
    receivers = {app.name for app in apps if _app_dm(space) or app.user_id in _mentioned_apps(message)}
    command = _slash_command(message.text, apps)
    if command is not None:
        receivers.add(command[0].name)
    preview = _link_preview(message.text, apps)
    if preview is not None:
        receivers.add(preview[0].name)
    return Triggers(apps=tuple(app for app in apps if app.name in receivers),
                    slash_command=command[1] if command else None, matched_url=preview[1] if preview else "")


def invoked_command(message: Message) -> SlashCommand | None:
    """The slash command the message is, while its text still starts with it (an edit can take it away)."""
    command = message.slash_command
    if command is None:
        return None
    typed = _COMMAND.match(message.text)
    return command if typed and typed.group().casefold() == command.command_name.casefold() else None


def argument_text(message: Message) -> str:
    """Google's `argumentText`: the text without its mentions of apps and, for a slash command, without the command
    and the whitespace after it."""
    text = mentions.argument_text(message.text, message.mentions)
    if invoked_command(message) is None:
        return text
    typed = _COMMAND.match(text)
    return text[typed.end():].lstrip() if typed else text
