"""The machinery of the authorization matrices of our own services (directory, campaigns, credentials).

Each test module writes its expectations as a table, RPC -> caller -> outcome, and one `attempt` builder per
RPC that turns a caller into a real, valid call on seeded resources. `run_rpc` makes every call of one RPC and
returns what went wrong, so that one failing test names every wrong case of its RPC.

"A refused caller learns nothing": an outcome made with `hides=True` is a refusal of a resource that exists
but is hidden from the caller. For it the same call is made again with the hidden id swapped for one that
does not exist (`Attempt.hidden` -> `Attempt.missing`, in every string field of the request), and both
errors must be identical: code, message, ErrorInfo reason and metadata (with the id swapped back where the
message or metadata echoes it).
"""
from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import grpc
from google.protobuf import text_format

from tests.authz import rest_leg
from tests.helpers import rpc_error_details
from tests.http.rest_calls import RestError

NOT_FOUND, DENIED, INVALID = grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED, \
    grpc.StatusCode.INVALID_ARGUMENT


@dataclass(frozen=True)
class Ok:
    """The call succeeds (and `check`, given the response, holds)."""

    check: Callable[[object], bool] | None = None
    label: str = "OK"

    def __repr__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Refused:
    code: grpc.StatusCode
    reason: str
    hides: bool = False  # refuses a hidden resource: must look exactly like a missing one

    def __repr__(self) -> str:
        return f"{self.code.name} {self.reason}" + (" (hidden == missing)" if self.hides else "")


OK = Ok()
APP_REFUSED = Refused(DENIED, "APP_AUTHENTICATION_NOT_SUPPORTED")  # user-only RPCs called by an app
USER_REFUSED = Refused(DENIED, "USER_AUTHENTICATION_NOT_SUPPORTED")  # app-only RPCs called by a user
SCOPE_REFUSED = Refused(DENIED, "ACCESS_TOKEN_SCOPE_INSUFFICIENT")
HIDDEN_BRAND = Refused(NOT_FOUND, "BRAND_NOT_FOUND", hides=True)
HIDDEN_USER = Refused(NOT_FOUND, "USER_NOT_FOUND", hides=True)
HIDDEN_CREDENTIAL = Refused(NOT_FOUND, "CREDENTIAL_NOT_FOUND", hides=True)


@dataclass
class Attempt:
    """One call: `request` sent with `md` through `send` (default: the unary stub method of the RPC).
    `hidden`: the id of the resource the caller must not learn about (for `hides` outcomes)."""

    request: object
    md: tuple
    hidden: str = ""
    missing: str = field(default_factory=lambda: str(uuid.uuid4()))
    send: Callable[[object, tuple], Awaitable] | None = None


def swapped(request, old: str, new: str):
    """`request` with every occurrence of `old` in its text replaced by `new`."""
    text = text_format.MessageToString(request)
    assert old and old in text, f"the hidden id {old!r} is not in the request {text!r}"
    return text_format.Parse(text.replace(old, new), type(request)())


@dataclass(frozen=True)
class Answer:
    code: grpc.StatusCode
    message: str
    reason: str
    domain: str
    metadata: tuple

    def normalised(self, old: str, new: str) -> Answer:
        return Answer(self.code, self.message.replace(old, new), self.reason, self.domain,
                      tuple((k, v.replace(old, new)) for k, v in self.metadata))


async def answer(call: Awaitable) -> tuple[object | None, Answer | None]:
    """(response, None) on success, (None, the error's code, message and ErrorInfo) on failure."""
    try:
        return await call, None
    except (grpc.aio.AioRpcError, RestError) as error:
        info = rpc_error_details(error).get("ErrorInfo")
        return None, Answer(error.code(), error.details() or "", info.reason if info else "",
                            info.domain if info else "", tuple(sorted(info.metadata.items())) if info else ())


def unary(stub, rpc: str):
    method = getattr(stub, rpc)
    return lambda request, md: method(request, metadata=md)


def over_rest(harness, service: str, rpc: str):
    """A sender of `rpc` over REST, in place of the stub's gRPC method."""
    return lambda request, md: rest_leg.call(harness, service, rpc, request, md)


async def run_rpc(rpc: str, stub, table: dict, attempt: Callable[[str], Awaitable[Attempt]],
                  rest=None) -> list[str]:
    """Makes every case of `table` (caller -> outcome) for `rpc`; returns one line per wrong case. `rest`:
    (harness, service name) to send the calls under test over REST instead (set-up stays on gRPC)."""
    problems = []
    for caller, expected in table.items():
        made = await attempt(caller)
        if rest is not None:
            assert made.send is None, f"{rpc} sends its own way: it has no REST leg here"
            send = over_rest(*rest, rpc)
        else:
            send = made.send or unary(stub, rpc)
        response, got = await answer(send(made.request, made.md))
        where = f"{rpc} as {caller}: expected {expected!r}"
        if isinstance(expected, Ok):
            if got is not None:
                problems.append(f"{where}, got {got.code.name} {got.reason}: {got.message}")
            elif expected.check is not None and not expected.check(response):
                problems.append(f"{where}, the response fails its check: {response}")
            continue
        if got is None:
            problems.append(f"{where}, but it succeeded")
            continue
        if (got.code, got.reason) != (expected.code, expected.reason):
            problems.append(f"{where}, got {got.code.name} {got.reason}: {got.message}")
            continue
        if expected.hides:
            _, missing = await answer(send(swapped(made.request, made.hidden, made.missing), made.md))
            if missing is None or got.normalised(made.hidden, made.missing) != missing:
                problems.append(f"{where}: the hidden resource answers {got}, a missing one {missing}")
    return problems


async def check_designed_outcomes(rpc: str, stub, matrix: dict, builders: dict, rest=None) -> None:
    """Runs every case in `rpc`'s row of `matrix`; fails listing each case that went wrong. `rest`: see
    run_rpc."""
    assert rpc in matrix, f"{rpc} has no authorization cases"
    assert rpc in builders, f"{rpc} has no request builder"
    problems = await run_rpc(rpc, stub, matrix[rpc], builders[rpc], rest)
    assert not problems, "\n".join(problems)


def assert_every_rpc_has_cases(service_descriptor, tables: dict, builders: dict) -> None:
    methods = {m.name for m in service_descriptor.methods}
    assert methods - tables.keys() == set(), f"RPCs without cases: {sorted(methods - tables.keys())}"
    assert methods - builders.keys() == set(), f"RPCs without a request builder: {sorted(methods - builders.keys())}"
    assert tables.keys() <= methods, f"cases for RPCs the service lacks: {sorted(tables.keys() - methods)}"
    assert all(tables[m] for m in methods), "an RPC with an empty row"
