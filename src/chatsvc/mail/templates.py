"""Campaign templates: subject / html / text rendered in a sandboxed Jinja2 environment, per recipient for
an individual campaign, once for all recipients (without `recipient`) for a shared one.

Templates are written by users, so they run in Jinja2's SandboxedEnvironment (no attribute access to
internals, no imports); anything the sandbox refuses, and any other rendering error, becomes a
TemplateError naming the problem instead of an exception escaping into the scheduler.
"""
from __future__ import annotations

from functools import lru_cache

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment

from chatsvc.domain.campaign_drafts import PREFIX
from chatsvc.domain.errors import InvalidArgument

MAX_OUTPUT_CHARS = 2_000_000  # a rendered part larger than this is a runaway template (loops, repeats)
PER_RECIPIENT = "recipient"  # the one template value that differs between recipients; `sender` is the same for all


class TemplateError(Exception):
    """A template could not be rendered; `message` says why, in words fit for a campaign's failure."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Blank(jinja2.Undefined):
    """Unknown names render as nothing, and so do their attributes (`{{recipient.nickname.x}}`)."""

    def __getattr__(self, name: str) -> _Blank:
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key) -> _Blank:
        return self

    def __str__(self) -> str:
        return ""

    def __iter__(self):
        return iter(())

    def __bool__(self) -> bool:
        return False


class _BoundedSandbox(SandboxedEnvironment):
    """The sandbox, plus a bound on `*` and `**`: `{{ "x" * 10**9 }}` must not allocate a gigabyte."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise TemplateError("the template raises a number to a power too large")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * times > MAX_OUTPUT_CHARS:
                        raise TemplateError("the template repeats a value too many times")
        return super().call_binop(context, operator, left, right)


@lru_cache(maxsize=2)
def _environment(html: bool) -> SandboxedEnvironment:
    return _BoundedSandbox(autoescape=html, undefined=_Blank, keep_trailing_newline=True)


def check_templates(subject: str, html: str, text: str, *, shared: bool = False) -> None:
    """Refuses a campaign whose templates do not parse, naming the field and the line. A `shared` campaign
    (one email to all its recipients) is also refused a template that reads `recipient`: no single
    recipient's values could fill it."""
    for field, source, is_html in (("subject", subject, False), ("html", html, True), ("text", text, False)):
        if not source:
            continue
        at = PREFIX + field
        try:
            parsed = _environment(is_html).parse(source)
        except jinja2.TemplateSyntaxError as exc:
            raise InvalidArgument.field(at, f"template syntax error on line {exc.lineno}: {exc.message}") from None
        # Jinja's own analysis: the names the template reads but does not set itself (a `{% set %}` or a
        # loop variable of that name is the template's own, not the recipient).
        if shared and PER_RECIPIENT in jinja2.meta.find_undeclared_variables(parsed):
            raise InvalidArgument.field(at, "uses `recipient`, which differs per recipient; only an `individual` "
                                            "campaign (one email per recipient) can fill it in")


def render(template: str, *, recipient: dict | None, sender: dict, html: bool) -> str:
    """Renders one template for one recipient, or for all of them when `recipient` is None (it is then left
    out, so whatever reads it renders blank). `html` turns on autoescaping of the substituted values."""
    if not template or ("{" not in template):
        return template
    env = _environment(html)
    values = {"sender": sender} if recipient is None else {"sender": sender, PER_RECIPIENT: recipient}
    try:
        compiled = env.from_string(template)
        parts: list[str] = []
        size = 0
        for chunk in compiled.generate(**values):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateError(f"the rendered template is larger than {MAX_OUTPUT_CHARS} characters")
            parts.append(chunk)
        return "".join(parts)
    except TemplateError:
        raise
    except jinja2.exceptions.SecurityError as exc:
        raise TemplateError(f"the template tried something not allowed: {exc}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error on line {exc.lineno}: {exc.message}") from None
    except Exception as exc:  # noqa: BLE001 - any error in user-written template code is the template's
        raise TemplateError(f"the template could not be rendered: {type(exc).__name__}: {exc}") from None
