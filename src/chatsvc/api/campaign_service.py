"""The chatsvc.campaigns.v1.CampaignService servicer: one class composed of a mixin per resource group."""
from __future__ import annotations

from chatsvc.api.campaigns import CampaignsApi
from chatsvc.api.email_files import EmailFilesApi
from chatsvc.api.mailbox import MailboxApi
from chatsvc.api.sending_domains import SendingDomainsApi
from chatsvc.api.unimplemented import fill_unimplemented
from chatsvc.campaigns.v1 import campaign_service_pb2, campaign_service_pb2_grpc

SERVICE = campaign_service_pb2.DESCRIPTOR.services_by_name["CampaignService"]


class CampaignService(
    CampaignsApi,
    EmailFilesApi,
    MailboxApi,
    SendingDomainsApi,
    campaign_service_pb2_grpc.CampaignServiceServicer,
):
    def __init__(self, **services):
        """`services` are the domain services (and the pager) the mixins use, by the attribute name they use."""
        for name, service in services.items():
            setattr(self, name, service)


IMPLEMENTED = fill_unimplemented(CampaignService, campaign_service_pb2_grpc.CampaignServiceServicer, SERVICE)
