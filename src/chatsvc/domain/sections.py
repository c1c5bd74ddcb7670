"""Sections: a user's own grouping of the spaces they are in. Only the user reads or changes their sections.

Sort orders are dense positions, 1..n, so PositionSection's "insert at position k and shift the rest down" and
"append when k is past the end" hold exactly. A user's sections are stored from their first change; until
then the system sections are implied in their default order. New custom sections go to the end.

These are a user's private settings, not events in a space, so no space event is recorded for them (Google's
space event types include none for sections).
"""
from __future__ import annotations

from dataclasses import replace

from chatsvc.aip import ids
from chatsvc.aip.names import MemberRef
from chatsvc.aip.section_names import ItemRef, SectionRef, item_name, section_name
from chatsvc.domain.access import read, write
from chatsvc.domain.errors import InvalidArgument, NotFound, PermissionDenied, ResourceExhausted
from chatsvc.domain.models import Page, User
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.section_models import (
    ALL_SECTIONS,
    SYSTEM_SECTIONS,
    Section,
    SectionItem,
    SectionType,
    default_sections,
)
from chatsvc.domain.users import Directory

MAX_DISPLAY_NAME = 80  # characters, as Google documents
# Google documents no limit; one keeps every renumbering and the list of a user's sections small.
MAX_CUSTOM_SECTIONS = 100


def check_display_name(display_name: str, field: str) -> None:
    if not display_name.strip():
        raise InvalidArgument.field(field, "is required for a custom section")
    if len(display_name) > MAX_DISPLAY_NAME:
        raise InvalidArgument.field(field, f"must be at most {MAX_DISPLAY_NAME} characters")


def _section_not_found(user_id: str, section_id: str) -> NotFound:
    return NotFound(f"Section `{section_name(user_id, section_id)}` not found.", reason="SECTION_NOT_FOUND")


def _item_not_found(user_id: str, ref: ItemRef) -> NotFound:
    return NotFound(f"Section item `{item_name(user_id, ref.section_id, ref.space_id)}` not found.",
                    reason="SECTION_ITEM_NOT_FOUND")


async def _find(repos: Repositories, user_id: str, section_id: str) -> Section:
    """A section of the user: stored, or a system section of a user who never changed their sections."""
    found = await repos.sections.get(user_id, section_id)
    if found is None and section_id in SYSTEM_SECTIONS:
        found = next(s for s in default_sections(user_id) if s.id == section_id)
    if found is None:
        raise _section_not_found(user_id, section_id)
    return found


async def _stored(repos: Repositories, user_id: str) -> list[Section]:
    """All the user's sections, storing the implied system sections first if none are stored yet. Call it
    with the user locked."""
    stored = await repos.sections.all(user_id)
    if not stored:
        stored = default_sections(user_id)
        await repos.sections.add(stored)
    return stored


def _pick(stored: list[Section], user_id: str, section_id: str) -> Section:
    for section in stored:
        if section.id == section_id:
            return section
    raise _section_not_found(user_id, section_id)


