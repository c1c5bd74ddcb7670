"""google.api.http path templates: parsed once, matched against a request's raw path.

    Template = "/" Segments [ ":" Verb ] ;   Segment = "*" | "**" | LITERAL | "{" FieldPath [ "=" Segments ] "}"

Matching works on the raw (still percent-encoded) path, so an encoded `/` (%2F) stays inside its segment. A
variable of one segment (`{space}`, `{name=*}` parts aside) is percent-decoded whole; a variable spanning
segments (`{name=spaces/*/messages/*}`) keeps `/` between its segments and decodes everything but %2F, as
http.proto prescribes. The verb is matched before the segments, so a variable never swallows `:verb`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_ENCODED_SLASH = re.compile(r"%2[Ff]")


class TemplateError(ValueError):
    """A template that does not follow http.proto's grammar (a bug in a .proto file, found at start-up)."""


@dataclass(frozen=True)
class Segment:
    literal: str | None  # a literal segment; None for a wildcard
    multi: bool = False  # `**`: any number of segments (at least one)
    variable: str | None = None  # the field path of the variable this segment belongs to


@dataclass(frozen=True)
class Variable:
    field_path: str  # `message.name`
    first: int  # index of its first segment
    count: int  # how many segments it spans (a `**` counts as one)


@dataclass(frozen=True)
class PathTemplate:
    text: str
    segments: tuple[Segment, ...]
    variables: tuple[Variable, ...]
    verb: str | None

    @classmethod
    def parse(cls, text: str) -> PathTemplate:
        if not text.startswith("/"):
            raise TemplateError(f"`{text}`: a template starts with /")
        body, verb = text[1:], None
        tail = body.rsplit("/", 1)[-1]
        if ":" in tail and "}" not in tail.rsplit(":", 1)[1]:
            body, verb = body.rsplit(":", 1)
            if not verb:
                raise TemplateError(f"`{text}`: empty verb")
        segments: list[Segment] = []
        variables: list[Variable] = []
        for part in _split_outside_braces(body, text):
            if part.startswith("{"):
                if not part.endswith("}"):
                    raise TemplateError(f"`{text}`: unclosed variable")
                field_path, _, inner = part[1:-1].partition("=")
                if not _IDENT.match(field_path):
                    raise TemplateError(f"`{text}`: bad field path `{field_path}`")
                inner_segments = [_wildcard_or_literal(s, text, field_path) for s in (inner or "*").split("/")]
                variables.append(Variable(field_path, len(segments), len(inner_segments)))
                segments.extend(inner_segments)
            else:
                segments.append(_wildcard_or_literal(part, text, None))
        if any(s.multi for s in segments[:-1]):
            raise TemplateError(f"`{text}`: `**` may only end a template")
        return cls(text, tuple(segments), tuple(variables), verb)

    def match(self, raw_path: str) -> dict[str, str] | None:
        """The variables' values (field path -> decoded value) if `raw_path` matches, else None."""
        if not raw_path.startswith("/"):
            return None
        body = raw_path[1:]
        if self.verb is not None:
            if not body.endswith(":" + self.verb):
                return None
            body = body[:-len(self.verb) - 1]
        return self.match_parts(body.split("/"))

    def match_parts(self, parts: list[str]) -> dict[str, str] | None:
        """`match` for a raw path already split at `/`, without its leading `/` and its `:verb`."""
        segments = self.segments
        if segments and segments[-1].multi:
            if len(parts) < len(segments):
                return None
        elif len(parts) != len(segments):
            return None
        if "" in parts:
            return None  # empty segments never match (`spaces//messages`)
        for index, segment in enumerate(segments):
            if segment.literal is not None and parts[index] != segment.literal:
                return None
        values = {}
        for variable in self.variables:
            last = variable.first + variable.count
            taken = parts[variable.first:] if segments[last - 1].multi else parts[variable.first:last]
            if len(taken) == 1 and not segments[variable.first].multi:
                values[variable.field_path] = unquote(taken[0])
            else:
                values[variable.field_path] = "/".join(_decode_keeping_slash(p) for p in taken)
        return values

    def flat_path(self) -> str:
        """Discovery's `path` form: `v1/{+name}:verb` (`+`: the value may hold `/`)."""
        out, index = [], 0
        for variable in self.variables:
            out.extend(s.literal for s in self.segments[index:variable.first])
            plus = "+" if variable.count > 1 or self.segments[variable.first].multi else ""
            out.append("{" + plus + variable.field_path + "}")
            index = variable.first + variable.count
        out.extend(s.literal or "*" for s in self.segments[index:])
        return "/".join(out) + (f":{self.verb}" if self.verb else "")


def _split_outside_braces(body: str, text: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in body:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise TemplateError(f"`{text}`: unbalanced braces")
        if char == "/" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth:
        raise TemplateError(f"`{text}`: unbalanced braces")
    parts.append("".join(current))
    if any(not p for p in parts):
        raise TemplateError(f"`{text}`: empty segment")
    return parts


def _wildcard_or_literal(part: str, text: str, variable: str | None) -> Segment:
    if part == "*":
        return Segment(None, variable=variable)
    if part == "**":
        return Segment(None, multi=True, variable=variable)
    if not part or any(c in part for c in "{}*=:"):
        raise TemplateError(f"`{text}`: bad segment `{part}`")
    return Segment(part, variable=variable)


def _decode_keeping_slash(part: str) -> str:
    if "%" not in part:
        return part  # nearly every segment: nothing to decode
    return "%2F".join(unquote(piece) for piece in _ENCODED_SLASH.split(part))
