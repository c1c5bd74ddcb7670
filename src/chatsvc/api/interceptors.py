"""The outermost interceptor: one structured log line per call, and every error as a google.rpc.Status.

Domain errors become their status with ErrorInfo; anything unexpected becomes INTERNAL with no internals
in the response (the traceback goes to the log).
"""
from __future__ import annotations

import contextvars
import json
import logging
import time
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


class ErrorAndLogInterceptor(AsyncServerInterceptor):
    async def intercept(self, method, request_or_iterator, context, method_name):
        record = CallRecord()
        token = _record.set(record)
        started = time.perf_counter()
        code = grpc.StatusCode.OK
        try:
            return await method(request_or_iterator, context)
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
