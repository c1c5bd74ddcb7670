"""Discovery documents (Google's `discovery#restDescription`, what google-api-python-client's `build` reads)
for chat v1 and for each of our own services, derived from the descriptors: paths from chatsvc.http.bindings,
fields and types from the messages, scopes from chatsvc.auth.scopes, descriptions from the comments protoc keeps
in generated/descriptor_set.binpb (left out where that file is not installed).

Names follow Google's discovery service:
- resources: a path's literal segments after the version, nested (`/v1/{name=spaces/*/messages/*}` ->
  spaces.messages). Methods that take media (Chat's `:upload`, our streamed campaign upload) sit in `media`.
- methods: a custom verb names its method (`:findDirectMessage`); otherwise the HTTP method does: GET is
  `list` when the path ends in a collection outside any variable, else `get`; POST `create`, PATCH `patch`,
  PUT `update`, DELETE `delete`. Ids are `<api>.<resources>.<method>`.
- path parameters: a variable's last field in lowerCamel (`{space.name=spaces/*}` -> `name`), `{+name}` when it
  spans segments; flatPath spells each wildcard `{<collection>Id}` (`v1/spaces/{spacesId}`).
- query parameters: every request field neither the path nor the body binds, nested fields dotted
  (`createMessageNotificationOptions.notificationType`); repeated messages and maps cannot be spelled in a
  query string and are left out.
- schemas: a message's own name when its package is the API's or a common one (google.protobuf, google.rpc,
  google.type), else package-qualified (`GoogleAppsCardV1Widget`). Names are handed out in the order the
  methods reach the messages; a name already taken gets qualified (`GoogleChatV1Section`: legacy card markup's
  `Section` is reached first).

Our own services: the api name is the proto package without its version, dots dropped (`chatsvc.directory.v1`
-> `chatsvcdirectory`, id `chatsvcdirectory:v1`, methods like `chatsvcdirectory.brands.members.create`).
Served at GET /discovery/v1/apis/{api}/{version}/rest; chat also at GET /$discovery/rest?version=v1.
"""
from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from aiohttp import web
from google.api import field_behavior_pb2
from google.chat.v1 import chat_service_pb2
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor, ServiceDescriptor

from chatsvc.api import http_errors
from chatsvc.api.media_http import DOWNLOAD_RULE
from chatsvc.apps.v1 import app_service_pb2
from chatsvc.auth.scopes import ADMIN, APP, CAMPAIGN_SERVICE, CHAT_SERVICE, Rule, expand_scope, rule_for, scope_kind
from chatsvc.campaigns.v1 import campaign_service_pb2
from chatsvc.credentials.v1 import credential_service_pb2
from chatsvc.directory.v1 import directory_service_pb2
from chatsvc.domain import media
from chatsvc.domain.email_files import ORIGIN_LIMITS
from chatsvc.domain.errors import NotFound
from chatsvc.http.bindings import Binding, service_bindings
from chatsvc.http.path_template import PathTemplate, Segment, Variable
from chatsvc.interactions.v1 import interaction_service_pb2
from chatsvc.people.v1 import people_service_pb2
from chatsvc.webhooks.v1 import webhook_service_pb2

F = FieldDescriptor
CHAT = chat_service_pb2.DESCRIPTOR.services_by_name["ChatService"]
OWN_SERVICES = (credential_service_pb2.DESCRIPTOR.services_by_name["CredentialService"],
                directory_service_pb2.DESCRIPTOR.services_by_name["DirectoryService"],
                campaign_service_pb2.DESCRIPTOR.services_by_name["CampaignService"],
                webhook_service_pb2.DESCRIPTOR.services_by_name["WebhookService"],
                app_service_pb2.DESCRIPTOR.services_by_name["AppService"],
                interaction_service_pb2.DESCRIPTOR.services_by_name["InteractionService"],
                people_service_pb2.DESCRIPTOR.services_by_name["PeopleService"])
