"""What a Chat client does with an app's cards and commands, as the calling user, answered while they wait.

Google Chat has no API for these (its own client makes them); chatsvc's InteractionService does, so tests and a
browser client drive them the same way:

- click an action on a message's card: CARD_CLICKED with the action's function and parameters and the form inputs.
  The function (and the parameters, when the caller gives them) must be one of the actions the message's cards show.
  An action whose `interaction` is OPEN_DIALOG opens a dialog: `isDialogEvent` with REQUEST_DIALOG.
- submit or cancel a dialog: CARD_CLICKED with `isDialogEvent`, SUBMIT_DIALOG (function and form inputs) or
  CANCEL_DIALOG. chatsvc does not keep the dialogs it hands back, so a submit's function is the caller's word.
- autocomplete an input: WIDGET_UPDATED with the input's current value (`common.parameters.autocomplete_widget_query`
  and `common.formInputs`); on a message's card the input must have an autocomplete action.
- run a quick command: APP_COMMAND with `appCommandMetadata` {appCommandId, appCommandType QUICK_COMMAND}, and
  REQUEST_DIALOG when the command opens a dialog.

Who: the caller must see the space (and the message); the app must be a member of the space, with an HTTP endpoint
and taking direct messages or spaces (as the space is) like its events.
The app of a message's card is its sender, or for a user's message with a link preview the member app that
previews its matched URL. Each interaction is delivered at once (chatsvc.events.delivery, within the app timeout)
and recorded as a done row of the outbox like any delivery; the reply takes effect through
chatsvc.domain.app_replies. A failure (timeout, error status, not JSON, invalid or inapplicable reply) is on record,
the user gets the "not responding" notice, and the caller an error with reason APP_NOT_RESPONDING: UNAVAILABLE when
the app gave no usable HTTP answer, FAILED_PRECONDITION when its reply could not be used.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import NoReturn

from chatsvc.aip import ids
from chatsvc.domain.access import read, visible_space, write
from chatsvc.domain.app_replies import Reply, ReplyActions, ReplyContext, ReplyFailed, ReplyType
from chatsvc.domain.chat_apps import ChatApp, CommandType, app_resource_name
from chatsvc.domain.errors import FailedPrecondition, InvalidArgument, NotFound, Unavailable
from chatsvc.domain.message_lookup import live_message
from chatsvc.domain.models import Message, SpaceType
from chatsvc.domain.ports import Clock, Repositories, Transactions
from chatsvc.domain.principal import Principal
from chatsvc.domain.users import Directory
from chatsvc.events.records import Delivery, EventType, Outcome, QueuedEvent

NOT_RESPONDING = "APP_NOT_RESPONDING"
_TRANSPORT_CAUSES = frozenset({"TIMEOUT", "UNREACHABLE", "HTTP_STATUS"})


@dataclass(frozen=True)
class CardAction:
    """One action a message's card offers (read by chatsvc.events.card_actions)."""

    function: str
    parameters: tuple[tuple[str, str], ...] = ()
    opens_dialog: bool = False
    autocomplete_widget: str = ""  # the input it autocompletes; "" for a click


class DialogEvent(str, Enum):
    REQUEST_DIALOG = "REQUEST_DIALOG"
    SUBMIT_DIALOG = "SUBMIT_DIALOG"
    CANCEL_DIALOG = "CANCEL_DIALOG"


@dataclass(frozen=True)
class Interaction:
    """What an interaction event says beyond its space, user and message."""

    event_type: EventType
    function: str = ""
    parameters: tuple[tuple[str, str], ...] = ()
    form_inputs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    dialog_event: DialogEvent | None = None
    command_id: int = 0  # APP_COMMAND: the quick command's id


@dataclass(frozen=True)
class InteractionResult:
    delivery_id: str
    app_name: str
    reply_type: ReplyType | None = None  # None: the app answered nothing
    message_name: str = ""  # the message the reply posted or updated
    action_response: bytes = b""  # the reply's ActionResponse, encoded (the dialog, action status, suggestions)


# (repos, queued event, the event's message, interaction) -> the classic event JSON (chatsvc.events.interaction_events)
EventBuilder = Callable[[Repositories, QueuedEvent, Message | None, Interaction], Awaitable[dict]]


@dataclass(frozen=True)
class _Target:
    app: ChatApp
    message: Message | None


