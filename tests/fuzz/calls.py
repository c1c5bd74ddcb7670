"""Every RPC of the services, enumerated from their descriptors, called generically with raw request
bytes; the invariants every answer must keep; and the tally of requests sent."""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass

import grpc
from google.chat.v1 import chat_service_pb2
from google.protobuf import message_factory
from google.rpc import error_details_pb2, status_pb2

from chatsvc.apps.v1 import app_service_pb2
from chatsvc.campaigns.v1 import campaign_service_pb2
from chatsvc.credentials.v1 import credential_service_pb2
from chatsvc.directory.v1 import directory_service_pb2
from chatsvc.interactions.v1 import interaction_service_pb2
from chatsvc.live.v1 import live_service_pb2
from chatsvc.people.v1 import people_service_pb2
from chatsvc.webhooks.v1 import webhook_service_pb2

SERVICES = [
    chat_service_pb2.DESCRIPTOR.services_by_name["ChatService"],
    credential_service_pb2.DESCRIPTOR.services_by_name["CredentialService"],
    directory_service_pb2.DESCRIPTOR.services_by_name["DirectoryService"],
    campaign_service_pb2.DESCRIPTOR.services_by_name["CampaignService"],
    webhook_service_pb2.DESCRIPTOR.services_by_name["WebhookService"],
    app_service_pb2.DESCRIPTOR.services_by_name["AppService"],
    interaction_service_pb2.DESCRIPTOR.services_by_name["InteractionService"],
    live_service_pb2.DESCRIPTOR.services_by_name["LiveService"],
    people_service_pb2.DESCRIPTOR.services_by_name["PeopleService"],
]
# Status codes that mean the server failed rather than refused.
FORBIDDEN_CODES = {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN}
# Text that only an exception, a traceback or a database driver would put in a message.
LEAK_MARKERS = ["traceback", 'file "', "sqlalchemy", "sqlite", "asyncpg", "psycopg", "error(", "exception",
                "site-packages", "grpc._cython"]
# A file or module of the server's code (scope names such as `chatsvc.directory` are fine).
_MODULE_PATH = re.compile(r"\b\w+\.py\b|/src/|\bchatsvc\.(api|domain|storage|auth|wiring|workers|mail|oauth|crypto)\.")
CALL_TIMEOUT = 30.0



