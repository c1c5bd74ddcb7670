"""chatsvc.campaigns.v1 RPCs: CreateSendingDomain, GetSendingDomain, VerifySendingDomain."""
from __future__ import annotations

from chatsvc.api.convert import timestamp
from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2
from chatsvc.domain.principal import current_principal
from chatsvc.domain.sending_domain_models import DnsRecord, SendingDomain


def sending_domain_proto(domain: SendingDomain) -> campaign_pb2.SendingDomain:
    proto = campaign_pb2.SendingDomain(name=f"sendingDomains/{domain.domain}", domain=domain.domain,
                                       mail_domain=domain.mail_domain, create_time=timestamp(domain.create_time_us))
    if domain.enable_time_us:
        proto.enable_time.CopyFrom(timestamp(domain.enable_time_us))
    return proto


def dns_record_proto(record: DnsRecord) -> campaign_pb2.DnsRecord:
    return campaign_pb2.DnsRecord(name=record.name, record_type=record.record_type,
                                  desired_value=record.desired_value, is_active=record.is_active)


class SendingDomainsApi:
    """Mixed into the CampaignService servicer; uses `self.sending_domains`
    (chatsvc.domain.sending_domains.SendingDomains)."""

    async def CreateSendingDomain(self, request, context):
        created = await self.sending_domains.create(current_principal(), request.sending_domain.domain)
        return sending_domain_proto(created)

    async def GetSendingDomain(self, request, context):
        return sending_domain_proto(await self.sending_domains.get(current_principal(), request.name))

    async def VerifySendingDomain(self, request, context):
        domain, missing = await self.sending_domains.verify(current_principal(), request.name)
        return campaign_service_pb2.VerifySendingDomainResponse(
            sending_domain=sending_domain_proto(domain), missing_records=[dns_record_proto(r) for r in missing])
