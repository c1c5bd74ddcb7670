"""Browser tests: Debian's Chromium, headless, driven by Playwright (its own browser download does not work on this
machine, so it launches the system binary). One browser per test session; each test opens its own contexts (a
context is a separate profile: cookies, storage), so two users side by side are two contexts.

Console errors and CSP violations fail the test that caused them: `page_errors(page)` collects them."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

CHROMIUM = os.environ.get("CHATSVC_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
async def browser() -> Browser:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            yield launched
        finally:
            await launched.close()


def page_errors(page: Page) -> list[str]:
    """A list that fills with the page's uncaught errors and console errors (CSP violations among them)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error" else None)
    return errors


def artifact(name: str) -> Path:
    """Where a test saves a screenshot or trace (test-artifacts/browser/, kept by CI as an artefact)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name
