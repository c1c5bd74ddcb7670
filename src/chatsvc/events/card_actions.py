"""The actions a message's cards offer (google.apps.card.v1.Action, wherever a card holds one): the wire half of
chatsvc.domain.app_interactions' check that a Chat client clicks only what the message shows.

Read from the message's stored cardsV2 and accessory widgets. An action is a click (a button's or chip's onClick,
an onChangeAction, ...) unless it is a text input's `autoCompleteAction` or a selection input's
`externalDataSource`: those are the autocomplete of that input, named by the input's `name`.
"""
from __future__ import annotations

from google.chat.v1 import message_pb2
from google.protobuf.message import DecodeError

from chatsvc.domain.app_interactions import CardAction
from chatsvc.domain.models import Message

_ACTION = "google.apps.card.v1.Action"
_AUTOCOMPLETE_FIELDS = frozenset({"auto_complete_action", "external_data_source"})
_OPEN_DIALOG = 1  # google.apps.card.v1.Action.Interaction.OPEN_DIALOG


def card_actions(message: Message) -> tuple[CardAction, ...]:
    proto = message_pb2.Message()
    try:
        proto.MergeFromString(message.cards_v2 + message.widgets)
    except DecodeError:
        return ()
    found: list[CardAction] = []
    _walk(proto, found)
    return tuple(found)


def _walk(proto, found: list[CardAction]) -> None:
    for field, value in proto.ListFields():
        if field.message_type is None:
            continue
        for item in (value if field.is_repeated else (value,)):
            if field.message_type.full_name == _ACTION:
                widget = getattr(proto, "name", "") if field.name in _AUTOCOMPLETE_FIELDS else ""
                found.append(CardAction(
                    function=item.function, parameters=tuple((p.key, p.value) for p in item.parameters),
                    opens_dialog=item.interaction == _OPEN_DIALOG, autocomplete_widget=widget))
            elif not field.message_type.GetOptions().map_entry:
                _walk(item, found)
