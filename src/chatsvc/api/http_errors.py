"""Errors of the HTTP media endpoint in Google's JSON error format:
`{"error": {"code": <HTTP status>, "message": ..., "status": "NOT_FOUND", "details": [ErrorInfo, ...]}}`,
the same google.rpc.Status the gRPC API sends, with HTTP codes by Google's mapping."""
from __future__ import annotations

import grpc
from aiohttp import web
from google.protobuf import json_format
from google.rpc import error_details_pb2

from chatsvc.api.status import internal_status, status_for, to_status
from chatsvc.domain.errors import DomainError
from chatsvc.domain.media import PayloadTooLarge

HTTP_CODES = {  # Google's mapping (google.rpc.Code); what is not here is 500
    grpc.StatusCode.CANCELLED: 499, grpc.StatusCode.INVALID_ARGUMENT: 400, grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400, grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403, grpc.StatusCode.NOT_FOUND: 404, grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.ALREADY_EXISTS: 409, grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNIMPLEMENTED: 501, grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}
# aiohttp's own refusals (no such path, wrong method) as canonical codes.
_FROM_HTTP = {404: grpc.StatusCode.NOT_FOUND, 405: grpc.StatusCode.UNIMPLEMENTED,
              413: grpc.StatusCode.RESOURCE_EXHAUSTED}


def _response(http: int, code: grpc.StatusCode, status) -> web.Response:
    body = {"error": {"code": http, "message": status.message, "status": code.name,
                      "details": json_format.MessageToDict(status).get("details", [])}}
    response = web.json_response(body, status=http)
    if http == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def status_response(code: grpc.StatusCode, status) -> web.Response:
    """A google.rpc.Status a call ended with, as Google's JSON error (an upload over its limit: 413)."""
    return _response(413 if _reason(status) == PayloadTooLarge.reason else HTTP_CODES.get(code, 500), code, status)


def _reason(status) -> str:
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info.reason
    return ""


def domain_error(error: DomainError, method: str) -> web.Response:
    code, status = status_for(error, method)
    http = 413 if isinstance(error, PayloadTooLarge) else getattr(error, "http_status", HTTP_CODES.get(code, 500))
    return _response(http, code, status)


def http_error(error: web.HTTPException, method: str) -> web.Response:
    code = _FROM_HTTP.get(error.status, grpc.StatusCode.INVALID_ARGUMENT)
    return _response(error.status, code, to_status(code, error.reason, error.reason.upper().replace(" ", "_"),
                                                   {"method": method}))


def internal_error(method: str) -> web.Response:
    code, status = internal_status(method)
    return _response(500, code, status)