# Services that stand in for one of Google's APIs other than Chat: served under Google's API name, not ours.
_GOOGLE_API_NAMES = {"chatsvc.people.v1.PeopleService": "people"}
_DESCRIPTOR_SET = Path(chat_service_pb2.__file__).resolve().parents[3] / "descriptor_set.binpb"
_VERSION = re.compile(r"v\d+\w*")
_COMMON_PACKAGES = frozenset({"google.protobuf", "google.rpc", "google.type"})
_STANDARD = {"POST": "create", "PATCH": "patch", "PUT": "update", "DELETE": "delete"}
# Google's discovery names the read-state methods after the RPC, on the parent collection
# (users.spaces.getSpaceReadState), while the other singletons are resources of their own
# (users.spaces.spaceNotificationSetting.get, users.availability.get); nothing in the descriptors tells them apart.
_NAMED_AFTER_RPC = frozenset(f"{CHAT_SERVICE}.{rpc}" for rpc in (
    "GetSpaceReadState", "UpdateSpaceReadState", "GetThreadReadState"))
# And the People API's batch read, a custom verb named after its RPC on its own collection (people.getBatchGet).
_VERB_NAMED_AFTER_RPC = frozenset({"chatsvc.people.v1.PeopleService.GetBatchGet"})
# Largest upload a service takes, for `mediaUpload.maxSize`: Chat's 200 MB; a campaign file's biggest mailbox.
_UPLOAD_LIMITS = {CHAT_SERVICE: media.MAX_UPLOAD_BYTES, CAMPAIGN_SERVICE: max(ORIGIN_LIMITS.values())}
# Chat's media downloads are no RPC: chatsvc serves them beside REST (chatsvc.api.media_http), as Google does.
_DOWNLOAD = PathTemplate.parse("/v1/media/{resource_name=**}")
# The name Google's own discovery service gives the call, for the ErrorInfo of a 404.
_GET_REST = "discovery.apis.getRest"

_SCALARS = {
    F.TYPE_DOUBLE: ("number", "double"), F.TYPE_FLOAT: ("number", "float"),
    F.TYPE_INT64: ("string", "int64"), F.TYPE_SINT64: ("string", "int64"), F.TYPE_SFIXED64: ("string", "int64"),
    F.TYPE_UINT64: ("string", "uint64"), F.TYPE_FIXED64: ("string", "uint64"),
    F.TYPE_INT32: ("integer", "int32"), F.TYPE_SINT32: ("integer", "int32"), F.TYPE_SFIXED32: ("integer", "int32"),
    F.TYPE_UINT32: ("integer", "uint32"), F.TYPE_FIXED32: ("integer", "uint32"),
    F.TYPE_BOOL: ("boolean", None), F.TYPE_STRING: ("string", None), F.TYPE_BYTES: ("string", "byte"),
}
# Well-known messages whose proto3 JSON form is one string.
_STRING_MESSAGES = {"google.protobuf.Timestamp": "google-datetime", "google.protobuf.Duration": "google-duration",
                    "google.protobuf.FieldMask": "google-fieldmask"}
_WRAPPERS = frozenset(f"google.protobuf.{kind}Value" for kind in (
    "Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"))
_ANY_VALUE = {"type": "any"}
# Well-known messages whose JSON is free-form, so they have no schema of their own.
_FREE_FORM = {
    "google.protobuf.Value": _ANY_VALUE,
    "google.protobuf.Struct": {"type": "object", "additionalProperties": _ANY_VALUE},
    "google.protobuf.ListValue": {"type": "array", "items": _ANY_VALUE},
    "google.protobuf.Any": {"type": "object", "additionalProperties": {
        "type": "any", "description": "The message's fields, and `@type`: the URL of its type."}},
}


# --- system parameters and scopes -----------------------------------------------------------------------------

def _query(description: str, **extra) -> dict:
    return {"description": description, "location": "query", "type": "string", **extra}


