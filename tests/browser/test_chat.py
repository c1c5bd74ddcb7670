"""The chat page in a real Chromium against a real server, as two people use it side by side: alice and bob in two
browser contexts, each signed in through chatsvc's sign-in page. Alice creates a space with bob and writes; bob
sees the space and the message appear without a reload, answers, and alice sees the answer live; a DM gets an
unread badge that opening it clears (and the read state is stored); a message made of HTML and a javascript: link
stays inert text. Screenshots of the main screen (desktop and phone width) go to the README."""
from __future__ import annotations

import asyncio
import re
import struct
import time
import zlib
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from playwright.async_api import expect

from tests.browser.support import PHONE, screenshot, signed_in_user
from tests.conftest import BACKENDS, fresh_database_url, serving

LIVE_MS = 2000  # "within a second", with a margin for a loaded 2-core machine (measured: 0.1-0.4 s)
HOSTILE = ('<script>window.pwned = "script"</script> <img src=x onerror="window.pwned = \'img\'"> '
           '<javascript:window.pwned=1|link> <https://example.com/docs|the docs>')


@pytest.fixture(scope="module", params=BACKENDS)
async def chat_server(request, tmp_path_factory):
    async with (fresh_database_url(request.param, tmp_path_factory.mktemp("chat")) as url,
                serving(url) as harness):
        yield harness


@pytest.fixture(scope="module")
async def people(chat_server, browser):
    alice = await signed_in_user(browser, chat_server.media_url, "alice@example.com")
    bob = await signed_in_user(browser, chat_server.media_url, "bob@example.com")
    try:
        yield alice, bob
    finally:
        await alice.close()
        await bob.close()


def message(page, text: str):
    return page.locator(".messages .message .text", has_text=text)


def space_button(page, title: str):
    return page.get_by_role("navigation").locator("button.space", has=page.locator(".space-name", has_text=title))


async def test_two_people_chat_live(chat_server, people):
    alice, bob = people
    # Alice makes a space with bob: the dialog's labelled fields, by keyboard for the last step.
    await alice.page.get_by_role("button", name="New space").click()
    await alice.page.get_by_label("Space name").fill("Launch")
    await alice.page.get_by_label(re.compile("^Members")).fill("bob@example.com")
    await alice.page.get_by_role("button", name="Create").click()
    await expect(alice.page.get_by_role("heading", name="Launch")).to_be_visible()

    composer = alice.page.get_by_role("textbox", name="Message Launch")
    await expect(composer).to_be_focused()  # an opened conversation is ready to type in
    await alice.page.keyboard.type("Hello *Bob*, see _this_ and `code`")
    await composer.press("Enter")
    await expect(message(alice.page, "Hello Bob").locator("strong")).to_have_text("Bob")
    await expect(composer).to_have_value("")

    # Bob never reloads: the space, with its unread message, appears in his sidebar.
    started = time.monotonic()
    launch = space_button(bob.page, "Launch")
    await expect(launch).to_be_visible(timeout=LIVE_MS)
    await expect(launch).to_have_attribute("aria-label", "Launch, 1 unread", timeout=LIVE_MS)
    appeared = time.monotonic() - started
    await launch.click()
    await expect(message(bob.page, "Hello Bob")).to_be_visible()
    await expect(message(bob.page, "Hello Bob").locator("em")).to_have_text("this")
    await expect(message(bob.page, "Hello Bob").locator("code")).to_have_text("code")
    await expect(launch).to_have_attribute("aria-label", "Launch")  # read now

    # Both have the space open: each sees the other's message within a second.
    started = time.monotonic()
    await alice.page.get_by_role("textbox", name="Message Launch").fill("Are you there?")
    await alice.page.get_by_role("textbox", name="Message Launch").press("Enter")
    await expect(message(bob.page, "Are you there?")).to_be_visible(timeout=LIVE_MS)
    to_bob = time.monotonic() - started
    bob_box = bob.page.get_by_role("textbox", name="Message Launch")
    await bob_box.fill("Yes, here")
    await bob_box.press("Shift+Enter")  # a new line, not a send
    await bob_box.type("on two lines")
    started = time.monotonic()
    await bob_box.press("Enter")
    answer = message(alice.page, "Yes, here")
    await expect(answer).to_be_visible(timeout=LIVE_MS)
    to_alice = time.monotonic() - started
    assert await answer.inner_text() == "Yes, here\non two lines"
    await expect(alice.page.get_by_role("status").filter(has_text="New message from")).to_have_count(1)
    print(f"live: space in bob's sidebar {appeared * 1000:.0f} ms, alice->bob {to_bob * 1000:.0f} ms, "
          f"bob->alice {to_alice * 1000:.0f} ms")

    # Bob opens a DM with alice from "Message a person"; alice, in Launch, gets an unread badge on it.
    await bob.page.get_by_role("button", name="Message a person").click()
    await bob.page.get_by_label("Email address").fill("alice@example.com")
    await bob.page.get_by_label("Email address").press("Enter")
    await expect(bob.page.get_by_role("heading", name="alice")).to_be_visible()
    await bob.page.get_by_role("textbox", name="Message alice").fill("A word in private")
    await bob.page.get_by_role("textbox", name="Message alice").press("Enter")
    dm = space_button(alice.page, "bob")
    await expect(dm).to_have_attribute("aria-label", "bob, 1 unread", timeout=LIVE_MS)
    await expect(alice.page).to_have_title("(1) chatsvc")
    await screenshot(alice.page, "chat.png", readme=True)
    await dm.click()
    await expect(message(alice.page, "A word in private")).to_be_visible()
    await expect(dm).to_have_attribute("aria-label", "bob")
    await expect(alice.page).to_have_title("chatsvc")

    # Opening it stored the read state: the read time is the newest message's.
    space = (await dm.get_attribute("data-space"))
    token = chat_server.token(user="alice@example.com", scopes=("chat.users.readstate", "chat.messages"))
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(chat_server.media_url, headers=headers) as http:
        async with http.get(f"/v1/{space}/messages") as response:
            newest = (await response.json())["messages"][-1]["createTime"]
        for _ in range(50):
            async with http.get(f"/v1/users/me/{space}/spaceReadState") as response:
                state = await response.json()
            if state.get("lastReadTime") == newest:
                break
            await alice.page.wait_for_timeout(50)
        assert state.get("lastReadTime") == newest

    assert alice.errors == [] and bob.errors == []


