"""The record of a Chat app's event deliveries: who may read it, and ListDeliveries' filter.

Every event queued for an app (chatsvc.events.outbox) stays on record with what its delivery sent and got back
(chatsvc.workers.app_events) until the retention sweep (chatsvc.workers.app_event_retention) removes it. An app's
deliveries are read by those who may manage the app (chatsvc.domain.chat_apps: its creator, administrators, the
operator at the command line); to anyone else the app, and so its deliveries, do not exist (NOT_FOUND).

No credential is on record (chatsvc.events.delivery records the Authorization header as `Bearer REDACTED` and the
ID token an add-on event carries in its body, `authorizationEventObject`, as `REDACTED`); what is shown is redacted
again, a second guard for records from elsewhere.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace

from chatsvc.aip import filters
from chatsvc.domain.access import read
from chatsvc.domain.chat_apps import ChatApps, app_resource_name
from chatsvc.domain.errors import NotFound
from chatsvc.domain.models import Page
from chatsvc.domain.ports import Transactions
from chatsvc.domain.principal import Principal
from chatsvc.events.records import REDACTED, EventState, Outcome

FIELD = "filter"
_FILTER_FIELDS = ("outcome", "event_type", "state")


@dataclass(frozen=True)
class AppDelivery:
    """One event for an app and the record of its delivery (the record's fields are empty until it is DONE)."""

    id: str
    app_name: str
    event_type: str  # MESSAGE, ADDED_TO_SPACE, ...
    event_time_us: int
    space_id: str
    message_id: str  # "" when the event is about no message
    user_id: str  # who caused it
    state: EventState
    outcome: Outcome | None = None  # set once DONE
    event_json: str = ""
    status_code: int = 0
    latency_ms: int = 0
    reply: str = ""
    error: str = ""
    reply_message_name: str = ""  # `spaces/{space}/messages/{message}` the reply produced
    delivered_time_us: int = 0
    # The request headers sent, in order (none for a Pub/Sub publish); Authorization's credential never shown.
    request_headers: tuple[tuple[str, str], ...] = ()

    @property
    def finished(self) -> bool:
        return self.state is EventState.DONE


@dataclass(frozen=True)
class DeliveryQuery:
    """ListDeliveries' filter: each set field must match."""

    outcome: Outcome | None = None
    event_type: str | None = None
    state: EventState | None = None


def _redacted_event_json(text: str) -> str:
    """The event JSON with the values of its `authorizationEventObject` (ID and OAuth tokens of the add-on format)
    redacted; other text unchanged (serialised again as the sender did, compact)."""
    if "authorizationEventObject" not in text:
        return text
    try:
        event = json.loads(text)
    except ValueError:
        return text
    tokens = event.get("authorizationEventObject") if isinstance(event, dict) else None
    if not isinstance(tokens, dict):
        return text
    event["authorizationEventObject"] = {key: REDACTED for key in tokens}
    return json.dumps(event, separators=(",", ":"))


def shown(delivery: AppDelivery) -> AppDelivery:
    """The delivery as it may be shown: no credential in its headers or its event JSON."""
    return replace(delivery, event_json=_redacted_event_json(delivery.event_json),
                   request_headers=tuple((key, _redacted_authorization(value) if key.lower() == "authorization"
                                          else value) for key, value in delivery.request_headers))


def _redacted_authorization(value: str) -> str:
    """`Bearer REDACTED`: the scheme kept, the credential not."""
    scheme, _, credential = value.partition(" ")
    return f"{scheme} {REDACTED}" if credential else REDACTED


def delivery_not_found(app_name: str, delivery_id: str) -> NotFound:
    return NotFound(f"Delivery `{app_resource_name(app_name)}/deliveries/{delivery_id}` not found.",
                    reason="DELIVERY_NOT_FOUND")


def parse_filter(text: str) -> DeliveryQuery:
    """`outcome = FAILED AND event_type = "MESSAGE" AND state = DONE`: equalities joined by AND, each field once."""
    tree = filters.parse(text, FIELD)
    if tree is None:
        return DeliveryQuery()
    terms = list(tree.operands) if isinstance(tree, filters.And) else [tree]
    values: dict[str, str] = {}
    for term in terms:
        if not isinstance(term, filters.Comparison) or term.field not in _FILTER_FIELDS:
            raise filters.invalid(FIELD, "supports `outcome`, `event_type` and `state` compared with `=`, joined "
                                         "by AND")
        if term.op != "=":
            raise filters.invalid(FIELD, f"`{term.field}` supports only the `=` operator")
        if term.field in values:
            raise filters.invalid(FIELD, f"`{term.field}` may appear once")
        values[term.field] = term.value
    query = DeliveryQuery(event_type=values.get("event_type"))
    if "outcome" in values:
        outcome = next((o for o in Outcome if o.name == values["outcome"].upper()), None)
        if outcome is None:
            raise filters.invalid(FIELD, f"`outcome` is one of {', '.join(o.name for o in Outcome)}")
        query = DeliveryQuery(outcome, query.event_type)
    if "state" in values:
        state = next((s for s in EventState if s.name == values["state"].upper()), None)
        if state is None:
            raise filters.invalid(FIELD, f"`state` is one of {', '.join(s.name for s in EventState)}")
        query = DeliveryQuery(query.outcome, query.event_type, state)
    return query


class AppDeliveries:
    def __init__(self, db: Transactions, chat_apps: ChatApps):
        self._db = db
        self._chat_apps = chat_apps

    async def get(self, principal: Principal | None, app_name: str, delivery_id: str) -> AppDelivery:
        await self._chat_apps.fetch(principal, app_name)  # NOT_FOUND unless the caller manages the app
        delivery = await read(self._db, lambda repos: repos.app_deliveries.get(app_name, delivery_id))
        if delivery is None:
            raise delivery_not_found(app_name, delivery_id)
        return shown(delivery)

    async def list(self, principal: Principal | None, app_name: str, query: DeliveryQuery, *, after: tuple | None,
                   limit: int) -> Page:
        """Newest first; `after` is the (event_time_us, id) of the last one seen."""
        await self._chat_apps.fetch(principal, app_name)
        page = await read(self._db, lambda repos: repos.app_deliveries.list(app_name, query, after=after,
                                                                            limit=limit))
        return replace(page, items=[shown(delivery) for delivery in page.items])

    async def finished_since(self, principal: Principal | None, app_name: str, delivered_from_us: int, *,
                             limit: int = 500) -> list[AppDelivery]:
        """The app's deliveries that finished at or after `delivered_from_us`, in the order they finished (for a
        tail of deliveries as they happen: `chatsvc app deliveries --follow`)."""
        await self._chat_apps.fetch(principal, app_name)
        return [shown(delivery) for delivery in await read(
            self._db, lambda repos: repos.app_deliveries.finished_since(app_name, delivered_from_us, limit))]