def _system_parameters() -> dict:
    """The parameters every method takes (Google's standard set)."""
    return {
        "$.xgafv": _query("Which error format to answer in.", enum=["1", "2"],
                          enumDescriptions=["Error format v1.", "Error format v2."]),
        "access_token": _query("An OAuth 2.0 access token, instead of an Authorization header."),
        "alt": _query("The format of the answer.", default="json", enum=["json", "media", "proto"],
                      enumDescriptions=["JSON (application/json).", "The media itself, for downloads.",
                                        "Binary protobuf (application/x-protobuf)."]),
        "callback": _query("A JSONP callback function's name."),
        "fields": _query("Which fields of the answer to return (a partial response)."),
        "key": _query("An API key: names the calling project for quota; calls still need an OAuth 2.0 token."),
        "oauth_token": _query("An OAuth 2.0 token of the calling user (older spelling of access_token)."),
        "prettyPrint": {**_query("Whether to indent the JSON answer and break its lines."),
                        "default": "true", "type": "boolean"},
        "quotaUser": _query("Any string of up to 40 characters that stands for the end user, to divide "
                            "quota between a server's users."),
        "upload_protocol": _query("The upload protocol for media (for example `raw` or `multipart`)."),
        "uploadType": _query("The older name of the upload protocol (for example `media` or `multipart`)."),
    }


def _scope_description(short: str) -> str:
    access = "Read-only access" if short.endswith(".readonly") else "Read and write access"
    who = {APP: "the app acting as itself", ADMIN: "administrators across their organization"}.get(
        scope_kind(short), "users")
    return f"{access} under `{short}`, for {who}."


def _scopes(rule: Rule | None) -> list[str]:
    return sorted(expand_scope(s) for s in rule.scopes) if rule else []


# --- descriptions ---------------------------------------------------------------------------------------------

@functools.cache
def _comments() -> dict[str, str]:
    """Leading comments of messages, fields, enums, enum values, services and methods by full name (enum values
    as `Enum.VALUE`). Empty when the descriptor set is not installed (it ships beside, not inside, the wheel)."""
    if not _DESCRIPTOR_SET.is_file():
        return {}
    found = {}
    for file in descriptor_pb2.FileDescriptorSet.FromString(_DESCRIPTOR_SET.read_bytes()).file:
        leading = {tuple(loc.path): loc.leading_comments for loc in file.source_code_info.location
                   if loc.leading_comments.strip()}
        for name, where in _declarations(file):
            if where in leading:
                found[name] = _tidy(leading[where])
    return found


def _declarations(file: descriptor_pb2.FileDescriptorProto) -> Iterator[tuple[str, tuple[int, ...]]]:
    """(full name, source location path) of every declaration of a file: the numbers are descriptor.proto's."""
    for i, message in enumerate(file.message_type):
        yield from _message_declarations(message, f"{file.package}.{message.name}", (4, i))
    for i, enum in enumerate(file.enum_type):
        yield from _enum_declarations(enum, f"{file.package}.{enum.name}", (5, i))
    for i, service in enumerate(file.service):
        yield f"{file.package}.{service.name}", (6, i)
        for j, method in enumerate(service.method):
            yield f"{file.package}.{service.name}.{method.name}", (6, i, 2, j)


def _message_declarations(message, name: str, where: tuple[int, ...]) -> Iterator[tuple[str, tuple[int, ...]]]:
    yield name, where
    for j, field in enumerate(message.field):
        yield f"{name}.{field.name}", (*where, 2, j)
    for j, nested in enumerate(message.nested_type):
        yield from _message_declarations(nested, f"{name}.{nested.name}", (*where, 3, j))
    for j, enum in enumerate(message.enum_type):
        yield from _enum_declarations(enum, f"{name}.{enum.name}", (*where, 4, j))


def _enum_declarations(enum, name: str, where: tuple[int, ...]) -> Iterator[tuple[str, tuple[int, ...]]]:
    yield name, where
    for j, value in enumerate(enum.value):
        yield f"{name}.{value.name}", (*where, 2, j)


def _tidy(comment: str) -> str:
    # One line per paragraph, as discovery descriptions are written.
    paragraphs = re.split(r"\n\s*\n", comment.strip())
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def _described(schema: dict, full_name: str) -> dict:
    text = _comments().get(full_name)
    if text:
        schema["description"] = text
    return schema


# --- types ----------------------------------------------------------------------------------------------------

def _is_map(field: FieldDescriptor) -> bool:
    return field.type == F.TYPE_MESSAGE and field.message_type.GetOptions().map_entry


def _scalar(kind: int) -> dict:
    type_, format_ = _SCALARS[kind]
    return {"type": type_, "format": format_} if format_ else {"type": type_}