def main_item(page, text: str):
    return page.locator(".conversation-main .messages > li.message", has=page.locator(".text", has_text=text))


def thread_item(page, text: str):
    return page.locator(".thread .messages > li.message", has=page.locator(".text", has_text=text))


async def test_thread_reactions_edit_delete_live(chat_server, people):
    alice, bob = people
    for user in people:
        await space_button(user.page, "Launch").click()
    # Bob answers alice's question in its thread; alice's main view counts the reply, her thread view shows it.
    await main_item(bob.page, "Are you there?").get_by_role("button", name="Reply in thread").click()
    reply_box = bob.page.get_by_role("textbox", name="Reply in thread")
    await expect(reply_box).to_be_focused()
    await reply_box.fill("In the thread")
    await reply_box.press("Enter")
    await expect(thread_item(bob.page, "In the thread")).to_be_visible()
    replies = main_item(alice.page, "Are you there?").get_by_role("button", name="1 reply")
    await expect(replies).to_be_visible(timeout=LIVE_MS)
    await expect(main_item(alice.page, "In the thread")).to_have_count(0)  # replies stay in the thread
    await replies.click()
    await expect(thread_item(alice.page, "In the thread")).to_be_visible()
    await expect(thread_item(alice.page, "Are you there?")).to_be_visible()

    # Alice reacts to bob's answer; bob sees the count; a second click takes it back.
    answer = main_item(alice.page, "Yes, here")
    await answer.get_by_role("button", name="React").click()
    await answer.get_by_role("button", name="React with 👍").click()
    await expect(answer.locator("button.reaction")).to_have_text("👍 1")
    await expect(main_item(bob.page, "Yes, here").locator("button.reaction")).to_have_text("👍 1", timeout=LIVE_MS)
    await answer.locator("button.reaction").click()
    await expect(main_item(bob.page, "Yes, here").locator("button.reaction")).to_have_count(0, timeout=LIVE_MS)

    # Bob edits his answer and deletes his reply; alice sees both without reloading.
    name = await main_item(bob.page, "Yes, here").get_attribute("data-name")
    mine = bob.page.locator(f'.conversation-main li[data-name="{name}"]')  # its text turns into the editor
    await mine.get_by_role("button", name="Edit").click()
    editor = mine.get_by_role("textbox", name="Edit message")
    await editor.fill("Yes, here and *ready*")
    await editor.press("Enter")
    edited = main_item(alice.page, "Yes, here and ready")
    await expect(edited).to_be_visible(timeout=LIVE_MS)
    await expect(edited.locator("strong")).to_have_text("ready")
    await expect(edited.locator(".edited")).to_be_visible()
    assert await main_item(alice.page, "Yes, here").get_by_role("button", name="Edit").count() == 0  # not hers
    await thread_item(bob.page, "In the thread").get_by_role("button", name="Delete").click()
    await thread_item(bob.page, "In the thread").get_by_role("button", name="Yes, delete").click()
    await expect(thread_item(alice.page, "In the thread")).to_have_count(0, timeout=LIVE_MS)
    await expect(main_item(alice.page, "Are you there?").get_by_role("button", name="Reply in thread")).to_be_visible()
    await alice.page.mouse.move(700, 600)
    await screenshot(alice.page, "chat-thread.png", readme=True)
    await alice.page.get_by_role("textbox", name="Reply in thread").press("Escape")  # closes the thread view
    await expect(alice.page.get_by_role("complementary", name="Thread")).to_have_count(0)
    assert alice.errors == [] and bob.errors == []