class Sections:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock):
        self._db = db
        self._directory = directory
        self._clock = clock

    async def _owner(self, principal: Principal, ref: MemberRef, field: str) -> User:
        """The caller, if `ref` names them; anyone else's sections are out of reach."""
        caller = await self._directory.caller(principal)
        if ref.is_me:
            mine = True
        elif ref.is_app or principal.is_app:
            mine = False
        elif ref.is_email:
            mine = ref.value.lower() == principal.email.lower()
        else:
            mine = ref.value == caller.id
        if not mine:
            raise PermissionDenied(f"`{field}` must name the calling user (for example `users/me`): sections "
                                   "are only read and changed by their own user.", reason="NOT_CALLING_USER")
        return caller

    async def create(self, principal: Principal, parent: MemberRef, section_type: SectionType,
                     display_name: str) -> Section:
        if section_type == SectionType.UNSPECIFIED:
            raise InvalidArgument.field("section.type", "is required; only CUSTOM_SECTION can be created")
        if section_type != SectionType.CUSTOM_SECTION:
            raise InvalidArgument.field("section.type", "only CUSTOM_SECTION can be created; system sections "
                                                        "exist already")
        check_display_name(display_name, "section.display_name")
        caller = await self._owner(principal, parent, "parent")

        async def work(repos: Repositories) -> Section:
            await repos.sections.lock_user(caller.id)
            stored = await _stored(repos, caller.id)
            if sum(s.is_custom for s in stored) >= MAX_CUSTOM_SECTIONS:
                raise ResourceExhausted(f"A user can have at most {MAX_CUSTOM_SECTIONS} custom sections; delete "
                                        "one first.", reason="SECTION_LIMIT_REACHED")
            created = Section(caller.id, ids.opaque_id(), SectionType.CUSTOM_SECTION, len(stored) + 1,
                              display_name)
            await repos.sections.add([created])
            return created

        return await write(self._db, work)

    async def rename(self, principal: Principal, ref: SectionRef, display_name: str, *,
                     section_type: SectionType = SectionType.UNSPECIFIED) -> Section:
        caller = await self._owner(principal, ref.user, "section.name")

        async def work(repos: Repositories) -> Section:
            section = await _find(repos, caller.id, ref.section_id)
            if not section.is_custom:
                raise InvalidArgument.field("section.name", "names a system section; only custom sections can "
                                                            "be updated")
            if section_type not in (SectionType.UNSPECIFIED, section.type):
                raise InvalidArgument.field("section.type", "a section's type can't be changed")
            check_display_name(display_name, "section.display_name")
            await repos.sections.rename(caller.id, section.id, display_name)
            return replace(section, display_name=display_name)

        return await write(self._db, work)

    async def delete(self, principal: Principal, ref: SectionRef) -> None:
        """Deletes a custom section; its spaces go back to their system sections."""
        caller = await self._owner(principal, ref.user, "name")

        async def work(repos: Repositories) -> None:
            await repos.sections.lock_user(caller.id)
            section = await _find(repos, caller.id, ref.section_id)
            if not section.is_custom:
                raise InvalidArgument.field("name", "names a system section; only custom sections can be deleted")
            await repos.sections.delete(caller.id, section.id)
            await repos.sections.shift(caller.id, section.sort_order + 1, None, -1)

        await write(self._db, work)

    async def list(self, principal: Principal, user: MemberRef, *, after: tuple | None, limit: int) -> Page:
        caller = await self._owner(principal, user, "parent")

        async def work(repos: Repositories) -> Page:
            page = await repos.sections.page(caller.id, after=after, limit=limit)
            if page.items or await repos.sections.has_any(caller.id):
                return page
            implied = [s for s in default_sections(caller.id)
                       if after is None or (s.sort_order, s.id) > tuple(after)]
            more = len(implied) > limit
            implied = implied[:limit]
            return Page(implied, (implied[-1].sort_order, implied[-1].id) if more else None)

        return await read(self._db, work)

    async def position(self, principal: Principal, ref: SectionRef, *, sort_order: int | None = None,
                       at_end: bool = False) -> Section:
        """Moves a section to position `sort_order` (1 is the first; past the end appends) or to the end."""
        caller = await self._owner(principal, ref.user, "name")

        async def work(repos: Repositories) -> Section:
            await repos.sections.lock_user(caller.id)
            stored = await _stored(repos, caller.id)
            section = _pick(stored, caller.id, ref.section_id)
            target = len(stored) if at_end or sort_order is None else min(sort_order, len(stored))
            old = section.sort_order
            if target == old:
                return section
            if target < old:
                await repos.sections.shift(caller.id, target, old - 1, +1)
            else:
                await repos.sections.shift(caller.id, old + 1, target, -1)
            await repos.sections.set_order(caller.id, section.id, target)
            return replace(section, sort_order=target)

        return await write(self._db, work)

    async def list_items(self, principal: Principal, parent: SectionRef, *, space_ids: tuple[str, ...] | None,
                         after: str | None, limit: int) -> Page:
        """A page of SectionItems of one section, or of every section with the `-` wildcard."""
        caller = await self._owner(principal, parent.user, "parent")

        async def work(repos: Repositories) -> Page:
            section = None if parent.section_id == ALL_SECTIONS else await _find(repos, caller.id,
                                                                                   parent.section_id)
            return await repos.sections.items(caller.id, section, space_ids=space_ids, after=after, limit=limit)

        return await read(self._db, work)

    async def move_item(self, principal: Principal, ref: ItemRef, target: SectionRef) -> SectionItem:
        """Files one of the user's spaces in a custom section, or returns it to its own system section."""
        caller = await self._owner(principal, ref.user, "name")
        await self._owner(principal, target.user, "target_section")
        if ref.section_id == ALL_SECTIONS:
            raise InvalidArgument.field("name", "must name the section the item is in; the wildcard `-` is for "
                                                "listing items only")
        if target.section_id == ALL_SECTIONS:
            raise InvalidArgument.field("target_section", "must name one section, not the wildcard `-`")

        async def work(repos: Repositories) -> SectionItem:
            await repos.sections.lock_user(caller.id)
            found = await repos.sections.item(caller.id, ref.space_id)
            if found is None or found[0].section_id != ref.section_id:
                raise _item_not_found(caller.id, ref)
            current, home = found
            destination = await _find(repos, caller.id, target.section_id)
            if not destination.is_custom and destination.id != home:
                raise InvalidArgument.field("target_section", f"this space belongs in the system section "
                                                              f"`{section_name(caller.id, home)}` or a custom "
                                                              "section")
            if destination.id == current.section_id:
                return current
            if destination.is_custom:
                await repos.sections.file(caller.id, current.space_id, destination.id)
            else:
                await repos.sections.unfile(caller.id, current.space_id)
            return replace(current, section_id=destination.id)

        return await write(self._db, work)