def _enum(enum: EnumDescriptor) -> dict:
    schema = {"type": "string", "enum": [v.name for v in enum.values]}
    notes = [_comments().get(f"{enum.full_name}.{v.name}", "") for v in enum.values]
    if any(notes):
        schema["enumDescriptions"] = notes
    if any(v.GetOptions().deprecated for v in enum.values):
        schema["enumDeprecated"] = [v.GetOptions().deprecated for v in enum.values]
    return schema


def _one_value(message: Descriptor) -> dict | None:
    """The schema of a well-known message whose JSON is a single value (a query string can carry it)."""
    if message.full_name in _STRING_MESSAGES:
        return {"type": "string", "format": _STRING_MESSAGES[message.full_name]}
    if message.full_name in _WRAPPERS:
        return _scalar(message.fields_by_name["value"].type)
    return None


def _inline(message: Descriptor) -> dict | None:
    """A well-known message's schema written in place, for those that have no `schemas` entry."""
    if message.full_name in _FREE_FORM:
        return copy.deepcopy(_FREE_FORM[message.full_name])  # documents are handed out: never share a dict
    return _one_value(message)


def _leaf(field: FieldDescriptor) -> dict | None:
    """The schema of a field a query parameter can carry, or None for a message."""
    if field.type == F.TYPE_ENUM:
        return _enum(field.enum_type)
    if field.type == F.TYPE_MESSAGE:
        return _one_value(field.message_type)
    return _scalar(field.type)


def _pascal(package: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in package.split("."))


def _lower_camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


class _Schemas:
    """A document's `schemas`: one per message reached, named when first reached."""

    def __init__(self, package: str):
        self.package = package
        self.names: dict[str, str] = {}  # message full name -> schema name
        self.schemas: dict[str, dict] = {}

    def ref(self, message: Descriptor, omit: frozenset[str] = frozenset()) -> dict:
        """`{"$ref": name}` for `message` (its schema without the fields in `omit`, if this reaches it first)."""
        inline = _inline(message)
        if inline is not None:
            return inline
        name = self.names.get(message.full_name)
        if name is None:
            name = self._name(message)
            self.names[message.full_name] = name
            schema = self.schemas[name] = {"id": name, "type": "object"}  # placed first: recursion stops here
            _described(schema, message.full_name)
            schema["properties"] = {f.json_name: self._property(f) for f in message.fields if f.name not in omit}
        return {"$ref": name}

    def _name(self, message: Descriptor) -> str:
        home = message.file.package
        if (home == self.package or home in _COMMON_PACKAGES) and message.name not in self.schemas:
            return message.name
        qualified = _pascal(home) + message.name
        if qualified in self.schemas:
            raise ValueError(f"two messages would be schema {qualified}")
        return qualified

    def _property(self, field: FieldDescriptor) -> dict:
        if _is_map(field):
            schema = {"type": "object", "additionalProperties": self._value(field.message_type.fields_by_name["value"])}
        elif field.is_repeated:
            schema = {"type": "array", "items": self._value(field)}
        else:
            schema = self._value(field)
        return _field_notes(schema, field)

    def _value(self, field: FieldDescriptor) -> dict:
        return self.ref(field.message_type) if field.type == F.TYPE_MESSAGE else _leaf(field)


def _field_notes(schema: dict, field: FieldDescriptor) -> dict:
    _described(schema, field.full_name)
    if field_behavior_pb2.OUTPUT_ONLY in field.GetOptions().Extensions[field_behavior_pb2.field_behavior]:
        schema["readOnly"] = True
    if field.GetOptions().deprecated:
        schema["deprecated"] = True
    return schema


# --- paths ----------------------------------------------------------------------------------------------------

def _spans(template: PathTemplate, variable: Variable) -> bool:
    """Whether a variable's value may hold `/` (discovery's reserved expansion, `{+name}`)."""
    return variable.count > 1 or template.segments[variable.first].multi


def _expand(template: PathTemplate, names: dict[str, str], *, flat: bool) -> str:
    """The template as discovery writes it: `path` (`v1/{+name}`) or `flatPath` (`v1/spaces/{spacesId}`)."""
    out, index = [], 0
    for variable in template.variables:
        out.extend(_flat_segment(template, i) for i in range(index, variable.first))
        if flat and _spans(template, variable):
            out.extend(_flat_segment(template, i) for i in range(variable.first, variable.first + variable.count))
        else:
            out.append("{" + ("+" if _spans(template, variable) else "") + names[variable.field_path] + "}")
        index = variable.first + variable.count
    out.extend(_flat_segment(template, i) for i in range(index, len(template.segments)))
    return "/".join(out) + (f":{template.verb}" if template.verb else "")


