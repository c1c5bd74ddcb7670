"""ListCalendars / ConfigureCalendars and ListBusinessAccounts, fetched live from the provider."""
from __future__ import annotations

import grpc

from chatsvc.credentials.v1 import credential_service_pb2 as pb
from tests.credentials.conftest import MICROSOFT, READONLY
from tests.helpers import failure, field_of


async def test_calendars_configure_and_reconfigure(env):
    credential = await env.connect()
    listed = await env.stub.ListCalendars(pb.ListCalendarsRequest(name=credential.name),
                                          metadata=env.md(scopes=READONLY))
    assert [(c.id, c.permission, c.already_synced) for c in listed.calendars] == [
        ("agent@example.com", "read.write", False), ("team@example.com", "read", False)]
    assert listed.primary_calendar.id == "agent@example.com" and listed.primary_calendar.time_zone == "America/Chicago"
    assert not listed.is_configured

    configured = await env.stub.ConfigureCalendars(pb.ConfigureCalendarsRequest(
        name=credential.name, to_sync=["agent@example.com"]), metadata=env.md())
    assert list(configured.synced_calendars) == ["agent@example.com"]
    configured = await env.stub.ConfigureCalendars(pb.ConfigureCalendarsRequest(
        name=credential.name, to_sync=["team@example.com"], to_stop_sync=["agent@example.com"]), metadata=env.md())
    assert list(configured.synced_calendars) == ["team@example.com"]
    listed = await env.stub.ListCalendars(pb.ListCalendarsRequest(name=credential.name), metadata=env.md())
    assert [c.already_synced for c in listed.calendars] == [False, True] and listed.is_configured
    got = await env.stub.GetCredential(pb.GetCredentialRequest(name=credential.name), metadata=env.md())
    assert list(got.synced_calendars) == ["team@example.com"]


async def test_configure_errors(env):
    credential = await env.connect()
    for fields, field in [({}, "to_sync"), ({"to_sync": ["nope@example.com"]}, "to_sync[0]"),
                          ({"to_sync": ["team@example.com"], "to_stop_sync": ["team@example.com"]}, "to_stop_sync")]:
        details = await failure(env.stub.ConfigureCalendars(pb.ConfigureCalendarsRequest(
            name=credential.name, **fields), metadata=env.md()), grpc.StatusCode.INVALID_ARGUMENT)
        assert field_of(details) == [field]
    await failure(env.stub.ConfigureCalendars(pb.ConfigureCalendarsRequest(
        name=credential.name, to_sync=["team@example.com"]), metadata=env.md(scopes=READONLY)),
        grpc.StatusCode.PERMISSION_DENIED)


async def test_calendars_need_the_calendar_scope_and_a_working_provider(env):
    credential = await env.connect(scopes=["gmail.send"])
    details = await failure(env.stub.ListCalendars(pb.ListCalendarsRequest(name=credential.name), metadata=env.md()),
                            grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "CALENDAR_SCOPE_REQUIRED"
    credential = await env.connect(scopes=["calendar"], brand="other")
    env.fake.access.clear()  # the provider forgot our access token: 401
    details = await failure(env.stub.ListCalendars(pb.ListCalendarsRequest(name=credential.name), metadata=env.md()),
                            grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "PROVIDER_ACCESS_DENIED"


async def test_microsoft_calendars(env):
    credential = await env.connect(provider=MICROSOFT)
    listed = await env.stub.ListCalendars(pb.ListCalendarsRequest(name=credential.name), metadata=env.md())
    assert [c.id for c in listed.calendars] == ["agent@example.com", "team@example.com"]
    assert listed.primary_calendar.id == "agent@example.com"


async def test_business_accounts(env):
    credential = await env.connect()
    response = await env.stub.ListBusinessAccounts(pb.ListBusinessAccountsRequest(name=credential.name),
                                                   metadata=env.md(scopes=READONLY))
    assert [(a.name, a.account_name, a.account_type, a.role, a.verification_state)
            for a in response.business_accounts] == [("accounts/111", "Acme Realty", "PERSONAL", "OWNER", "VERIFIED")]


async def test_business_accounts_without_the_scope_ask_for_consent_again(env):
    credential = await env.connect(scopes=["gmail.send"])
    details = await failure(env.stub.ListBusinessAccounts(pb.ListBusinessAccountsRequest(name=credential.name),
                                                          metadata=env.md()), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "GOOGLE_BUSINESS_PROFILE_AUTHENTICATION_REQUIRED"
    microsoft = await env.connect(provider=MICROSOFT)
    details = await failure(env.stub.ListBusinessAccounts(pb.ListBusinessAccountsRequest(name=microsoft.name),
                                                          metadata=env.md()), grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "PROVIDER_NOT_SUPPORTED"