async def test_members_panel_lists_and_adds(chat_server, people):
    alice, bob = people
    await space_button(alice.page, "Launch").click()
    await alice.page.get_by_role("button", name="Members").click()
    panel = alice.page.get_by_role("complementary", name="Members")
    await expect(panel.locator("li .member")).to_have_text(["You alice@example.com · manager", "bob bob@example.com"])
    await panel.get_by_label("Add a person by email").fill("carol@example.com")
    await panel.get_by_label("Add a person by email").press("Enter")
    await expect(panel.get_by_role("listitem")).to_have_count(3)
    await expect(panel.locator("li .member").nth(2)).to_have_text("carol carol@example.com")
    await panel.get_by_role("button", name="Remove carol").click()
    await expect(panel.get_by_role("listitem")).to_have_count(2)
    await panel.get_by_role("button", name="Close members").click()
    await expect(panel).to_have_count(0)
    assert alice.errors == []


async def test_html_and_script_links_stay_text(chat_server, people):
    alice, bob = people
    await space_button(alice.page, "Launch").click()
    await space_button(bob.page, "Launch").click()
    box = alice.page.get_by_role("textbox", name="Message Launch")
    await box.fill(HOSTILE)
    await box.press("Enter")
    for page in (alice.page, bob.page):
        shown = message(page, "window.pwned")
        await expect(shown).to_be_visible(timeout=LIVE_MS)
        assert await shown.inner_text() == HOSTILE.replace("<https://example.com/docs|the docs>", "the docs")
        assert await page.evaluate("window.pwned") is None
        assert await page.locator(".messages script, .messages img").count() == 0
        hrefs = await shown.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs == ["https://example.com/docs"]
        assert await page.locator("[href^='javascript' i], [src='x'], [onerror]").count() == 0
    assert alice.errors == [] and bob.errors == []


async def test_phone_width_sidebar_behind_a_button(people):
    alice, _ = people
    page = alice.page
    await page.set_viewport_size(PHONE)
    try:
        menu = page.get_by_role("button", name="Spaces", exact=True)
        await expect(menu).to_be_visible()
        await expect(page.get_by_role("navigation")).to_be_hidden()
        await expect(page.get_by_role("textbox", name=re.compile("^Message "))).to_be_visible()
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        await page.mouse.move(200, 600)  # off the messages: no hover toolbar in the picture
        await screenshot(page, "chat-phone.png", readme=True)
        await menu.click()
        await expect(menu).to_have_attribute("aria-expanded", "true")
        await expect(page.get_by_role("navigation")).to_be_visible()
        await space_button(page, "Launch").click()  # choosing a space closes the list
        await expect(page.get_by_role("navigation")).to_be_hidden()
        await expect(page.get_by_role("heading", name="Launch")).to_be_visible()
        await expect(page.get_by_role("textbox", name="Message Launch")).to_be_focused()
    finally:
        await page.set_viewport_size({"width": 1280, "height": 800})
    assert alice.errors == []