def _flat_segment(template: PathTemplate, index: int) -> str:
    segment = template.segments[index]
    if segment.literal is not None:
        return segment.literal
    before = template.segments[index - 1].literal if index else None
    return "{" + (before or "resource") + "Id}"


def _pattern(segments: tuple[Segment, ...]) -> str:
    parts = [re.escape(s.literal) if s.literal is not None else ".*" if s.multi else "[^/]+" for s in segments]
    return "^" + "/".join(parts) + "$"


def _collections(template: PathTemplate) -> list[str]:
    """The literal segments after the version: the resources a method belongs to."""
    literals = [s.literal for s in template.segments if s.literal is not None]
    start = next((i + 1 for i, literal in enumerate(literals) if _VERSION.fullmatch(literal)), 0)
    return literals[start:]


def _field_chain(message: Descriptor, field_path: str) -> list[FieldDescriptor]:
    chain = []
    for name in field_path.split("."):
        field = message.fields_by_name[name]
        chain.append(field)
        message = field.message_type
    return chain


def _path_parameters(template: PathTemplate, names: dict[str, str], described: dict[str, str]) -> dict:
    params = {}
    for variable in template.variables:
        param = {"type": "string", "location": "path", "required": True}
        if _spans(template, variable):
            param["pattern"] = _pattern(template.segments[variable.first:variable.first + variable.count])
        if described.get(variable.field_path):
            param["description"] = described[variable.field_path]
        params[names[variable.field_path]] = param
    return params


# --- methods --------------------------------------------------------------------------------------------------

def _takes_media(binding: Binding) -> bool:
    # Which methods take media is service configuration, not proto: Chat's one upload is its `:upload` verb, ours
    # the client-streamed campaign upload (HTTP/JSON cannot stream a request, media upload can).
    return binding.method.client_streaming or binding.template.verb == "upload"


def _placement(binding: Binding) -> tuple[list[str], str]:
    """(resources, method name) of a binding."""
    template = binding.template
    if _takes_media(binding):
        return ["media"], template.verb or "upload"
    collections = _collections(template)
    if binding.method.full_name in _NAMED_AFTER_RPC:
        return collections[:-1], binding.method.name[:1].lower() + binding.method.name[1:]
    if binding.method.full_name in _VERB_NAMED_AFTER_RPC:
        return collections, binding.method.name[:1].lower() + binding.method.name[1:]
    if template.verb:
        return collections, template.verb
    if binding.http_method == "GET":
        last = template.segments[-1]
        return collections, "list" if last.literal is not None and last.variable is None else "get"
    return collections, _STANDARD.get(binding.http_method, binding.http_method.lower())


def _query_fields(message: Descriptor, bound: set[str], prefix: str = "", proto_prefix: str = "",
                  seen: tuple[str, ...] = ()) -> Iterator[tuple[str, FieldDescriptor]]:
    """(dotted lowerCamel name, field) of every field of `message` a query string can carry, but those in `bound`."""
    seen = (*seen, message.full_name)
    for field in message.fields:
        proto_path = proto_prefix + field.name
        if proto_path in bound or _is_map(field):
            continue
        name = prefix + field.json_name
        if _leaf(field) is not None:
            yield name, field
        elif not field.is_repeated and _inline(field.message_type) is None \
                and field.message_type.full_name not in seen:
            yield from _query_fields(field.message_type, bound, name + ".", proto_path + ".", seen)


def _query_parameters(binding: Binding) -> dict:
    if binding.method.client_streaming:
        return _streamed_metadata_parameters(binding)
    if binding.body == "*":
        return {}
    bound = {v.field_path for v in binding.template.variables} | ({binding.body} if binding.body else set())
    params = {}
    for name, field in _query_fields(binding.method.input_type, bound):
        param = {**_leaf(field), "location": "query"}
        if field.is_repeated:
            param["repeated"] = True
        params[name] = _described(param, field.full_name)
    return params


