"""Chat apps registered with chatsvc: what Google Cloud console's Chat API configuration page holds for an app.

An app's name is the Chat app identity tokens already carry (`chatsvc token --app NAME`, a trusted service
account's app): the app of app authentication, and what `users/app` means in a user's call made through it. Its
user (type BOT, `users.app_name` = the name) is made on registration if no call made it first, so `ChatApp.user_id`
is the `users/{id}` its memberships and messages show. Registering adds configuration, nothing else: an app that
is not registered calls the API as before, and deleting the registration leaves the identity, its tokens and its
memberships as they are.

The configuration: display name, avatar, description; the connection, an HTTP endpoint URL or a Pub/Sub topic;
the audience of the ID tokens events go with (a URL or a project number; by default the endpoint URL, followed
when the endpoint changes); the event format (Chat's classic event JSON or the Workspace add-on format); slash and
quick commands; link-preview patterns; whether it takes direct messages and joins spaces.

Who manages apps: any user registers apps (needing the `chatsvc.apps` scope) and manages the ones they
registered; administrators (`principal.admin`) manage every app; the command line is the operator (no
principal) and manages every app. An app someone may not manage does not exist to them (NOT_FOUND).

For the rest of the server (event routing and delivery): `ChatApps.get(name)` is the registration or None, no
caller involved; inside another unit of work, `repos.chat_apps.by_name(name)`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from enum import Enum
from urllib.parse import urlsplit

from chatsvc.domain.access import read, write
from chatsvc.domain.errors import AlreadyExists, InvalidArgument, NotFound
from chatsvc.domain.models import Page, User, UserType
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import DEFAULT_APP, Principal
from chatsvc.domain.users import Directory

# The rule of chatsvc.auth.tokens.valid_app_name: the names tokens can carry.
APP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\Z")
MAX_DISPLAY_NAME = 128
MAX_DESCRIPTION = 256
MAX_URL = 2048
MAX_LINK_PREVIEWS = 5  # Google's console takes five URL patterns
MAX_COMMAND_ID = 1000  # Google's console: a command id is 1 to 1000
MAX_COMMAND_NAME = 50
MAX_COMMAND_DESCRIPTION = 50
MAX_PATH_PREFIX = 512
_PROJECT_NUMBER = re.compile(r"^[0-9]{1,20}\Z")
_TOPIC = re.compile(r"^projects/[A-Za-z0-9][A-Za-z0-9._:-]{0,99}/topics/[A-Za-z][A-Za-z0-9._~+%-]{2,254}\Z")
_SLASH_NAME = re.compile(rf"^/[^\s\x00-\x1f\x7f]{{1,{MAX_COMMAND_NAME - 1}}}\Z")
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_PATTERN = re.compile(rf"^(?:\*\.)?{_LABEL}(?:\.{_LABEL})*\Z")


class EventFormat(str, Enum):
    CHAT = "chat"  # Google Chat's classic interaction event JSON
    ADDON = "addon"  # the Google Workspace add-on event object (`commonEventObject`, `chat.*Payload`)


class CommandType(str, Enum):
    SLASH = "slash"  # typed in a message: `/name args`
    QUICK = "quick"  # picked from the reply area's menu


@dataclass(frozen=True)
class AppCommand:
    id: int  # 1 to 1000; events carry it (`slashCommand.commandId`, `appCommandMetadata.appCommandId`)
    name: str  # `/vote` for a slash command; a quick command's label
    type: CommandType | None = None  # None on input only: SLASH when the name starts with `/`, else QUICK
    description: str = ""
    opens_dialog: bool = False


@dataclass(frozen=True)
class LinkPreviewPattern:
    host_pattern: str  # `support.example.com`, or `*.example.com` for the domain and every subdomain
    path_prefix: str = ""  # after the host's `/`: `cases/`; empty: any path

    def matches(self, url: str) -> bool:
        """Whether a link is one of this pattern's."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            return False
        if self.host_pattern.startswith("*."):
            domain = self.host_pattern[2:]
            if host != domain and not host.endswith("." + domain):
                return False
        elif host != self.host_pattern:
            return False
        return parts.path.lstrip("/").startswith(self.path_prefix)


