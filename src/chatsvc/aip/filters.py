"""The AIP-160 filter subset that google.chat.v1 list and search RPCs accept, parsed into a small tree.

Grammar (one level of a query joins its terms with AND or with OR, never both: Google's docs ask for
parentheses wherever the two meet, so `a AND b OR c` is refused rather than guessed at):

    query      := group
    group      := unary ( ("AND" | "OR") unary )*
    unary      := "NOT" unary | "-" unary | "(" group ")" | call | comparison
    call       := NAME "(" [ value ( "," value )* ] ")"
    comparison := FIELD OP value          OP is one of  =  !=  <  <=  >  >=  :
    value      := "quoted string" | bare word

Search queries (`parse(..., search=True)`, SearchMessages) also take free text: a quoted string, or a bare word
not followed by an operator, is a `Text` term, and terms written side by side are ANDed (`"a" b` is `"a" AND b`).

Each RPC then reads the tree with its own rules (which fields, operators and combinations it allows).
Field names may be written in camelCase (`spaceType`); they come out in snake_case (`space_type`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from chatsvc.domain.errors import InvalidArgument

MAX_FILTER_LENGTH = 4000


@dataclass(frozen=True)
class Comparison:
    field: str
    op: str
    value: str
    quoted: bool = False


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Text:
    """Free text to search for (search queries only): a quoted phrase or a bare word."""

    value: str
    quoted: bool = False


Node = Comparison | Call | Not | And | Or | Text

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<op><=|>=|!=|=|<|>|:)
    | (?P<punct>[(),])
    | (?P<word>[^\s()",=!<>:]+)
    )""", re.VERBOSE)
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def invalid(field: str, description: str) -> InvalidArgument:
    return InvalidArgument.field(field, description, reason="INVALID_FILTER")


class _Parser:
    def __init__(self, text: str, field: str, search: bool = False):
        self.field = field
        self.search = search
        self.spaced: list[bool] = []  # whether whitespace comes before each token
        self.tokens = self._lex(text)
        self.pos = 0

    def _lex(self, text: str) -> list[tuple[str, str]]:
        tokens, pos = [], 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN.match(text, pos)
            if not match or match.end() == pos:
                raise invalid(self.field, f"unexpected character at position {pos}")
            kind = match.lastgroup
            tokens.append((kind, match.group(kind)))
            self.spaced.append(match.start(kind) > pos)
            pos = match.end()
        return tokens

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise invalid(self.field, "ends too early")
        self.pos += 1
        return token

    def expect(self, kind: str, text: str) -> None:
        token = self.take()
        if token != (kind, text):
            raise invalid(self.field, f"expected `{text}` but found `{token[1]}`")

    def parse(self) -> Node:
        node = self.group()
        if self.peek() is not None:
            raise invalid(self.field, f"unexpected `{self.peek()[1]}`")
        return node

    def group(self) -> Node:
        operands = [self.unary()]
        joiner = None
        while (token := self.peek()) is not None:
            if token[0] == "word" and token[1] in ("AND", "OR"):
                word = self.take()[1]
            elif self.search and token != ("punct", ")"):
                word = "AND"  # terms side by side
            else:
                break
            if joiner is not None and word != joiner:
                raise invalid(self.field, "AND and OR cannot be mixed without parentheses")
            joiner = word
            operands.append(self.unary())
        if joiner is None:
            return operands[0]
        return And(tuple(operands)) if joiner == "AND" else Or(tuple(operands))

    def unary(self) -> Node:
        kind, text = self.take()
        if (kind, text) in (("word", "NOT"), ("word", "-")):
            return Not(self.unary())
        if (kind, text) == ("punct", "("):
            node = self.group()
            self.expect("punct", ")")
            return node
        if self.search and self._is_text(kind, text):
            return Text(_unquote(text), True) if kind == "string" else Text(text)
        if kind != "word" or not _FIELD.match(text) or text in ("AND", "OR"):
            raise invalid(self.field, f"expected a field name but found `{text}`")
        following = self.peek()
        if following == ("punct", "("):
            self.take()
            args = []
            if self.peek() != ("punct", ")"):
                args.append(self.value()[0])
                while self.peek() == ("punct", ","):
                    self.take()
                    args.append(self.value()[0])
            self.expect("punct", ")")
            return Call(text, tuple(args))
        op_kind, op = self.take()
        if op_kind != "op":
            raise invalid(self.field, f"expected an operator after `{text}` but found `{op}`")
        value, quoted = self.value()
        return Comparison(snake(text), op, value, quoted)

    def _is_text(self, kind: str, text: str) -> bool:
        """A quoted string, or a word that does not start a comparison or a call (`f(`, with no space before
        the parenthesis: `word (a OR b)` is a word and a group)."""
        if kind == "string":
            return True
        following = self.peek()
        if kind != "word" or text in ("AND", "OR"):
            return False
        if following is None:
            return True
        calls = following == ("punct", "(") and not self.spaced[self.pos]
        return following[0] != "op" and not calls

    def value(self) -> tuple[str, bool]:
        kind, text = self.take()
        if kind == "string":
            return _unquote(text), True
        if kind == "word" and text not in ("AND", "OR", "NOT"):
            return text, False
        raise invalid(self.field, f"expected a value but found `{text}`")


def _unquote(string: str) -> str:
    return re.sub(r"\\(.)", r"\1", string[1:-1])


def parse(text: str, field: str = "filter", *, search: bool = False) -> Node | None:
    """The tree of a filter; None for an empty one. `search` also accepts free text (see the grammar)."""
    if len(text) > MAX_FILTER_LENGTH:
        raise invalid(field, f"must be at most {MAX_FILTER_LENGTH} characters")
    if not text.strip():
        return None
    return _Parser(text, field, search).parse()


def flatten(node: Node, kind: type) -> list[Node]:
    """The operands of nested nodes of one kind (And or Or), however parenthesised: `(a OR b) OR c` is
    `a OR b OR c`; a node of another kind is one operand."""
    if isinstance(node, kind):
        return [leaf for operand in node.operands for leaf in flatten(operand, kind)]
    return [node]


def timestamp_us(value: str, field: str = "filter") -> int:
    """An RFC-3339 timestamp (with an offset or Z) -> microseconds since the epoch."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise invalid(field, f"`{value}` is not an RFC-3339 timestamp") from None
    if parsed.tzinfo is None:
        raise invalid(field, f"`{value}` needs a time zone offset (RFC-3339)")
    return int(parsed.timestamp()) * 1_000_000 + parsed.microsecond