def _streamed_metadata_parameters(binding: Binding) -> dict:
    """A streamed upload's simple form (`uploadType=media`) takes its metadata's fields from the query string
    (chatsvc.http.uploads), so a client built from discovery can send them there."""
    metadata = binding.method.input_type.fields[0].message_type  # the first message of the stream: metadata
    bound = {v.field_path.split(".", 1)[1] for v in binding.template.variables if "." in v.field_path}
    params = {}
    for field in metadata.fields:
        if field.name in bound or field.type == F.TYPE_MESSAGE or field.is_repeated:
            continue
        params[field.json_name] = _described({**_leaf(field), "location": "query"}, field.full_name)
    return params


def _request(binding: Binding, chains: list[list[FieldDescriptor]], schemas: _Schemas) -> dict | None:
    request = binding.method.input_type
    if binding.method.client_streaming:
        # A streamed upload's JSON part is the message that holds its path variable (`metadata.parent`).
        chain = chains[0]
        return schemas.ref(chain[-2].message_type, frozenset({chain[-1].name}))
    if binding.body == "*":  # the path's fields are not repeated in the body
        return schemas.ref(request, frozenset(chain[0].name for chain in chains if len(chain) == 1))
    if binding.body:
        field = request.fields_by_name[binding.body]
        return schemas.ref(field.message_type) if field.type == F.TYPE_MESSAGE else _leaf(field)
    return None


def _response(binding: Binding, schemas: _Schemas) -> dict:
    response = binding.method.output_type
    if binding.response_body:
        field = response.fields_by_name[binding.response_body]
        return schemas.ref(field.message_type) if field.type == F.TYPE_MESSAGE else _leaf(field)
    return schemas.ref(response)


def _media_upload(path: str, service: str) -> dict:
    upload = {"accept": ["*/*"], "protocols": {"simple": {"multipart": True, "path": f"/upload/{path}"}}}
    if service in _UPLOAD_LIMITS:
        upload["maxSize"] = str(_UPLOAD_LIMITS[service])
    return upload


def _method(api: str, binding: Binding, schemas: _Schemas) -> tuple[list[str], str, dict]:
    template, rpc = binding.template, binding.method
    chains = [_field_chain(rpc.input_type, v.field_path) for v in template.variables]
    names = {v.field_path: chain[-1].json_name for v, chain in zip(template.variables, chains)}
    described = {v.field_path: _comments().get(chain[-1].full_name) for v, chain in zip(template.variables, chains)}
    # A media method's `path` is the one without media: clients put `upload/` in front of it themselves.
    path = _expand(template, names, flat=False).removeprefix("upload/")
    resources, name = _placement(binding)
    method = _described({"id": ".".join([api, *resources, name]), "httpMethod": binding.http_method, "path": path,
                         "flatPath": _expand(template, names, flat=True).removeprefix("upload/")}, rpc.full_name)
    method["parameters"] = {**_path_parameters(template, names, described), **_query_parameters(binding)}
    method["parameterOrder"] = [names[v.field_path] for v in template.variables]
    request = _request(binding, chains, schemas)
    if request is not None:
        method["request"] = request
    method["response"] = _response(binding, schemas)
    if scopes := _scopes(rule_for(binding.full_method)):
        method["scopes"] = scopes
    if _takes_media(binding):
        method["supportsMediaUpload"] = True
        method["mediaUpload"] = _media_upload(path, rpc.containing_service.full_name)
    return resources, name, method


def _download(api: str, schemas: _Schemas) -> tuple[list[str], str, dict]:
    """Google's media.download, which chatsvc serves at /v1/media/... although no RPC declares it."""
    names = {"resource_name": _lower_camel("resource_name")}
    schemas.schemas["Media"] = {"id": "Media", "type": "object", "description": "A file to download.",
                                "properties": {"resourceName": {"type": "string", "description":
                                               "The name of the media to download."}}}
    described = {"resource_name": "The media's name: an attachment's `attachmentDataRef.resourceName`."}
    return ["media"], "download", {
        "id": f"{api}.media.download", "description": "Downloads a file; call with `alt=media`.",
        "httpMethod": "GET", "path": _expand(_DOWNLOAD, names, flat=False),
        "flatPath": _expand(_DOWNLOAD, names, flat=True),
        "parameters": _path_parameters(_DOWNLOAD, names, described), "parameterOrder": ["resourceName"],
        "response": {"$ref": "Media"}, "scopes": _scopes(DOWNLOAD_RULE), "supportsMediaDownload": True,
    }


