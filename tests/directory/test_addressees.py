"""The repository's expansion of campaign recipient groups, through the storage layer on each backend."""
from __future__ import annotations

from chatsvc.domain.directory_models import Addressee, Brand, Contact, ContactList, Member, MemberRole
from chatsvc.domain.models import User, UserType
from chatsvc.storage.database import Database

T0 = 1_700_000_000_000_000


def contact(contact_id: str, brand_id: str, t: int, emails=(), tags=(), lists=(), name="") -> Contact:
    return Contact(id=contact_id, brand_id=brand_id, display_name=name, emails=tuple(emails), tags=tuple(tags),
                   list_ids=tuple(lists), create_time_us=T0 + t)


async def seed(db: Database) -> None:
    async with db.transaction(write=True) as repos:
        for i, (email, display_name) in enumerate([("ann@example.com", "Ann"), ("bob@example.com", "bob")]):
            await repos.users.add(User(id=f"u{i}", type=UserType.HUMAN, email=email, display_name=display_name), T0)
        for brand_id in ("b1", "b2"):
            await repos.directory.add_brand(Brand(brand_id, f"Brand {brand_id}", T0))
        await repos.directory.add_member(Member("b1", "u0", "", MemberRole.ADMIN, "Ann at B1", "", T0 + 2))
        await repos.directory.add_member(Member("b1", "u1", "", MemberRole.AGENT, "", "", T0 + 1))
        await repos.directory.add_member(Member("b2", "u1", "", MemberRole.ADMIN, "Bob", "", T0))
        await repos.directory.add_contact_list(ContactList("l1", "b1", "List", 0, T0))
        await repos.directory.add_contact_list(ContactList("l2", "b2", "Other", 0, T0))
        await repos.directory.add_contacts([
            contact("c3", "b1", 3, ["Zed@Example.com"], ["vip"], ["l1"], "Zed"),
            contact("c1", "b1", 1, ["Amy@Example.com", "amy2@example.com"], ["vip", "eu"], ["l1"], "Amy"),
            contact("c2", "b1", 1, [], ["vip"], ["l1"], "No address"),
            contact("c0", "b1", 1, ["cy@example.com"], [], [], "Cy"),
            contact("c9", "b2", 0, ["other@example.com"], ["vip"], ["l2"], "Other brand"),
        ])


async def test_expansions_are_ordered_deduplicated_per_brand_and_skip_addressless(db):
    await seed(db)
    amy = Addressee("amy@example.com", "Amy", contact_id="c1")
    zed = Addressee("zed@example.com", "Zed", contact_id="c3")
    cy = Addressee("cy@example.com", "Cy", contact_id="c0")
    async with db.transaction() as repos:
        d = repos.directory
        assert await d.addressees_with_tag("b1", "vip") == [amy, zed]
        assert await d.addressees_with_tag("b1", " VIP ") == [amy, zed]
        assert await d.addressees_with_tag("b1", "none") == []
        assert await d.addressees_on_list("l1") == [amy, zed]
        assert await d.addressees_all_contacts("b1") == [cy, amy, zed]  # by time, then id
        assert await d.addressee_contact("c1") == amy
        assert await d.addressee_contact("c2") is None  # no address
        assert await d.addressee_contact("nope") is None
        bob = Addressee("bob@example.com", "bob", agent_brand_id="b1", agent_user_id="u1")
        ann = Addressee("ann@example.com", "Ann at B1", agent_brand_id="b1", agent_user_id="u0")
        assert await d.addressees_brand_members("b1") == [bob, ann]  # in the order they joined
        assert await d.addressee_member("b1", "u0") == ann
        assert await d.addressee_member("b2", "u0") is None
        member = await d.member("b1", "u0")
        assert (member.email, member.role, member.display_name) == ("ann@example.com", MemberRole.ADMIN, "Ann at B1")
        stored = await d.contact("c1")
        assert stored.emails == ("Amy@Example.com", "amy2@example.com") and stored.list_ids == ("l1",)
        assert set(stored.tags) == {"vip", "eu"}
        assert (await d.contact_list("l1")).contact_count == 3


async def test_deleting_a_brand_cascades(db):
    await seed(db)
    async with db.transaction(write=True) as repos:
        await repos.directory.delete_brand("b1")
    async with db.transaction() as repos:
        d = repos.directory
        assert await d.brand("b1") is None and await d.contact("c1") is None and await d.contact_list("l1") is None
        assert await d.addressees_with_tag("b1", "vip") == [] and await d.addressees_brand_members("b1") == []
        assert await d.addressees_with_tag("b2", "vip") == [Addressee("other@example.com", "Other brand",
                                                                      contact_id="c9")]
