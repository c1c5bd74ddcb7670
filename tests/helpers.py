"""Helpers shared by the test modules: status details of failed calls, tokens, spaces, and the official
client's interpreter. Fixtures live in tests/conftest.py."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import grpc
import pytest
from google.chat.v1 import membership_pb2, space_pb2
from google.rpc import error_details_pb2, status_pb2

REPO = Path(__file__).resolve().parents[1]
USER_SCOPES = ("chat.spaces", "chat.memberships", "chat.messages")


def rpc_error_details(error: grpc.aio.AioRpcError) -> dict:
    """The google.rpc.Status details of a failed call: {'ErrorInfo': msg, 'BadRequest': msg}."""
    raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    assert raw, f"no grpc-status-details-bin on {error.code()}: {error.details()}"
    status = status_pb2.Status.FromString(raw)
    assert status.code == error.code().value[0]
    found = {}
    for detail in status.details:
        for kind in (error_details_pb2.ErrorInfo, error_details_pb2.BadRequest, error_details_pb2.QuotaFailure,
                     error_details_pb2.RetryInfo):
            if detail.Is(kind.DESCRIPTOR):
                message = kind()
                detail.Unpack(message)
                found[kind.DESCRIPTOR.name] = message
    return found


def error_reason(error: grpc.aio.AioRpcError) -> str | None:
    """The ErrorInfo reason of a failed call; None when it carries no google.rpc details."""
    try:
        info = rpc_error_details(error).get("ErrorInfo")
    except AssertionError:
        return None
    return info.reason if info else None


async def failure(call, code: grpc.StatusCode) -> dict:
    """Awaits a call that must fail with `code`; returns its status details."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    assert caught.value.code() == code, caught.value.details()
    return rpc_error_details(caught.value)


def field_of(details: dict) -> list[str]:
    """The fields named by the BadRequest violations of `details` (as returned by `failure`)."""
    return [v.field for v in details["BadRequest"].field_violations]


def user(server, email, app=None):
    """Call metadata for the human `email` (through `app`, if given) with USER_SCOPES."""
    return server.md(user=email, app=app, scopes=USER_SCOPES)


async def new_space(server, md, display_name=None, **fields):
    """Creates a space of type SPACE as the caller of `md`; the display name defaults to a unique one."""
    space = space_pb2.Space(space_type=space_pb2.Space.SpaceType.SPACE,
                            display_name=display_name or f"Space {uuid.uuid4().hex[:8]}", **fields)
    return await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space), metadata=md)



async def space_with_bob(server, scopes):
    """alice's space with bob in it; returns the metadata of both, the space and bob's user id."""
    alice = server.md(user="alice@example.com", scopes=scopes)
    bob = server.md(user="bob@example.com", scopes=scopes)
    space = await new_space(server, alice)
    membership = await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member={"name": "users/bob@example.com"})),
        metadata=alice)
    return dict(alice=alice, bob=bob, space=space, bob_id=membership.member.name.split("/")[1])

def official_python() -> str:
    """The official client's interpreter (CHATSVC_OFFICIAL_PYTHON, default .venv-official/bin/python). Call it
    from a test's body (not a fixture), so that a missing interpreter is a test failure, not a setup error."""
    python = os.environ.get("CHATSVC_OFFICIAL_PYTHON") or str(REPO / ".venv-official" / "bin" / "python")
    if not Path(python).exists():
        pytest.fail(
            f"the official client's interpreter {python} does not exist: run `make install-test` "
            "(it creates .venv-official with google-apps-chat / google-apps-card), or set CHATSVC_OFFICIAL_PYTHON",
            pytrace=False,
        )
    return python


# Background workers poll the database on their own (the campaign scheduler, the app-event worker and the runs they
# start): their statements are not the call's, and a counter of a call's statements leaves them out.
_BACKGROUND_TASKS = ("campaign", "app-event")


def statement_of_a_call() -> bool:
    """Whether the SQL statement being run comes from a call rather than from a background worker."""
    import asyncio

    try:
        task = asyncio.current_task()
    except RuntimeError:
        return True
    return task is None or not task.get_name().startswith(_BACKGROUND_TASKS)
