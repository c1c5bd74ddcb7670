"""The authorization matrix of chatsvc.campaigns.v1.CampaignService: for every RPC, each caller gets exactly
the designed outcome (README "Email campaigns and the directory", domain/campaign_access.py, auth/scopes.py):

- a brand's campaigns: every member sees them; their creator and the brand's admins change them (another
  agent: PERMISSION_DENIED); to a user outside the brand the brand does not exist; a member of another brand
  naming the campaign's id under their own brand finds nothing there (campaign ids are per brand);
- uploads, mailbox actions and sending domains belong to one user: another user naming them finds nothing,
  sending domains are set up by administrators only;
- the delivery webhook (RecordDeliveryEvent) takes app authentication with `chatsvc.campaigns.events` only;
  every other RPC refuses apps.

Every refusal of something hidden answers exactly as if it did not exist. One server per backend for the
module (with the fake OAuth / mail provider and the fake DNS server); changes get fresh campaigns.
"""
from __future__ import annotations

import uuid

import grpc
import pytest
from google.protobuf import field_mask_pb2
from sqlalchemy import insert

from chatsvc.campaigns.v1 import campaign_pb2
from chatsvc.campaigns.v1 import campaign_service_pb2 as pb
from chatsvc.domain.campaign_models import CampaignState, EmailState, MessageState, RecipientType, SendType
from chatsvc.domain.directory_models import MemberRole
from chatsvc.domain.models import UserType
from chatsvc.storage import migrator
from chatsvc.storage.database import Database
from chatsvc.storage.integrity import integrity_problems
from chatsvc.storage.tables import users
from chatsvc.storage.tables_campaigns import campaign_emails, campaign_recipients, email_campaigns, sent_emails
from chatsvc.storage.tables_directory import brand_members, brands
from tests.authz.owners_support import (
    APP_REFUSED,
    DENIED,
    HIDDEN_BRAND,
    HIDDEN_USER,
    NOT_FOUND,
    OK,
    SCOPE_REFUSED,
    USER_REFUSED,
    Attempt,
    Refused,
    check_designed_outcomes,
)
from tests.authz.rest_leg import rest_rpcs
from tests.campaigns.fake_dns import FakeDns
from tests.campaigns.mail_fixtures import mail_server
from tests.campaigns.support import EVENTS, draft, mark_executed, stub
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.credentials.fake_provider import FakeProvider
from tests.directory.support import make_brand
from tests.helpers import failure

SERVICE = pb.DESCRIPTOR.services_by_name["CampaignService"]
CAMPAIGNS = ("chatsvc.campaigns",)

# Callers. Brand A has an admin, the campaign's creator (an agent) and another agent; brand B's admin is the
# foreign member. Mail-domain users own uploads, credentials and sending domains.
ADMIN, CREATOR, OTHER_AGENT, OUTSIDER, FOREIGN, APP = (
    "brand admin", "creator (agent)", "another agent", "outsider", "member of another brand", "app")
OWNER, OTHER_USER, SERVER_ADMIN = "owner", "another user", "server administrator"
WEBHOOK, WEBHOOK_WITHOUT_SCOPE, WEBHOOK_WRONG_BRAND, USER = (
    "app with chatsvc.campaigns.events", "app without chatsvc.campaigns.events",
    "app with events, naming another brand", "user")
EMAILS = {ADMIN: "camp-admin@authz.example", CREATOR: "camp-creator@authz.example",
          OTHER_AGENT: "camp-agent@authz.example", OUTSIDER: "camp-outsider@authz.example",
          FOREIGN: "camp-foreign@authz.example", OWNER: "owner@authz-mail.example",
          OTHER_USER: "someone@authz-mail.example", SERVER_ADMIN: "root@authz.example"}
MAIL_DOMAIN = "authz-mail.example"

