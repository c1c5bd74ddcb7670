"""Valid requests for the RPCs whose rules a generic generator seldom satisfies (a space needs a display
name, an event listing needs an event type, a campaign needs a subject and recipients...). The strategies
start from them and change a few fields, or mutate their bytes, so fuzzing also reaches the code behind
validation. Names come from the world's pools; an RPC without a template is fuzzed from scratch only."""
from __future__ import annotations

import re

from google.chat.v1 import (
    membership_pb2,
    message_pb2,
    reaction_pb2,
    space_event_pb2,
    space_pb2,
    user_pb2,
)
from google.protobuf import field_mask_pb2

from chatsvc.apps.v1 import app_service_pb2, chat_app_pb2
from chatsvc.campaigns.v1 import campaign_service_pb2
from chatsvc.directory.v1 import directory_pb2, directory_service_pb2
from chatsvc.interactions.v1 import interaction_service_pb2 as interactions
from chatsvc.people.v1 import people_service_pb2 as people
from tests.campaigns.support import draft
from tests.fuzz.world import SEEDED_APP, World

_SPACE = re.compile(r"^spaces/[^/]+$")
_MESSAGE = re.compile(r"^spaces/[^/]+/messages/[^/]+$")
_BRAND = re.compile(r"^brands/[0-9a-f-]{36}$")
_CAMPAIGN = re.compile(r"^brands/[^/]+/emailCampaigns/[^/]+$")
_MEMBERSHIP = re.compile(r"^spaces/[^/]+/members/[^/]+$")
_APP = re.compile(r"^apps/[^/]+$")
_USER_ID = re.compile(r"^users/[0-9]+$")


def _first(world: World, pattern: re.Pattern) -> str:
    return next((n for n in world.names if pattern.match(n)), "")


def _mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


def template(method: str, world: World):
    """A valid request of `method` in this world, or None."""
    space, message = _first(world, _SPACE), _first(world, _MESSAGE)
    brand, campaign = _first(world, _BRAND), _first(world, _CAMPAIGN)
    build = {
        "CreateSpace": lambda: space_pb2.CreateSpaceRequest(space=space_pb2.Space(
            space_type=space_pb2.Space.SpaceType.SPACE, display_name="Fuzzed space")),
        "UpdateSpace": lambda: space_pb2.UpdateSpaceRequest(space=space_pb2.Space(
            name=space, display_name="Renamed", space_details={"description": "d"}),
            update_mask=_mask("display_name", "space_details")),
        "CreateMessage": lambda: message_pb2.CreateMessageRequest(parent=space, message=message_pb2.Message(
            text="fuzz <users/all> *bold*")),
        "UpdateMessage": lambda: message_pb2.UpdateMessageRequest(message=message_pb2.Message(
            name=message, text="edited"), update_mask=_mask("text")),
        "CreateMembership": lambda: membership_pb2.CreateMembershipRequest(parent=space, membership=(
            membership_pb2.Membership(member=user_pb2.User(name="users/someone@example.com",
                                                           type=user_pb2.User.Type.HUMAN)))),
        "UpdateMembership": lambda: membership_pb2.UpdateMembershipRequest(membership=membership_pb2.Membership(
            name=_first(world, _MEMBERSHIP), role=membership_pb2.Membership.MembershipRole.ROLE_MANAGER),
            update_mask=_mask("role")),
        "CreateReaction": lambda: reaction_pb2.CreateReactionRequest(parent=message, reaction=reaction_pb2.Reaction(
            emoji=reaction_pb2.Emoji(unicode="🎉"))),
        "ListSpaceEvents": lambda: space_event_pb2.ListSpaceEventsRequest(
            parent=space, filter='event_types:"google.workspace.chat.message.v1.created"'),
        "CreateEmailCampaign": lambda: campaign_service_pb2.CreateEmailCampaignRequest(
            parent=brand, email_campaign=draft()),
        "UpdateEmailCampaign": lambda: campaign_service_pb2.UpdateEmailCampaignRequest(
            email_campaign=draft(name=campaign, subject="Changed"), update_mask=_mask("subject")),
        "CreateContact": lambda: directory_service_pb2.CreateContactRequest(parent=brand, contact=directory_pb2.Contact(
            emails=["new@example.com"], tags=["vip"])),
        "ImportContacts": lambda: directory_service_pb2.ImportContactsRequest(parent=brand, contacts=[
            directory_pb2.Contact(emails=["a@example.com"]), directory_pb2.Contact(emails=["b@example.com"])]),
        "CreateApp": lambda: app_service_pb2.CreateAppRequest(app_id="fuzzed-app", app=chat_app_pb2.ChatApp(
            endpoint_url="https://fuzzed.example.com/", commands=[chat_app_pb2.AppCommand(command_id=2, name="/go")])),
        "UpdateApp": lambda: app_service_pb2.UpdateAppRequest(app=chat_app_pb2.ChatApp(
            name=_first(world, _APP), display_name="Renamed", event_format=chat_app_pb2.ChatApp.ADDON),
            update_mask=_mask("display_name", "event_format")),
        # On the seeded app's card in the fuzz room (world.py): what its card offers, what its commands are.
        "ClickCardAction": lambda: interactions.ClickCardActionRequest(
            message=world.card_message, function="fuzzClick", parameters={"k": "v"}, form_inputs=_inputs()),
        "SubmitDialog": lambda: interactions.SubmitDialogRequest(
            space=world.room, app=f"apps/{SEEDED_APP}", message=world.card_message, function="save",
            form_inputs=_inputs()),
        "CancelDialog": lambda: interactions.CancelDialogRequest(space=world.room, app=f"apps/{SEEDED_APP}"),
        "AutocompleteWidget": lambda: interactions.AutocompleteWidgetRequest(
            space=world.room, message=world.card_message, widget="city", value="Pa"),
        "RunQuickCommand": lambda: interactions.RunQuickCommandRequest(
            space=world.room, app=f"apps/{SEEDED_APP}", command_id=2),
        # People are users by id (`users/{id}` is `people/{id}`).
        "GetPerson": lambda: people.GetPersonRequest(resource_name="people/me",
                                                     person_fields=_mask("names", "email_addresses", "photos")),
        "GetBatchGet": lambda: people.GetBatchGetRequest(
            resource_names=["people/me", _first(world, _USER_ID).replace("users/", "people/", 1) or "people/1"],
            person_fields=_mask("names", "email_addresses")),
    }.get(method)
    return build() if build is not None else None


def _inputs() -> dict:
    return {"city": interactions.Inputs(string_inputs=interactions.StringInputs(value=["Paris"]))}