async def test_mentions_and_older_pages(chat_server, people):
    alice, bob = people
    # A space filled over REST meanwhile (as another client of alice's would): it appears in her sidebar live.
    token = chat_server.token(user="alice@example.com", scopes=("chat.spaces", "chat.messages"))
    async with aiohttp.ClientSession(chat_server.media_url, headers={"Authorization": f"Bearer {token}"}) as http:
        async with http.post("/v1/spaces:setup", json={
                "space": {"spaceType": "SPACE", "displayName": "Archive"},
                "memberships": [{"member": {"name": "users/bob@example.com", "type": "HUMAN"}}]}) as response:
            space = (await response.json())["name"]
        for n in range(1, 56):
            async with http.post(f"/v1/{space}/messages", json={"text": f"Note {n:02}"}) as response:
                assert response.status == 200
        async with http.post(f"/v1/{space}/messages", json={"text": "Over to <users/bob@example.com>, thanks"}):
            pass
    archive = space_button(alice.page, "Archive")
    await expect(archive).to_be_visible(timeout=LIVE_MS)
    await archive.click()
    await expect(message(alice.page, "Note 55")).to_be_visible()
    await expect(message(alice.page, "Note 01")).to_have_count(0)  # beyond the first page
    await alice.page.get_by_role("button", name="Show older messages").click()
    await expect(message(alice.page, "Note 01")).to_be_visible()
    await expect(alice.page.get_by_role("button", name="Show older messages")).to_have_count(0)
    assert await alice.page.locator(".conversation-main .message .text").count() == 56

    # The mention is drawn from the message's annotation; the person mentioned sees it marked as theirs.
    await expect(message(alice.page, "Over to").locator(".mention")).to_have_text("@bob")
    assert await message(alice.page, "Over to").locator(".mention-me").count() == 0
    await space_button(bob.page, "Archive").click()
    await expect(message(bob.page, "Over to").locator(".mention.mention-me")).to_have_text("@bob")

    # After a reload (a silent sign-in again) bob's page still knows who alice is: the DM keeps her name.
    await bob.page.reload()
    await expect(bob.page.get_by_role("navigation", name="Spaces and direct messages")).to_be_visible()
    await expect(space_button(bob.page, "alice")).to_be_visible()
    assert alice.errors == [] and bob.errors == []


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small solid-colour PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


async def test_attachments_upload_preview_and_download(people):
    alice, bob = people
    for user in people:
        await space_button(user.page, "Launch").click()
    async with alice.page.expect_file_chooser() as chooser:
        await alice.page.get_by_role("button", name="Attach a file to message launch").click()
    await (await chooser.value).set_files([
        {"name": "dot.png", "mimeType": "image/png", "buffer": png(48, 32, (11, 87, 208))},
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"plain notes"}])
    await expect(alice.page.get_by_role("list", name="Attached files").get_by_role("listitem")).to_have_count(2)
    await alice.page.get_by_role("textbox", name="Message Launch").fill("Two files")
    await alice.page.get_by_role("textbox", name="Message Launch").press("Enter")
    await expect(alice.page.get_by_role("list", name="Attached files")).to_have_count(0)

    # Bob gets the message live; the image shows (its bytes fetched with his token), and opens full size.
    item = main_item(bob.page, "Two files")
    await expect(item).to_be_visible(timeout=LIVE_MS)
    preview = item.get_by_role("img", name="dot.png")
    await expect(preview).to_be_visible()
    assert await preview.evaluate("img => [img.naturalWidth, img.naturalHeight, img.src.slice(0, 5)]") == [
        48, 32, "blob:"]
    await item.get_by_role("button", name="Open image dot.png").click()
    viewer = bob.page.get_by_role("dialog", name="dot.png")
    await expect(viewer.get_by_role("img", name="dot.png")).to_be_visible()
    await screenshot(bob.page, "chat-image.png")
    await viewer.get_by_role("button", name="Close").click()
    await expect(viewer).to_have_count(0)
    # Any other file is a download of its bytes.
    async with bob.page.expect_download() as download:
        await item.get_by_role("button", name="Download notes.txt").click()
    saved = await (await download.value).path()
    assert (download_name := (await download.value).suggested_filename) == "notes.txt", download_name
    assert open(saved, "rb").read() == b"plain notes"
    assert alice.errors == [] and bob.errors == []