@dataclass(frozen=True)
class ChatApp:
    name: str  # as tokens carry it; the resource is `apps/{name}`
    user_id: str  # the app's user (type BOT): `users/app` in calls made through it
    display_name: str
    endpoint_url: str = ""  # one of these two is set: where events go
    pubsub_topic: str = ""  # `projects/{project}/topics/{topic}`
    authentication_audience: str = ""  # a URL or a project number (digits); empty only for Pub/Sub apps
    event_format: EventFormat = EventFormat.CHAT
    avatar_url: str = ""
    description: str = ""
    commands: tuple[AppCommand, ...] = ()
    link_preview_patterns: tuple[LinkPreviewPattern, ...] = ()
    direct_messages_enabled: bool = True
    spaces_enabled: bool = True
    creator_id: str = ""  # empty: registered from the command line
    create_time_us: int = 0
    update_time_us: int = 0

    @property
    def audience_is_project_number(self) -> bool:
        """A project-number audience (ID tokens issued as chat@system.gserviceaccount.com) rather than a URL
        (OpenID Connect ID tokens)."""
        return bool(_PROJECT_NUMBER.match(self.authentication_audience))

    def command(self, command_id: int) -> AppCommand | None:
        return next((c for c in self.commands if c.id == command_id), None)

    def slash_command(self, name: str) -> AppCommand | None:
        """The slash command called `name` (`/vote`), without regard to case."""
        folded = name.casefold()
        return next((c for c in self.commands if c.type is CommandType.SLASH and c.name.casefold() == folded), None)

    def previews(self, url: str) -> bool:
        return any(pattern.matches(url) for pattern in self.link_preview_patterns)


@dataclass(frozen=True)
class AppSettings:
    """What a caller sets, by the API's field names; empty or None: the default."""

    display_name: str = ""
    avatar_url: str = ""
    description: str = ""
    endpoint_url: str = ""
    pubsub_topic: str = ""
    authentication_audience: str = ""
    event_format: EventFormat | None = None
    commands: tuple[AppCommand, ...] = ()
    link_preview_patterns: tuple[LinkPreviewPattern, ...] = ()
    direct_messages_enabled: bool | None = None
    spaces_enabled: bool | None = None


SETTABLE = tuple(f.name for f in fields(AppSettings))


def app_resource_name(name: str) -> str:
    return f"apps/{name}"


def app_not_found(name: str) -> NotFound:
    return NotFound(f"App `{app_resource_name(name)}` not found.", reason="APP_NOT_FOUND")


def checked_name(name: str, field: str = "app_id") -> str:
    if not APP_NAME.match(name):
        raise InvalidArgument.field(field, "must be 1 to 63 letters, digits, `.`, `_` or `-`, starting with a "
                                           "letter or digit (an app name as tokens carry it)")
    if name == DEFAULT_APP:
        raise InvalidArgument.field(field, f"`{DEFAULT_APP}` is the app calls go through when their token names "
                                           "none; it can't be registered")
    return name


def _plain(value: str, field: str, maximum: int, *, required: bool = False) -> str:
    text = value.strip()
    if (required and not text) or len(text) > maximum or any(ch < " " or ch == "\x7f" for ch in text):
        least = 1 if required else 0
        raise InvalidArgument.field(field, f"must be {least} to {maximum} characters, without control characters")
    return text


def _http_url(value: str, field: str, description: str) -> str:
    try:
        parts = urlsplit(value)
        ok = (parts.scheme in ("http", "https") and bool(parts.hostname) and len(value) <= MAX_URL
              and not any(ch <= " " or ch == "\x7f" for ch in value))
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        ok = False
    if not ok:
        raise InvalidArgument.field(field, description)
    return value


def _url(value: str, field: str) -> str:
    return _http_url(value, field, f"must be an http or https URL of at most {MAX_URL} characters")


def _audience(value: str, field: str = "app.authentication_audience") -> str:
    if _PROJECT_NUMBER.match(value):
        return value
    return _http_url(value, field, "must be an http or https URL, or a project number (digits)")


def _topic(value: str) -> str:
    if not _TOPIC.match(value) or value.split("/")[3].startswith("goog"):
        raise InvalidArgument.field("app.pubsub_topic", "must have the form `projects/{project}/topics/{topic}` "
                                                        "(a topic name of 3 to 255 characters, starting with a letter)")
    return value


