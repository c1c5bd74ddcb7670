"""Get, List, Sync, Revoke, Delete and CheckCapability over a connected account; only the owner sees it."""
from __future__ import annotations

import grpc

from chatsvc.credentials.v1 import credential_pb2
from chatsvc.credentials.v1 import credential_service_pb2 as pb
from tests.credentials.conftest import MICROSOFT, READONLY
from tests.helpers import failure, field_of

SYNCED = credential_pb2.Credential.SyncState.SYNC_STATE_SUCCEEDED
FAILED = credential_pb2.Credential.SyncState.SYNC_STATE_FAILED


async def test_list_pages_newest_first(env):
    made = [await env.connect(brand=f"brand-{i}") for i in range(3)]
    await env.connect(provider=MICROSOFT)
    first = await env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me", page_size=2,
                                                                     provider=credential_pb2.PROVIDER_GOOGLE),
                                           metadata=env.md())
    second = await env.stub.ListCredentials(pb.ListCredentialsRequest(
        parent="users/me", page_size=2, provider=credential_pb2.PROVIDER_GOOGLE, page_token=first.next_page_token),
        metadata=env.md())
    assert [c.name for c in [*first.credentials, *second.credentials]] == [c.name for c in reversed(made)]
    assert not second.next_page_token
    everything = await env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me"), metadata=env.md())
    assert len(everything.credentials) == 4
    for request, field in [(pb.ListCredentialsRequest(parent="users/me", page_size=-1), "page_size"),
                           (pb.ListCredentialsRequest(parent="users/me", page_token=first.next_page_token),
                            "page_token"),
                           (pb.ListCredentialsRequest(parent="users/me", provider=7), "provider"),
                           (pb.ListCredentialsRequest(parent="users"), "parent")]:
        details = await failure(env.stub.ListCredentials(request, metadata=env.md()), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field]


async def test_another_users_credential_is_invisible(env):
    credential = await env.connect("owner@example.com")
    user_id = credential.name.split("/")[1]
    stranger = env.md("stranger@example.com")
    mine_by_alias = credential.name.replace(user_id, "me")
    calls = [
        env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name), metadata=stranger),
        env.stub.GetCredential(pb.GetCredentialRequest(name=mine_by_alias), metadata=stranger),
        env.stub.DeleteCredential(pb.DeleteCredentialRequest(name=credential.name), metadata=stranger),
        env.stub.RevokeCredential(pb.RevokeCredentialRequest(name=credential.name), metadata=stranger),
        env.stub.SyncCredential(pb.SyncCredentialRequest(name=credential.name), metadata=stranger),
        env.stub.ListCalendars(pb.ListCalendarsRequest(name=credential.name), metadata=stranger),
        env.stub.ConfigureCalendars(pb.ConfigureCalendarsRequest(name=credential.name, to_sync=["x"]),
                                    metadata=stranger),
        env.stub.ListBusinessAccounts(pb.ListBusinessAccountsRequest(name=credential.name), metadata=stranger),
        env.stub.CheckCapability(pb.CheckCapabilityRequest(name=credential.name, capability="mail.send"),
                                 metadata=stranger),
    ]
    for call in calls:
        details = await failure(call, grpc.StatusCode.NOT_FOUND)
        assert details["ErrorInfo"].reason == "CREDENTIAL_NOT_FOUND"
    await failure(env.stub.ListCredentials(pb.ListCredentialsRequest(parent=f"users/{user_id}"), metadata=stranger),
                  grpc.StatusCode.NOT_FOUND)
    # The owner reaches it by id, by `me` and by email; not under the other provider's collection.
    for name in (credential.name, mine_by_alias, credential.name.replace(user_id, "owner@example.com")):
        assert (await env.stub.GetCredential(pb.GetCredentialRequest(name=name), metadata=env.md())) == credential
    await failure(env.stub.GetCredential(pb.GetCredentialRequest(
        name=credential.name.replace("googleCredentials", "microsoftCredentials")), metadata=env.md()),
        grpc.StatusCode.NOT_FOUND)
    details = await failure(env.stub.GetCredential(pb.GetCredentialRequest(name="users/me/credentials/x"),
                                                   metadata=env.md()), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["name"]


async def test_sync_refreshes_profile_and_counters(env):
    credential = await env.connect()
    assert credential.messages_total == 0 and not credential.HasField("last_daily_sync")
    env.fake.account.first_name = "Adeline"
    synced = await env.stub.SyncCredential(pb.SyncCredentialRequest(name=credential.name), metadata=env.md())
    assert (synced.messages_total, synced.threads_total, synced.history_id) == (100, 101, 103)
    assert synced.first_name == "Adeline" and synced.sync_state == SYNCED and synced.HasField("last_daily_sync")
    env.fake.fail_status = 500
    details = await failure(env.stub.SyncCredential(pb.SyncCredentialRequest(name=credential.name),
                                                    metadata=env.md()), grpc.StatusCode.UNAVAILABLE)
    assert details["ErrorInfo"].reason == "PROVIDER_UNAVAILABLE"
    env.fake.fail_status = 0
    after = await env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name), metadata=env.md())
    assert after.sync_state == FAILED and after.sync_error and after.first_name == "Adeline"