HIDDEN_CAMPAIGN = Refused(NOT_FOUND, "EMAIL_CAMPAIGN_NOT_FOUND", hides=True)
CHANGE_DENIED = Refused(DENIED, "EMAIL_CAMPAIGN_CHANGE_DENIED")
HIDDEN_EMAIL = Refused(NOT_FOUND, "CAMPAIGN_EMAIL_NOT_FOUND", hides=True)
HIDDEN_MAILBOX = Refused(NOT_FOUND, "CREDENTIAL_NOT_FOUND", hides=True)

READERS = {ADMIN: OK, CREATOR: OK, OTHER_AGENT: OK, OUTSIDER: HIDDEN_BRAND, FOREIGN: HIDDEN_CAMPAIGN,
           APP: APP_REFUSED}
CHANGERS = {ADMIN: OK, CREATOR: OK, OTHER_AGENT: CHANGE_DENIED, OUTSIDER: HIDDEN_BRAND, FOREIGN: HIDDEN_CAMPAIGN,
            APP: APP_REFUSED}
BRAND_READERS = {ADMIN: OK, CREATOR: OK, OTHER_AGENT: OK, OUTSIDER: HIDDEN_BRAND, APP: APP_REFUSED}
MAILBOX = {OWNER: OK, OTHER_USER: HIDDEN_MAILBOX, APP: APP_REFUSED}
OWN_DOMAIN = {OWNER: OK, OTHER_USER: HIDDEN_USER, APP: APP_REFUSED}

# RPC -> caller -> outcome.
MATRIX: dict[str, dict[str, object]] = {
    "UploadAttachment": {OWNER: OK, OTHER_USER: HIDDEN_USER, APP: APP_REFUSED},
    # The foreign member reuses an id taken in brand A, in their own brand: that works, and says nothing.
    "CreateEmailCampaign": {ADMIN: OK, CREATOR: OK, OTHER_AGENT: OK, OUTSIDER: HIDDEN_BRAND, FOREIGN: OK,
                            APP: APP_REFUSED},
    "UpdateEmailCampaign": CHANGERS,
    "SetCampaignNotifications": CHANGERS,
    "GetEmailCampaign": READERS,
    "ListEmailCampaigns": BRAND_READERS,
    "DeleteEmailCampaign": CHANGERS,
    "ListCampaignEmails": READERS,
    "GetEmailQuota": BRAND_READERS,
    "RecordDeliveryEvent": {WEBHOOK: OK, WEBHOOK_WITHOUT_SCOPE: SCOPE_REFUSED, USER: USER_REFUSED,
                            WEBHOOK_WRONG_BRAND: HIDDEN_EMAIL},
    "SetMailboxMessageRead": MAILBOX,
    "BatchSetMailboxMessagesRead": MAILBOX,
    "BatchTrashMailboxMessages": MAILBOX,
    "BatchArchiveMailboxMessages": MAILBOX,
    "CreateSendingDomain": {SERVER_ADMIN: OK, OWNER: Refused(DENIED, "ADMIN_REQUIRED"), APP: APP_REFUSED},
    "GetSendingDomain": OWN_DOMAIN,
    "VerifySendingDomain": OWN_DOMAIN,
}