def _commands(commands: Iterable[AppCommand]) -> tuple[AppCommand, ...]:
    checked, ids, names = [], set(), set()
    for index, command in enumerate(commands):
        field = f"app.commands[{index}]"
        if not 1 <= command.id <= MAX_COMMAND_ID:
            raise InvalidArgument.field(f"{field}.command_id", f"must be 1 to {MAX_COMMAND_ID}")
        if command.id in ids:
            raise InvalidArgument.field(f"{field}.command_id", f"{command.id} is the id of another command of the app")
        name = command.name.strip()
        kind = command.type or (CommandType.SLASH if name.startswith("/") else CommandType.QUICK)
        if kind is CommandType.SLASH and not _SLASH_NAME.match(name):
            raise InvalidArgument.field(f"{field}.name", f"a slash command's name is `/` and 1 to "
                                                         f"{MAX_COMMAND_NAME - 1} further characters, without spaces")
        if kind is CommandType.QUICK:
            name = _plain(name, f"{field}.name", MAX_COMMAND_NAME, required=True)
            if name.startswith("/"):
                raise InvalidArgument.field(f"{field}.name", "a quick command's name doesn't start with `/`")
        if name.casefold() in names:
            raise InvalidArgument.field(f"{field}.name", f"`{name}` is the name of another command of the app")
        description = _plain(command.description, f"{field}.description", MAX_COMMAND_DESCRIPTION)
        ids.add(command.id)
        names.add(name.casefold())
        checked.append(AppCommand(command.id, name, kind, description, bool(command.opens_dialog)))
    return tuple(checked)


def _link_previews(patterns: Iterable[LinkPreviewPattern]) -> tuple[LinkPreviewPattern, ...]:
    checked = []
    for index, pattern in enumerate(patterns):
        field = f"app.link_preview_patterns[{index}]"
        host = pattern.host_pattern.strip().lower()
        if len(host) > 253 or not _HOST_PATTERN.match(host):
            raise InvalidArgument.field(f"{field}.host_pattern", "must be a host name (`support.example.com`) or "
                                                                 "`*.` and a domain (`*.example.com`)")
        prefix = pattern.path_prefix.strip().lstrip("/")
        if len(prefix) > MAX_PATH_PREFIX or any(ch <= " " or ch in "?#\x7f" for ch in prefix):
            raise InvalidArgument.field(f"{field}.path_prefix", f"must be a URL path of at most {MAX_PATH_PREFIX} "
                                                                "characters, without spaces, `?` or `#`")
        checked.append(LinkPreviewPattern(host, prefix))
    if len(checked) > MAX_LINK_PREVIEWS:
        raise InvalidArgument.field("app.link_preview_patterns", f"at most {MAX_LINK_PREVIEWS} patterns")
    if len(set(checked)) < len(checked):
        raise InvalidArgument.field("app.link_preview_patterns", "lists a pattern twice")
    return tuple(checked)


def checked_settings(name: str, settings: AppSettings) -> AppSettings:
    """The settings normalized and with every default filled in; INVALID_ARGUMENT naming the first field wrong."""
    endpoint, topic = settings.endpoint_url.strip(), settings.pubsub_topic.strip()
    if bool(endpoint) == bool(topic):
        raise InvalidArgument.field("app.endpoint_url", "an app has either an HTTP endpoint URL or a Pub/Sub topic "
                                                        "(`app.pubsub_topic`), and not both")
    endpoint = _url(endpoint, "app.endpoint_url") if endpoint else ""
    audience = settings.authentication_audience.strip()
    return AppSettings(
        display_name=_plain(settings.display_name, "app.display_name", MAX_DISPLAY_NAME) or name,
        avatar_url=_url(settings.avatar_url.strip(), "app.avatar_url") if settings.avatar_url.strip() else "",
        description=_plain(settings.description, "app.description", MAX_DESCRIPTION),
        endpoint_url=endpoint,
        pubsub_topic=_topic(topic) if topic else "",
        authentication_audience=_audience(audience) if audience else endpoint,
        event_format=EventFormat(settings.event_format or EventFormat.CHAT),
        commands=_commands(settings.commands),
        link_preview_patterns=_link_previews(settings.link_preview_patterns),
        direct_messages_enabled=True if settings.direct_messages_enabled is None else settings.direct_messages_enabled,
        spaces_enabled=True if settings.spaces_enabled is None else settings.spaces_enabled,
    )


