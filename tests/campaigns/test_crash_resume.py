"""A server process killed (SIGKILL) in the middle of a 500-recipient campaign, then restarted: the campaign
resumes where it stopped and every recipient gets it exactly once.

Over SMTP "exactly once" has one honest exception: the message that was being handed to the SMTP server at
the moment of the kill is "in doubt" (committed SENDING, never recorded SENT) and is sent again, with the
same Message-ID, so a receiver sees at most one raw duplicate per kill and never two different messages.
"""
from __future__ import annotations

import time

from chatsvc.campaigns.v1 import campaign_pb2
from tests.campaigns.delivery_support import R, State, schedule
from tests.campaigns.fake_smtp import FakeSmtp
from tests.campaigns.process_support import (
    LEASE_SECONDS,
    child_env,
    contacts,
    message_ids_by_address,
    resume_elsewhere,
)
from tests.conftest import serving
from tests.directory.support import make_brand
from tests.server_process import ServerProcess

RECIPIENTS = 500
ADMIN = "sender@example.com"


async def test_killed_mid_campaign_resumes_and_sends_each_recipient_once(database_url, tmp_path):
    async with serving(database_url, scheduler_enabled=False) as harness:
        made = await make_brand(harness, ADMIN, contacts=contacts(RECIPIENTS))
        campaign = await schedule(harness, made.name, ADMIN, individual=True,
                                  subject="Hello {{recipient.display_name}}", text="Hi {{recipient.display_name}}",
                                  recipients=[R(recipient_type=R.RECIPIENT_TYPE_ALL_CONTACTS)])
        tokens = harness.running.tokens
    addresses = {c["emails"][0] for c in contacts(RECIPIENTS)}

    with FakeSmtp() as smtp:
        first = ServerProcess(database_url, tmp_path / "first.log", env=child_env(smtp))
        try:
            first.wait_serving()
            started = time.monotonic()
            deadline = started + 30
            while smtp.count() < 150:  # kill somewhere in the 150-300 range: mid-campaign
                assert time.monotonic() < deadline, f"only {smtp.count()} arrived:\n{first.log()}"
                time.sleep(0.005)
        finally:
            first.kill()
        at_kill = smtp.count()
        assert 150 <= at_kill < RECIPIENTS, at_kill

        done, emails, finished = resume_elsewhere(database_url, tmp_path / "second.log", child_env(smtp), tokens,
                                                  ADMIN, campaign.name)
        elapsed = finished - started

    assert done.state == State.STATE_EXECUTED, done
    assert done.sent == RECIPIENTS and done.recipients_count == RECIPIENTS
    assert len(emails) == RECIPIENTS
    assert all(e.state == campaign_pb2.CampaignEmail.STATE_SENT for e in emails)
    received = message_ids_by_address(smtp)
    assert set(received) == addresses  # everyone, and no one else
    assert all(len(set(ids)) == 1 for ids in received.values())  # one Message-ID per address, ever
    by_address = {e.email_address: e.email.message_id for e in emails}
    assert all(received[a][0] == by_address[a] for a in addresses)  # the one the database recorded
    duplicates = sum(len(ids) - 1 for ids in received.values())
    assert duplicates <= 1, f"{duplicates} raw duplicates after one kill"
    print(f"\n[{database_url.split(':')[0]}] killed at {at_kill} messages; {duplicates} raw duplicate(s); "
          f"500 recipients done in {elapsed:.1f}s including the restart (lease {LEASE_SECONDS}s)")
