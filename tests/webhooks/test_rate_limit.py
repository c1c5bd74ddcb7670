"""Each webhook has its own message rate (a token bucket: CHATSVC_WEBHOOK_RATE_PER_MINUTE in bursts of
CHATSVC_WEBHOOK_RATE_BURST); above it, HTTP 429 with Google's error body (RESOURCE_EXHAUSTED, ErrorInfo reason
RATE_LIMIT_EXCEEDED, QuotaFailure, RetryInfo) and a Retry-After header, and nothing is posted."""
from __future__ import annotations

import asyncio

from tests.conftest import serving
from tests.webhooks.support import create_webhook, envelope, messages, post, space_of_alice_with_bob


async def test_rate_limited_per_webhook(database_url):
    async with serving(database_url, webhook_rate_per_minute=60, webhook_rate_burst=2) as server:
        space = await space_of_alice_with_bob(server)
        busy, quiet = await create_webhook(server, space, "Busy"), await create_webhook(server, space, "Quiet")
        for n in range(2):  # the burst
            assert (await post(busy.url, {"text": f"burst {n}"})).status == 200
        refused = await post(busy.url, {"text": "one too many"})
        details = envelope(refused, 429)
        assert details["status"] == "RESOURCE_EXHAUSTED"
        info = details["ErrorInfo"]
        assert info["reason"] == "RATE_LIMIT_EXCEEDED"
        assert info["metadata"]["quota_limit"] == "WebhookMessagesPerMinute"
        assert info["metadata"]["quota_limit_value"] == "60"
        [violation] = details["QuotaFailure"]["violations"]
        assert violation["subject"] == f"webhook:{busy.name}"
        delay = float(details["RetryInfo"]["retryDelay"].rstrip("s"))
        assert 0 < delay <= 1.0
        assert refused.headers["Retry-After"] == "1"

        assert (await post(quiet.url, {"text": "another webhook has its own bucket"})).status == 200
        await asyncio.sleep(delay + 0.05)
        assert (await post(busy.url, {"text": "after the wait"})).status == 200
        texts = sorted(m.text for m in await messages(server, space))
        assert texts == sorted(["burst 0", "burst 1", "another webhook has its own bucket", "after the wait"])


async def test_zero_turns_the_limit_off(database_url):
    async with serving(database_url, webhook_rate_per_minute=0) as server:
        space = await space_of_alice_with_bob(server)
        webhook = await create_webhook(server, space)
        replies = await asyncio.gather(*(post(webhook.url, {"text": f"m{n}"}) for n in range(12)))
        assert {reply.status for reply in replies} == {200}
        assert len(await messages(server, space)) == 12
