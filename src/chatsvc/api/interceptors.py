"""The outermost interceptor: one structured log line per call, and every error as a google.rpc.Status.

Domain errors become their status with ErrorInfo; anything unexpected becomes INTERNAL with no internals
in the response (the traceback goes to the log).
"""
from __future__ import annotations

import contextvars
import json
import logging
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass

import grpc
from grpc_interceptor import AsyncServerInterceptor

from chatsvc.api.status import DETAILS_KEY, internal_status, status_for
from chatsvc.domain.errors import DomainError

log = logging.getLogger("chatsvc.calls")


@dataclass
class CallRecord:
    """What the inner interceptors learn about a call that the log line needs."""

    principal: str = "-"


_record: contextvars.ContextVar[CallRecord | None] = contextvars.ContextVar("chatsvc_call", default=None)


def call_record() -> CallRecord:
    return _record.get() or CallRecord()


async def abort_with(context: grpc.aio.ServicerContext, code: grpc.StatusCode, status) -> None:
    await context.abort(code, status.message, trailing_metadata=((DETAILS_KEY, status.SerializeToString()),))


@asynccontextmanager
async def _observed(context: grpc.aio.ServicerContext, method_name: str):
    """Around one call: errors become statuses, and one log line is written whatever happens."""
    record = CallRecord()
    token = _record.set(record)
    started = time.perf_counter()
    code = grpc.StatusCode.OK
    try:
        yield
    except DomainError as error:
        code, status = status_for(error, method_name)
        await abort_with(context, code, status)
    except grpc.aio.AbortError:
        code = context.code() or grpc.StatusCode.UNKNOWN
        raise
    except Exception:
        log.exception("unexpected error in %s", method_name)
        code, status = internal_status(method_name)
        await abort_with(context, code, status)
    finally:
        log.info(json.dumps({
            "method": method_name,
            "status": code.name,
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            "principal": record.principal,
        }))
        _record.reset(token)


class ErrorAndLogInterceptor(AsyncServerInterceptor):
    async def intercept(self, method, request_or_iterator, context, method_name):
        # Calling the handler runs none of its body yet: a coroutine runs when awaited, a response stream
        # when iterated; both happen inside _observed.
        response = method(request_or_iterator, context)
        if hasattr(response, "__aiter__"):
            return _observed_stream(response, context, method_name)
        async with _observed(context, method_name):
            return await response


async def _observed_stream(responses, context, method_name):
    async with _observed(context, method_name):
        async for response in responses:
            yield response
