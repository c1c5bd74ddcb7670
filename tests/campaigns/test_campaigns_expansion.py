"""Recipient expansion (what the scheduler sends to): deduplication by address with To beating Cc beating
Bcc, the documented order, and targets that vanished after scheduling."""
from __future__ import annotations

from chatsvc.campaigns.v1 import campaign_pb2
from chatsvc.directory.v1 import directory_service_pb2
from chatsvc.domain.access import read
from chatsvc.domain.campaign_models import SendType
from chatsvc.domain.directory_models import Addressee
from chatsvc.domain.recipient_expansion import dedupe, expand
from tests.campaigns.support import R, campaign_server, create, make_brand, to
from tests.directory.support import stub as directory_stub

TO, CC, BCC = SendType.TO, SendType.CC, SendType.BCC


def test_dedupe_keeps_the_strongest_send_type_at_its_first_position():
    a, b, c, d = (Addressee(email=f"{x}@example.com", display_name=x.upper()) for x in "abcd")
    shouted_b = Addressee(email="B@example.com", display_name="Loud")
    got = dedupe([(a, BCC), (b, CC), (c, CC), (a, CC), (shouted_b, TO), (d, BCC), (c, CC), (a, TO)])
    # b wins as To where it first appears as To; a wins as To at its last occurrence; c stays Cc; d Bcc
    assert [(x.email, kind) for x, kind in got] == [
        ("c@example.com", CC), ("B@example.com", TO), ("d@example.com", BCC), ("a@example.com", TO)]
    assert got[1][0].display_name == "Loud"


async def test_expansion_of_every_type_and_vanished_targets(database_url):
    async with campaign_server(database_url) as harness:
        made = await make_brand(
            harness, "admin@example.com", members=[{"email": "agent@example.com", "display_name": "Agent A"}],
            lists=["Buyers"],
            contacts=[{"display_name": "Cara", "emails": ["Cara@example.com"], "tags": ["vip"], "lists": ["Buyers"]},
                      {"display_name": "Dan", "emails": ["dan@example.com"], "tags": ["vip"]},
                      {"display_name": "Nomail", "tags": ["vip"]}])
        other = await make_brand(harness, "admin@example.com", members=["ed@example.com"], display_name="Other")
        campaign = await create(harness, made.name, "admin@example.com", recipients=[
            to("solo@example.com", send_type=campaign_pb2.SEND_TYPE_BCC),
            R(recipient_type=R.RECIPIENT_TYPE_TAG, tag="vip", send_type=campaign_pb2.SEND_TYPE_CC),
            R(recipient_type=R.RECIPIENT_TYPE_CONTACT, contact=made.contacts[1].name),
            R(recipient_type=R.RECIPIENT_TYPE_LIST, contact_list=made.lists["Buyers"].name,
              send_type=campaign_pb2.SEND_TYPE_BCC),
            R(recipient_type=R.RECIPIENT_TYPE_BRAND, brand=made.name),
            R(recipient_type=R.RECIPIENT_TYPE_AGENT, agent=f"{other.name}/members/{other.user_ids['ed@example.com']}"),
            R(recipient_type=R.RECIPIENT_TYPE_ALL_CONTACTS, send_type=campaign_pb2.SEND_TYPE_BCC),
            to("SOLO@example.com", contact=made.contacts[0].name, send_type=campaign_pb2.SEND_TYPE_CC),
        ])
        brand_id, campaign_id = made.id, campaign.name.split("/")[3]
        db = harness.running.db

        async def expanded():
            stored = await read(db, lambda repos: repos.campaigns.find(brand_id, campaign_id))
            return [(a.email, kind, a.display_name, a.contact_id, a.agent_user_id)
                    for a, kind in await read(db, lambda repos: expand(repos, brand_id, stored.recipients))]

        cara_id, dan_id = (c.name.split("/")[3] for c in made.contacts[:2])
        ids = made.user_ids
        assert await expanded() == [
            ("cara@example.com", CC, "Cara", cara_id, ""),
            ("dan@example.com", TO, "Dan", dan_id, ""),
            ("admin@example.com", TO, "admin", "", ids["admin@example.com"]),
            ("agent@example.com", TO, "Agent A", "", ids["agent@example.com"]),
            ("ed@example.com", TO, "ed", "", other.user_ids["ed@example.com"]),
            ("solo@example.com", CC, "Cara", cara_id, ""),
        ]
        await directory_stub(harness).DeleteContact(directory_service_pb2.DeleteContactRequest(
            name=made.contacts[1].name), metadata=made.md())
        await directory_stub(harness).DeleteMember(directory_service_pb2.DeleteMemberRequest(
            name=f"{other.name}/members/{other.user_ids['ed@example.com']}"), metadata=other.md())
        assert [(email, kind) for email, kind, *_ in await expanded()] == [
            ("cara@example.com", CC), ("admin@example.com", TO), ("agent@example.com", TO), ("solo@example.com", CC)]
