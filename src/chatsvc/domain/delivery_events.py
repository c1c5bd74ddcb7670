"""What mail providers report about sent emails (their webhooks call RecordDeliveryEvent). Each event id
counts once: the email's and the campaign's counters move together in one transaction."""
from __future__ import annotations

from chatsvc.aip import campaign_names as names
from chatsvc.domain.access import write
from chatsvc.domain.campaign_models import CampaignEmail, DeliveryEvent
from chatsvc.domain.errors import InvalidArgument, NotFound
from chatsvc.domain.ports import Clock, Repositories, Transactions

MAX_EVENT_ID = 128


class DeliveryEvents:
    def __init__(self, db: Transactions, clock: Clock):
        self._db = db
        self._clock = clock

    async def record(self, name: str, event_type: int, event_id: str, time_us: int | None) -> CampaignEmail:
        brand_id, campaign_id, email_id = names.parse_campaign_email(name)
        try:
            event = DeliveryEvent(event_type)
        except ValueError:
            raise InvalidArgument.field("event_type", "is required: a DeliveryEventType") from None
        if not event_id:
            raise InvalidArgument.field("event_id", "is required")
        if len(event_id) > MAX_EVENT_ID:
            raise InvalidArgument.field("event_id", f"must be at most {MAX_EVENT_ID} characters")
        when = time_us if time_us is not None else self._clock()

        async def count(repos: Repositories) -> CampaignEmail:
            email = await repos.campaign_emails.get(email_id)
            key = await repos.campaigns.key_of(brand_id, campaign_id) if email is not None else None
            if email is None or key is None or email.campaign_id != key:
                raise NotFound(f"Campaign email `{name}` not found.", reason="CAMPAIGN_EMAIL_NOT_FOUND")
            await repos.campaign_emails.record_event(email, event, event_id, when)  # False: seen before
            # Read again: the counters as they are now, with concurrent writers' events (on PostgreSQL a
            # repeat of an id being recorded concurrently waited for that writer's commit).
            return await repos.campaign_emails.get(email_id)

        return await write(self._db, count)
