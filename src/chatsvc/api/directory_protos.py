"""chatsvc.directory.v1 messages <-> directory domain values."""
from __future__ import annotations

from chatsvc.aip import directory_names as names
from chatsvc.aip.names import user_name
from chatsvc.api.convert import timestamp
from chatsvc.directory.v1 import directory_pb2
from chatsvc.domain.contact_drafts import ContactDraft
from chatsvc.domain.directory_models import Brand, Contact, ContactList, Member, MemberRole
from chatsvc.domain.errors import InvalidArgument

_ROLES = {directory_pb2.Member.ROLE_AGENT: MemberRole.AGENT, directory_pb2.Member.ROLE_ADMIN: MemberRole.ADMIN}


def role(value: int, field: str = "member.role") -> MemberRole | None:
    """None for ROLE_UNSPECIFIED (the domain's default applies)."""
    if value == directory_pb2.Member.ROLE_UNSPECIFIED:
        return None
    if value not in _ROLES:
        raise InvalidArgument.field(field, f"{value} is not a member role")
    return _ROLES[value]


def contact_draft(proto: directory_pb2.Contact) -> ContactDraft:
    return ContactDraft(display_name=proto.display_name, emails=tuple(proto.emails), tags=tuple(proto.tags),
                        lists=tuple(proto.lists))


def brand_proto(brand: Brand) -> directory_pb2.Brand:
    return directory_pb2.Brand(name=names.brand_name(brand.id), display_name=brand.display_name,
                               create_time=timestamp(brand.create_time_us))


def member_proto(member: Member) -> directory_pb2.Member:
    return directory_pb2.Member(name=names.member_name(member.brand_id, member.user_id),
                                user=user_name(member.user_id), email=member.email,
                                display_name=member.display_name, role=int(member.role),
                                email_signature=member.email_signature, create_time=timestamp(member.create_time_us))


def contact_proto(contact: Contact) -> directory_pb2.Contact:
    return directory_pb2.Contact(name=names.contact_name(contact.brand_id, contact.id),
                                 display_name=contact.display_name, emails=list(contact.emails),
                                 tags=list(contact.tags),
                                 lists=[names.list_name(contact.brand_id, list_id) for list_id in contact.list_ids],
                                 create_time=timestamp(contact.create_time_us))


def contact_list_proto(contact_list: ContactList) -> directory_pb2.ContactList:
    return directory_pb2.ContactList(name=names.list_name(contact_list.brand_id, contact_list.id),
                                     display_name=contact_list.display_name,
                                     contact_count=contact_list.contact_count,
                                     create_time=timestamp(contact_list.create_time_us))
