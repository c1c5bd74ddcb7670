"""Shared steps of the browser tests: a user in a browser context of their own, signed in the way a person does it
(the page's button, chatsvc's sign-in page, back to the chat), and screenshots for the README."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import artifact, page_errors

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class User:
    """A person at the chat page in their own browser profile; `errors` collects the page's errors."""
    email: str
    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)

    async def close(self) -> None:
        await self.context.close()


async def sign_in(page: Page, base: str, email: str) -> None:
    """Opens the chat page and signs in as `email` through chatsvc's sign-in page; returns once the chat shows."""
    await page.goto(base + "/")
    await page.get_by_role("button", name=re.compile(r"^sign in", re.I)).click()
    await page.wait_for_url(re.compile(r"/oauth2/auth\?"))
    await page.get_by_label("Email").fill(email)
    await page.get_by_role("button", name="Next").click()
    await page.wait_for_url(re.compile("^" + re.escape(base) + r"/$"))
    await expect(page.get_by_role("navigation", name="Spaces and direct messages")).to_be_visible()


async def signed_in_user(browser: Browser, base: str, email: str, viewport: dict | None = None) -> User:
    """A new browser context (a separate profile) signed in as `email`."""
    context = await browser.new_context(viewport=viewport or DESKTOP)
    # The sign-in pages name no icon, so Chromium asks for /favicon.ico, and logs its 404 as a console error.
    await context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page = await context.new_page()
    user = User(email, context, page, page_errors(page))
    await sign_in(page, base, email)
    return user


def for_readme(path: Path) -> None:
    """Copies a screenshot artefact to docs/screenshots/ for the README, when asked to (`make screenshots` sets
    CHATSVC_README_SCREENSHOTS=1): an ordinary test run leaves the tracked pictures alone."""
    if os.environ.get("CHATSVC_README_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / path.name).write_bytes(path.read_bytes())


async def screenshot(page: Page, name: str, *, readme: bool = False) -> Path:
    """Saves a screenshot as a test artefact and, with `readme`, offers it to the README (for_readme)."""
    path = artifact(name)
    await page.screenshot(path=str(path))
    if readme:
        for_readme(path)
    return path
