"""HTTP/JSON <-> request and response messages, by a method's google.api.http binding (http.proto's rules).

A request message is filled from three places: the body (the whole request for `body: "*"`, else the one
field it names), the path's variables, and, for every field neither of those binds, the query string
(`a.b=v` for nested fields, camelCase or proto names, repeated fields as repeated parameters). Bodies are
proto3 JSON; an unknown name is refused, as Google refuses it.
"""
from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping, Sequence

from google.protobuf import json_format, message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from chatsvc.domain.errors import FieldViolation, InvalidArgument
from chatsvc.http.bindings import Binding

F = FieldDescriptor
_INT_RANGES = {  # each integer type's range: a value outside it is refused, never wrapped
    **dict.fromkeys((F.TYPE_INT32, F.TYPE_SINT32, F.TYPE_SFIXED32), (-2 ** 31, 2 ** 31 - 1)),
    **dict.fromkeys((F.TYPE_UINT32, F.TYPE_FIXED32), (0, 2 ** 32 - 1)),
    **dict.fromkeys((F.TYPE_INT64, F.TYPE_SINT64, F.TYPE_SFIXED64), (-2 ** 63, 2 ** 63 - 1)),
    **dict.fromkeys((F.TYPE_UINT64, F.TYPE_FIXED64), (0, 2 ** 64 - 1)),
}
_INTEGER = re.compile(r"-?[0-9]{1,21}")
_TYPE_NAMES = {getattr(F, name): name for name in dir(F) if name.startswith("TYPE_")}
_SNAKE_PART = re.compile(r"_([a-z])")
_FLOATS = {F.TYPE_FLOAT, F.TYPE_DOUBLE}
# Well-known messages whose JSON form is one value, and so can stand in a query parameter.
_ONE_VALUE_MESSAGES = {"google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask"}
_WRAPPERS = {f"google.protobuf.{kind}Value" for kind in (
    "Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes")}


# json_format's words: `... has no field named "x" at "Message.thread".`, `Failed to parse text field: ...`
_NO_FIELD = re.compile(r'has no field named "([^"]+)" at "([^"]+)"')
_FAILED_FIELD = re.compile(r"Failed to parse (\w+) field: ")
_AT_PATH = re.compile(r"\.? at [A-Za-z_][\w.\[\]]*\.?$")  # the path again, in JSON names, at the end
_UPPER = re.compile(r"([A-Z])")


def invalid_json(detail: str, field: str = "") -> InvalidArgument:
    """Google opens every complaint about a body or a parameter with these words, and names the field in a
    BadRequest violation."""
    message = f"Invalid JSON payload received. {detail}"
    return InvalidArgument(message, reason="INVALID_JSON_PAYLOAD", violations=[FieldViolation(field, message)])


def _parse_error(error: Exception, where: str) -> InvalidArgument:
    """json_format's complaint in Google's words, naming the field by its proto path (`message.thread`) as
    Google does: an unknown name, else the value json_format could not take."""
    text = _first_line(str(error))
    unknown = _NO_FIELD.search(text)
    if unknown:
        path = _joined(where, unknown.group(2).partition(".")[2])  # json_format starts at the message's name
        at = f" at '{path}'" if path else ""
        return invalid_json(f'Unknown name "{unknown.group(1)}"{at}: Cannot find field.', path)
    names = _FAILED_FIELD.findall(text)
    path = _joined(where, ".".join(names))
    detail = _AT_PATH.sub(".", _FAILED_FIELD.split(text)[-1].strip())
    return invalid_json(f"Invalid value at '{path}': {detail}" if path else detail, path)


def _joined(where: str, json_path: str) -> str:
    """`where` and json_format's path of JSON names (`cardsV2[0].card`), as proto names (`cards_v2[0].card`)."""
    proto_path = _UPPER.sub(lambda m: "_" + m.group(1).lower(), json_path)
    return ".".join(part for part in (where, proto_path) if part)


def _field_by_name(message: Descriptor, name: str) -> FieldDescriptor | None:
    return (message.fields_by_name.get(name) or message.fields_by_camelcase_name.get(name)
            or next((f for f in message.fields if f.json_name == name), None))


