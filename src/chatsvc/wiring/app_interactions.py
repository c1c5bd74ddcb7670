"""What the InteractionService is built from: the use cases of chatsvc.domain.app_interactions and their wire parts
(the event JSON, the cards' actions, the HTTP delivery)."""
from __future__ import annotations

from chatsvc.api.app_interactions import InteractionService
from chatsvc.domain.app_interactions import AppInteractions
from chatsvc.domain.app_replies import ReplyActions
from chatsvc.events import interaction_events
from chatsvc.events.card_actions import card_actions
from chatsvc.events.delivery import Deliverer


def interaction_service(db, directory, messages, identity, clock, timeout_seconds: float) -> InteractionService:
    deliverer = Deliverer(identity, timeout_seconds, keep_session=False)
    return InteractionService(AppInteractions(db, directory, clock, deliverer, ReplyActions(db, messages, clock),
                                              interaction_events.build, card_actions))
