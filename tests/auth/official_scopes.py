"""Prints, as JSON, the scopes and kinds of authentication that Google's official Python client documents for
each ChatService RPC: {"GetSpace": {"scopes": ["chat.bot", ...], "kinds": ["admin", "app", "user"]}, ...}.
Scopes are written short, as in chatsvc.auth.scopes (`chat.bot` for `https://www.googleapis.com/auth/chat.bot`).

Runs under the official client's own interpreter (.venv-official), never under .venv (see
tests/conformance/dump_official.py for why). Each method's docstring names the kinds of authentication by the
guide it links to (app, user) and says when user authentication grants administrator privileges; the scopes
are the `https://www.googleapis.com/auth/...` literals it lists. The text after the docstring's first code
block is the generated sample, which names no scope.
"""
from __future__ import annotations

import inspect
import json
import re
import sys

from google.apps.chat_v1.services.chat_service.client import ChatServiceClient
from google.apps.chat_v1.services.chat_service.transports.grpc import ChatServiceGrpcTransport

SCOPE = re.compile(r"``https://www\.googleapis\.com/auth/([a-z0-9_.]+)``")
KIND_MARKERS = {
    "app": "authenticate-authorize-chat-app",
    "user": "authenticate-authorize-chat-user",
}
# Admin access is said two ways: "User authentication grants administrator privileges when ..." and a link to
# the admin-privileges part of the user guide.
ADMIN_MARKERS = ("grants administrator privileges", "authenticate-authorize-chat-user#admin-privileges")


def _rpc_names() -> list[str]:
    """The RPC names of the official gRPC transport, e.g. GetSpace (its stubs are properties named in snake
    case that build `/google.chat.v1.ChatService/GetSpace` callables)."""
    source = inspect.getsource(ChatServiceGrpcTransport)
    return sorted(set(re.findall(r'"/google\.chat\.v1\.ChatService/(\w+)"', source)))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def documented() -> dict[str, dict[str, list[str]]]:
    table = {}
    for rpc in _rpc_names():
        doc = getattr(ChatServiceClient, _snake(rpc)).__doc__ or ""
        prose = " ".join(doc.split(".. code-block::")[0].split())
        table[rpc] = {
            "scopes": sorted(set(SCOPE.findall(prose))),
            "kinds": sorted({kind for kind, marker in KIND_MARKERS.items() if marker in prose}
                            | ({"admin"} if any(marker in prose for marker in ADMIN_MARKERS) else set())),
        }
    return table


if __name__ == "__main__":
    json.dump(documented(), sys.stdout, indent=1, sort_keys=True)
