"""The OAuth 2.0 authorization server's clients, authorization codes and grants."""
from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.oauth_grants import AuthorizationCode, Grant, OAuthClient
from chatsvc.storage.tables_oauth_server import oauth_clients, oauth_codes, oauth_grants

# The look-up every call with an OAuth access token may make (when its cached answer is stale): by key alone.
_GRANT_REVOKED = select(oauth_grants.c.revoke_time_us).where(oauth_grants.c.id == bindparam("b_id"))


def _client(row) -> OAuthClient:
    return OAuthClient(id=row.id, kind=row.kind, name=row.name, secret_sha256=row.secret_sha256,
                       redirect_uris=tuple(json.loads(row.redirect_uris)), app=row.app_name,
                       create_time_us=row.create_time_us)


def _code(row) -> AuthorizationCode:
    return AuthorizationCode(code_sha256=row.code_sha256, client_id=row.client_id, user_email=row.user_email,
                             redirect_uri=row.redirect_uri, scope=row.scope, code_challenge=row.code_challenge,
                             code_challenge_method=row.code_challenge_method, offline=row.offline,
                             create_time_us=row.create_time_us, expire_time_us=row.expire_time_us,
                             grant_id=row.grant_id)


def _grant(row) -> Grant:
    return Grant(id=row.id, client_id=row.client_id, user_email=row.user_email, scope=row.scope,
                 refresh_sha256=row.refresh_sha256, create_time_us=row.create_time_us,
                 revoke_time_us=row.revoke_time_us)


class OAuthServerRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def add_client(self, client: OAuthClient) -> None:
        await self._conn.execute(insert(oauth_clients).values(
            id=client.id, kind=client.kind, name=client.name, secret_sha256=client.secret_sha256,
            redirect_uris=json.dumps(list(client.redirect_uris)), app_name=client.app,
            create_time_us=client.create_time_us))

    async def clients(self, client_ids: list[str]) -> list[OAuthClient]:
        if not client_ids:
            return []
        rows = (await self._conn.execute(select(oauth_clients).where(oauth_clients.c.id.in_(client_ids)))).all()
        return [_client(row) for row in rows]

    async def add_code(self, code: AuthorizationCode) -> None:
        await self._conn.execute(insert(oauth_codes).values(
            code_sha256=code.code_sha256, client_id=code.client_id, user_email=code.user_email,
            redirect_uri=code.redirect_uri, scope=code.scope, code_challenge=code.code_challenge,
            code_challenge_method=code.code_challenge_method, offline=code.offline,
            create_time_us=code.create_time_us, expire_time_us=code.expire_time_us, grant_id=None))

    async def code(self, code_sha256: str) -> AuthorizationCode | None:
        row = (await self._conn.execute(select(oauth_codes).where(oauth_codes.c.code_sha256 == code_sha256))).first()
        return _code(row) if row else None

    async def redeem_code(self, code_sha256: str, grant_id: str, now_us: int) -> bool:
        """Marks the code used by `grant_id`, if it was unused and unexpired (one redemption wins a race)."""
        result = await self._conn.execute(update(oauth_codes).where(
            oauth_codes.c.code_sha256 == code_sha256, oauth_codes.c.grant_id.is_(None),
            oauth_codes.c.expire_time_us > now_us).values(grant_id=grant_id))
        return result.rowcount == 1

    async def purge_codes(self, expired_before_us: int) -> None:
        await self._conn.execute(delete(oauth_codes).where(oauth_codes.c.expire_time_us < expired_before_us))

    async def add_grant(self, grant: Grant) -> None:
        await self._conn.execute(insert(oauth_grants).values(
            id=grant.id, client_id=grant.client_id, user_email=grant.user_email, scope=grant.scope,
            refresh_sha256=grant.refresh_sha256, create_time_us=grant.create_time_us, revoke_time_us=None))

    async def grant(self, grant_id: str) -> Grant | None:
        row = (await self._conn.execute(select(oauth_grants).where(oauth_grants.c.id == grant_id))).first()
        return _grant(row) if row else None

    async def grant_by_refresh(self, refresh_sha256: str) -> Grant | None:
        row = (await self._conn.execute(select(oauth_grants).where(
            oauth_grants.c.refresh_sha256 == refresh_sha256))).first()
        return _grant(row) if row else None

    async def grant_standing(self, grant_id: str) -> bool:
        """Whether the grant exists and is not revoked."""
        row = (await self._conn.execute(_GRANT_REVOKED, {"b_id": grant_id})).first()
        return row is not None and row.revoke_time_us is None

    async def revoke_grant(self, grant_id: str, now_us: int) -> bool:
        """Whether it stood until now."""
        result = await self._conn.execute(update(oauth_grants).where(
            oauth_grants.c.id == grant_id, oauth_grants.c.revoke_time_us.is_(None)).values(revoke_time_us=now_us))
        return result.rowcount == 1
