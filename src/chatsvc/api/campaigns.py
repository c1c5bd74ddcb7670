"""chatsvc.campaigns.v1 campaign RPCs: create, update, notifications, get, list, delete, emails, quota, events.

Servicer attributes used (set by wiring/campaigns.py): `campaigns` (domain.campaigns.Campaigns),
`campaign_reads` (domain.campaign_reads.CampaignReads), `delivery_events` (domain.delivery_events
.DeliveryEvents) and `pager` (api.pages.Pager)."""
from __future__ import annotations

from google.protobuf import empty_pb2

from chatsvc.aip.pagination import page_size
from chatsvc.api.campaign_protos import campaign_input, campaign_proto, email_proto, quota_proto
from chatsvc.api.times import timestamp_micros
from chatsvc.campaigns.v1 import campaign_service_pb2 as pb
from chatsvc.domain.errors import InvalidArgument
from chatsvc.domain.principal import current_principal

_ASSOCIATIONS = (pb.ASSOCIATION_UNSPECIFIED, pb.ASSOCIATION_EMAILS)


def with_emails(associations) -> bool:
    for index, value in enumerate(associations):
        if value not in _ASSOCIATIONS:
            raise InvalidArgument.field(f"associations[{index}]", f"{value} is not an Association")
    return pb.ASSOCIATION_EMAILS in associations


class CampaignsApi:
    """Mixed into the CampaignService servicer."""

    async def CreateEmailCampaign(self, request, context):
        campaign = await self.campaigns.create(current_principal(), request.parent,
                                               campaign_input(request.email_campaign), request.email_campaign_id,
                                               request.request_id)
        return campaign_proto(campaign)

    async def UpdateEmailCampaign(self, request, context):
        campaign = await self.campaigns.update(current_principal(), request.email_campaign.name,
                                               campaign_input(request.email_campaign),
                                               list(request.update_mask.paths))
        return campaign_proto(campaign)

    async def SetCampaignNotifications(self, request, context):
        return campaign_proto(await self.campaigns.set_notifications(current_principal(), request.name,
                                                                     request.enabled))

    async def GetEmailCampaign(self, request, context):
        emails = with_emails(request.associations)
        return campaign_proto(await self.campaign_reads.get(current_principal(), request.name, emails))

    async def ListEmailCampaigns(self, request, context):
        principal = current_principal()
        emails = with_emails(request.associations)
        params = (request.parent, sorted(set(request.associations)))
        size = page_size(request.page_size, default=50, maximum=200)
        after = self.pager.position(request.page_token, "ListEmailCampaigns", principal, *params)
        page = await self.campaign_reads.list(principal, request.parent, after, size, emails)
        return pb.ListEmailCampaignsResponse(
            email_campaigns=[campaign_proto(c) for c in page.items], total_size=page.total_size,
            next_page_token=self.pager.token(page.next_position, "ListEmailCampaigns", principal, *params))

    async def DeleteEmailCampaign(self, request, context):
        await self.campaigns.delete(current_principal(), request.name)
        return empty_pb2.Empty()

    async def ListCampaignEmails(self, request, context):
        """Offset pages (the seed's start/limit): the token carries the offset of the next row; `skip`
        applies after it (AIP-158)."""
        principal = current_principal()
        if request.skip < 0:
            raise InvalidArgument.field("skip", "must not be negative")
        size = page_size(request.page_size, default=50, maximum=1000)
        params = (request.parent, request.order_by)
        position = self.pager.position(request.page_token, "ListCampaignEmails", principal, *params)
        offset = (int(position[0]) if position else 0) + request.skip
        page = await self.campaign_reads.emails(principal, request.parent, request.order_by, offset, size)
        _, brand, _, campaign = request.parent.split("/")  # the domain parsed `parent` already
        next_position = (page.next_offset,) if page.next_offset is not None else None
        return pb.ListCampaignEmailsResponse(
            emails=[email_proto(brand, campaign, e) for e in page.items], total_size=page.total_size,
            next_page_token=self.pager.token(next_position, "ListCampaignEmails", principal, *params))

    async def GetEmailQuota(self, request, context):
        return quota_proto(await self.campaign_reads.quota(current_principal(), request.name))

    async def RecordDeliveryEvent(self, request, context):
        when = timestamp_micros(request.event_time, "event_time") if request.HasField("event_time") else None
        email = await self.delivery_events.record(request.name, request.event_type, request.event_id, when)
        segments = request.name.split("/")  # the domain parsed `name` already
        return email_proto(segments[1], segments[3], email)
