"""Who may see and change a campaign: any member of its brand sees it; its creator and the brand's admins
change it. To anyone outside the brand the campaign does not exist."""
from __future__ import annotations

from chatsvc.aip.campaign_names import campaign_name
from chatsvc.domain.brand_access import brand_member
from chatsvc.domain.campaign_models import Campaign
from chatsvc.domain.directory_models import Member, MemberRole
from chatsvc.domain.errors import NotFound, PermissionDenied
from chatsvc.domain.models import User
from chatsvc.domain.ports import Repositories


def campaign_not_found(brand_id: str, campaign_id: str) -> NotFound:
    return NotFound(f"Email campaign `{campaign_name(brand_id, campaign_id)}` not found.",
                    reason="EMAIL_CAMPAIGN_NOT_FOUND")


async def visible_campaign(repos: Repositories, brand_id: str, campaign_id: str, user: User, *,
                           lock: bool = False, parts: bool = True) -> tuple[Member, Campaign]:
    """The caller's membership and the campaign (with its recipients and attachments unless not `parts`);
    NOT_FOUND for non-members (as for a missing brand), and for a campaign missing, deleted, or of another
    brand."""
    member = await brand_member(repos, brand_id, user)
    campaign = await repos.campaigns.find(brand_id, campaign_id, lock=lock, parts=parts)
    if campaign is None or campaign.delete_time_us:
        raise campaign_not_found(brand_id, campaign_id)
    return member, campaign


def require_changer(member: Member, campaign: Campaign) -> None:
    """Checked after the caller could see the campaign, so refusing says nothing new."""
    if campaign.creator_id != member.user_id and member.role != MemberRole.ADMIN:
        raise PermissionDenied(f"Only the creator of `{campaign_name(campaign.brand_id, campaign.id)}` or an admin "
                               "of its brand may change it.", reason="EMAIL_CAMPAIGN_CHANGE_DENIED")