def merged_settings(current: ChatApp, settings: AppSettings, changed: frozenset[str]) -> AppSettings:
    """`current`'s settings with the `changed` fields taken from `settings`. The connection is one of two: a new
    endpoint drops the topic and the other way round. An audience that was the endpoint URL (the default) follows
    a new endpoint unless it is changed too."""
    merged = AppSettings(**{name: getattr(settings if name in changed else current, name) for name in SETTABLE})
    if "endpoint_url" in changed and settings.endpoint_url and "pubsub_topic" not in changed:
        merged = replace(merged, pubsub_topic="")
    if "pubsub_topic" in changed and settings.pubsub_topic and "endpoint_url" not in changed:
        merged = replace(merged, endpoint_url="")
    if "authentication_audience" not in changed and current.authentication_audience == current.endpoint_url:
        merged = replace(merged, authentication_audience="")
    return merged


class ChatApps:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    # --- for the rest of the server ---------------------------------------------------------------------------

    async def get(self, name: str) -> ChatApp | None:
        """The app registered under `name` (as tokens carry it), or None. No caller, no check."""
        if not APP_NAME.match(name):
            return None
        return await read(self._db, lambda repos: repos.chat_apps.by_name(name))

    # --- management: `principal` None is the operator (the command line) --------------------------------------

    async def create(self, principal: Principal | None, name: str, settings: AppSettings) -> ChatApp:
        name = checked_name(name)
        checked = checked_settings(name, settings)
        caller = await self._caller(principal)

        async def work(repos: Repositories) -> ChatApp:
            if await repos.chat_apps.by_name(name) is not None:
                raise AlreadyExists(f"App `{app_resource_name(name)}` already exists.", reason="APP_ALREADY_EXISTS")
            user = await self._directory.ensure(repos, UserType.BOT, name)
            now = self._clock()
            app = ChatApp(name=name, user_id=user.id, creator_id=caller.id if caller else "", create_time_us=now,
                          update_time_us=now, **vars(checked))
            await repos.chat_apps.add(app)
            await repos.users.set_display_name(user.id, app.display_name)
            return app

        return await write(self._db, work)

    async def fetch(self, principal: Principal | None, name: str) -> ChatApp:
        """The app, if the caller may manage it; NOT_FOUND otherwise."""
        caller = await self._caller(principal)
        return await read(self._db, lambda repos: self._managed(repos, principal, caller, name))

    async def list(self, principal: Principal | None, *, after: tuple | None, limit: int) -> Page:
        """The apps the caller manages, by name; `after` is the (name,) of the last one seen."""
        caller = await self._caller(principal)
        creator = None if principal is None or principal.admin else caller.id
        return await read(self._db, lambda repos: repos.chat_apps.list(
            after=after[0] if after else None, limit=limit, creator_id=creator))

    async def update(self, principal: Principal | None, name: str, settings: AppSettings,
                     changed: Iterable[str]) -> ChatApp:
        """Sets the `changed` fields (names of AppSettings) from `settings`; a field changed to empty or None goes
        back to its default."""
        changed = frozenset(changed)
        unknown = sorted(changed - set(SETTABLE))
        if unknown:
            raise InvalidArgument.field("update_mask", f"`{unknown[0]}` can't be changed")
        caller = await self._caller(principal)

        async def work(repos: Repositories) -> ChatApp:
            current = await self._managed(repos, principal, caller, name, lock=True)
            checked = checked_settings(name, merged_settings(current, settings, changed))
            if replace(current, **vars(checked)) == current:
                return current  # nothing changes, not even the update time
            updated = replace(current, update_time_us=max(self._clock(), current.update_time_us), **vars(checked))
            await repos.chat_apps.update(updated)
            if updated.display_name != current.display_name:
                await repos.users.set_display_name(current.user_id, updated.display_name)
            return updated

        return await write(self._db, work)

    async def delete(self, principal: Principal | None, name: str) -> ChatApp:
        """Removes the registration and returns it; the app's identity, tokens and memberships stay."""
        caller = await self._caller(principal)

        async def work(repos: Repositories) -> ChatApp:
            app = await self._managed(repos, principal, caller, name, lock=True)
            await repos.chat_apps.delete(name)
            return app

        return await write(self._db, work)

    # --- rules ------------------------------------------------------------------------------------------------

    async def _caller(self, principal: Principal | None) -> User | None:
        return await self._directory.caller(principal) if principal is not None else None

    @staticmethod
    async def _managed(repos: Repositories, principal: Principal | None, caller: User | None, name: str, *,
                       lock: bool = False) -> ChatApp:
        app = await repos.chat_apps.by_name(name, lock=lock) if APP_NAME.match(name) else None
        if app is None or not (principal is None or principal.admin or (caller and app.creator_id == caller.id)):
            raise app_not_found(name)
        return app
