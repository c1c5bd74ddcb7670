"""Campaign templates: per-recipient and shared rendering in the sandbox, escaping, blanks, and refusals."""
from __future__ import annotations

import pytest

from chatsvc.domain.errors import InvalidArgument
from chatsvc.mail.templates import TemplateError, check_templates, render

ANN = {"display_name": "Ann <Admin>", "email": "ann@example.com"}
NOBODY = {"display_name": "", "email": "x@example.com"}
SENDER = {"display_name": "Sam & Co", "email": "sam@example.com"}


def test_recipient_and_sender_values_with_a_fallback():
    template = 'Hi {{recipient.display_name or "there"}}, {{sender.display_name}} here'
    assert render(template, recipient=ANN, sender=SENDER, html=False) == "Hi Ann <Admin>, Sam & Co here"
    assert render(template, recipient=NOBODY, sender=SENDER, html=False) == "Hi there, Sam & Co here"


def test_html_escapes_substituted_values_but_not_the_template():
    assert render("<b>{{recipient.display_name}}</b> {{sender.display_name}}", recipient=ANN, sender=SENDER,
                  html=True) == "<b>Ann &lt;Admin&gt;</b> Sam &amp; Co"


def test_unknown_names_render_empty():
    assert render("[{{recipient.nickname}}|{{nope.deeper.still}}|{{ sender.x | upper }}]", recipient=ANN,
                  sender=SENDER, html=False) == "[||]"


def test_plain_text_without_markup_is_returned_as_is():
    assert render("Just text", recipient=ANN, sender=SENDER, html=True) == "Just text"


@pytest.mark.parametrize("template, why", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "not allowed"),
    ("{{ 'x' * 100000000 }}", "repeats"),
    ("{{ 9 ** 99999999 }}", "power"),
    ("{% for i in range(100000) %}{% for j in range(100) %}xxxxxxxxxx{% endfor %}{% endfor %}", "larger than"),
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
])
def test_what_the_sandbox_refuses_becomes_a_template_error(template, why):
    with pytest.raises(TemplateError) as caught:
        render(template, recipient=ANN, sender=SENDER, html=False)
    assert why in caught.value.message


def test_unsafe_attributes_read_as_blanks_and_leak_nothing():
    assert render("[{{ recipient.__class__ }}{{ cycler.__init__.__globals__ }}{{ self._TemplateReference__context }}]",
                  recipient=ANN, sender=SENDER, html=False) == "[]"


def test_check_templates_names_the_field_and_line():
    check_templates("Hi {{recipient.display_name}}", "<p>{% if sender.display_name %}x{% endif %}</p>", "")
    for field, args in (("subject", ("{{", "", "")), ("html", ("", "<p>\n{% if %}</p>", "")),
                        ("text", ("", "", "{% for x in y %}"))):
        with pytest.raises(InvalidArgument) as caught:
            check_templates(*args)
        [violation] = caught.value.violations
        assert violation.field == f"email_campaign.{field}" and "line" in violation.description


def test_a_shared_render_leaves_the_recipient_out():
    assert render("{{sender.display_name}}|{{recipient.display_name}}|{{recipient}}", recipient=None,
                  sender=SENDER, html=True) == "Sam &amp; Co||"


@pytest.mark.parametrize("template, refused", [
    ("{{ recipient.email }}", True),
    ("{{ recipient['display_name'] | upper }}", True),
    ("{% if recipient %}x{% endif %}", True),
    ("{% macro m() %}{{ recipient.email }}{% endmacro %}", True),
    ("{% with r = recipient %}{{ r }}{% endwith %}", True),
    ("{{ sender.display_name }}", False),
    ("{% for recipient in ['a'] %}{{ recipient }}{% endfor %}", False),  # the template's own name
    ("{% set recipient = 'all' %}{{ recipient }}", False),
])
def test_shared_templates_may_not_read_the_recipient(template, refused):
    check_templates(template, template, template)  # individual: always fine
    if not refused:
        check_templates(template, template, template, shared=True)
        return
    for field, args in (("subject", (template, "", "")), ("html", ("", template, "")), ("text", ("", "", template))):
        with pytest.raises(InvalidArgument) as caught:
            check_templates(*args, shared=True)
        [violation] = caught.value.violations
        assert violation.field == f"email_campaign.{field}" and "`individual`" in violation.description
