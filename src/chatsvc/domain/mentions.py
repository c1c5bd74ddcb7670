"""@mentions in message text, the way Google Chat renders them.

A sender writes `<users/{user}>` (a user id, or an email as alias) or `<users/all>`. The stored text shows
`@Name` in its place, and a Mention records where: start and length count UTF-16 code units, the unit of
the JavaScript and Java clients that read these offsets (Python callers slice `text.encode("utf-16-le")`).
A reference to nobody we know stays in the text as it was written, unannotated.

From the stored text and its mentions the two derived forms follow without any lookup: formatted_text puts
the canonical `<users/{id}>` markup back, argument_text drops the mentions of Chat apps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from chatsvc.domain.models import Mention, User, UserType

ALL = "all"
_TOKEN = re.compile(r"<users/([^<>\s]{1,320})>")


@dataclass(frozen=True)
class Rendered:
    text: str
    mentions: tuple[Mention, ...]


def referenced(text: str) -> tuple[set[str], set[str], bool]:
    """The user ids and (lower-case) emails the text mentions, and whether it mentions @all."""
    ids: set[str] = set()
    emails: set[str] = set()
    everyone = False
    if "<users/" not in text:  # the common case costs one substring search
        return ids, emails, everyone
    for match in _TOKEN.finditer(text):
        value = match.group(1)
        if value == ALL:
            everyone = True
        elif "@" in value:
            emails.add(value.lower())
        else:
            ids.add(value)
    return ids, emails, everyone


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def render(text: str, by_id: dict[str, User], by_email: dict[str, User]) -> Rendered:
    """`<users/...>` references to known users (and @all) replaced by `@Name`, with their mentions."""
    if "<users/" not in text:
        return Rendered(text, ())
    parts: list[str] = []
    mentions: list[Mention] = []
    position = 0  # UTF-16 units written so far
    last = 0
    for match in _TOKEN.finditer(text):
        value = match.group(1)
        if value == ALL:
            user = User(id=ALL, type=UserType.UNSPECIFIED, display_name=ALL)
        else:
            user = by_email.get(value.lower()) if "@" in value else by_id.get(value)
            if user is None:
                continue
        before = text[last:match.start()]
        label = "@" + (user.display_name or user.app_name or user.email or user.id)
        parts += [before, label]
        position += _units(before)
        mentions.append(Mention(position, _units(label), user.id, user.type, user.display_name))
        position += _units(label)
        last = match.end()
    parts.append(text[last:])
    return Rendered("".join(parts), tuple(mentions))


def _rewrite(text: str, mentions: tuple[Mention, ...], replacement) -> str:
    encoded = text.encode("utf-16-le")
    out, last = [], 0
    for mention in sorted(mentions, key=lambda m: m.start):
        out.append(encoded[2 * last:2 * mention.start].decode("utf-16-le"))
        out.append(replacement(mention))
        last = mention.start + mention.length
    out.append(encoded[2 * last:].decode("utf-16-le"))
    return "".join(out)


def formatted_text(text: str, mentions: tuple[Mention, ...]) -> str:
    """The text with each mention written back as `<users/{id}>` markup."""
    if not mentions:
        return text
    return _rewrite(text, mentions, lambda m: f"<users/{m.user_id}>")


def argument_text(text: str, mentions: tuple[Mention, ...]) -> str:
    """The text without its mentions of Chat apps (what a slash-command style app parses)."""
    apps = tuple(m for m in mentions if m.user_type == UserType.BOT)
    if not apps:
        return text
    return _rewrite(text, apps, lambda m: "")