def _place(tree: dict, resources: list[str], name: str, method: dict) -> None:
    node = tree
    for resource in resources:
        node = node.setdefault("resources", {}).setdefault(resource, {})
    methods = node.setdefault("methods", {})
    if name in methods:
        raise ValueError(f"two bindings would be {method['id']}")
    methods[name] = method


# --- documents ------------------------------------------------------------------------------------------------

def api_version(service: ServiceDescriptor) -> str:
    last = service.file.package.rsplit(".", 1)[-1]
    return last if _VERSION.fullmatch(last) else "v1"


def own_api_name(service: ServiceDescriptor) -> str:
    """`chatsvc.directory.v1` -> `chatsvcdirectory`; Google's name for a service that is one of Google's APIs."""
    if service.full_name in _GOOGLE_API_NAMES:
        return _GOOGLE_API_NAMES[service.full_name]
    package = service.file.package
    if _VERSION.fullmatch(package.rsplit(".", 1)[-1]):
        package = package.rsplit(".", 1)[0]
    return package.replace(".", "")


def discovery_document(service: ServiceDescriptor, *, name: str, root_url: str) -> dict:
    """The discovery document of `service`, api `name` (chat v1: "chat"), served from `root_url`."""
    root = root_url.rstrip("/") + "/"
    version = api_version(service)
    schemas = _Schemas(service.file.package)
    tree: dict = {}
    placed = [_method(name, binding, schemas) for binding in service_bindings(service)]
    if service.full_name == CHAT_SERVICE:
        placed.append(_download(name, schemas))
    for resources, method_name, method in placed:
        _place(tree, resources, method_name, method)
    scopes = sorted({scope for *_, method in placed for scope in method.get("scopes", ())})
    document = {
        "kind": "discovery#restDescription", "discoveryVersion": "v1", "id": f"{name}:{version}", "name": name,
        "version": version, "title": f"{service.full_name} (chatsvc)", "protocol": "rest",
        "rootUrl": root, "servicePath": "", "basePath": "", "baseUrl": root, "batchPath": "batch",
        "fullyEncodeReservedExpansion": True, "parameters": _system_parameters(),
        "auth": {"oauth2": {"scopes": {s: {"description": _scope_description(s.rsplit("/", 1)[-1])}
                                       for s in scopes}}},
        "resources": tree.get("resources", {}), "schemas": schemas.schemas,
    }
    if "methods" in tree:
        document["methods"] = tree["methods"]
    return _described(document, service.full_name)


# --- serving --------------------------------------------------------------------------------------------------

APIS: dict[str, ServiceDescriptor] = {"chat": CHAT, **{own_api_name(s): s for s in OWN_SERVICES}}


@functools.lru_cache(maxsize=32)
def _document_bytes(api: str, root_url: str) -> bytes:
    return json.dumps(discovery_document(APIS[api], name=api, root_url=root_url), indent=1).encode()


def _answer(api: str, version: str, public_url: Callable[[], str]) -> web.Response:
    service = APIS.get(api)
    if service is None or version != api_version(service):
        missing = NotFound(f"There is no discovery document for API {api!r}, version {version!r}.")
        return http_errors.domain_error(missing, _GET_REST)
    body = _document_bytes(api, public_url().rstrip("/") + "/")
    return web.Response(body=body, content_type="application/json", charset="utf-8")


def discovery_routes(public_url: Callable[[], str]) -> list[web.RouteDef]:
    """GET /$discovery/rest?version=v1 (chat) and GET /discovery/v1/apis/{api}/{version}/rest (chat and our own
    services), documents whose rootUrl is `public_url()` + "/"."""
    async def chat(request: web.Request) -> web.Response:
        return _answer("chat", request.query.get("version", api_version(CHAT)), public_url)

    async def by_path(request: web.Request) -> web.Response:
        return _answer(request.match_info["api"], request.match_info["version"], public_url)

    return [web.get("/$discovery/rest", chat), web.get("/discovery/v1/apis/{api}/{version}/rest", by_path)]
