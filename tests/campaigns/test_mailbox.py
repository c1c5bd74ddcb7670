"""Mailbox actions on a connected Google account over gRPC: read / unread one or many, trash, archive; the
caller's own connected credential with mail.send and mail.modify only; bounded, checked message ids."""
from __future__ import annotations

import grpc
import pytest

from chatsvc.campaigns.v1 import campaign_service_pb2 as pb
from chatsvc.credentials.v1 import credential_service_pb2 as cred_pb
from tests.credentials.conftest import MICROSOFT
from tests.helpers import failure, field_of

OK = grpc.StatusCode


async def connected(env, **kwargs) -> str:
    credential = await env.credentials.connect(**kwargs)
    env.fake.mail.seed_gmail("m1", "m2", "m3")
    return credential.name


def labels(env, *ids) -> list[set[str]]:
    return [env.fake.mail.gmail[i].labels for i in ids]


async def test_read_unread_trash_archive_lifecycle(mail_env):
    name = await connected(mail_env)
    me_name = "users/me/googleCredentials/" + name.rsplit("/", 1)[1]
    stub, md = mail_env.stub, mail_env.md()
    await stub.SetMailboxMessageRead(pb.SetMailboxMessageReadRequest(credential=name, message_id="m1", read=True),
                                     metadata=md)
    assert labels(mail_env, "m1", "m2") == [{"INBOX"}, {"INBOX", "UNREAD"}]
    await stub.SetMailboxMessageRead(pb.SetMailboxMessageReadRequest(credential=me_name, message_id="m1"),
                                     metadata=md)
    assert labels(mail_env, "m1") == [{"INBOX", "UNREAD"}]
    assert mail_env.fake.mail.calls[-1].path.endswith("/messages/m1/modify")

    await stub.BatchSetMailboxMessagesRead(pb.BatchSetMailboxMessagesReadRequest(
        credential=name, message_ids=["m1", "m2", "m1"], read=True), metadata=md)
    call = mail_env.fake.mail.calls[-1]
    assert call.path.endswith("/messages/batchModify")
    assert call.body == {"ids": ["m1", "m2"], "removeLabelIds": ["UNREAD"]}  # duplicates dropped
    assert labels(mail_env, "m1", "m2", "m3") == [{"INBOX"}, {"INBOX"}, {"INBOX", "UNREAD"}]
    await stub.BatchSetMailboxMessagesRead(pb.BatchSetMailboxMessagesReadRequest(
        credential=name, message_ids=["m2"], read=False), metadata=md)
    assert labels(mail_env, "m2") == [{"INBOX", "UNREAD"}]

    await stub.BatchArchiveMailboxMessages(pb.BatchArchiveMailboxMessagesRequest(
        credential=name, message_ids=["m1", "m2"]), metadata=md)
    assert labels(mail_env, "m1", "m2", "m3") == [set(), {"UNREAD"}, {"INBOX", "UNREAD"}]
    await stub.BatchTrashMailboxMessages(pb.BatchTrashMailboxMessagesRequest(
        credential=name, message_ids=["m3"]), metadata=md)
    assert labels(mail_env, "m3") == [{"INBOX", "UNREAD", "TRASH"}]
    # each call used the account's live access token
    assert {c.token for c in mail_env.fake.mail.calls} <= set(mail_env.fake.access)


async def test_someone_elses_or_missing_credential_is_not_found(mail_env):
    name = await connected(mail_env)
    missing = name.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"
    stranger = mail_env.md("stranger@example.com")
    answers = []
    for credential in (name, missing):
        details = await failure(mail_env.stub.BatchTrashMailboxMessages(pb.BatchTrashMailboxMessagesRequest(
            credential=credential, message_ids=["m1"]), metadata=stranger), OK.NOT_FOUND)
        answers.append(details["ErrorInfo"].reason)
    assert answers == ["CREDENTIAL_NOT_FOUND"] * 2
    other_user = "users/stranger@example.com/googleCredentials/" + name.rsplit("/", 1)[1]
    await failure(mail_env.stub.SetMailboxMessageRead(pb.SetMailboxMessageReadRequest(
        credential=other_user, message_id="m1"), metadata=mail_env.md()), OK.NOT_FOUND)
    assert mail_env.fake.mail.calls == [] and "TRASH" not in mail_env.fake.mail.gmail["m1"].labels


