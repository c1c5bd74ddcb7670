"""Scheduling through a connected mailbox: the credential must be the creator's, connected, and allowed to
send mail; anything else is FAILED_PRECONDITION with a reason naming why. Uses the credential tests' fake
OAuth provider."""
from __future__ import annotations

import grpc
import pytest
from google.protobuf import field_mask_pb2

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from chatsvc.credentials.v1 import credential_service_pb2, credential_service_pb2_grpc
from tests.campaigns.support import MB, create, make_brand, md, stub, upload
from tests.conftest import serving
from tests.credentials.conftest import MICROSOFT, CredEnv
from tests.credentials.fake_provider import FakeProvider
from tests.helpers import failure

FP = grpc.StatusCode.FAILED_PRECONDITION


@pytest.fixture
async def cred_env(database_url):
    provider = await FakeProvider().start()
    try:
        providers = {"google": provider.endpoints("google"), "microsoft": provider.endpoints("microsoft")}
        async with serving(database_url, providers=providers, provider_timeout_seconds=5.0,
                           scheduler_enabled=False) as harness:
            yield CredEnv(harness, provider, credential_service_pb2_grpc.CredentialServiceStub(harness.channel))
    finally:
        await provider.stop()


async def test_credentials_that_cannot_send_are_refused(cred_env):
    harness = cred_env.harness
    made = await make_brand(harness, "owner@example.com", members=["agent@example.com"])
    google = await cred_env.connect("owner@example.com")
    microsoft = await cred_env.connect("owner@example.com", provider=MICROSOFT)
    read_only = await cred_env.connect("owner@example.com", scopes=("contacts", "gmail.readonly"), brand="b2")
    revoked = await cred_env.connect("owner@example.com", brand="b3")
    deleted = await cred_env.connect("owner@example.com", brand="b4")
    someone_elses = await cred_env.connect("agent@example.com", brand="b5")
    await cred_env.stub.RevokeCredential(credential_service_pb2.RevokeCredentialRequest(name=revoked.name),
                                         metadata=cred_env.md())
    await cred_env.stub.DeleteCredential(credential_service_pb2.DeleteCredentialRequest(name=deleted.name),
                                         metadata=cred_env.md())
    through_gmail = await create(harness, made.name, "owner@example.com", google_credential=google.name)
    assert through_gmail.google_credential == google.name
    through_outlook = await create(harness, made.name, "owner@example.com", microsoft_credential=microsoft.name)
    assert through_outlook.microsoft_credential == microsoft.name
    for credential, reason in ((read_only, "CREDENTIAL_SCOPE_MISSING"), (revoked, "CREDENTIAL_REVOKED"),
                               (deleted, "CREDENTIAL_DELETED"), (someone_elses, "CREDENTIAL_NOT_FOUND")):
        details = await failure(create(harness, made.name, "owner@example.com", google_credential=credential.name),
                                FP)
        assert details["ErrorInfo"].reason == reason
    listed = await stub(harness).ListEmailCampaigns(campaign_service_pb2.ListEmailCampaignsRequest(
        parent=made.name), metadata=md(harness, "owner@example.com"))
    assert listed.total_size == 2
    # switching a scheduled campaign to a revoked mailbox is refused too
    switch = stub(harness).UpdateEmailCampaign(campaign_service_pb2.UpdateEmailCampaignRequest(
        email_campaign=campaign_pb2.EmailCampaign(name=through_gmail.name, google_credential=revoked.name),
        update_mask=field_mask_pb2.FieldMask(paths=["google_credential"])), metadata=md(harness, "owner@example.com"))
    assert (await failure(switch, FP))["ErrorInfo"].reason == "CREDENTIAL_REVOKED"
    # a Google credential lifts the attachment limit from the mail service's 15 MB to Gmail's 26 MB
    big = await upload(harness, "owner@example.com", b"\0" * (20 * MB))
    await failure(create(harness, made.name, "owner@example.com",
                         attachments=[campaign_pb2.EmailAttachment(file=big.name)]), grpc.StatusCode.INVALID_ARGUMENT)
    fits = await create(harness, made.name, "owner@example.com", google_credential=google.name,
                        attachments=[campaign_pb2.EmailAttachment(file=big.name)])
    assert fits.attachments[0].file == big.name