async def test_search_finds_messages_and_opens_their_space(people):
    alice, _ = people
    page = alice.page
    box = page.get_by_role("searchbox", name="Search messages")
    await box.fill("zebra")
    await box.press("Enter")
    await expect(page.get_by_text("No messages found.")).to_be_visible()
    await box.fill("ready")
    await box.press("Enter")
    results = page.locator(".search-results .result")
    await expect(results).to_have_count(1)
    await expect(results.locator(".text")).to_have_text("Yes, here and ready")
    await expect(results.locator(".meta")).to_contain_text("bob")
    await expect(results.locator(".meta")).to_contain_text("in Launch")
    await results.get_by_role("button", name="Open Launch").click()
    await expect(page.get_by_role("heading", name="Launch")).to_be_visible()
    await expect(page.locator(".search-results")).to_have_count(0)
    assert alice.errors == []


async def test_mute_and_mark_unread(people):
    alice, bob = people
    page = alice.page
    launch = space_button(page, "Launch")
    await launch.click()
    await page.get_by_role("button", name="Mute").click()
    await expect(page.get_by_role("button", name="Unmute")).to_have_attribute("aria-pressed", "true")
    await expect(launch).to_have_attribute("aria-label", "Launch, muted")
    # A muted space says something is unread, not how much, and does not count in the tab's title.
    await space_button(page, "bob").click()
    await space_button(bob.page, "Launch").click()
    await bob.page.get_by_role("textbox", name="Message Launch").fill("While you were away")
    await bob.page.get_by_role("textbox", name="Message Launch").press("Enter")
    await expect(launch).to_have_attribute("aria-label", "Launch, muted, unread", timeout=LIVE_MS)
    await expect(launch.locator(".badge")).to_have_count(0)
    await expect(page).to_have_title("chatsvc")
    await launch.click()
    await page.get_by_role("button", name="Unmute").click()
    await expect(launch).to_have_attribute("aria-label", "Launch")

    # Marking bob's message unread leaves the conversation with it and everything after it unread.
    await main_item(page, "Yes, here and ready").get_by_role("button", name="Mark unread").click()
    await expect(page.locator(".conversation")).to_have_count(0)
    await expect(launch).to_have_attribute("aria-label", re.compile(r"^Launch, [2-9] unread$"))
    await expect(page).to_have_title(re.compile(r"^\([2-9]\) chatsvc$"))
    await launch.click()
    await expect(launch).to_have_attribute("aria-label", "Launch")
    assert alice.errors == [] and bob.errors == []


async def test_mention_autocomplete(people):
    alice, bob = people
    for user in people:
        await space_button(user.page, "Launch").click()
    box = alice.page.get_by_role("textbox", name="Message Launch")
    await box.fill("")
    await box.type("Over to @b")
    options = alice.page.get_by_role("listbox", name="People to mention").get_by_role("option")
    await expect(options).to_have_text(["bob"])
    await box.press("Enter")  # picks, does not send
    await expect(box).to_have_value("Over to @bob ")
    await box.type("for the notes")
    await box.press("Enter")
    sent = message(bob.page, "Over to @bob for the notes")
    await expect(sent.locator(".mention.mention-me")).to_have_text("@bob", timeout=LIVE_MS)
    await expect(message(alice.page, "Over to @bob for the notes").locator(".mention")).to_have_text("@bob")
    # Escape closes the list and leaves the text as typed.
    await box.type("@al")
    await expect(options).to_have_text(["all"])
    await box.press("Escape")
    await expect(alice.page.get_by_role("listbox", name="People to mention")).to_have_count(0)
    await expect(box).to_have_value("@al")
    await box.fill("")
    assert alice.errors == [] and bob.errors == []


