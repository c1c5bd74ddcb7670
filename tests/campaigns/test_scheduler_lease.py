"""The scheduler's claim on a campaign: a graceful stop lets go of it after the message in flight (a restart
resumes at once and sends nobody twice), and a process whose lease was taken over stops writing at once."""
from __future__ import annotations

import asyncio
import time

from chatsvc.domain.access import read, write
from chatsvc.domain.campaign_models import CampaignState, MessageState
from tests.campaigns.delivery_support import R, State, schedule, sending_server, wait_state
from tests.campaigns.fake_smtp import FakeSmtp
from tests.campaigns.process_support import message_ids_by_address
from tests.directory.support import make_brand

ALICE = "alice@example.com"
COUNT = 30


def to_many(count: int) -> list:
    return [R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email=f"p{i:03d}@y.com") for i in range(count)]


async def wait_count(smtp: FakeSmtp, count: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while smtp.count() < count:
        assert time.monotonic() < deadline, f"{smtp.count()} of {count} arrived"
        await asyncio.sleep(0.01)


async def storage_key(harness, campaign_name: str) -> str:
    """What the scheduler knows a campaign by (the id in its name is unique within its brand only)."""
    _, brand_id, _, campaign_id = campaign_name.split("/")
    return await read(harness.running.db, lambda r: r.campaigns.key_of(brand_id, campaign_id))


async def test_stop_finishes_the_message_in_flight_and_a_restart_resumes_at_once(database_url):
    with FakeSmtp() as smtp:
        smtp.delay = 0.02
        async with sending_server(database_url, smtp, scheduler_lease_seconds=60.0) as harness:
            made = await make_brand(harness, ALICE)
            campaign = await schedule(harness, made.name, ALICE, individual=True, text="Hi",
                                      recipients=to_many(COUNT))
            campaign_id = await storage_key(harness, campaign.name)
            await wait_count(smtp, 5)
            await harness.running.scheduler.stop()
            stopped_at = smtp.count()
            messages = await read(harness.running.db, lambda r: r.campaign_delivery.messages(campaign_id))
            stored = await read(harness.running.db, lambda r: r.campaigns.get(campaign_id))
        assert stored.state == CampaignState.SENDING and 5 <= stopped_at < COUNT
        assert [m.state for m in messages].count(MessageState.SENT) == stopped_at  # nothing left in doubt
        assert MessageState.SENDING not in [m.state for m in messages]

        started = time.monotonic()
        async with sending_server(database_url, smtp, scheduler_lease_seconds=60.0) as harness:
            done = await wait_state(harness, campaign.name, ALICE)
        # The lease was released: no wait for 60 s to pass.
        assert done.state == State.STATE_EXECUTED and done.sent == COUNT and time.monotonic() - started < 20
    received = message_ids_by_address(smtp)
    assert len(received) == COUNT and all(len(ids) == 1 for ids in received.values())  # not one duplicate


async def test_a_runner_whose_lease_is_taken_over_stops_writing(database_url):
    with FakeSmtp() as smtp:
        smtp.delay = 0.02
        async with sending_server(database_url, smtp, scheduler_lease_seconds=60.0) as harness:
            db = harness.running.db
            made = await make_brand(harness, ALICE)
            campaign = await schedule(harness, made.name, ALICE, individual=True, text="Hi",
                                      recipients=to_many(COUNT))
            campaign_id = await storage_key(harness, campaign.name)
            await wait_count(smtp, 5)
            # Another process takes the campaign over (as if our lease had run out), for one second.
            # (On PostgreSQL a claim skips a row locked by a progress write in flight: try again.)
            for _ in range(100):
                now = time.time_ns() // 1000
                stolen = await write(db, lambda r, now=now: r.campaign_delivery.claim_due(
                    now + 120_000_000, "thief", now + 1_000_000, 10))
                if stolen:
                    break
            assert stolen == [campaign_id]
            at_theft = smtp.count()
            await asyncio.sleep(0.3)
            # At most the message already handed to SMTP completes; its SENT record is refused.
            assert smtp.count() <= at_theft + 1
            sent_rows = [m for m in await read(db, lambda r: r.campaign_delivery.messages(campaign_id))
                         if m.state == MessageState.SENT]
            assert len(sent_rows) <= at_theft
            # The thief never sends; once its lease runs out our scheduler claims the campaign again and ends it.
            done = await wait_state(harness, campaign.name, ALICE)
    assert done.state == State.STATE_EXECUTED and done.sent == COUNT
    received = message_ids_by_address(smtp)
    assert len(received) == COUNT
    duplicates = sum(len(ids) - 1 for ids in received.values())
    assert duplicates <= 1 and all(len(set(ids)) == 1 for ids in received.values())