async def test_an_expiring_access_token_is_refreshed_first(env):
    env.fake.expires_in = 30  # inside the server's one-minute margin
    credential = await env.connect()
    await env.stub.SyncCredential(pb.SyncCredentialRequest(name=credential.name), metadata=env.md())
    assert env.fake.refreshes == 1


async def test_revoke_then_delete(env):
    credential = await env.connect()
    issued = list(env.fake.issued)
    revoked = await env.stub.RevokeCredential(pb.RevokeCredentialRequest(name=credential.name), metadata=env.md())
    assert revoked.revoked and issued[1] in env.fake.revoked  # the refresh token, revoked at the provider
    again = await env.stub.RevokeCredential(pb.RevokeCredentialRequest(name=credential.name), metadata=env.md())
    assert again == revoked and len(env.fake.revoked) == 1
    details = await failure(env.stub.SyncCredential(pb.SyncCredentialRequest(name=credential.name),
                                                    metadata=env.md()), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "CREDENTIAL_REVOKED"
    deleted = await env.stub.DeleteCredential(pb.DeleteCredentialRequest(name=credential.name), metadata=env.md())
    assert deleted.HasField("delete_time") and len(env.fake.revoked) == 1  # nothing left to revoke
    await failure(env.stub.DeleteCredential(pb.DeleteCredentialRequest(name=credential.name), metadata=env.md()),
                  grpc.StatusCode.NOT_FOUND)
    # Soft-deleted: still readable by name and with show_deleted, gone from the default list.
    assert (await env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name), metadata=env.md())) == deleted
    listed = await env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me"), metadata=env.md())
    assert list(listed.credentials) == []
    listed = await env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me", show_deleted=True),
                                            metadata=env.md())
    assert list(listed.credentials) == [deleted]


async def test_delete_revokes_at_the_provider_and_fails_cleanly(env):
    credential = await env.connect(provider=MICROSOFT)
    env.fake.fail_status = 502
    await failure(env.stub.DeleteCredential(pb.DeleteCredentialRequest(name=credential.name), metadata=env.md()),
                  grpc.StatusCode.UNAVAILABLE)
    unchanged = await env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name), metadata=env.md())
    assert unchanged == credential
    env.fake.fail_status = 0
    deleted = await env.stub.DeleteCredential(pb.DeleteCredentialRequest(name=credential.name), metadata=env.md())
    assert deleted.HasField("delete_time") and not env.fake.access  # Microsoft: every session signed out


async def test_check_capability(env):
    credential = await env.connect(scopes=["gmail.readonly", "calendar"])

    async def check(capability, md=None):
        return await env.stub.CheckCapability(pb.CheckCapabilityRequest(name=credential.name, capability=capability),
                                              metadata=md or env.md(scopes=READONLY))

    assert (await check("calendar")).usable
    assert (await check("mail.send")) == pb.CheckCapabilityResponse(usable=False, reason="SCOPE_MISSING")
    details = await failure(check("fly"), grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["capability"]
    await env.stub.RevokeCredential(pb.RevokeCredentialRequest(name=credential.name), metadata=env.md())
    assert (await check("calendar")) == pb.CheckCapabilityResponse(usable=False, reason="REVOKED")
    await env.stub.DeleteCredential(pb.DeleteCredentialRequest(name=credential.name), metadata=env.md())
    assert (await check("calendar")) == pb.CheckCapabilityResponse(usable=False, reason="DELETED")


async def test_in_process_usable_query(env):
    credential = await env.connect(scopes=["gmail.send"])
    user_id, credential_id = credential.name.split("/")[1], credential.name.split("/")[3]
    service = env.harness.running.credentials
    assert await service.usable(user_id, credential_id, "mail.send")
    assert not await service.usable(user_id, credential_id, "calendar")
    assert not await service.usable("someone-else", credential_id, "mail.send")
    assert not await service.usable(user_id, "no-such-id", "mail.send")
