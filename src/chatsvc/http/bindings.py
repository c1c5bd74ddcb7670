"""Every HTTP binding of a service, read from its methods' google.api.http options: the one source both the
REST routes and the discovery documents are derived from (nothing about paths is written out by hand)."""
from __future__ import annotations

from dataclasses import dataclass

from google.api import annotations_pb2, http_pb2
from google.protobuf.descriptor import MethodDescriptor, ServiceDescriptor

from chatsvc.http.path_template import PathTemplate


@dataclass(frozen=True)
class Binding:
    method: MethodDescriptor
    http_method: str  # GET, POST, PUT, PATCH, DELETE (or a custom pattern's kind)
    template: PathTemplate
    body: str  # "" (no body), "*" (the whole request) or a top-level field's name
    response_body: str  # "" (the whole response) or a top-level field's name
    primary: bool  # False for an entry of additional_bindings

    @property
    def full_method(self) -> str:
        """`/google.chat.v1.ChatService/GetSpace`, as gRPC names the method."""
        return f"/{self.method.containing_service.full_name}/{self.method.name}"


def _binding(method: MethodDescriptor, rule: http_pb2.HttpRule, primary: bool) -> Binding:
    kind = rule.WhichOneof("pattern")
    if kind == "custom":
        http_method, path = rule.custom.kind.upper(), rule.custom.path
    else:
        http_method, path = kind.upper(), getattr(rule, kind)
    return Binding(method, http_method, PathTemplate.parse(path), rule.body, rule.response_body, primary)


def service_bindings(service: ServiceDescriptor) -> list[Binding]:
    """The bindings of every method of `service` that has an http option, primary first, in declaration order."""
    found = []
    for method in service.methods:
        options = method.GetOptions()
        if not options.HasExtension(annotations_pb2.http):
            continue
        rule = options.Extensions[annotations_pb2.http]
        found.append(_binding(method, rule, True))
        found.extend(_binding(method, extra, False) for extra in rule.additional_bindings)
    return found