class World:
    def __init__(self, env, brand, foreign):
        self.env, self.harness, self.stub = env, env.harness, env.stub
        self.brand, self.foreign = brand, foreign  # brand A, brand B
        self.shared = self.executed = None  # two campaigns of brand A by the creator, the second one sent
        self.email_name = ""  # the executed campaign's one email
        self.credential_id = ""  # the owner's Google credential (mail.send, mail.modify)

    def md(self, caller: str) -> tuple:
        if caller == APP:
            return self.harness.md(app="authz-campaign-app", scopes=CAMPAIGNS)
        if caller in (WEBHOOK, WEBHOOK_WRONG_BRAND):
            return self.harness.md(app="authz-mailhook", scopes=EVENTS)
        if caller == WEBHOOK_WITHOUT_SCOPE:
            return self.harness.md(app="authz-mailhook", scopes=CAMPAIGNS)
        if caller == USER:  # the brand's admin, holding every campaign scope
            return self.harness.md(user=EMAILS[ADMIN], scopes=CAMPAIGNS + EVENTS)
        return self.harness.md(user=EMAILS[caller], scopes=CAMPAIGNS, admin=caller == SERVER_ADMIN)

    def campaign_name(self, caller: str, campaign) -> tuple[str, str]:
        """(the name the caller uses for `campaign`, its id): the foreign member names it under their own
        brand."""
        campaign_id = campaign.name.rsplit("/", 1)[1]
        if caller == FOREIGN:
            return f"{self.foreign.name}/emailCampaigns/{campaign_id}", campaign_id
        return campaign.name, campaign_id

    async def fresh_campaign(self, campaign_id: str = ""):
        return await self.stub.CreateEmailCampaign(pb.CreateEmailCampaignRequest(
            parent=self.brand.name, email_campaign=draft(subject="Fresh"), email_campaign_id=campaign_id),
            metadata=self.md(CREATOR))


def _campaign_call(world: World, make_request, *, fresh: bool):
    async def build(caller: str) -> Attempt:
        campaign = await world.fresh_campaign() if fresh else world.shared
        name, hidden = world.campaign_name(caller, campaign)
        return Attempt(make_request(name), world.md(caller), hidden=hidden)
    return build


def _brand_call(world: World, make_request):
    async def build(caller: str) -> Attempt:
        return Attempt(make_request(world.brand.name), world.md(caller), hidden=world.brand.id)
    return build


async def _create(world: World, caller: str) -> Attempt:
    if caller == FOREIGN:  # an id taken in brand A, reused in brand B
        taken = f"taken-{uuid.uuid4().hex[:12]}"
        await world.fresh_campaign(taken)
        return Attempt(pb.CreateEmailCampaignRequest(parent=world.foreign.name, email_campaign=draft(),
                                                     email_campaign_id=taken), world.md(caller))
    return Attempt(pb.CreateEmailCampaignRequest(parent=world.brand.name, email_campaign=draft()),
                   world.md(caller), hidden=world.brand.id)


async def _upload(world: World, caller: str) -> Attempt:
    parent = "users/me" if caller != OTHER_USER else f"users/{EMAILS[OWNER]}"
    metadata = pb.UploadAttachmentRequest(metadata=pb.UploadAttachmentMetadata(
        parent=parent, origin=campaign_pb2.ORIGIN_GMAIL, filename="report.pdf", mime_type="application/pdf"))

    def send(first, md):
        async def stream():
            yield first
            yield pb.UploadAttachmentRequest(chunk=b"%PDF-1.4 authz")
        return world.stub.UploadAttachment(stream(), metadata=md)

    return Attempt(metadata, world.md(caller), hidden=EMAILS[OWNER], missing=f"nobody-{uuid.uuid4().hex[:8]}@x.example",
                   send=send)


async def _delivery(world: World, caller: str) -> Attempt:
    name = world.email_name
    if caller == WEBHOOK_WRONG_BRAND:  # the email, named under a brand it is not in
        name = name.replace(world.brand.id, world.foreign.id)
    return Attempt(pb.RecordDeliveryEventRequest(name=name, event_type=campaign_pb2.DELIVERY_EVENT_TYPE_OPENED,
                                                 event_id=uuid.uuid4().hex), world.md(caller),
                   hidden=name.rsplit("/", 1)[1])


def _mailbox(world: World, make_request):
    async def build(caller: str) -> Attempt:
        # Another user names the owner's credential as their own (`users/me/...`).
        return Attempt(make_request(f"users/me/googleCredentials/{world.credential_id}"), world.md(caller),
                       hidden=world.credential_id)
    return build


def _own_domain(world: World, make_request):
    async def build(caller: str) -> Attempt:
        name = "users/me/sendingDomain" if caller != OTHER_USER else f"users/{EMAILS[OWNER]}/sendingDomain"
        return Attempt(make_request(name), world.md(caller), hidden=EMAILS[OWNER],
                       missing=f"nobody-{uuid.uuid4().hex[:8]}@{MAIL_DOMAIN}")
    return build


