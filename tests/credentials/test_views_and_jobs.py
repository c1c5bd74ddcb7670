"""The credential's history (jobs) behind CREDENTIAL_VIEW_FULL, and people_apis_enabled."""
from __future__ import annotations

from contextlib import contextmanager

import grpc
from sqlalchemy import event

from chatsvc.credentials.v1 import credential_pb2
from chatsvc.credentials.v1 import credential_service_pb2 as pb
from tests.credentials.conftest import MICROSOFT, READONLY
from tests.helpers import failure, field_of

Job = credential_pb2.CredentialJob
FULL_VIEW, BASIC_VIEW = credential_pb2.CREDENTIAL_VIEW_FULL, credential_pb2.CREDENTIAL_VIEW_BASIC


@contextmanager
def statements(env):
    """The SQL statements the server runs inside the block that touch the jobs table."""
    seen: list[str] = []
    engine = env.harness.running.db.engine.sync_engine

    def record(conn, cursor, statement, parameters, context, executemany):
        if "credential_jobs" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def kinds_and_states(credential):
    return [(job.kind, job.state) for job in credential.jobs]


async def test_full_view_carries_the_history_newest_first(env):
    credential = await env.connect()
    assert list(credential.jobs) == []  # VerifyGrant answers the basic view
    await env.stub.SyncCredential(pb.SyncCredentialRequest(name=credential.name), metadata=env.md())
    env.fake.fail_status = 500
    await failure(env.stub.SyncCredential(pb.SyncCredentialRequest(name=credential.name), metadata=env.md()),
                  grpc.StatusCode.UNAVAILABLE)
    env.fake.fail_status = 0

    for view in (credential_pb2.CREDENTIAL_VIEW_UNSPECIFIED, BASIC_VIEW):
        basic = await env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name, view=view),
                                             metadata=env.md(scopes=READONLY))
        assert list(basic.jobs) == []
    full = await env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name, view=FULL_VIEW),
                                        metadata=env.md(scopes=READONLY))
    assert kinds_and_states(full) == [(Job.KIND_SYNC, Job.STATE_FAILED), (Job.KIND_SYNC, Job.STATE_SUCCEEDED),
                                      (Job.KIND_CONNECT, Job.STATE_SUCCEEDED)]
    failed, succeeded, connected = full.jobs
    assert failed.error and not succeeded.error and not connected.error
    assert len({job.id for job in full.jobs}) == 3
    for job in full.jobs:
        assert job.HasField("start_time") and job.HasField("end_time")
        assert job.start_time.ToMicroseconds() <= job.end_time.ToMicroseconds()
    assert failed.end_time.ToMicroseconds() == full.update_time.ToMicroseconds()
    # Apart from the jobs, the full view is the basic one.
    del full.jobs[:]
    assert full == basic

    # Reconnecting the same account adds a connect job to the same credential.
    again = await env.connect()
    assert again.name == credential.name
    full = await env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name, view=FULL_VIEW),
                                        metadata=env.md())
    assert kinds_and_states(full)[0] == (Job.KIND_CONNECT, Job.STATE_SUCCEEDED) and len(full.jobs) == 4


async def test_list_full_view_loads_a_pages_jobs_in_one_query(env):
    made = [await env.connect(brand=f"brand-{i}") for i in range(3)]
    await env.stub.SyncCredential(pb.SyncCredentialRequest(name=made[0].name), metadata=env.md())
    with statements(env) as seen:
        basic = await env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me"), metadata=env.md())
    assert seen == [] and all(list(c.jobs) == [] for c in basic.credentials)
    with statements(env) as seen:
        first = await env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me", page_size=2,
                                                                         view=FULL_VIEW), metadata=env.md())
    assert len(seen) == 1  # the page's jobs together, not one query per credential
    assert [c.name for c in first.credentials] == [made[2].name, made[1].name]
    assert all(kinds_and_states(c) == [(Job.KIND_CONNECT, Job.STATE_SUCCEEDED)] for c in first.credentials)
    # The view is not part of the listing's identity: the next page may ask for another.
    second = await env.stub.ListCredentials(pb.ListCredentialsRequest(
        parent="users/me", page_size=2, view=FULL_VIEW, page_token=first.next_page_token), metadata=env.md())
    assert [c.name for c in second.credentials] == [made[0].name]
    assert kinds_and_states(second.credentials[0]) == [(Job.KIND_SYNC, Job.STATE_SUCCEEDED),
                                                       (Job.KIND_CONNECT, Job.STATE_SUCCEEDED)]
    basic_second = await env.stub.ListCredentials(pb.ListCredentialsRequest(
        parent="users/me", page_size=2, page_token=first.next_page_token), metadata=env.md())
    assert list(basic_second.credentials[0].jobs) == []


async def test_full_view_shows_only_the_latest_jobs(env):
    credential = await env.connect()
    for _ in range(21):
        await env.stub.SyncCredential(pb.SyncCredentialRequest(name=credential.name), metadata=env.md())
    full = await env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name, view=FULL_VIEW),
                                        metadata=env.md())
    assert len(full.jobs) == 20 and all(job.kind == Job.KIND_SYNC for job in full.jobs)
    starts = [job.start_time.ToMicroseconds() for job in full.jobs]
    assert starts == sorted(starts, reverse=True)


async def test_an_unknown_view_is_invalid(env):
    credential = await env.connect()
    for call in (env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name, view=9), metadata=env.md()),
                 env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me", view=9), metadata=env.md())):
        details = await failure(call, grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == ["view"]


async def test_full_view_keeps_other_users_out(env):
    credential = await env.connect("owner@example.com")
    await env.connect("stranger@example.com")
    details = await failure(env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name, view=FULL_VIEW),
                                                   metadata=env.md("stranger@example.com")),
                            grpc.StatusCode.NOT_FOUND)
    assert details["ErrorInfo"].reason == "CREDENTIAL_NOT_FOUND"
    theirs = await env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me", view=FULL_VIEW),
                                            metadata=env.md("stranger@example.com"))
    assert len(theirs.credentials) == 1 and len(theirs.credentials[0].jobs) == 1


async def test_people_apis_enabled_follows_the_contacts_scopes(env):
    with_contacts = await env.connect(scopes=["contacts"], brand="a")
    assert with_contacts.people_apis_enabled
    without = await env.connect(scopes=["gmail.send", "calendar"], brand="b")
    assert not without.people_apis_enabled and "profile" in without.scope_summary
    microsoft = await env.connect(provider=MICROSOFT, scopes=["contacts"])
    assert "contacts" in microsoft.scope_summary and not microsoft.people_apis_enabled
    revoked = await env.stub.RevokeCredential(pb.RevokeCredentialRequest(name=with_contacts.name), metadata=env.md())
    assert not revoked.people_apis_enabled
