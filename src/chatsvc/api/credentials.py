"""chatsvc.credentials.v1.CredentialService: proto in -> a Credentials use case -> proto out."""
from __future__ import annotations

from chatsvc.aip.pagination import page_size
from chatsvc.api.credential_protos import (
    business_account_proto,
    calendar_proto,
    credential_proto,
    full_view,
    provider,
)
from chatsvc.api.pages import Pager
from chatsvc.credentials.v1 import credential_service_pb2 as pb
from chatsvc.credentials.v1 import credential_service_pb2_grpc
from chatsvc.domain.credentials import Credentials
from chatsvc.domain.principal import current_principal

SERVICE = "chatsvc.credentials.v1.CredentialService"


class CredentialService(credential_service_pb2_grpc.CredentialServiceServicer):
    def __init__(self, credentials: Credentials, pager: Pager):
        self.credentials = credentials
        self.pager = pager

    async def RequestAccess(self, request, context):
        url = await self.credentials.request_access(current_principal(), request.parent, provider(request.provider),
                                                    list(request.scopes), request.redirect, request.brand)
        return pb.RequestAccessResponse(url=url, redirect=request.redirect)

    async def VerifyGrant(self, request, context):
        credential = await self.credentials.verify_grant(current_principal(), request.state, request.code,
                                                         request.parent)
        return credential_proto(credential)

    async def GetCredential(self, request, context):
        with_jobs = full_view(request.view)
        return credential_proto(await self.credentials.get(current_principal(), request.name, with_jobs))

    async def ListCredentials(self, request, context):
        principal = current_principal()
        with_jobs = full_view(request.view)
        params = (request.parent, request.provider, request.show_deleted)
        size = page_size(request.page_size, default=50, maximum=100)
        after = self.pager.position(request.page_token, "ListCredentials", principal, *params)
        page = await self.credentials.list(principal, request.parent, provider(request.provider),
                                           request.show_deleted, after, size, with_jobs)
        return pb.ListCredentialsResponse(
            credentials=[credential_proto(c) for c in page.items],
            next_page_token=self.pager.token(page.next_position, "ListCredentials", principal, *params))

    async def DeleteCredential(self, request, context):
        return credential_proto(await self.credentials.delete(current_principal(), request.name))

    async def RevokeCredential(self, request, context):
        return credential_proto(await self.credentials.revoke(current_principal(), request.name))

    async def SyncCredential(self, request, context):
        return credential_proto(await self.credentials.sync(current_principal(), request.name))

    async def ListCalendars(self, request, context):
        listed = await self.credentials.calendars(current_principal(), request.name)
        response = pb.ListCalendarsResponse(calendars=[calendar_proto(c, synced) for c, synced in listed.calendars],
                                            is_configured=listed.configured)
        if listed.primary:
            response.primary_calendar.CopyFrom(calendar_proto(*listed.primary))
        return response

    async def ConfigureCalendars(self, request, context):
        credential = await self.credentials.configure_calendars(current_principal(), request.name,
                                                                list(request.to_sync), list(request.to_stop_sync))
        return pb.ConfigureCalendarsResponse(synced_calendars=list(credential.synced_calendars))

    async def ListBusinessAccounts(self, request, context):
        accounts = await self.credentials.business_accounts(current_principal(), request.name)
        return pb.ListBusinessAccountsResponse(business_accounts=[business_account_proto(a) for a in accounts])

    async def CheckCapability(self, request, context):
        reason = await self.credentials.check_capability(current_principal(), request.name, request.capability)
        return pb.CheckCapabilityResponse(usable=not reason, reason=reason)