async def _create_domain(world: World, caller: str) -> Attempt:
    domain = f"d{uuid.uuid4().hex[:10]}.example"
    return Attempt(pb.CreateSendingDomainRequest(sending_domain=campaign_pb2.SendingDomain(domain=domain)),
                   world.md(caller))


def _builders(world: World) -> dict:
    subject_mask = field_mask_pb2.FieldMask(paths=["subject"])
    return {
        "UploadAttachment": lambda c: _upload(world, c),
        "CreateEmailCampaign": lambda c: _create(world, c),
        "UpdateEmailCampaign": _campaign_call(world, lambda name: pb.UpdateEmailCampaignRequest(
            email_campaign=campaign_pb2.EmailCampaign(name=name, subject="Changed"), update_mask=subject_mask),
            fresh=True),
        "SetCampaignNotifications": _campaign_call(
            world, lambda name: pb.SetCampaignNotificationsRequest(name=name, enabled=True), fresh=True),
        "GetEmailCampaign": _campaign_call(world, lambda name: pb.GetEmailCampaignRequest(name=name), fresh=False),
        "ListEmailCampaigns": _brand_call(world, lambda brand: pb.ListEmailCampaignsRequest(parent=brand)),
        "DeleteEmailCampaign": _campaign_call(world, lambda name: pb.DeleteEmailCampaignRequest(name=name),
                                              fresh=True),
        "ListCampaignEmails": _executed_call(world),
        "GetEmailQuota": _brand_call(world, lambda brand: pb.GetEmailQuotaRequest(name=f"{brand}/emailQuota")),
        "RecordDeliveryEvent": lambda c: _delivery(world, c),
        "SetMailboxMessageRead": _mailbox(world, lambda name: pb.SetMailboxMessageReadRequest(
            credential=name, message_id="m1", read=True)),
        "BatchSetMailboxMessagesRead": _mailbox(world, lambda name: pb.BatchSetMailboxMessagesReadRequest(
            credential=name, message_ids=["m1", "m2"], read=False)),
        "BatchTrashMailboxMessages": _mailbox(world, lambda name: pb.BatchTrashMailboxMessagesRequest(
            credential=name, message_ids=["m3"])),
        "BatchArchiveMailboxMessages": _mailbox(world, lambda name: pb.BatchArchiveMailboxMessagesRequest(
            credential=name, message_ids=["m2"])),
        "CreateSendingDomain": lambda c: _create_domain(world, c),
        "GetSendingDomain": _own_domain(world, lambda name: pb.GetSendingDomainRequest(name=name)),
        "VerifySendingDomain": _own_domain(world, lambda name: pb.VerifySendingDomainRequest(name=name)),
    }


def _executed_call(world: World):
    async def build(caller: str) -> Attempt:
        name, hidden = world.campaign_name(caller, world.executed)
        return Attempt(pb.ListCampaignEmailsRequest(parent=name), world.md(caller), hidden=hidden)
    return build


@pytest.fixture(scope="module", params=BACKENDS)
async def world(request, tmp_path_factory):
    fake, dns = await FakeProvider().start(), await FakeDns().start()
    try:
        async with (fresh_database_url(request.param, tmp_path_factory.mktemp("authz-campaigns")) as url,
                    mail_server(url, fake, dns, scheduler_enabled=False) as env):
            brand = await make_brand(env.harness, EMAILS[ADMIN], members=[EMAILS[CREATOR], EMAILS[OTHER_AGENT]])
            foreign = await make_brand(env.harness, EMAILS[FOREIGN], display_name="Elsewhere")
            world = World(env, brand, foreign)
            world.shared = await world.fresh_campaign(f"shared-{uuid.uuid4().hex[:8]}")
            world.executed = await world.fresh_campaign()
            email_id = (await mark_executed(env.harness, world.executed.name, [("bo@example.net", "Bo", 1)]))[0]
            world.email_name = f"{world.executed.name}/emails/{email_id}"
            world.credential_id = (await env.credentials.connect(email=EMAILS[OWNER])).name.rsplit("/", 1)[1]
            fake.mail.seed_gmail("m1", "m2", "m3")
            await env.stub.CreateSendingDomain(pb.CreateSendingDomainRequest(
                sending_domain=campaign_pb2.SendingDomain(domain=MAIL_DOMAIN)), metadata=world.md(SERVER_ADMIN))
            yield world
    finally:
        dns.stop()
        await fake.stop()