def _path_of(message: Descriptor, dotted: str) -> list[FieldDescriptor] | None:
    fields = []
    for part in dotted.split("."):
        if message is None:
            return None
        field = _field_by_name(message, part)
        if field is None:
            return None
        fields.append(field)
        message = field.message_type if field.type == F.TYPE_MESSAGE else None
    return fields


def parse_body(binding: Binding, request: Message, raw: bytes) -> None:
    """Fills `request` from a JSON body as the binding's `body` says."""
    if not raw.strip():
        return
    try:
        document = json.loads(raw, parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError) as error:
        raise invalid_json(f"The body is not JSON: {error}.") from None
    except RecursionError:  # the decoder recurses per level: hostile nesting must not become a 500
        raise invalid_json("The body is nested too deeply.") from None
    if binding.body == "*":
        target, where = request, ""
    else:
        field = request.DESCRIPTOR.fields_by_name[binding.body]
        if field.type != F.TYPE_MESSAGE or field.is_repeated:
            document, target, where = {field.json_name: document}, request, ""
        else:
            target, where = getattr(request, binding.body), field.name
    if not isinstance(document, dict):
        raise invalid_json(f"Expected an object, not {_JSON_KINDS.get(type(document), 'a value')}.", where)
    try:
        json_format.ParseDict(document, target, ignore_unknown_fields=False)
    except (json_format.ParseError, ValueError, TypeError, RecursionError) as error:
        raise _parse_error(error, where) from None


_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean",
               type(None): "null"}


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")  # Python's decoder takes NaN and Infinity; JSON has neither


def _first_line(text: str) -> str:
    # json_format appends the list of all the message's fields: useful to a developer, too long for an error.
    return text.split("\n", 1)[0].split(" Available Fields", 1)[0].strip()


def set_path_values(request: Message, values: Mapping[str, str]) -> None:
    """The path's variables win over anything the body said (they name the resource the URL addresses)."""
    for dotted, value in values.items():
        *parents, leaf = dotted.split(".")
        target = request
        for name in parents:
            target = getattr(target, name)
        setattr(target, leaf, value)


def apply_query(binding: Binding, request: Message, params: Sequence[tuple[str, str]]) -> None:
    """Fields not bound by the path or the body, from the query string."""
    bound_by_path = set(binding_path_fields(binding))
    grouped: dict[str, list[str]] = {}
    for key, value in params:
        grouped.setdefault(key, []).append(value)
    document: dict = {}
    for key, values in grouped.items():
        try:
            _bind_query(binding, request, key, values, bound_by_path, document)
        except InvalidArgument as error:
            for violation in error.violations:
                violation.field = violation.field or key
            raise
    if not document:
        return
    try:
        json_format.ParseDict(document, request, ignore_unknown_fields=False)
    except (json_format.ParseError, ValueError, TypeError) as error:
        raise _parse_error(error, "") from None


def _bind_query(binding: Binding, request: Message, key: str, values: list[str], bound_by_path: set[str],
                document: dict) -> None:
    """Puts one parameter's values where json_format will read them into `request`."""
    fields = _path_of(request.DESCRIPTOR, key)
    if fields is None:
        raise invalid_json(f'Unknown name "{key}": Cannot bind query parameter. Field \'{key}\' could not be '
                           'found in request message.', key)
    proto_path = ".".join(f.name for f in fields)
    if binding.body == "*" or (binding.body and fields[0].name == binding.body) or proto_path in bound_by_path:
        raise invalid_json(f'Unknown name "{key}": Cannot bind query parameter. Field \'{key}\' is bound by '
                           'the path or the body.', key)
    leaf = fields[-1]
    if not leaf.is_repeated and len(values) > 1:
        raise invalid_json(f'Cannot bind query parameter "{key}": it is not repeated but was given '
                           f'{len(values)} times.')
    converted = [_query_value(leaf, key, value) for value in values]
    target = document
    for depth, field in enumerate(fields[:-1], start=1):
        if field.is_repeated:
            raise invalid_json(f'Cannot bind query parameter "{key}": it lies inside a repeated field.')
        target = target.setdefault(field.json_name, {})
        if not isinstance(target, dict):  # `updateMask=a&updateMask.paths=b`: the whole field, then a part of it
            raise _bound_twice(key, fields[:depth])
    if isinstance(target.get(leaf.json_name), dict):  # `updateMask.paths=b&updateMask=a`: a part, then the whole
        raise _bound_twice(key, fields)
    target[leaf.json_name] = converted if leaf.is_repeated else converted[0]