async def test_people_who_join_or_are_named_late_join_the_open_mention_list(chat_server, people):
    alice, _ = people
    # Alice has Launch open when erin joins it; the People API's answer about erin is held until she has typed.
    released = asyncio.Event()

    async def hold(route):
        await released.wait()
        await route.continue_()

    asked = re.compile(r"/v1/people:batchGet")
    await space_button(alice.page, "Launch").click()
    await alice.page.route(asked, hold)
    try:
        token = chat_server.token(user="alice@example.com", scopes=("chat.spaces", "chat.memberships"))
        async with aiohttp.ClientSession(chat_server.media_url, headers={"Authorization": f"Bearer {token}"}) as http:
            async with http.get("/v1/spaces") as response:
                launch = next(s["name"] for s in (await response.json())["spaces"] if s.get("displayName") == "Launch")
            async with alice.page.expect_request(asked):  # the page learnt of erin and asks who she is
                async with http.post(f"/v1/{launch}/members", json={
                        "member": {"name": "users/erin@example.com", "type": "HUMAN"}}) as response:
                    assert response.status == 200, await response.text()
        box = alice.page.get_by_role("textbox", name="Message Launch")
        await box.fill("")
        await box.press_sequentially("Ask @er")
        mention_list = alice.page.get_by_role("listbox", name="People to mention")
        await expect(mention_list).to_have_count(0)  # nobody known by that name yet
        released.set()
        await expect(mention_list.get_by_role("option")).to_have_text(["erin"])
        await box.press("Escape")
        await box.fill("")
    finally:
        released.set()
        await alice.page.unroute(asked, hold)
    assert alice.errors == []


async def test_pin_and_unpin(people):
    alice, bob = people
    await space_button(alice.page, "Launch").click()
    await main_item(alice.page, "Yes, here and ready").get_by_role("button", name="Pin").click()
    await expect(main_item(alice.page, "Yes, here and ready").locator(".pinned")).to_have_text("Pinned")
    await alice.page.get_by_role("button", name="Pinned (1)").click()
    panel = alice.page.get_by_role("complementary", name="Pinned messages")
    await expect(panel.locator(".message .text")).to_have_text(["Yes, here and ready"])
    # Bob finds it pinned when he opens the space.
    await space_button(bob.page, "alice").click()
    await space_button(bob.page, "Launch").click()
    await expect(bob.page.get_by_role("button", name="Pinned (1)")).to_be_visible()
    await panel.get_by_role("button", name="Unpin").click()
    await expect(alice.page.get_by_role("button", name=re.compile(r"^Pinned"))).to_have_count(0)
    await expect(main_item(alice.page, "Yes, here and ready").locator(".pinned")).to_have_count(0)
    await expect(panel).to_have_count(0)  # nothing left to show
    assert alice.errors == [] and bob.errors == []


async def test_availability(chat_server, people):
    alice, _ = people
    choice = alice.page.get_by_role("combobox", name="Your availability")
    token = chat_server.token(user="alice@example.com", scopes=("chat.users.availability",))
    async with aiohttp.ClientSession(chat_server.media_url, headers={"Authorization": f"Bearer {token}"}) as http:
        async def state() -> str:
            async with http.get("/v1/users/me/availability") as response:
                return (await response.json())["state"]

        # What the page shows is the server's state (idle counts as active).
        await expect(choice).to_have_value((await state()).replace("IDLE", "ACTIVE"))
        for label, value in (("Do not disturb for 1 hour", "DO_NOT_DISTURB"), ("Away", "AWAY"), ("Active", "ACTIVE")):
            await choice.select_option(label=label)
            for _ in range(40):
                if await state() == value:
                    break
                await alice.page.wait_for_timeout(50)
            assert await state() == value
            await expect(choice).to_have_value(value)  # the state the server answered
    assert alice.errors == []


async def test_sections(people):
    alice, _ = people
    page = alice.page
    nav = page.get_by_role("navigation", name="Spaces and direct messages")
    await nav.get_by_role("button", name="New section").click()
    await page.get_by_label("Section name").fill("Projects")
    await page.get_by_label("Section name").press("Enter")
    await expect(nav.get_by_role("heading", name="Projects")).to_be_visible()
    await space_button(page, "Launch").click()
    await page.get_by_role("combobox", name="Section").select_option(label="Projects")
    await expect(nav.get_by_role("list", name="Projects").get_by_role("button", name="Launch")).to_be_visible()
    await expect(nav.get_by_role("list", name="Spaces").get_by_role("button", name="Launch")).to_have_count(0)
    await page.mouse.move(700, 600)
    await screenshot(page, "chat-sections.png")
    await page.get_by_role("combobox", name="Section").select_option(label="Spaces")
    await expect(nav.get_by_role("list", name="Spaces").get_by_role("button", name="Launch")).to_be_visible()
    assert alice.errors == []


