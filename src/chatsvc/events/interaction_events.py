"""The classic event JSON of a Chat client's interactions (chatsvc.domain.app_interactions), as Google sends them.

The base (`type`, `eventTime`, `space`, `user`, `common.hostApp`) comes from chatsvc.events.payloads; the clicked
message and its thread are the same Message proto the API returns (proto3 JSON). Then, by Google's Event fields:
`action` {actionMethodName, parameters [{key, value}]}, `common` {invokedFunction, parameters {key: value},
formInputs {name: {stringInputs: {value: [...]}}}}, `isDialogEvent` and `dialogEventType` for dialogs, and
`appCommandMetadata` {appCommandId, appCommandType} for a quick command.
"""
from __future__ import annotations

from dataclasses import replace

from google.protobuf import json_format

from chatsvc.api.message_protos import message_proto
from chatsvc.api.space_protos import space_proto
from chatsvc.domain.app_interactions import Interaction
from chatsvc.domain.errors import NotFound
from chatsvc.domain.models import Message
from chatsvc.domain.ports import Repositories
from chatsvc.events import payloads
from chatsvc.events.records import QueuedEvent


async def build(repos: Repositories, event: QueuedEvent, message: Message | None, interaction: Interaction) -> dict:
    built = await payloads.build(repos, event)
    if built is None:
        raise NotFound("The space is gone.", reason="SPACE_NOT_FOUND")
    body = built.body
    if message is not None:
        sender = (await repos.users.get_many({message.sender_id})).get(message.sender_id)
        proto = message_proto(replace(message, sender=sender))
        proto.space.CopyFrom(space_proto(await repos.spaces.get(event.space_id)))
        body["message"] = json_format.MessageToDict(proto)
        body["thread"] = json_format.MessageToDict(proto.thread)
    common = body.setdefault("common", {"hostApp": "CHAT"})
    if interaction.function:
        body["action"] = {"actionMethodName": interaction.function,
                          "parameters": [{"key": k, "value": v} for k, v in interaction.parameters]}
        common["invokedFunction"] = interaction.function
    if interaction.parameters:
        common["parameters"] = dict(interaction.parameters)
    if interaction.form_inputs:
        common["formInputs"] = {name: {"stringInputs": {"value": list(values)}}
                                for name, values in interaction.form_inputs}
    if interaction.dialog_event is not None:
        body["isDialogEvent"] = True
        body["dialogEventType"] = interaction.dialog_event.value
    if interaction.command_id:
        body["appCommandMetadata"] = {"appCommandId": interaction.command_id, "appCommandType": "QUICK_COMMAND"}
    return body
