"""Google's Python samples for Chat with user authentication (googleworkspace/python-samples,
chat/client-libraries/cloud/*_user_cred*.py), written again here, each as a function named after its file with the
sample's SCOPES: each builds its client with authentication_utils.create_client_with_user_credentials(SCOPES), which
runs the installed-app flow (a consent in the browser every time, as each sample does) and sends the sample's
request, placeholders filled in. Where a sample prints the response, these return it (as a dict).

Runs under the official client's interpreter in a directory holding `client_secrets.json`:
    user_cred_samples.py setup                  create_space_user_cred, create_membership_user_cred_for_app and
                                                create_message_user_cred, in the new space
    user_cred_samples.py list SPACE             list_messages_user_cred
Prints one JSON object {sample: response} as its last line and exits 0 (run_local_server prints its prompt first).
"""

import json
import sys

from authentication_utils import create_client_with_user_credentials
from google.apps import chat_v1 as google_chat

AUTH = "https://www.googleapis.com/auth/"


def as_dict(response):
    return type(response).to_dict(response, use_integers_for_enums=False)


def create_space_user_cred(display_name):
    client = create_client_with_user_credentials([AUTH + "chat.spaces.create"])
    request = google_chat.CreateSpaceRequest(space={"space_type": "SPACE", "display_name": display_name})
    return as_dict(client.create_space(request))


def create_membership_user_cred_for_app(space):
    client = create_client_with_user_credentials([AUTH + "chat.memberships.app"])
    # `users/app` is the Chat app the user's calls go through: the OAuth client's
    request = google_chat.CreateMembershipRequest(parent=space, membership={
        "member": {"name": "users/app", "type_": "BOT"}})
    return as_dict(client.create_membership(request))


def create_message_user_cred(space):
    client = create_client_with_user_credentials([AUTH + "chat.messages.create"])
    request = google_chat.CreateMessageRequest(parent=space, message={"text": "Hello with user credential!"})
    return as_dict(client.create_message(request))


def list_messages_user_cred(space):
    client = create_client_with_user_credentials([AUTH + "chat.messages.readonly"])
    request = google_chat.ListMessagesRequest(parent=space, page_size=100)
    return [as_dict(message) for message in client.list_messages(request)]


def main(command, *args):
    if command == "setup":
        space = create_space_user_cred("Samples room")
        return {"create_space_user_cred": space,
                "create_membership_user_cred_for_app": create_membership_user_cred_for_app(space["name"]),
                "create_message_user_cred": create_message_user_cred(space["name"])}
    return {"list_messages_user_cred": list_messages_user_cred(*args)}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])), flush=True)
