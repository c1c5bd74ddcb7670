"""Domain errors -> google.rpc.Status with ErrorInfo (and BadRequest for INVALID_ARGUMENT), AIP-193."""
from __future__ import annotations

import grpc
from google.protobuf import any_pb2
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


def _pack(message) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def to_status(code: grpc.StatusCode, message: str, reason: str, metadata: dict[str, str],
              violations: list[errors.FieldViolation] = (),
              quota_violations: list[errors.QuotaViolation] = ()) -> status_pb2.Status:
    details = [_pack(error_details_pb2.ErrorInfo(reason=reason, domain=ERROR_DOMAIN, metadata=metadata))]
    if violations:
        details.append(_pack(error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
            for v in violations
        ])))
    if quota_violations:
        details.append(_pack(error_details_pb2.QuotaFailure(violations=[
            error_details_pb2.QuotaFailure.Violation(subject=v.subject, description=v.description)
            for v in quota_violations
        ])))
    return status_pb2.Status(code=code.value[0], message=message, details=details)


def status_for(error: errors.DomainError, method: str) -> tuple[grpc.StatusCode, status_pb2.Status]:
    code = grpc_code(error)
    metadata = {"method": method, **error.metadata}
    return code, to_status(code, error.message, error.reason, metadata, getattr(error, "violations", ()),
                           getattr(error, "quota_violations", ()))


def internal_status(method: str) -> tuple[grpc.StatusCode, status_pb2.Status]:
    code = grpc.StatusCode.INTERNAL
    return code, to_status(code, "Internal error.", "INTERNAL", {"method": method})

