"""What a campaign's recipient entries expand to: one addressee per address, with how it is addressed.

Order and deduplication: addresses compare lowercased. Each address is sent once, with the strongest send
type any entry gives it (To beats Cc beats Bcc). The result lists the winners in the order of their first
occurrence *with the winning send type*: walk the entries in order, each entry's addresses in the order the
directory gives them, and place an address where it first appears with the type it ends up with. The
addressee kept (name, contact, agent) is that occurrence's. Entries whose target vanished since the
campaign was scheduled (a deleted contact, list, brand or member) contribute nothing.

The scheduler calls `expand` at send time; scheduling calls it to count the quota's planned addresses.
"""
from __future__ import annotations

from chatsvc.domain.campaign_models import Recipient, RecipientType, SendType
from chatsvc.domain.directory_models import Addressee
from chatsvc.domain.ports import Repositories


async def entry_addressees(repos: Repositories, campaign_brand_id: str, entry: Recipient) -> list[Addressee]:
    """The addresses one entry stands for now (one statement at most)."""
    directory = repos.directory
    kind = entry.recipient_type
    if kind is RecipientType.EMAIL:
        contact = await directory.contact(entry.contact_id) if entry.contact_id else None
        if contact is not None and contact.brand_id != campaign_brand_id:
            contact = None
        return [Addressee(email=entry.email.lower(), display_name=contact.display_name if contact else "",
                          contact_id=contact.id if contact else "")]
    if kind is RecipientType.CONTACT:
        found = await directory.addressee_contact(entry.contact_id)
        return [found] if found is not None else []
    if kind is RecipientType.TAG:
        return list(await directory.addressees_with_tag(campaign_brand_id, entry.tag))
    if kind is RecipientType.LIST:
        return list(await directory.addressees_on_list(entry.list_id))
    if kind is RecipientType.BRAND:
        return list(await directory.addressees_brand_members(entry.brand_ref_id))
    if kind is RecipientType.ALL_CONTACTS:
        return list(await directory.addressees_all_contacts(campaign_brand_id))
    if kind is RecipientType.AGENT:
        found = await directory.addressee_member(entry.agent_brand_id, entry.agent_user_id)
        return [found] if found is not None else []
    raise ValueError(f"unknown recipient type {kind!r}")


async def expand(repos: Repositories, campaign_brand_id: str,
                 recipients: tuple[Recipient, ...] | list[Recipient]) -> list[tuple[Addressee, SendType]]:
    """Every address the entries reach, once each, in the order the module docstring defines."""
    occurrences: list[tuple[Addressee, SendType]] = []
    for entry in recipients:
        for addressee in await entry_addressees(repos, campaign_brand_id, entry):
            if addressee.email:
                occurrences.append((addressee, entry.send_type))
    return dedupe(occurrences)


def dedupe(occurrences: list[tuple[Addressee, SendType]]) -> list[tuple[Addressee, SendType]]:
    best: dict[str, SendType] = {}
    for addressee, send_type in occurrences:
        key = addressee.email.lower()
        best[key] = min(best.get(key, send_type), send_type)
    chosen: list[tuple[Addressee, SendType]] = []
    placed: set[str] = set()
    for addressee, send_type in occurrences:
        key = addressee.email.lower()
        if key not in placed and send_type == best[key]:
            placed.add(key)
            chosen.append((addressee, send_type))
    return chosen
