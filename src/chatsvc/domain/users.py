"""Users: created on first sight (a token or a membership by email) with a stable opaque id."""
from __future__ import annotations

from chatsvc.aip import ids
from chatsvc.aip.names import MemberRef
from chatsvc.domain.access import write
from chatsvc.domain.errors import InvalidArgument, NotFound
from chatsvc.domain.models import User, UserType
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal

_CACHE_LIMIT = 50_000


class Directory:
    """Resolves callers and member references to users, creating humans and apps the first time.

    A user's id never changes once assigned, so callers are cached: after the first call, resolving the
    caller costs no database round trip.
    """

    def __init__(self, db: Transactions, clock: Clock):
        self._db = db
        self._clock = clock
        self._cache: dict[tuple[UserType, str], User] = {}

    async def caller(self, principal: Principal) -> User:
        """The user acting: the human, or under app authentication the app's own bot user."""
        if principal.is_app:
            return await self._known(UserType.BOT, principal.app)
        return await self._known(UserType.HUMAN, principal.email)

    async def app(self, app_name: str) -> User:
        """The bot user of a Chat app."""
        return await self._known(UserType.BOT, app_name)

    async def _known(self, kind: UserType, key: str) -> User:
        user = self._cache.get((kind, key))
        if user is None:
            user = await write(self._db, lambda repos: self.ensure(repos, kind, key))
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[(kind, key)] = user
        return user

    async def ensure(self, repos: Repositories, kind: UserType, key: str) -> User:
        """The human with this email or the app with this name, created inside the caller's transaction."""
        if kind == UserType.HUMAN:
            key = key.lower()
            user = await repos.users.by_email(key)
            fresh = User(id=ids.user_id(), type=kind, email=key, display_name=key.split("@")[0])
        else:
            user = await repos.users.by_app_name(key)
            fresh = User(id=ids.user_id(), type=kind, app_name=key, display_name=key)
        if user is None:
            await repos.users.add(fresh, self._clock())
            user = fresh
        return user

    async def resolve(self, repos: Repositories, ref: MemberRef, principal: Principal, field: str,
                      *, create: bool = False) -> User:
        """`me`, `app`, an email or a user id -> the user. Unknown ids are NOT_FOUND; an unknown email is
        created when `create` (adding a member by email is how a new user is invited)."""
        if ref.is_me:
            if principal.is_app:
                raise InvalidArgument.field(field, "`users/me` needs user authentication")
            return await self.ensure(repos, UserType.HUMAN, principal.email)
        if ref.is_app:
            return await self.ensure(repos, UserType.BOT, principal.app)
        if ref.is_email:
            if create:
                return await self.ensure(repos, UserType.HUMAN, ref.value)
            user = await repos.users.by_email(ref.value.lower())
        else:
            user = await repos.users.get(ref.value)
        if user is None:
            raise NotFound(f"User `users/{ref.value}` not found.", reason="USER_NOT_FOUND")
        return user