class ServerErrors(logging.Handler):
    """Keeps the tracebacks the server logs for unexpected errors, so a failing example can show the cause
    (the client only sees INTERNAL without details, as it should)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts = [*self.texts[-4:], self.format(record)]


SERVER_ERRORS = ServerErrors()
logging.getLogger("chatsvc").addHandler(SERVER_ERRORS)

# (backend, "/service/method") -> requests sent, and -> status code name -> count
SENT: Counter = Counter()
CODES: dict[tuple[str, str], Counter] = {}


@dataclass(frozen=True)
class Rpc:
    service: object  # ServiceDescriptor
    method: object  # MethodDescriptor

    @property
    def path(self) -> str:
        return f"/{self.service.full_name}/{self.method.name}"

    @property
    def request_class(self):
        return message_factory.GetMessageClass(self.method.input_type)

    @property
    def response_class(self):
        return message_factory.GetMessageClass(self.method.output_type)

    def __str__(self) -> str:
        return f"{self.service.name}.{self.method.name}"


def _destructive(rpc: Rpc) -> bool:
    return rpc.method.name.startswith(("Delete", "Revoke"))


def all_rpcs() -> list[Rpc]:
    """Every method of the services; the ones that delete run last, so the seeded resources stay
    around for the others to find."""
    rpcs = [Rpc(service, method) for service in SERVICES for method in service.methods]
    return sorted(rpcs, key=_destructive)


@dataclass
class Outcome:
    code: grpc.StatusCode
    response: object = None
    error: grpc.aio.AioRpcError | None = None


# What grpc.aio's client reports when the server ends a client-streaming call before the client has sent
# everything and a late write of the client loses the race with the server's status: the client overwrites
# the status the server sent (grpc/grpc#36066). Not the server's answer, so such a call is sent again.
_CLIENT_WRITE_RACE = "Internal error from Core"
_RACE_RETRIES = 3


async def send(channel: grpc.aio.Channel, rpc: Rpc, payloads: list[bytes], metadata: tuple,
               backend: str) -> Outcome:
    """Sends `payloads` as they are (one, or a stream of them for a client-streaming method)."""
    for _ in range(_RACE_RETRIES):
        outcome = await _send_once(channel, rpc, payloads, metadata, backend)
        lost_race = (rpc.method.client_streaming and outcome.code == grpc.StatusCode.INTERNAL
                     and outcome.error.details() == _CLIENT_WRITE_RACE and not outcome.error.trailing_metadata())
        if not lost_race:
            break
        codes = CODES[backend, rpc.path]  # tallied apart: not the server's answer
        codes["INTERNAL"] -= 1
        codes["CLIENT_WRITE_RACE_RETRIED"] += 1
    return outcome


async def _send_once(channel: grpc.aio.Channel, rpc: Rpc, payloads: list[bytes], metadata: tuple,
                     backend: str) -> Outcome:
    deserialize = rpc.response_class.FromString
    if rpc.method.server_streaming:
        return await _first_of_stream(channel, rpc, payloads[0], metadata, backend)
    if rpc.method.client_streaming:
        call = channel.stream_unary(rpc.path, request_serializer=None, response_deserializer=deserialize)(
            iter(payloads), metadata=metadata, timeout=CALL_TIMEOUT)
    else:
        call = channel.unary_unary(rpc.path, request_serializer=None, response_deserializer=deserialize)(
            payloads[0], metadata=metadata, timeout=CALL_TIMEOUT)
    SENT[backend, rpc.path] += 1
    try:
        outcome = Outcome(grpc.StatusCode.OK, response=await call)
    except grpc.aio.AioRpcError as error:
        outcome = Outcome(error.code(), error=error)
    CODES.setdefault((backend, rpc.path), Counter())[outcome.code.name] += 1
    return outcome


async def _first_of_stream(channel: grpc.aio.Channel, rpc: Rpc, payload: bytes, metadata: tuple,
                           backend: str) -> Outcome:
    """A server-streaming call (the live event stream) runs until the client leaves: its outcome is its first
    message (or the status it ended with before one), and then the client leaves."""
    call = channel.unary_stream(rpc.path, request_serializer=None, response_deserializer=rpc.response_class.FromString)(
        payload, metadata=metadata, timeout=CALL_TIMEOUT)
    SENT[backend, rpc.path] += 1
    try:
        first = await call.read()
        if first is grpc.aio.EOF:
            await call
            outcome = Outcome(grpc.StatusCode.OK)
        else:
            outcome = Outcome(grpc.StatusCode.OK, response=first)
    except grpc.aio.AioRpcError as error:
        outcome = Outcome(error.code(), error=error)
    finally:
        call.cancel()
    CODES.setdefault((backend, rpc.path), Counter())[outcome.code.name] += 1
    return outcome


def problems(outcome: Outcome, payloads: list[bytes]) -> list[str]:
    """What is wrong with an answer: a failure status, leaked internals, or no google.rpc.Status."""
    error = outcome.error
    if error is None:
        return []
    found = []
    if error.code() in FORBIDDEN_CODES:
        found.append(f"status {error.code().name}")
    message = error.details() or ""
    sent = b"".join(payloads).decode("utf-8", "replace").lower()
    lowered = message.lower()
    # A marker counts only if the request did not carry it: messages may quote what they were sent.
    leaks = [m for m in LEAK_MARKERS if m in lowered and m not in sent]
    if _MODULE_PATH.search(message) and not _MODULE_PATH.search(sent):
        leaks.append("a module path")
    if leaks:
        found.append(f"leaked internals {leaks}")
    raw = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    if not raw:
        found.append("no grpc-status-details-bin trailer")
    else:
        status = status_pb2.Status.FromString(raw)
        if status.code != error.code().value[0]:
            found.append(f"google.rpc.Status code {status.code} differs from {error.code().name}")
        if not any(d.Is(error_details_pb2.ErrorInfo.DESCRIPTOR) for d in status.details):
            found.append("no ErrorInfo in the google.rpc.Status")
    if found:
        found.append(f"message: {message[:300]!r}")
        if error.code() in FORBIDDEN_CODES and SERVER_ERRORS.texts:
            found.append(f"server log: {SERVER_ERRORS.texts[-1][-3000:]}")
    return found
