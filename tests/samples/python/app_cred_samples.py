"""Google's Python samples for Chat with app authentication (googleworkspace/python-samples,
chat/client-libraries/cloud/*_app_cred*.py), written again here, each as a function named after its file: each builds
its client with authentication_utils.create_client_with_app_credentials() and sends the sample's request, with the
sample's `SPACE_NAME` / `MEMBER_NAME` / `MESSAGE_NAME` placeholders filled in as its comments ask. Where a sample
prints the response, these return it (as a dict) for the test to judge.

Runs under the official client's interpreter in a directory holding `service_account.json`:
    app_cred_samples.py SPACE      the samples in a Chat app's day, in the space the app was added to
Prints one JSON object {sample: response} and exits 0; a sample that fails exits 1 with its traceback.
"""

import json
import sys

from authentication_utils import create_client_with_app_credentials
from google.apps import chat_v1 as google_chat


def as_dict(response):
    if response is None:  # DeleteMessage's answer
        return None
    return type(response).to_dict(response, use_integers_for_enums=False)


def create_message_app_cred(space):
    client = create_client_with_app_credentials()
    request = google_chat.CreateMessageRequest(parent=space, message={"text": "Hello with app credential!"})
    return as_dict(client.create_message(request))


def create_message_app_cred_with_cards(space):
    client = create_client_with_app_credentials()
    buttons = [
        {"text": "Edit", "disabled": True},
        {"icon": {"known_icon": "INVITE", "alt_text": "check calendar"},
         "on_click": {"open_link": {"url": "https://www.google.com"}}},
    ]
    request = google_chat.CreateMessageRequest(parent=space, message={
        "text": "Hello with app credential!",
        "cards_v2": [{"card_id": "card-id",
                      "card": {"sections": [{"widgets": [{"button_list": {"buttons": buttons}}]}]}}],
    })
    return as_dict(client.create_message(request))


def get_space_app_cred(space):
    client = create_client_with_app_credentials()
    return as_dict(client.get_space(google_chat.GetSpaceRequest(name=space)))


def list_spaces_app_cred():
    client = create_client_with_app_credentials()
    request = google_chat.ListSpacesRequest(filter='space_type = "SPACE"', page_size=100)
    return [as_dict(space) for space in client.list_spaces(request)]


def list_memberships_app_cred(space):
    client = create_client_with_app_credentials()
    request = google_chat.ListMembershipsRequest(parent=space, filter='member.type = "HUMAN"', page_size=100)
    return [as_dict(membership) for membership in client.list_memberships(request)]


def get_membership_app_cred(membership):
    client = create_client_with_app_credentials()
    return as_dict(client.get_membership(google_chat.GetMembershipRequest(name=membership)))


def get_message_app_cred(message):
    client = create_client_with_app_credentials()
    return as_dict(client.get_message(request=google_chat.GetMessageRequest(name=message)))


def update_message_app_cred(message):
    client = create_client_with_app_credentials()
    request = google_chat.UpdateMessageRequest(message={"name": message, "text": "Updated with app credential!"},
                                               update_mask="text")
    return as_dict(client.update_message(request))


def delete_message_app_cred(message):
    client = create_client_with_app_credentials()
    return as_dict(client.delete_message(google_chat.DeleteMessageRequest(name=message)))


def main(space):
    out = {}
    out["create_message_app_cred"] = create_message_app_cred(space)
    out["create_message_app_cred_with_cards"] = create_message_app_cred_with_cards(space)
    out["get_space_app_cred"] = get_space_app_cred(space)
    out["list_spaces_app_cred"] = list_spaces_app_cred()
    out["list_memberships_app_cred"] = list_memberships_app_cred(space)
    # MEMBER_NAME: the human member the listing found; MESSAGE_NAME: the app's own messages above
    out["get_membership_app_cred"] = get_membership_app_cred(out["list_memberships_app_cred"][0]["name"])
    out["get_message_app_cred"] = get_message_app_cred(out["create_message_app_cred"]["name"])
    out["update_message_app_cred"] = update_message_app_cred(out["create_message_app_cred"]["name"])
    out["delete_message_app_cred"] = delete_message_app_cred(out["create_message_app_cred_with_cards"]["name"])
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
