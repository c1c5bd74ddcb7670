"""Two `chatsvc serve` processes on one database behave as one service: a request_id, a client-assigned
message id, a DM pair and a reaction each make one resource when both processes are asked at once, and a
page token from one process continues on the other (a tampered one is refused there)."""
from __future__ import annotations

import asyncio
import os
import uuid
from dataclasses import dataclass

import grpc
import pytest
from google.chat.v1 import chat_service_pb2_grpc, message_pb2, reaction_pb2, space_pb2, space_setup_pb2

from chatsvc.app import open_database, signing_key
from chatsvc.auth.tokens import TokenService
from chatsvc.config import Settings
from tests.api.spaces_support import DM, member
from tests.conftest import BACKENDS, fresh_database_url
from tests.helpers import USER_SCOPES
from tests.server_process import ServerProcess

ROUNDS = 20
SCOPES = (*USER_SCOPES, "chat.messages.reactions")


@dataclass
class Pair:
    """Stubs for the two processes, and tokens both accept (their key is the one stored in the database)."""

    a: chat_service_pb2_grpc.ChatServiceStub
    b: chat_service_pb2_grpc.ChatServiceStub
    tokens: TokenService

    def md(self, email: str) -> tuple:
        return (("authorization", f"Bearer {self.tokens.mint(user=email, scopes=list(SCOPES))}"),)


@pytest.fixture(scope="module", params=BACKENDS)
async def pair(request, tmp_path_factory):
    directory = tmp_path_factory.mktemp(f"two-{request.param}")
    async with fresh_database_url(request.param, directory) as url:
        # Schema and key first, as `--workers` does, so the two start-ups do not race each other.
        db = await open_database(Settings(database_url=url))
        try:
            key = await signing_key(db, os.environ.get("CHATSVC_SIGNING_KEY"))
        finally:
            await db.dispose()
        servers = [ServerProcess(url, directory / f"server-{side}.log") for side in "ab"]
        channels = []
        try:
            for server in servers:
                server.wait_serving()
            channels = [grpc.aio.insecure_channel(server.target) for server in servers]
            yield Pair(*(chat_service_pb2_grpc.ChatServiceStub(channel) for channel in channels), TokenService(key))
        finally:
            for channel in channels:
                await channel.close()
            statuses = [server.terminate() for server in servers]
        assert statuses == [0, 0], "\n".join(server.log() for server in servers)


def email(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:8]}@example.com"


async def new_space(stub, md) -> space_pb2.Space:
    return await stub.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name=f"Two {uuid.uuid4().hex[:8]}")), metadata=md)


def create_message(stub, md, space, text="hello", **request):
    return stub.CreateMessage(message_pb2.CreateMessageRequest(
        parent=space.name, message=message_pb2.Message(text=text), **request), metadata=md)


def list_messages(stub, md, space, **request):
    return stub.ListMessages(message_pb2.ListMessagesRequest(parent=space.name, **request), metadata=md)


async def test_a_request_id_sent_to_both_at_once_makes_one_message(pair):
    alice = pair.md(email("alice"))
    space = await new_space(pair.a, alice)
    request_ids = [f"req-{uuid.uuid4().hex}" for _ in range(ROUNDS)]
    answers = await asyncio.gather(*(create_message(stub, alice, space, f"text {rid}", request_id=rid)
                                     for rid in request_ids for stub in (pair.a, pair.b)))
    for i in range(ROUNDS):
        first, second = answers[2 * i], answers[2 * i + 1]
        assert first == second  # the same message, to the byte, whichever process made it
        assert first.text == f"text {request_ids[i]}"
    listed = await list_messages(pair.b, alice, space, page_size=100)
    assert sorted(m.name for m in listed.messages) == sorted({answer.name for answer in answers})
    assert len(listed.messages) == ROUNDS


