"""Who may act in a brand: its members. To anyone else the brand and all it holds do not exist."""
from __future__ import annotations

from chatsvc.aip.directory_names import brand_name
from chatsvc.domain.directory_models import Member, MemberRole
from chatsvc.domain.errors import NotFound, PermissionDenied
from chatsvc.domain.models import User
from chatsvc.domain.ports import Repositories


def brand_not_found(brand_id: str) -> NotFound:
    # One message for "no such brand" and "not your brand": a refused caller learns nothing.
    return NotFound(f"Brand `{brand_name(brand_id)}` not found.", reason="BRAND_NOT_FOUND")


async def brand_member(repos: Repositories, brand_id: str, user: User) -> Member:
    """The caller's membership of the brand; NOT_FOUND when there is none, whether or not the brand exists."""
    member = await repos.directory.member(brand_id, user.id)
    if member is None:
        raise brand_not_found(brand_id)
    return member


def require_admin(member: Member) -> None:
    """Agents may see the brand (they are members), so refusing them says nothing new: PERMISSION_DENIED."""
    if member.role != MemberRole.ADMIN:
        raise PermissionDenied(f"Only admins of `{brand_name(member.brand_id)}` may do this.",
                               reason="BRAND_ADMIN_REQUIRED")