@pytest.mark.parametrize("disconnect", ["RevokeCredential", "DeleteCredential"])
async def test_a_disconnected_credential_is_refused(mail_env, disconnect):
    name = await connected(mail_env)
    request = getattr(cred_pb, f"{disconnect}Request")(name=name)
    await getattr(mail_env.credentials.stub, disconnect)(request, metadata=mail_env.credentials.md())
    details = await failure(mail_env.stub.BatchArchiveMailboxMessages(pb.BatchArchiveMailboxMessagesRequest(
        credential=name, message_ids=["m1"]), metadata=mail_env.md()), OK.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == ("CREDENTIAL_REVOKED" if disconnect == "RevokeCredential"
                                           else "CREDENTIAL_DELETED")
    assert mail_env.fake.mail.calls == []


@pytest.mark.parametrize("scopes, lacking", [(("gmail.send",), "mail.modify"), (("gmail.modify",), "mail.send"),
                                             (("contacts",), "mail.send")])
async def test_mail_send_and_mail_modify_are_both_required(mail_env, scopes, lacking):
    name = await connected(mail_env, scopes=scopes)
    details = await failure(mail_env.stub.SetMailboxMessageRead(pb.SetMailboxMessageReadRequest(
        credential=name, message_id="m1", read=True), metadata=mail_env.md()), OK.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "CREDENTIAL_SCOPE_MISSING"
    assert details["ErrorInfo"].metadata["capability"] == lacking
    assert mail_env.fake.mail.calls == []


async def test_message_ids_are_checked_before_anything_else(mail_env):
    name = await connected(mail_env)
    stub, md = mail_env.stub, mail_env.md()
    cases = [
        (stub.BatchTrashMailboxMessages(pb.BatchTrashMailboxMessagesRequest(credential=name), metadata=md),
         "message_ids"),
        (stub.BatchTrashMailboxMessages(pb.BatchTrashMailboxMessagesRequest(
            credential=name, message_ids=[f"m{i}" for i in range(1001)]), metadata=md), "message_ids"),
        (stub.BatchArchiveMailboxMessages(pb.BatchArchiveMailboxMessagesRequest(
            credential=name, message_ids=["m1", "x" * 257]), metadata=md), "message_ids[1]"),
        (stub.BatchSetMailboxMessagesRead(pb.BatchSetMailboxMessagesReadRequest(
            credential=name, message_ids=[" "]), metadata=md), "message_ids[0]"),
        (stub.SetMailboxMessageRead(pb.SetMailboxMessageReadRequest(credential=name), metadata=md), "message_id"),
        (stub.SetMailboxMessageRead(pb.SetMailboxMessageReadRequest(credential="users/me/googleCredentials",
                                                                    message_id="m1"), metadata=md), "credential"),
    ]
    for call, field in cases:
        assert field_of(await failure(call, OK.INVALID_ARGUMENT)) == [field]
    microsoft = await mail_env.credentials.connect(provider=MICROSOFT)
    details = await failure(stub.SetMailboxMessageRead(pb.SetMailboxMessageReadRequest(
        credential=microsoft.name, message_id="m1"), metadata=md), OK.INVALID_ARGUMENT)
    assert field_of(details) == ["credential"]
    # exactly 1000 is fine (the fake knows none of them: Gmail's 400 comes back as INVALID_ARGUMENT)
    details = await failure(stub.BatchTrashMailboxMessages(pb.BatchTrashMailboxMessagesRequest(
        credential=name, message_ids=[f"m{i}" for i in range(1000)]), metadata=md), OK.INVALID_ARGUMENT)
    assert details["ErrorInfo"].reason == "MAILBOX_MESSAGE_INVALID"
    assert len(mail_env.fake.mail.calls) == 1


async def test_provider_failures(mail_env):
    name = await connected(mail_env)
    stub, md = mail_env.stub, mail_env.md()

    def read_m1():
        return stub.SetMailboxMessageRead(pb.SetMailboxMessageReadRequest(credential=name, message_id="m1",
                                                                          read=True), metadata=md)

    for status, code, reason in [(503, OK.UNAVAILABLE, "PROVIDER_UNAVAILABLE"),
                                 (429, OK.UNAVAILABLE, "PROVIDER_UNAVAILABLE"),
                                 (401, OK.FAILED_PRECONDITION, "PROVIDER_ACCESS_DENIED")]:
        mail_env.fake.mail.failures.append(status)
        assert (await failure(read_m1(), code))["ErrorInfo"].reason == reason
    assert "UNREAD" in mail_env.fake.mail.gmail["m1"].labels
    details = await failure(stub.SetMailboxMessageRead(pb.SetMailboxMessageReadRequest(
        credential=name, message_id="gone", read=True), metadata=md), OK.NOT_FOUND)
    assert details["ErrorInfo"].reason == "MAILBOX_MESSAGE_NOT_FOUND"
    mail_env.fake.mail.delay = 1.5  # beyond the 1 s provider timeout
    assert (await failure(read_m1(), OK.DEADLINE_EXCEEDED))["ErrorInfo"].reason == "PROVIDER_TIMEOUT"
    mail_env.fake.mail.delay = 0
    await read_m1()  # and once the provider is back, it works
    assert "UNREAD" not in mail_env.fake.mail.gmail["m1"].labels


async def test_read_only_scope_cannot_change_a_mailbox(mail_env):
    name = await connected(mail_env)
    await failure(mail_env.stub.BatchTrashMailboxMessages(pb.BatchTrashMailboxMessagesRequest(
        credential=name, message_ids=["m1"]), metadata=mail_env.md(scopes=("chatsvc.campaigns.readonly",))),
        OK.PERMISSION_DENIED)
    assert mail_env.fake.mail.calls == []
