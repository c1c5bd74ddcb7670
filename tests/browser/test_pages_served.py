"""The browser client's pages are served with a policy that forbids inline script, and run in a real Chromium."""
from __future__ import annotations

import aiohttp

from chatsvc.web.routes import CSP
from tests.browser.conftest import page_errors


async def test_pages_and_bundles_carry_the_policy_and_run(server, browser):
    async with aiohttp.ClientSession() as http:
        for path in ("/", "/cards", "/static/app.js", "/static/app.css", "/favicon.ico"):
            async with http.get(server.media_url + path) as response:
                assert response.status == 200, path
                assert response.headers["Content-Security-Policy"] == CSP
                assert "script-src 'self';" in CSP and "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
                assert response.headers["X-Content-Type-Options"] == "nosniff"
        for path in ("/static/../app.py", "/static/.hidden", "/static/nothing.js"):
            async with http.get(server.media_url + path) as response:
                assert response.status == 404, path
    context = await browser.new_context()
    try:
        page = await context.new_page()
        errors = page_errors(page)
        await page.goto(server.media_url + "/")
        await page.wait_for_selector("main")
        # An inline script injected into the page is refused by the policy and reported.
        await page.evaluate("""() => { const s = document.createElement('script');
                                       s.textContent = 'window.injected = true'; document.body.append(s); }""")
        assert await page.evaluate("window.injected === undefined")
        assert any("Content Security Policy" in e for e in errors), errors
    finally:
        await context.close()
