"""Cards in a real Chromium: the /cards preview page renders a pasted cardsV2 with every widget of
google.apps.card.v1, formats text from a tag whitelist only (hostile markup stays inert), toggles collapsible
sections, and reports what a click would send with the form's values.

The preview page makes no API call (it renders what is pasted), so one SQLite server serves the module: the
database backend cannot change what the browser renders."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from google.chat.v1 import membership_pb2, message_pb2, space_pb2, space_setup_pb2, user_pb2
from playwright.async_api import expect

from tests.apps.support import register
from tests.browser.conftest import artifact, page_errors
from tests.browser.support import for_readme, screenshot, signed_in_user
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.events.app_process import app_process

FIXTURE = Path(__file__).parent / "fixtures" / "every_widget.json"
KINDS = ["textParagraph", "image", "decoratedText", "buttonList", "textInput", "selectionInput", "dateTimePicker",
         "divider", "grid", "columns", "carousel", "chipList"]
ALICE = "alice@example.com"
PWNED = ["pwnedScript", "pwnedImg", "pwnedLink", "pwnedFrame", "pwnedClick", "pwnedDecorated", "pwnedOpenLink",
         "pwnedCase", "pwnedEntity", "pwnedData", "pwnedSvg", "pwnedNested"]


@pytest.fixture(scope="module")
async def site(tmp_path_factory):
    async with fresh_database_url("sqlite", tmp_path_factory.mktemp("cards")) as url, serving(url) as harness:
        yield harness.media_url


@pytest.fixture
async def preview(site, browser):
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    errors = page_errors(page)
    await page.goto(site + "/cards")
    await page.wait_for_selector("[data-testid=rendered] .card")  # the first sample, rendered
    yield page, errors
    await context.close()


async def show(page, text: str) -> None:
    await page.fill("#card-json", text)


async def test_every_widget_renders_and_hostile_text_is_inert(preview):
    page, errors = preview
    await show(page, FIXTURE.read_text())
    rendered = page.locator("[data-testid=rendered]")
    await rendered.locator("[data-widget=carousel]").wait_for()

    # The collapsible section starts with its first two inputs; every kind is there once it is open.
    inputs = rendered.locator("section[data-collapsible]")
    assert await inputs.get_attribute("data-collapsible") == "closed"
    assert await inputs.locator(".card-widget").count() == 2
    toggle = inputs.locator(".card-collapse-toggle")
    assert await toggle.get_attribute("aria-expanded") == "false"
    await toggle.click()
    assert await inputs.get_attribute("data-collapsible") == "open"
    assert await inputs.locator(".card-widget").count() == 10
    for kind in KINDS:
        assert await rendered.locator(f"[data-widget={kind}]").count() >= 1, kind
    assert await rendered.locator("svg[data-icon=EMAIL]").get_attribute("aria-label") == "email"
    assert await rendered.locator(".card-icon-badge[data-icon=unheard_of]").inner_text() == "U"
    assert await rendered.locator(".card-header .card-title").inner_text() == "Every widget <b>not bold</b>"
    assert await rendered.locator(".card-footer button").all_inner_texts() == ["Cancel", "Submit"]
    assert await rendered.locator(".card-accessory button").inner_text() == "Accessory"
    placeholder = rendered.locator("[data-widget=unsupported]")
    assert await placeholder.count() == 1
    assert "futureWidget" in await placeholder.inner_text() and await placeholder.is_visible()
    # Inputs carry their values and suggestions; the selection kinds are the controls they should be.
    assert await rendered.locator("input[data-input=title]").input_value() == "Draft"
    assert await rendered.locator("datalist option").evaluate_all("os => os.map(o => o.value)") == ["Bug", "Feature"]
    assert await rendered.locator("select[data-input=size]").input_value() == "l"
    assert await rendered.locator("select[data-input=people][multiple]").count() == 1
    assert await rendered.locator("input[type=radio][data-input=speed]").count() == 2
    assert await rendered.locator("input[role=switch][data-input=flags]").count() == 1
    assert await rendered.locator("input[type=datetime-local][data-input=when]").input_value() == "2026-12-10T12:00"
    assert await rendered.locator("input[type=date][data-input=day]").input_value() == "2026-12-10"

    # Pictures: the page as one sees it (for the README), then the whole card in a window tall enough for it.
    await page.evaluate("""() => { for (const s of ['#card-json', '.preview-render'])
                                       document.querySelector(s).scrollTop = 0; }""")
    await page.screenshot(path=str(artifact("card-preview.png")))
    for_readme(artifact("card-preview.png"))
    height = await page.evaluate("() => document.querySelector('.preview-render').scrollHeight")
    await page.set_viewport_size({"width": 1280, "height": height + 80})
    await page.locator("[data-testid=rendered]").screenshot(path=str(artifact("cards-every-widget.png")))
    # At a phone's width the panes stack and the card fits: nothing wider than the screen.
    await page.set_viewport_size({"width": 390, "height": 844})
    assert await page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert await rendered.locator(".card").evaluate("e => e.scrollWidth <= e.clientWidth")
    await rendered.locator(".card").screenshot(path=str(artifact("cards-every-widget-phone.png")))
    await page.set_viewport_size({"width": 1280, "height": 900})

    # Formatting: the whitelisted tags are elements, the rest is gone or text, and nothing ran.
    formatted = rendered.locator("[data-widget=textParagraph]").first
    for tag, text in [("b", "bold"), ("i", "italic"), ("u", "underlined"), ("s", "struck")]:
        assert await formatted.locator(tag).first.inner_text() == text, tag
    # Colours set from script go through the CSSOM, which the page's CSP (style-src 'self') allows.
    coloured = rendered.get_by_role("button", name="Coloured")
    assert await coloured.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(204, 26, 26)"
    red = formatted.locator("span", has_text="red").first
    assert await red.evaluate("e => getComputedStyle(e).color") == "rgb(217, 48, 37)"
    assert await formatted.locator("a[href='https://example.com/ok']").get_attribute("rel") == \
        "noopener noreferrer nofollow"
    assert await formatted.locator("br").count() == 1
    inert = formatted.locator(".card-inert-link")
    assert await inert.all_inner_texts() == ["a javascript link", "mixed case", "entity", "data link"]
    for i in range(4):
        await inert.nth(i).click()
    assert await formatted.locator("a").evaluate_all("as => as.map(a => a.href)") == [
        "https://example.com/ok", "mailto:sasha@example.com"]
    assert "<i>escaped</i>" in await formatted.inner_text()  # escaped markup is text
    await formatted.locator("b", has_text="bold with a handler").click()
    await rendered.get_by_text("Bad link").click()
    # No element that runs or embeds anything, no handler attribute, no script URL; text is only text.
    assert await rendered.locator("script, iframe, object, embed, svg:not(.card-icon)").count() == 0
    assert await rendered.evaluate("""e => Array.from(e.querySelectorAll('*')).flatMap(el => Array.from(el.attributes))
        .filter(a => a.name.startsWith('on') || /javascript:|data:text|url\\(/i.test(a.value))
        .map(a => a.name + '=' + a.value)""") == []
    assert await page.evaluate(f"{json.dumps(PWNED)}.filter(k => k in window)") == []
    # maxLines: two of four lines until "Show more"; a short paragraph with maxLines offers nothing to show.
    clamped = rendered.locator("[data-widget=textParagraph]").nth(2)
    short = await clamped.locator(".card-clamp").evaluate("e => e.clientHeight")
    await clamped.get_by_role("button", name="Show more").click()
    assert await clamped.locator(".card-text > div").evaluate("e => e.clientHeight") > short * 1.5
    await clamped.get_by_role("button", name="Show less").click()
    slide = rendered.locator("[data-widget=textParagraph]", has_text="Slide one")
    assert await slide.get_by_role("button").count() == 0
    markdown = rendered.locator("[data-widget=textParagraph]").nth(1)
    assert await markdown.locator("b").inner_text() == "markdown"
    assert await markdown.locator("code").inner_text() == "code"
    assert await markdown.locator("a").get_attribute("href") == "https://example.com/md"

    # A click reports what the app would receive: the action and the values of every input now.
    await rendered.locator("input[data-input=title]").fill("Crash on start")
    await rendered.locator("select[data-input=people]").select_option(["ada", "grace"])
    await rendered.get_by_role("button", name="Filled").click()
    sent = json.loads((await page.locator(".preview-log pre").first.inner_text()).split("→", 1)[1])
    assert sent["function"] == "save" and sent["parameters"] == {"id": "42"} and sent["cardId"] == "everything"
    values = {name: entry["stringInputs"]["value"] for name, entry in sent["formInputs"].items()}
    assert values == {"title": ["Crash on start"], "notes": [""], "size": ["l"], "toppings": ["cheese"],
                      "speed": ["fast"], "flags": [], "people": ["ada", "grace"], "when": ["1796904000000"],
                      "day": ["1796860800000"], "at": [], "notify": ["on"]}
    await rendered.get_by_role("button", name="Dialog").click()
    assert json.loads((await page.locator(".preview-log pre").first.inner_text()).split("→", 1)[1])[
        "interaction"] == "OPEN_DIALOG"
    # The overflow menu opens and its item is an action.
    await rendered.get_by_role("button", name="More", exact=True).click()
    await expect(rendered.get_by_role("menu")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(rendered.get_by_role("menu")).to_be_hidden()
    await rendered.get_by_role("button", name="More", exact=True).click()
    await rendered.get_by_role("menu").get_by_text("Archive").click()
    await expect(rendered.get_by_role("menu")).to_be_hidden()
    assert '"function":"archive"' in await page.locator(".preview-log pre").first.inner_text()

    # The collapsible section closes again.
    await toggle.click()
    assert await inputs.locator(".card-widget").count() == 2

    assert errors == [], "\n".join(errors)


async def test_json_errors_are_said_and_the_last_good_shapes_are_accepted(preview):
    page, errors = preview
    error = page.locator("[data-testid=json-error]")
    await show(page, '{"cardsV2": [')
    await expect(error).to_contain_text("Not JSON")
    assert await page.locator("[data-testid=rendered] .card").count() == 0
    await show(page, '{"cardsV2": {"card": {}}}')
    await expect(error).to_contain_text("cardsV2 must be a list")
    # A single bare card renders, and so does a list of CardWithId; the error clears.
    await show(page, json.dumps({"header": {"title": "Alone"}, "sections": [{"widgets": [{"divider": {}}]}]}))
    await page.locator("[data-testid=rendered] .card-title", has_text="Alone").wait_for()
    assert await error.inner_text() == ""
    await show(page, json.dumps([{"cardId": "a", "card": {"sections": [{"widgets": [{"nope": 1}]}]}}]))
    await page.locator("[data-testid=rendered] [data-unsupported=nope]").wait_for()
    # A sample replaces the text; typing makes it one's own again.
    assert await page.get_by_label("Sample card").input_value() == ""
    await page.get_by_label("Sample card").select_option("Form")
    await page.locator("[data-testid=rendered] [data-widget=dateTimePicker]").wait_for()
    assert errors == [], "\n".join(errors)


# End to end: a real Chat app (tests/events/card_app.py, a child process under .venv-official that verifies
# chatsvc's ID tokens with google-auth) is a member of a space with alice and bob. Alice mentions it by typing in the
# page (the @-list offers the app by its name); it answers with a card, which alice uses and bob sees change live.
# The clicks go through InteractionService with her token and change stored messages, so this runs on both backends.
APP_SCRIPT = Path(__file__).resolve().parents[1] / "events" / "card_app.py"
BOT = "card-bot"
BOB = "bob@example.com"
APP_SCOPES = ("chat.spaces", "chat.messages", "chat.memberships", "chat.memberships.app")
LIVE_MS = 2000


@pytest.fixture(scope="module", params=BACKENDS)
async def app_world(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("card-app")
    async with (fresh_database_url(request.param, tmp) as url,
                serving(url, app_events_poll_seconds=0.1, app_event_timeout_seconds=5) as server):
        async with app_process(APP_SCRIPT, server, tmp / "received.jsonl") as endpoint:
            await register(server, BOT, display_name="Card Bot", endpoint_url=endpoint)
            yield server


async def test_an_apps_card_works_in_the_chat_page(app_world, browser):
    server = app_world
    md = server.md(user=ALICE, app=BOT, scopes=APP_SCOPES)
    space = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.SPACE, display_name="Polls"),
        memberships=[membership_pb2.Membership(member=user_pb2.User(name=f"users/{BOB}", type=user_pb2.User.HUMAN))]),
        metadata=md)
    await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(parent=space.name, membership=(
        membership_pb2.Membership(member=user_pb2.User(name="users/app", type=user_pb2.User.BOT)))), metadata=md)

    alice = await signed_in_user(browser, server.media_url, ALICE)
    bob = await signed_in_user(browser, server.media_url, BOB)
    page = alice.page
    try:
        for user in (alice, bob):
            await user.page.get_by_role("navigation").get_by_role("button", name="Polls").click()
        # Alice calls the app the way a person does: "@", its name picked from the list, then what she wants.
        box = page.get_by_role("textbox", name="Message Polls")
        await box.press_sequentially("@Car")
        options = page.get_by_role("listbox", name="People to mention").get_by_role("option")
        await expect(options).to_have_text(["Card Bot"])
        await box.press("Enter")  # picks
        await expect(box).to_have_value("@Card Bot ")
        await box.press_sequentially("card")
        await box.press("Enter")
        await expect(page.locator(".message.mine .text .mention")).to_have_text("@Card Bot")  # sent as a mention

        poll = page.locator(".message", has=page.locator(".card-title", has_text="Poll"))
        await expect(poll).to_be_visible(timeout=10_000)  # the app's answer, delivered by the worker
        await expect(poll.locator(".sender")).to_have_text("Card Bot")  # its name, from the People API
        bobs_poll = bob.page.locator(".message", has=bob.page.locator(".card-title", has_text="Poll"))
        await expect(bobs_poll).to_be_visible(timeout=LIVE_MS)
        city = poll.get_by_label("City")
        # Autocomplete: the app's suggestions arrive in the input's list.
        await city.fill("Par")
        await expect(poll.locator("datalist option")).to_have_count(2)
        assert await poll.locator("datalist option").evaluate_all("os => os.map(o => o.value)") == ["Paris", "Parma"]
        # A button click reaches the app with the form's values and the message updates in place, for bob too.
        await city.fill("Paris")
        await poll.get_by_role("button", name="Vote").click()
        await expect(poll.locator(".text")).to_have_text("Votes: 1 (Paris)")
        await poll.get_by_role("button", name="Vote").click()
        await expect(poll.locator(".text")).to_have_text("Votes: 2 (Paris)")
        await expect(bobs_poll.locator(".text")).to_have_text("Votes: 2 (Paris)", timeout=LIVE_MS)

        # A dialog: opened by the card, submitted (the app posts a message, which bob sees), closed.
        await poll.get_by_role("button", name="Open form").click()
        dialog = page.get_by_role("dialog", name="Contact")
        await expect(dialog).to_be_visible()
        await dialog.get_by_label("Name").fill("Kai")
        await screenshot(page, "card-dialog.png", readme=True)
        await dialog.get_by_role("button", name="Submit").click()
        await expect(dialog).to_be_hidden()
        await expect(page.locator(".message .text", has_text="Saved Kai")).to_be_visible()
        await expect(bob.page.locator(".message .text", has_text="Saved Kai")).to_be_visible(timeout=LIVE_MS)
        # Opened again and closed: the app hears the cancel and its status shows.
        await poll.get_by_role("button", name="Open form").click()
        await expect(dialog).to_be_visible()
        await dialog.get_by_role("button", name="Close dialog").click()
        await expect(dialog).to_be_hidden()
        await expect(poll.locator(".card-status")).to_have_text("Cancelled")
        await poll.get_by_role("button", name="Open form").click()  # and by the keyboard
        await expect(dialog).to_be_visible()
        await expect(dialog.get_by_label("Name")).to_be_focused()
        await page.keyboard.press("Escape")
        await expect(dialog).to_be_hidden()
        # An app that fails: the page says so beside the button, and the app's notice arrives.
        await poll.get_by_role("button", name="boom").click()
        await expect(poll.locator(".card-action-problem")).to_contain_text("not responding")
        await screenshot(page, "card-in-chat.png", readme=True)

        stored = await server.chat.ListMessages(message_pb2.ListMessagesRequest(parent=space.name), metadata=md)
        assert [m.text for m in stored.messages if m.text.startswith(("Votes", "Saved"))] == \
            ["Votes: 2 (Paris)", "Saved Kai"]
        # The one error on the console: the browser's own line about the failed call's 503 (APP_NOT_RESPONDING).
        assert [e for e in alice.errors if "responded with a status of 503" not in e] == [], alice.errors
        assert len(alice.errors) == 1, alice.errors
        assert bob.errors == []
    finally:
        await alice.close()
        await bob.close()
