"""The chatsvc.webhooks.v1.WebhookService servicer: a space's incoming webhooks.

Proto in -> a chatsvc.domain.webhooks.Webhooks use case -> proto out. The webhook's URL (with its token) is in the
responses of CreateWebhook and RotateWebhookToken only, on the HTTP endpoint's public URL (`base_url()`: empty
when the endpoint is switched off, which leaves the URL's path and query for the operator to put behind a proxy).
Posting to that URL is chatsvc.http.webhooks.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from google.protobuf import empty_pb2

from chatsvc.aip import names
from chatsvc.aip.pagination import page_size
from chatsvc.api.convert import timestamp
from chatsvc.api.pages import Pager
from chatsvc.domain.principal import current_principal
from chatsvc.domain.webhooks import Issued, Webhook, Webhooks, webhook_url
from chatsvc.webhooks.v1 import webhook_pb2, webhook_service_pb2_grpc
from chatsvc.webhooks.v1 import webhook_service_pb2 as pb

SERVICE = pb.DESCRIPTOR.services_by_name["WebhookService"]
MAX_PAGE = 1000
_NAME = re.compile(rf"^spaces/({names.SEGMENT})/webhooks/({names.SEGMENT})\Z")


def webhook_name(space_id: str, webhook_id: str) -> str:
    return f"{names.space_name(space_id)}/webhooks/{webhook_id}"


def parse_webhook_name(name: str, field: str = "name") -> tuple[str, str]:
    """(space id, webhook id) of `spaces/{space}/webhooks/{webhook}`."""
    space_id, webhook_id = names.parse(_NAME, name, field, "spaces/{space}/webhooks/{webhook}")
    return space_id, webhook_id


def webhook_proto(webhook: Webhook, url: str = "") -> webhook_pb2.Webhook:
    return webhook_pb2.Webhook(
        name=webhook_name(webhook.space_id, webhook.id), display_name=webhook.display_name,
        avatar_url=webhook.avatar_url, url=url, sender=names.user_name(webhook.user_id),
        creator=names.user_name(webhook.creator_id) if webhook.creator_id else "",
        create_time=timestamp(webhook.create_time_us), token_create_time=timestamp(webhook.token_time_us))


class WebhookService(webhook_service_pb2_grpc.WebhookServiceServicer):
    def __init__(self, webhooks: Webhooks, pager: Pager, base_url: Callable[[], str]):
        self.webhooks = webhooks
        self.pager = pager
        self._base_url = base_url

    def _issued(self, issued: Issued) -> webhook_pb2.Webhook:
        return webhook_proto(issued.webhook, webhook_url(self._base_url(), issued.webhook, issued.token))

    async def CreateWebhook(self, request, context):
        space_id = names.space(request.parent, "parent")
        issued = await self.webhooks.create(current_principal(), space_id, request.webhook.display_name,
                                            request.webhook.avatar_url)
        return self._issued(issued)

    async def GetWebhook(self, request, context):
        space_id, webhook_id = parse_webhook_name(request.name)
        return webhook_proto(await self.webhooks.get(current_principal(), space_id, webhook_id))

    async def ListWebhooks(self, request, context):
        principal = current_principal()
        space_id = names.space(request.parent, "parent")
        size = page_size(request.page_size, default=50, maximum=MAX_PAGE)
        after = self.pager.position(request.page_token, "ListWebhooks", principal, request.parent)
        page = await self.webhooks.list(principal, space_id, after=after, limit=size)
        return pb.ListWebhooksResponse(
            webhooks=[webhook_proto(w) for w in page.items],
            next_page_token=self.pager.token(page.next_position, "ListWebhooks", principal, request.parent))

    async def DeleteWebhook(self, request, context):
        space_id, webhook_id = parse_webhook_name(request.name)
        await self.webhooks.delete(current_principal(), space_id, webhook_id)
        return empty_pb2.Empty()

    async def RotateWebhookToken(self, request, context):
        space_id, webhook_id = parse_webhook_name(request.name)
        return self._issued(await self.webhooks.rotate(current_principal(), space_id, webhook_id))