def _bound_twice(key: str, fields) -> InvalidArgument:
    whole = ".".join(f.json_name for f in fields)
    return invalid_json(f'Cannot bind query parameter "{key}": "{whole}" is given both whole and in parts.', key)


def binding_path_fields(binding: Binding) -> list[str]:
    return [variable.field_path for variable in binding.template.variables]


def _query_value(field: FieldDescriptor, key: str, text: str):
    """A query parameter's text as the JSON value json_format takes for the field, checked here so that a bad
    value is refused naming its parameter."""
    kind = field.type
    if kind == F.TYPE_STRING:
        return text
    if kind == F.TYPE_MESSAGE:
        name = field.message_type.full_name
        if name in _WRAPPERS:
            return _query_value(field.message_type.fields_by_name["value"], key, text)
        if name in _ONE_VALUE_MESSAGES and not field.message_type.GetOptions().map_entry:
            return _one_value_message(field, key, text)
        raise invalid_json(f'Cannot bind query parameter "{key}": a message field can only be given field by '
                           'field (`a.b=`), and a map not at all.', key)
    if kind == F.TYPE_BOOL and text in ("true", "false"):
        return text == "true"
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        if _INTEGER.fullmatch(text) and low <= int(text) <= high:
            return int(text)  # (the pattern's 21 digits at most keep int() far from its digit limit)
    elif kind in _FLOATS and "_" not in text:
        try:
            return float(text)
        except ValueError:
            pass
    elif kind == F.TYPE_ENUM:
        if text in field.enum_type.values_by_name:
            return text
        if _INTEGER.fullmatch(text) and -2 ** 31 <= int(text) < 2 ** 31:
            return int(text)  # an open enum keeps numbers it does not know; the method judges them
    elif kind == F.TYPE_BYTES:
        try:
            base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            return text
        except ValueError:
            pass
    raise _bad_value(field, key, text)


def _one_value_message(field: FieldDescriptor, key: str, text: str) -> str:
    """Timestamp, Duration and FieldMask in their JSON form. A FieldMask's paths may be written as in the proto
    (`display_name`, as Google's documentation writes them) or in JSON's camelCase (`displayName`)."""
    if field.message_type.full_name == "google.protobuf.FieldMask":
        text = ",".join(_SNAKE_PART.sub(lambda m: m.group(1).upper(), path.strip()) for path in text.split(","))
    try:
        message_factory.GetMessageClass(field.message_type)().FromJsonString(text)
    except ValueError:
        raise _bad_value(field, key, text) from None
    return text


def _bad_value(field: FieldDescriptor, key: str, text: str) -> InvalidArgument:
    """Google's words for a value its field cannot take: `Invalid value at 'page_size' (TYPE_INT32), "abc"`."""
    if field.type == F.TYPE_ENUM:
        kind = f"type.googleapis.com/{field.enum_type.full_name}"
    elif field.type == F.TYPE_MESSAGE:
        kind = f"type.googleapis.com/{field.message_type.full_name}"
    else:
        kind = _TYPE_NAMES[field.type]
    return invalid_json(f"Invalid value at '{key}' ({kind}), \"{text}\"", key)


def response_value(binding: Binding, response: Message, *, enums_as_numbers: bool):
    """The JSON value of the response, or of the field its `response_body` names."""
    document = json_format.MessageToDict(response, preserving_proto_field_name=False,
                                         use_integers_for_enums=enums_as_numbers)
    if binding.response_body:
        field = response.DESCRIPTOR.fields_by_name[binding.response_body]
        return document.get(field.json_name, [] if field.is_repeated else {})
    return document
