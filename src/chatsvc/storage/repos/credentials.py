"""Connected accounts and used consent states. Tokens arrive sealed; this layer never sees plaintext."""
from __future__ import annotations

import json

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from chatsvc.domain.credential_models import (
    Credential,
    CredentialJob,
    JobKind,
    JobState,
    MailboxCounters,
    Profile,
    Provider,
    SyncState,
)
from chatsvc.storage.tables import consent_states_used, credential_jobs, credentials


def _credential(row) -> Credential:
    return Credential(
        id=row.id, user_id=row.user_id, provider=Provider(row.provider), brand=row.brand,
        profile=Profile(row.email, row.resource_name, row.display_name, row.first_name, row.last_name, row.photo),
        scope=tuple(json.loads(row.scope)), scope_summary=tuple(json.loads(row.scope_summary)),
        access_token_sealed=bytes(row.access_token), refresh_token_sealed=bytes(row.refresh_token),
        token_expires_us=row.token_expires_us, create_time_us=row.create_time_us,
        update_time_us=row.update_time_us, revoked=row.revoked, delete_time_us=row.delete_time_us,
        counters=MailboxCounters(row.messages_total, row.threads_total, row.history_id),
        cgroups_sync_token=row.cgroups_sync_token, other_contacts_sync_token=row.other_contacts_sync_token,
        last_sync_us=row.last_sync_us, sync_state=SyncState(row.sync_state), sync_error=row.sync_error,
        synced_calendars=tuple(json.loads(row.synced_calendars)), calendars_configured=row.calendars_configured)


def _values(c: Credential) -> dict:
    p = c.profile
    return dict(
        user_id=c.user_id, provider=c.provider.value, brand=c.brand, email=p.email, resource_name=p.resource_name,
        display_name=p.display_name, first_name=p.first_name, last_name=p.last_name, photo=p.photo,
        scope=json.dumps(list(c.scope)), scope_summary=json.dumps(list(c.scope_summary)),
        access_token=c.access_token_sealed, refresh_token=c.refresh_token_sealed,
        token_expires_us=c.token_expires_us, revoked=c.revoked, messages_total=c.counters.messages_total,
        threads_total=c.counters.threads_total, history_id=c.counters.history_id,
        cgroups_sync_token=c.cgroups_sync_token, other_contacts_sync_token=c.other_contacts_sync_token,
        last_sync_us=c.last_sync_us, sync_state=int(c.sync_state), sync_error=c.sync_error,
        synced_calendars=json.dumps(list(c.synced_calendars)), calendars_configured=c.calendars_configured,
        create_time_us=c.create_time_us, update_time_us=c.update_time_us, delete_time_us=c.delete_time_us)


class CredentialRepository:
    def __init__(self, conn: AsyncConnection):
        self._conn = conn

    async def get(self, credential_id: str) -> Credential | None:
        row = (await self._conn.execute(select(credentials).where(credentials.c.id == credential_id))).first()
        return _credential(row) if row else None

    async def live_for_account(self, user_id: str, provider: Provider, brand: str, email: str) -> Credential | None:
        """The user's connected (not deleted) credential for this account and brand, if any."""
        row = (await self._conn.execute(select(credentials).where(
            credentials.c.user_id == user_id, credentials.c.provider == provider.value,
            credentials.c.brand == brand, credentials.c.email == email, credentials.c.delete_time_us == 0,
        ).order_by(credentials.c.create_time_us.desc()).limit(1))).first()
        return _credential(row) if row else None

    async def list_for_user(self, user_id: str, provider: Provider | None, show_deleted: bool,
                            after: tuple[int, str] | None, limit: int) -> list[Credential]:
        """Newest first, keyset on (create_time_us, id) descending."""
        query = select(credentials).where(credentials.c.user_id == user_id)
        if provider is not None:
            query = query.where(credentials.c.provider == provider.value)
        if not show_deleted:
            query = query.where(credentials.c.delete_time_us == 0)
        if after is not None:
            time_us, last_id = after
            query = query.where(or_(credentials.c.create_time_us < time_us,
                                    and_(credentials.c.create_time_us == time_us, credentials.c.id < last_id)))
        query = query.order_by(credentials.c.create_time_us.desc(), credentials.c.id.desc()).limit(limit)
        return [_credential(row) for row in await self._conn.execute(query)]

    async def add(self, credential: Credential) -> None:
        await self._conn.execute(insert(credentials).values(id=credential.id, **_values(credential)))

    async def put(self, credential: Credential) -> None:
        await self._conn.execute(update(credentials).where(credentials.c.id == credential.id)
                                 .values(**_values(credential)))

    async def add_job(self, job: CredentialJob) -> None:
        await self._conn.execute(insert(credential_jobs).values(
            id=job.id, credential_id=job.credential_id, kind=job.kind.value, state=int(job.state),
            start_time_us=job.start_time_us, end_time_us=job.end_time_us, error=job.error))

    async def finish_job(self, job_id: str, state: JobState, end_time_us: int, error: str = "") -> None:
        await self._conn.execute(update(credential_jobs).where(credential_jobs.c.id == job_id)
                                 .values(state=int(state), end_time_us=end_time_us, error=error))

    async def jobs_for(self, credential_ids: list[str], per_credential: int) -> dict[str, list[CredentialJob]]:
        """The latest `per_credential` jobs of each credential, newest first: one query for the whole page."""
        if not credential_ids:
            return {}
        rank = func.row_number().over(partition_by=credential_jobs.c.credential_id,
                                      order_by=(credential_jobs.c.start_time_us.desc(),
                                                credential_jobs.c.id.desc())).label("rank")
        ranked = select(credential_jobs, rank).where(credential_jobs.c.credential_id.in_(credential_ids)).subquery()
        query = (select(ranked).where(ranked.c.rank <= per_credential)
                 .order_by(ranked.c.credential_id, ranked.c.rank))
        found: dict[str, list[CredentialJob]] = {credential_id: [] for credential_id in credential_ids}
        for row in await self._conn.execute(query):
            found[row.credential_id].append(CredentialJob(
                id=row.id, credential_id=row.credential_id, kind=JobKind(row.kind), state=JobState(row.state),
                start_time_us=row.start_time_us, end_time_us=row.end_time_us, error=row.error))
        return found

    async def state_used(self, nonce: str) -> bool:
        row = (await self._conn.execute(select(consent_states_used.c.nonce)
                                        .where(consent_states_used.c.nonce == nonce))).first()
        return row is not None

    async def use_state(self, nonce: str, expire_time_us: int, now_us: int) -> None:
        """Records the nonce; a second use of it is a uniqueness Conflict. Expired records are cleared."""
        await self._conn.execute(delete(consent_states_used).where(consent_states_used.c.expire_time_us < now_us))
        await self._conn.execute(insert(consent_states_used).values(nonce=nonce, expire_time_us=expire_time_us))
