"""@mention rendering: offsets in UTF-16 units, unknown users left alone, the derived text forms."""
from chatsvc.domain import mentions
from chatsvc.domain.models import User, UserType

ALICE = User(id="111", type=UserType.HUMAN, email="alice@example.com", display_name="alice")
BOT = User(id="222", type=UserType.BOT, app_name="helper-bot", display_name="helper-bot")


def test_plain_text_is_untouched():
    assert mentions.referenced("hello <b>") == (set(), set(), False)
    assert mentions.render("hello", {}, {}) == mentions.Rendered("hello", ())


def test_mentions_become_names_with_offsets():
    text = "hi <users/111> and <users/helper@x> and <users/ALICE@example.com>, <users/all>!"
    assert mentions.referenced(text) == ({"111"}, {"helper@x", "alice@example.com"}, True)
    rendered = mentions.render(text, {"111": ALICE}, {"alice@example.com": ALICE})
    assert rendered.text == "hi @alice and <users/helper@x> and @alice, @all!"
    spans = [(m.start, m.length, m.user_id) for m in rendered.mentions]
    assert spans == [(3, 6, "111"), (35, 6, "111"), (43, 4, "all")]
    for m in rendered.mentions:
        assert rendered.text[m.start:m.start + m.length].startswith("@")
    assert mentions.formatted_text(rendered.text, rendered.mentions) == (
        "hi <users/111> and <users/helper@x> and <users/111>, <users/all>!")


def test_offsets_count_utf16_units():
    rendered = mentions.render("\U0001F600 <users/222> go", {"222": BOT}, {})
    (mention,) = rendered.mentions
    assert (mention.start, mention.length) == (3, len("@helper-bot"))  # the emoji is two UTF-16 units
    assert mentions.argument_text(rendered.text, rendered.mentions) == "\U0001F600  go"
    assert mentions.formatted_text(rendered.text, rendered.mentions) == "\U0001F600 <users/222> go"


def test_argument_text_drops_only_app_mentions():
    rendered = mentions.render("<users/222> ping <users/111>", {"222": BOT, "111": ALICE}, {})
    assert rendered.text == "@helper-bot ping @alice"
    assert mentions.argument_text(rendered.text, rendered.mentions) == " ping @alice"
