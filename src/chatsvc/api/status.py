"""Domain errors -> google.rpc.Status with ErrorInfo (and BadRequest for INVALID_ARGUMENT), AIP-193."""
from __future__ import annotations

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import error_details_pb2, status_pb2

from chatsvc.domain import errors

ERROR_DOMAIN = "chat.googleapis.com"
DETAILS_KEY = "grpc-status-details-bin"

_CODES: list[tuple[type[errors.DomainError], grpc.StatusCode]] = [
    (errors.InvalidArgument, grpc.StatusCode.INVALID_ARGUMENT),
    (errors.NotFound, grpc.StatusCode.NOT_FOUND),
    (errors.AlreadyExists, grpc.StatusCode.ALREADY_EXISTS),
    (errors.PermissionDenied, grpc.StatusCode.PERMISSION_DENIED),
    (errors.Unauthenticated, grpc.StatusCode.UNAUTHENTICATED),
    (errors.FailedPrecondition, grpc.StatusCode.FAILED_PRECONDITION),
    (errors.Unimplemented, grpc.StatusCode.UNIMPLEMENTED),
    (errors.ResourceExhausted, grpc.StatusCode.RESOURCE_EXHAUSTED),
    (errors.Aborted, grpc.StatusCode.ABORTED),
    (errors.Unavailable, grpc.StatusCode.UNAVAILABLE),
    (errors.DeadlineExceeded, grpc.StatusCode.DEADLINE_EXCEEDED),
]


def grpc_code(error: errors.DomainError) -> grpc.StatusCode:
    for kind, code in _CODES:
        if isinstance(error, kind):
            return code
    return grpc.StatusCode.INTERNAL


# Messages and details may quote what the caller sent, which can be huge. The status travels in the trailers,
# which clients cap (16 KiB by default): an unclipped one would reach the caller as a transport error instead
# of our status. Limits in UTF-8 bytes, chosen so that the whole status, base64-encoded, stays well inside the
# cap while every message and detail we write ourselves (lists of event types, say) passes whole.
MAX_MESSAGE_BYTES = 1024
MAX_METADATA_VALUE_BYTES = 1024
MAX_VIOLATION_TEXT_BYTES = 400
MAX_VIOLATIONS = 5


def _clip(text: str, limit: int) -> str:
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[:limit - 3].decode(errors="ignore") + "…"


def _pack(message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def to_status(code: grpc.StatusCode, message: str, reason: str, metadata: dict[str, str],
              violations: list[errors.FieldViolation] = (),
              quota_violations: list[errors.QuotaViolation] = (),
              retry_after_seconds: float | None = None) -> status_pb2.Status:
    metadata = {key: _clip(value, MAX_METADATA_VALUE_BYTES) for key, value in metadata.items()}
    details = [_pack(error_details_pb2.ErrorInfo(reason=reason, domain=ERROR_DOMAIN, metadata=metadata))]
    if violations:
        details.append(_pack(error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=_clip(v.field, MAX_VIOLATION_TEXT_BYTES),
                                                        description=_clip(v.description, MAX_VIOLATION_TEXT_BYTES))
            for v in violations[:MAX_VIOLATIONS]
        ])))
    if quota_violations:
        details.append(_pack(error_details_pb2.QuotaFailure(violations=[
            error_details_pb2.QuotaFailure.Violation(subject=_clip(v.subject, MAX_VIOLATION_TEXT_BYTES),
                                                     description=_clip(v.description, MAX_VIOLATION_TEXT_BYTES))
            for v in quota_violations[:MAX_VIOLATIONS]
        ])))
    if retry_after_seconds is not None:
        delay = duration_pb2.Duration()
        delay.FromNanoseconds(int(retry_after_seconds * 1e9))
        details.append(_pack(error_details_pb2.RetryInfo(retry_delay=delay)))
    return status_pb2.Status(code=code.value[0], message=_clip(message, MAX_MESSAGE_BYTES), details=details)


def status_for(error: errors.DomainError, method: str) -> tuple[grpc.StatusCode, status_pb2.Status]:
    code = grpc_code(error)
    metadata = {"method": method, **error.metadata}
    return code, to_status(code, error.message, error.reason, metadata, getattr(error, "violations", ()),
                           getattr(error, "quota_violations", ()), getattr(error, "retry_after_seconds", None))


def internal_status(method: str) -> tuple[grpc.StatusCode, status_pb2.Status]:
    code = grpc.StatusCode.INTERNAL
    return code, to_status(code, "Internal error.", "INTERNAL", {"method": method})

