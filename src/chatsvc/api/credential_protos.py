"""chatsvc.credentials.v1 messages <-> domain values. Tokens have no field here, so they cannot leak."""
from __future__ import annotations

from chatsvc.api.convert import timestamp
from chatsvc.credentials.v1 import credential_pb2
from chatsvc.domain import credential_scopes
from chatsvc.domain.credential_models import (
    BusinessAccount,
    Credential,
    CredentialJob,
    JobKind,
    Provider,
    RemoteCalendar,
)
from chatsvc.domain.credentials import Credentials
from chatsvc.domain.errors import InvalidArgument

PROVIDERS = {credential_pb2.PROVIDER_GOOGLE: Provider.GOOGLE, credential_pb2.PROVIDER_MICROSOFT: Provider.MICROSOFT}
_PROTO_PROVIDERS = {provider: value for value, provider in PROVIDERS.items()}
_JOB_KINDS = {JobKind.CONNECT: credential_pb2.CredentialJob.KIND_CONNECT,
              JobKind.SYNC: credential_pb2.CredentialJob.KIND_SYNC}
_VIEWS = (credential_pb2.CREDENTIAL_VIEW_UNSPECIFIED, credential_pb2.CREDENTIAL_VIEW_BASIC,
          credential_pb2.CREDENTIAL_VIEW_FULL)


def provider(value: int, field: str = "provider") -> Provider | None:
    """None for PROVIDER_UNSPECIFIED."""
    if value == credential_pb2.PROVIDER_UNSPECIFIED:
        return None
    if value not in PROVIDERS:
        raise InvalidArgument.field(field, f"{value} is not a provider")
    return PROVIDERS[value]


def full_view(value: int) -> bool:
    """Whether a read's `view` asks for the jobs too; unspecified is BASIC."""
    if value not in _VIEWS:
        raise InvalidArgument.field("view", f"{value} is not a credential view")
    return value == credential_pb2.CREDENTIAL_VIEW_FULL


def job_proto(job: CredentialJob) -> credential_pb2.CredentialJob:
    proto = credential_pb2.CredentialJob(id=job.id, kind=_JOB_KINDS[job.kind], state=int(job.state),
                                         start_time=timestamp(job.start_time_us), error=job.error)
    if job.end_time_us:
        proto.end_time.CopyFrom(timestamp(job.end_time_us))
    return proto


def credential_proto(c: Credential) -> credential_pb2.Credential:
    p = c.profile
    proto = credential_pb2.Credential(
        name=Credentials.name(c), provider=_PROTO_PROVIDERS[c.provider], brand=c.brand, email=p.email,
        resource_name=p.resource_name, display_name=p.display_name, first_name=p.first_name,
        last_name=p.last_name, photo=p.photo, profile_image_url=p.photo, scope=list(c.scope),
        scope_summary=list(c.scope_summary), revoked=c.revoked, messages_total=c.counters.messages_total,
        threads_total=c.counters.threads_total, history_id=c.counters.history_id,
        cgroups_sync_token=c.cgroups_sync_token, other_contacts_sync_token=c.other_contacts_sync_token,
        sync_state=int(c.sync_state), sync_error=c.sync_error, synced_calendars=list(c.synced_calendars),
        create_time=timestamp(c.create_time_us), update_time=timestamp(c.update_time_us),
        people_apis_enabled=credential_scopes.people_apis_enabled(c), jobs=[job_proto(j) for j in c.jobs or ()])
    if c.last_sync_us:
        proto.last_daily_sync.CopyFrom(timestamp(c.last_sync_us))
    if c.delete_time_us:
        proto.delete_time.CopyFrom(timestamp(c.delete_time_us))
    return proto


def calendar_proto(calendar: RemoteCalendar, synced: bool) -> credential_pb2.Calendar:
    return credential_pb2.Calendar(id=calendar.id, name=calendar.name, description=calendar.description,
                                   time_zone=calendar.time_zone, permission=calendar.permission,
                                   already_synced=synced)


def business_account_proto(account: BusinessAccount) -> credential_pb2.BusinessAccount:
    return credential_pb2.BusinessAccount(name=account.name, account_name=account.account_name,
                                          account_type=account.account_type, role=account.role,
                                          verification_state=account.verification_state)
