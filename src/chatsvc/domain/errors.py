"""Domain errors. They name what went wrong; only the API edge turns them into gRPC status codes."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FieldViolation:
    field: str
    description: str


class DomainError(Exception):
    """Base of every error a caller is meant to see. `reason` is an UPPER_SNAKE ErrorInfo reason."""

    reason = "ERROR"

    def __init__(self, message: str, *, reason: str | None = None, metadata: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        if reason:
            self.reason = reason
        self.metadata = dict(metadata or {})


class NotFound(DomainError):
    reason = "NOT_FOUND"


class AlreadyExists(DomainError):
    reason = "ALREADY_EXISTS"


class PermissionDenied(DomainError):
    reason = "PERMISSION_DENIED"


class Unauthenticated(DomainError):
    reason = "UNAUTHENTICATED"


class FailedPrecondition(DomainError):
    reason = "FAILED_PRECONDITION"


class Unimplemented(DomainError):
    reason = "UNIMPLEMENTED"


@dataclass
class QuotaViolation:
    subject: str
    description: str


class ResourceExhausted(DomainError):
    """`quota_violations`, when given, travel as a google.rpc.QuotaFailure detail, and `retry_after_seconds`
    as a google.rpc.RetryInfo: when a retry can succeed."""

    reason = "RESOURCE_EXHAUSTED"

    def __init__(self, message: str, *, quota_violations: list[QuotaViolation] | None = None,
                 retry_after_seconds: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.quota_violations = list(quota_violations or [])
        self.retry_after_seconds = retry_after_seconds


class InvalidArgument(DomainError):
    reason = "INVALID_ARGUMENT"

    def __init__(self, message: str, *, violations: list[FieldViolation] | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.violations = list(violations or [])

    @classmethod
    def field(cls, name: str, description: str, *, reason: str | None = None) -> InvalidArgument:
        """The common case: one field is wrong, and the message says which and why."""
        return cls(f"Invalid `{name}`: {description}", violations=[FieldViolation(name, description)], reason=reason)


class Aborted(DomainError):
    reason = "ABORTED"


class Unavailable(DomainError):
    """A service we depend on (an OAuth provider) failed or is unreachable; retrying later may work."""

    reason = "UNAVAILABLE"


class DeadlineExceeded(DomainError):
    """A service we depend on did not answer in time."""

    reason = "DEADLINE_EXCEEDED"
