"""What each scenario calls, built inside a client process: the stub method, the requests (prepared before the
measuring window) and the call metadata; for the REST scenarios the HTTP method, URL and body of each request."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

# Unicode emoji for CreateReaction: with `reactable` messages, message k % reactable gets emoji k // reactable,
# so every call adds a new (message, emoji) pair for the caller and takes the write path.
REACTION_EMOJI = tuple(chr(code) for code in range(0x1F600, 0x1F650))  # 80 faces
# The REST scenarios, each the same call as a gRPC scenario, made over HTTP/JSON at its google.api.http path.
REST_OF = {"create_message_rest": "create_message", "get_space_rest": "get_space"}
# The ceiling scenarios (bench/ceiling_server.py): the SQL of a chatsvc scenario in a bare handler, measured on each
# backend beside the scenario it bounds.
CEILING_OF = {"ceiling_create_message": "create_message", "ceiling_list_messages_10k": "list_messages_10k",
              "ceiling_list_messages_1m": "list_messages_1m"}


@dataclass(frozen=True)
class CallSpec:
    """The scenario's call, as the orchestrator describes it to a client process (plain data: it crosses
    a process boundary)."""
    scenario: str
    token: str = ""
    space: str = ""  # the space the scenario addresses
    reactable_ids: tuple[str, ...] = ()
    # Unique-request scenarios: this process's slice of request numbers, so that no two processes or runs
    # ever send the same request.
    first: int = 0
    capacity: int = 1
    extra: dict = field(default_factory=dict)


def build(spec: CallSpec):
    """(method_of, requests, metadata, unique): method_of(channel) is the stub method on that channel; unique
    requests are used once each, the others round-robin."""
    metadata = (("authorization", f"Bearer {spec.token}"),) if spec.token else ()
    if spec.scenario == "echo":
        from bench.stubs import import_echo

        echo_pb2, echo_pb2_grpc = import_echo()
        request = echo_pb2.EchoRequest(payload=b"x" * 16)
        return lambda channel: echo_pb2_grpc.EchoServiceStub(channel).Echo, [request], metadata, False

    if spec.scenario in CEILING_OF:
        from bench.stubs import import_ceiling

        ceiling_pb2, ceiling_pb2_grpc = import_ceiling()
        stub = ceiling_pb2_grpc.CeilingServiceStub
        if spec.scenario == "ceiling_create_message":
            requests = [ceiling_pb2.CeilingRequest(space=spec.space, text=f"benchmark message {n}")
                        for n in range(spec.first, spec.first + spec.capacity)]
            return lambda channel: stub(channel).CreateMessage, requests, (), True
        return lambda channel: stub(channel).ListMessages, [ceiling_pb2.CeilingRequest(space=spec.space)], (), False

    from google.chat.v1 import chat_service_pb2_grpc, message_pb2, reaction_pb2, space_pb2

    stub = chat_service_pb2_grpc.ChatServiceStub
    parent = f"spaces/{spec.space}"
    if spec.scenario == "create_message":
        requests = [message_pb2.CreateMessageRequest(parent=parent, message=message_pb2.Message(
            text=f"benchmark message {n}")) for n in range(spec.first, spec.first + spec.capacity)]
        return lambda channel: stub(channel).CreateMessage, requests, metadata, True
    if spec.scenario in ("list_messages_10k", "list_messages_1m"):
        request = message_pb2.ListMessagesRequest(parent=parent, page_size=100)
        return lambda channel: stub(channel).ListMessages, [request], metadata, False
    if spec.scenario == "get_space":
        return lambda channel: stub(channel).GetSpace, [space_pb2.GetSpaceRequest(name=parent)], metadata, False
    if spec.scenario == "create_reaction":
        ids, requests = spec.reactable_ids, []
        for n in range(spec.first, spec.first + spec.capacity):
            emoji = REACTION_EMOJI[n // len(ids)]
            requests.append(reaction_pb2.CreateReactionRequest(
                parent=f"{parent}/messages/{ids[n % len(ids)]}",
                reaction=reaction_pb2.Reaction(emoji=reaction_pb2.Emoji(unicode=emoji))))
        return lambda channel: stub(channel).CreateReaction, requests, metadata, True
    raise ValueError(f"unknown scenario {spec.scenario!r}")


@dataclass(frozen=True)
class RestRequest:
    method: str
    url: str
    body: bytes | None = None  # JSON


def build_rest(spec: CallSpec, base_url: str):
    """(requests, headers, unique) of a REST scenario: its gRPC twin's requests as HTTP/JSON (bearer token in the
    Authorization header, a JSON body, no query parameters)."""
    headers = {"Authorization": f"Bearer {spec.token}"}
    space_url = f"{base_url}/v1/spaces/{spec.space}"
    if spec.scenario == "create_message_rest":
        headers["Content-Type"] = "application/json"
        requests = [RestRequest("POST", f"{space_url}/messages",
                                json.dumps({"text": f"benchmark message {n}"}).encode())
                    for n in range(spec.first, spec.first + spec.capacity)]
        return requests, headers, True
    if spec.scenario == "get_space_rest":
        return [RestRequest("GET", space_url)], headers, False
    raise ValueError(f"unknown REST scenario {spec.scenario!r}")


def reaction_slots(reactable: int) -> int:
    """How many distinct reactions the seeded reactable messages allow the caller."""
    return reactable * len(REACTION_EMOJI)
