"""The registry's lookups other parts of the server use (no server needed): app names are the names tokens
carry; link-preview patterns and slash commands match as Google's console describes them."""
from __future__ import annotations

from chatsvc.auth.tokens import valid_app_name
from chatsvc.domain.chat_apps import APP_NAME, AppCommand, ChatApp, CommandType, LinkPreviewPattern


def test_app_names_are_the_names_tokens_carry():
    for name in ["helper-bot", "chat-app.my-project", "A", "x" * 63, "x" * 64, "-a", ".a", "a b", "a/b", "é", ""]:
        assert bool(APP_NAME.match(name)) == valid_app_name(name), name


def test_lookups():
    app = ChatApp(name="b", user_id="1", display_name="B", endpoint_url="https://b.example.com/",
                  authentication_audience="123456789012",
                  commands=(AppCommand(1, "/vote", CommandType.SLASH), AppCommand(2, "Help", CommandType.QUICK)),
                  link_preview_patterns=(LinkPreviewPattern("*.example.com", "cases/"),
                                         LinkPreviewPattern("support.example.org")))
    assert app.audience_is_project_number
    assert app.slash_command("/VOTE") == app.commands[0] and app.slash_command("Help") is None
    assert app.command(2) == app.commands[1] and app.command(3) is None
    assert app.previews("https://example.com/cases/1") and app.previews("https://a.b.example.com/cases/")
    assert not app.previews("https://example.com/other") and not app.previews("https://badexample.com/cases/1")
    assert app.previews("https://support.example.org/anything") and not app.previews("https://x.support.example.org/")