async def test_a_client_assigned_id_sent_to_both_at_once_is_created_once(pair):
    alice = pair.md(email("alice"))
    space = await new_space(pair.a, alice)
    for _ in range(ROUNDS // 2):
        message_id = f"client-{uuid.uuid4().hex[:12]}"
        outcomes = await asyncio.gather(*(create_message(stub, alice, space, message_id=message_id)
                                          for stub in (pair.a, pair.b)), return_exceptions=True)
        made = [o for o in outcomes if isinstance(o, message_pb2.Message)]
        refused = [o for o in outcomes if isinstance(o, grpc.aio.AioRpcError)]
        assert len(made) == 1 and len(refused) == 1, outcomes
        assert refused[0].code() == grpc.StatusCode.ALREADY_EXISTS, refused[0].details()
        assert made[0].client_assigned_message_id == message_id
    listed = await list_messages(pair.a, alice, space, page_size=100)
    assert len(listed.messages) == ROUNDS // 2


async def test_a_page_token_from_one_process_continues_on_the_other(pair):
    alice = pair.md(email("alice"))
    space = await new_space(pair.a, alice)
    for i in range(ROUNDS):
        await create_message((pair.a, pair.b)[i % 2], alice, space, f"message {i}")
    whole = [m.name for m in (await list_messages(pair.a, alice, space, page_size=100)).messages]
    assert len(whole) == ROUNDS

    paged, token, stubs = [], "", [pair.a, pair.b]
    for turn in range(10):  # 7 + 7 + 6: three pages, each from the other process than the last
        page = await list_messages(stubs[turn % 2], alice, space, page_size=7, page_token=token)
        paged += [m.name for m in page.messages]
        token = page.next_page_token
        if not token:
            break
    assert paged == whole

    first = await list_messages(pair.a, alice, space, page_size=7)
    token = first.next_page_token
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:]
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await list_messages(pair.b, alice, space, page_size=7, page_token=tampered)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert len((await list_messages(pair.b, alice, space, page_size=7, page_token=token)).messages) == 7


async def test_a_direct_message_set_up_from_both_sides_at_once_is_one_space(pair):
    for _ in range(ROUNDS // 4):
        # Two people neither process has seen yet, each setting up the DM with the other, on a different process.
        left, right = email("left"), email("right")
        setups = [stub.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
            space=space_pb2.Space(space_type=DM), memberships=[member(f"users/{other}")]), metadata=pair.md(caller))
            for stub, caller, other in ((pair.a, left, right), (pair.b, right, left))]
        first, second = await asyncio.gather(*setups)
        assert first.name == second.name and first.space_type == DM
        found = await pair.b.FindDirectMessage(space_pb2.FindDirectMessageRequest(name=f"users/{right}"),
                                               metadata=pair.md(left))
        assert found.name == first.name


async def test_the_same_reaction_sent_to_both_at_once_is_one_reaction(pair):
    alice = pair.md(email("alice"))
    space = await new_space(pair.a, alice)
    message = await create_message(pair.a, alice, space, "react to me")
    emojis = ["🙂", "🎉", "👍", "🚀", "❤️"]
    for emoji in emojis:
        first, second = await asyncio.gather(*(stub.CreateReaction(reaction_pb2.CreateReactionRequest(
            parent=message.name, reaction=reaction_pb2.Reaction(emoji=reaction_pb2.Emoji(unicode=emoji))),
            metadata=alice) for stub in (pair.a, pair.b)))
        assert first == second
    listed = await pair.b.ListReactions(reaction_pb2.ListReactionsRequest(parent=message.name, page_size=100),
                                        metadata=alice)
    assert sorted(r.emoji.unicode for r in listed.reactions) == sorted(emojis)
    read = await pair.a.GetMessage(message_pb2.GetMessageRequest(name=message.name), metadata=alice)
    assert sorted((s.emoji.unicode, s.reaction_count) for s in read.emoji_reaction_summaries) == \
        sorted((emoji, 1) for emoji in emojis)