@pytest.mark.parametrize("rpc", [m.name for m in SERVICE.methods])
async def test_each_caller_gets_the_designed_outcome(world, rpc):
    await check_designed_outcomes(rpc, world.stub, MATRIX, _builders(world))


async def test_campaign_ids_are_per_brand(world):
    # The same client-chosen id in two brands: both created, each brand sees only its own; a second one in
    # the same brand is ALREADY_EXISTS. (Before, brand B's create answered ALREADY_EXISTS: the id existed
    # somewhere.)
    chosen = f"same-{uuid.uuid4().hex[:10]}"
    mine = await world.fresh_campaign(chosen)
    theirs = await world.stub.CreateEmailCampaign(pb.CreateEmailCampaignRequest(
        parent=world.foreign.name, email_campaign=draft(subject="Theirs"), email_campaign_id=chosen),
        metadata=world.md(FOREIGN))
    assert (mine.name, theirs.name) == (f"{world.brand.name}/emailCampaigns/{chosen}",
                                        f"{world.foreign.name}/emailCampaigns/{chosen}")
    got = await world.stub.GetEmailCampaign(pb.GetEmailCampaignRequest(name=theirs.name), metadata=world.md(FOREIGN))
    assert got.subject == "Theirs"
    got = await world.stub.GetEmailCampaign(pb.GetEmailCampaignRequest(name=mine.name), metadata=world.md(ADMIN))
    assert got.subject == "Fresh"
    listed = await world.stub.ListEmailCampaigns(pb.ListEmailCampaignsRequest(parent=world.foreign.name,
                                                                              page_size=200),
                                                 metadata=world.md(FOREIGN))
    assert [c.subject for c in listed.email_campaigns if c.name.endswith(f"/{chosen}")] == ["Theirs"]
    assert all(c.name.startswith(world.foreign.name + "/") for c in listed.email_campaigns)
    # Changing one leaves the other alone.
    await world.stub.UpdateEmailCampaign(pb.UpdateEmailCampaignRequest(
        email_campaign=campaign_pb2.EmailCampaign(name=theirs.name, subject="Theirs, changed"),
        update_mask=field_mask_pb2.FieldMask(paths=["subject"])), metadata=world.md(FOREIGN))
    await world.stub.DeleteEmailCampaign(pb.DeleteEmailCampaignRequest(name=theirs.name), metadata=world.md(FOREIGN))
    got = await world.stub.GetEmailCampaign(pb.GetEmailCampaignRequest(name=mine.name), metadata=world.md(ADMIN))
    assert got.subject == "Fresh"
    await failure(world.stub.GetEmailCampaign(pb.GetEmailCampaignRequest(name=theirs.name),
                                              metadata=world.md(FOREIGN)), NOT_FOUND)
    # Within one brand the id stays unique.
    again = world.stub.CreateEmailCampaign(pb.CreateEmailCampaignRequest(
        parent=world.brand.name, email_campaign=draft(), email_campaign_id=chosen), metadata=world.md(OTHER_AGENT))
    details = await failure(again, grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "EMAIL_CAMPAIGN_ALREADY_EXISTS"


async def test_campaigns_stored_before_ids_were_per_brand_keep_their_names(database_url):
    # A database at revision 0001 holding a campaign: migration 0002 gives it its old id as its name's id.
    database = Database(database_url)
    try:
        async with database.engine.begin() as conn:
            await conn.run_sync(migrator.upgrade, "0001")
            await conn.execute(insert(users).values(id="legacyuser", type=int(UserType.HUMAN),
                                                    email="legacy@authz.example", display_name="", create_time_us=1))
            await conn.execute(insert(brands).values(id="legacy-brand", display_name="Old", create_time_us=1))
            await conn.execute(insert(brand_members).values(brand_id="legacy-brand", user_id="legacyuser",
                                                            role=int(MemberRole.ADMIN), create_time_us=1))
            await conn.execute(insert(email_campaigns).values(
                id="legacy-campaign", brand_id="legacy-brand", creator_id="legacyuser", sender_id="legacyuser",
                state=int(CampaignState.EXECUTED), due_time_us=1, execute_time_us=2, subject="Old one",
                create_time_us=1, update_time_us=1))
            # What hangs off it: a recipient entry, the message sent and the email of one address.
            await conn.execute(insert(campaign_recipients).values(
                id="r1", campaign_id="legacy-campaign", position=0, recipient_type=int(RecipientType.EMAIL),
                send_type=int(SendType.TO), email="bo@example.net"))
            await conn.execute(insert(sent_emails).values(
                id="m1", campaign_id="legacy-campaign", position=0, state=int(MessageState.SENT),
                message_id="<m1@authz.example>"))
            await conn.execute(insert(campaign_emails).values(
                id="e1", campaign_id="legacy-campaign", position=0, sent_email_id="m1", email_address="bo@example.net",
                send_type=int(SendType.TO), state=int(EmailState.SENT)))
    finally:
        await database.dispose()
    async with serving(database_url, scheduler_enabled=False) as harness:  # migrates to head on start
        campaigns, md = stub(harness), harness.md(user="legacy@authz.example", scopes=CAMPAIGNS)
        name = "brands/legacy-brand/emailCampaigns/legacy-campaign"
        got = await campaigns.GetEmailCampaign(pb.GetEmailCampaignRequest(name=name), metadata=md)
        assert (got.subject, [r.email for r in got.recipients]) == ("Old one", ["bo@example.net"])
        await campaigns.SetCampaignNotifications(pb.SetCampaignNotificationsRequest(name=name, enabled=True),
                                                 metadata=md)
        emails = await campaigns.ListCampaignEmails(pb.ListCampaignEmailsRequest(parent=name), metadata=md)
        assert [e.name for e in emails.emails] == [f"{name}/emails/e1"]
        counted = await campaigns.RecordDeliveryEvent(pb.RecordDeliveryEventRequest(
            name=f"{name}/emails/e1", event_type=campaign_pb2.DELIVERY_EVENT_TYPE_OPENED, event_id="ev1"),
            metadata=harness.md(app="authz-mailhook", scopes=EVENTS))
        assert counted.counters.opened == 1
        details = await failure(campaigns.CreateEmailCampaign(pb.CreateEmailCampaignRequest(
            parent="brands/legacy-brand", email_campaign=draft(), email_campaign_id="legacy-campaign"),
            metadata=md), grpc.StatusCode.ALREADY_EXISTS)
        assert details["ErrorInfo"].reason == "EMAIL_CAMPAIGN_ALREADY_EXISTS"
        elsewhere = await make_brand(harness, "new@authz.example")
        await campaigns.CreateEmailCampaign(pb.CreateEmailCampaignRequest(
            parent=elsewhere.name, email_campaign=draft(), email_campaign_id="legacy-campaign"),
            metadata=harness.md(user="new@authz.example", scopes=CAMPAIGNS))
        assert await integrity_problems(harness.running.db) == []


@pytest.mark.parametrize("rpc", rest_rpcs(SERVICE))
async def test_each_caller_gets_the_designed_outcome_over_rest(world, rpc):
    """The same row with the call under test sent over REST (tests/authz/rest_leg.py)."""
    await check_designed_outcomes(rpc, world.stub, MATRIX, _builders(world), rest=(world.harness, SERVICE.full_name))