class AppInteractions:
    def __init__(self, db: Transactions, directory: Directory, clock: Clock, deliverer, replies: ReplyActions,
                 build_event: EventBuilder, card_actions: Callable[[Message], tuple[CardAction, ...]]):
        self._db = db
        self._directory = directory
        self._clock = clock
        self._deliverer = deliverer  # chatsvc.events.delivery.Deliverer
        self._replies = replies
        self._build_event = build_event
        self._card_actions = card_actions

    async def click(self, principal: Principal, space_id: str, message_id: str, function: str,
                    parameters: tuple[tuple[str, str], ...] = (),
                    form_inputs: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> InteractionResult:
        if not function:
            raise InvalidArgument.field("function", "is required: the function of the action clicked")
        caller, target = await self._target(principal, space_id, message_id=message_id)
        action = next((a for a in self._card_actions(target.message) if not a.autocomplete_widget
                       and a.function == function and (not parameters or dict(a.parameters) == dict(parameters))), None)
        if action is None:
            raise InvalidArgument.field("function", f"`{function}`{' with these parameters' if parameters else ''} "
                                                    "is not an action of the message's cards")
        interaction = Interaction(EventType.CARD_CLICKED, function, action.parameters, form_inputs,
                                  DialogEvent.REQUEST_DIALOG if action.opens_dialog else None)
        return await self._run(caller.id, space_id, target, interaction)

    async def dialog(self, principal: Principal, space_id: str, event: DialogEvent, *, app_name: str = "",
                     message_id: str = "", function: str = "", parameters: tuple[tuple[str, str], ...] = (),
                     form_inputs: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> InteractionResult:
        """SUBMIT_DIALOG or CANCEL_DIALOG of a dialog the app showed (from a message's card, or a command)."""
        if event is DialogEvent.SUBMIT_DIALOG and not function:
            raise InvalidArgument.field("function", "is required: the function of the dialog's button")
        caller, target = await self._target(principal, space_id, app_name=app_name, message_id=message_id)
        interaction = Interaction(EventType.CARD_CLICKED, function, parameters, form_inputs, event)
        return await self._run(caller.id, space_id, target, interaction)

    async def autocomplete(self, principal: Principal, space_id: str, widget: str, value: str, *, app_name: str = "",
                           message_id: str = "", function: str = "",
                           form_inputs: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> InteractionResult:
        """WIDGET_UPDATED for an input of a message's card (or of a dialog, given the app and the function)."""
        if not widget:
            raise InvalidArgument.field("widget", "is required: the `name` of the input")
        caller, target = await self._target(principal, space_id, app_name=app_name, message_id=message_id)
        if target.message is not None:
            action = next((a for a in self._card_actions(target.message) if a.autocomplete_widget == widget), None)
            if action is None:
                raise InvalidArgument.field("widget", f"`{widget}` is no input with autocomplete on the message's "
                                                      "cards")
            function = action.function
        elif not function:
            raise InvalidArgument.field("function", "is required for a dialog's input: its autocomplete function")
        inputs = tuple(i for i in form_inputs if i[0] != widget) + ((widget, (value,)),)
        interaction = Interaction(EventType.WIDGET_UPDATED, function, (("autocomplete_widget_query", value),),
                                  inputs)
        return await self._run(caller.id, space_id, target, interaction)

    async def quick_command(self, principal: Principal, space_id: str, app_name: str,
                            command_id: int) -> InteractionResult:
        caller, target = await self._target(principal, space_id, app_name=app_name)
        command = target.app.command(command_id)
        if command is None or command.type is not CommandType.QUICK:
            raise InvalidArgument.field("command_id", f"{command_id} is not a quick command of "
                                                      f"{app_resource_name(target.app.name)}")
        interaction = Interaction(EventType.APP_COMMAND, dialog_event=DialogEvent.REQUEST_DIALOG
                                  if command.opens_dialog else None, command_id=command.id)
        return await self._run(caller.id, space_id, target, interaction)

    # --- the steps every interaction takes ------------------------------------------------------------------

    async def _target(self, principal: Principal, space_id: str, *, app_name: str = "",
                      message_id: str = "") -> tuple:
        """The caller and what they interact with: the app, and the message when one is named."""
        if not (app_name or message_id):
            raise InvalidArgument.field("app", "is required when no `message` is given")
        caller = await self._directory.caller(principal)

        async def work(repos: Repositories) -> _Target:
            space, _ = await visible_space(repos, space_id, caller)
            members = await repos.app_events.apps_among_members(space_id)
            message = None
            if message_id:
                message = await live_message(repos, principal, caller, space_id, message_id)
                owner = next((a for a in members if a.user_id == message.sender_id), None)
                if owner is None and getattr(message, "matched_url", ""):  # a user's message with a link preview
                    owner = next((a for a in members if a.previews(message.matched_url)), None)
                if owner is None:
                    raise FailedPrecondition("The message has no cards of a Chat app in this space.",
                                             reason="NO_APP_CARDS")
                if app_name and owner.name != app_name:
                    raise InvalidArgument.field("app", "is not the app of the message's cards")
                app = owner
            else:
                app = next((a for a in members if a.name == app_name), None)
                if app is None:
                    raise NotFound(f"No Chat app {app_resource_name(app_name)} is a member of this space.",
                                   reason="APP_NOT_FOUND")
            in_dm = space.space_type == SpaceType.DIRECT_MESSAGE
            if not (app.direct_messages_enabled if in_dm else app.spaces_enabled):
                raise FailedPrecondition(f"{app_resource_name(app.name)} does not take interactions in "
                                         f"{'direct messages' if in_dm else 'spaces'}.", reason="APP_NOT_INTERACTIVE")
            if not app.endpoint_url:
                raise FailedPrecondition(f"{app_resource_name(app.name)} has no HTTP endpoint: a Pub/Sub app's "
                                         "interactions are not built.", reason="APP_NOT_INTERACTIVE")
            return _Target(app, message)

        return caller, await read(self._db, work)

    async def _run(self, user_id: str, space_id: str, target: _Target,
                   interaction: Interaction) -> InteractionResult:
        # Shielded: a caller who stops waiting (a deadline, a dropped connection) stops neither the app's answer
        # taking effect nor its record.
        return await asyncio.shield(self._deliver(user_id, space_id, target, interaction))

    async def _deliver(self, user_id: str, space_id: str, target: _Target,
                       interaction: Interaction) -> InteractionResult:
        app, message = target.app, target.message
        event = QueuedEvent(ids.opaque_id(), app.name, interaction.event_type, space_id, user_id, self._clock(),
                            message.id if message else "")
        body = await read(self._db, lambda r: self._build_event(r, event, message, interaction))
        context = ReplyContext(app, interaction.event_type.value, space_id, user_id, message,
                               dialog=interaction.dialog_event is not None, event_id=event.id)
        exchange = await self._deliverer.exchange(app, body, space_id)
        if exchange.error:
            await self._fail(event, context, exchange, exchange.error, exchange.cause)
        reply: Reply | None = exchange.reply
        try:
            message_name = await self._replies.apply(context, reply) if reply else ""
        except ReplyFailed as e:
            await self._fail(event, context, exchange, str(e), "INVALID_REPLY")
        outcome = Outcome.REPLIED if reply and (message_name or reply.type in (
            ReplyType.DIALOG, ReplyType.UPDATE_WIDGET)) else Outcome.NO_REPLY
        await self._record(event, exchange.record(outcome, reply_message_id=message_name,
                                                  delivered_time_us=self._clock()))
        return InteractionResult(event.id, app.name, reply.type if reply else None, message_name,
                                 reply.action_response if reply else b"")

    async def _fail(self, event: QueuedEvent, context: ReplyContext, exchange, error: str, cause: str) -> NoReturn:
        """Records the failure, tells the user and raises the caller's error."""
        await self._record(event, exchange.record(Outcome.FAILED, error=error, delivered_time_us=self._clock()))
        await self._replies.not_responding(context)
        delivery = f"{app_resource_name(event.app_name)}/deliveries/{event.id}"
        metadata = {"app": app_resource_name(event.app_name), "delivery": delivery, "cause": cause, "error": error}
        if exchange.status_code:
            metadata["httpStatus"] = str(exchange.status_code)
        text = f"{context.app.display_name or context.app.name} is not responding: {error}"
        kind = Unavailable if cause in _TRANSPORT_CAUSES else FailedPrecondition
        raise kind(text, reason=NOT_RESPONDING, metadata=metadata)

    async def _record(self, event: QueuedEvent, delivery: Delivery) -> None:
        await write(self._db, lambda r: r.app_events.record(event, delivery))