CROWD = 205
NAMED_MS = 10_000  # a new DM, its other member found and named: not a measure of liveness


async def test_names_come_from_the_people_api(chat_server, people):
    """Dana's address was typed in no page and no message mentions her: her name and address on alice's page come
    from the People API (people:batchGet), each id asked once in this page's life, at most 200 a call (a space of
    205 members named at once takes two)."""
    alice, _ = people
    asked: list[str] = []
    alice.page.on("request", lambda r: asked.append(r.url) if "/v1/people:batchGet" in r.url else None)
    token = chat_server.token(user="dana@example.com", scopes=("chat.spaces", "chat.messages", "chat.memberships"))
    async with aiohttp.ClientSession(chat_server.media_url, headers={"Authorization": f"Bearer {token}"}) as http:
        for space, text in (({"spaceType": "SPACE", "displayName": "Garden"}, "Seeds are in"),
                            ({"spaceType": "DIRECT_MESSAGE"}, "A word from dana")):
            async with http.post("/v1/spaces:setup", json={"space": space, "memberships": [
                    {"member": {"name": "users/alice@example.com", "type": "HUMAN"}}]}) as response:
                name = (await response.json())["name"]
            async with http.post(f"/v1/{name}/messages", json={"text": text}) as response:
                assert response.status == 200
    # The DM is named after her in the sidebar; in the space her message's sender and the members panel name her.
    await expect(space_button(alice.page, "dana")).to_be_visible(timeout=NAMED_MS)
    await space_button(alice.page, "Garden").click()
    await expect(alice.page.get_by_role("heading", name="Garden")).to_be_visible()
    await expect(main_item(alice.page, "Seeds are in").locator(".sender")).to_have_text("dana")
    await alice.page.get_by_role("button", name="Members").click()
    panel = alice.page.get_by_role("complementary", name="Members")
    await expect(panel.locator("li .member")).to_have_text(["You alice@example.com", "dana dana@example.com · manager"])
    await panel.get_by_role("button", name="Close members").click()
    await space_button(alice.page, "dana").click()
    await expect(alice.page.get_by_role("heading", name="dana")).to_be_visible()
    await expect(main_item(alice.page, "A word from dana").locator(".sender")).to_have_text("dana")

    # Everyone in Crowd is named in the members panel, found by a batch of 200 and one of the rest.
    async with aiohttp.ClientSession(chat_server.media_url, headers={"Authorization": f"Bearer {token}"}) as http:
        async with http.post("/v1/spaces:setup", json={"space": {"spaceType": "SPACE", "displayName": "Crowd"},
                                                       "memberships": [{"member": {"name": "users/alice@example.com",
                                                                                   "type": "HUMAN"}}]}) as response:
            crowd = (await response.json())["name"]

        async def add(n: int) -> int:
            async with http.post(f"/v1/{crowd}/members", json={
                    "member": {"name": f"users/person{n:03}@example.com", "type": "HUMAN"}}) as response:
                return response.status
        assert set(await asyncio.gather(*(add(n) for n in range(CROWD - 2)))) == {200}
    await space_button(alice.page, "Crowd").click()
    await expect(alice.page.get_by_role("heading", name="Crowd")).to_be_visible()
    await alice.page.get_by_role("button", name="Members").click()
    await expect(panel.locator("li .member")).to_have_count(CROWD, timeout=NAMED_MS)
    await expect(panel.locator("li .member").last).to_have_text("person202 person202@example.com", timeout=NAMED_MS)
    await panel.get_by_role("button", name="Close members").click()

    names = [parse_qs(urlsplit(url).query)["resourceNames"] for url in asked]
    assert max(len(batch) for batch in names) == 200, [len(batch) for batch in names]
    everyone = [name for batch in names for name in batch]
    assert len(everyone) == len(set(everyone)), names  # nobody asked twice
    assert alice.errors == []
