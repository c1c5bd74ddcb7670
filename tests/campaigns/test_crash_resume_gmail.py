"""The Gmail twin of test_crash_resume: a `chatsvc serve` process sending a 500-recipient campaign through a
connected Google account is killed (SIGKILL) mid-campaign, a second process resumes it, and every recipient
gets exactly one message, strictly: unlike SMTP, the Gmail API can say whether the message in flight at the
kill went out (a search by Message-ID), so not even that one may arrive twice.

Two kill points: "in flight" holds the fake Gmail right after it stored the 150th message, so the sender never
hears back and dies with that message in doubt (the resuming process must find it, not resend it); "between"
kills as soon as 150 messages have arrived, wherever the sender happens to be.
"""
from __future__ import annotations

import asyncio
import base64
import collections
import threading
import time
from dataclasses import fields
from email import policy
from email.parser import BytesParser

import pytest

from chatsvc.campaigns.v1 import campaign_pb2
from chatsvc.credentials.v1 import credential_service_pb2_grpc
from tests.campaigns.delivery_support import R, State, schedule
from tests.campaigns.process_support import LEASE_SECONDS, contacts, resume_elsewhere
from tests.conftest import serving
from tests.credentials.conftest import CredEnv
from tests.credentials.fake_mail import MailCall
from tests.credentials.fake_provider import FakeProvider
from tests.directory.support import make_brand
from tests.server_process import ServerProcess

RECIPIENTS = 500
KILL_AFTER = 150
ADMIN = "sender@example.com"
SECRET_KEY = "5e" * 32  # one key for the set-up server and both children: each opens the sealed tokens


class FakeInThread:
    """The fake provider on its own event loop in a thread, so that it answers the child processes while the
    test blocks (polling, synchronous gRPC) on its own loop."""

    def __enter__(self) -> FakeProvider:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.fake = self._run(FakeProvider().start())
        return self.fake

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    def __exit__(self, *exc) -> None:
        self._run(self.fake.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


class HoldAfter(dict):
    """The fake Gmail's message store. Storing the `count`-th message blocks the fake (its thread) until
    `release` is set: that message went out, but its sender gets no answer before it is killed."""

    def __init__(self, count: int):
        super().__init__()
        self.count = count
        self.reached = threading.Event()
        self.release = threading.Event()

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        if len(self) == self.count:
            self.reached.set()
            self.release.wait(timeout=30)


def gmail_child_env(fake: FakeProvider) -> dict[str, str]:
    google = fake.endpoints("google")
    env = {f"CHATSVC_GOOGLE_{f.name.upper()}": getattr(google, f.name) for f in fields(google)}
    return {**env, "CHATSVC_SECRET_KEY": SECRET_KEY, "CHATSVC_PROVIDER_TIMEOUT_SECONDS": "5",
            "CHATSVC_SCHEDULER_ENABLED": "true", "CHATSVC_SCHEDULER_POLL_SECONDS": "0.05",
            "CHATSVC_SCHEDULER_LEASE_SECONDS": str(LEASE_SECONDS), "CHATSVC_SEND_BACKOFF_SECONDS": "0.05"}


def message_id_of(call: MailCall) -> str:
    raw = call.body["raw"]
    message = BytesParser(policy=policy.default).parsebytes(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    return str(message["Message-ID"]).strip("<>")


def in_doubt_lookups(calls: list[MailCall]) -> list[tuple[str, bool]]:
    """Each rfc822msgid search, in order: (the Message-ID looked up, whether it had been sent by then)."""
    sent_so_far, lookups = set(), []
    for call in calls:
        if call.method == "POST" and call.path.endswith("/messages/send"):
            sent_so_far.add(message_id_of(call))
        elif call.method == "GET" and call.path.endswith("/messages"):
            wanted = call.query["q"].removeprefix("rfc822msgid:")
            lookups.append((wanted, wanted in sent_so_far))
    return lookups


def kill_mid_campaign(first: ServerProcess, fake: FakeProvider, hold: HoldAfter | None) -> None:
    """SIGKILL once KILL_AFTER messages reached the fake Gmail (with `hold`: while the last one's answer is
    held back), all bounded."""
    try:
        if hold is not None:
            first.wait_serving()
            assert hold.reached.wait(timeout=30), f"only {len(fake.mail.gmail)} arrived:\n{first.log()}"
            return
        # Counting starts at once (a health check on a loaded machine can take longer than the whole campaign),
        # and each send takes a little time, so the count is seen between KILL_AFTER and the end.
        deadline = time.monotonic() + 30
        while len(fake.mail.gmail) < KILL_AFTER:
            assert time.monotonic() < deadline, f"only {len(fake.mail.gmail)} arrived:\n{first.log()}"
            time.sleep(0.002)
    finally:
        first.kill()
        if hold is not None:
            hold.release.set()


@pytest.mark.parametrize("kill_point", ["in_flight", "between"])
async def test_killed_gmail_campaign_resumes_and_sends_each_recipient_exactly_once(database_url, tmp_path,
                                                                                  kill_point):
    with FakeInThread() as fake:
        providers = {"google": fake.endpoints("google"), "microsoft": fake.endpoints("microsoft")}
        async with serving(database_url, scheduler_enabled=False, providers=providers,
                           secret_key=SECRET_KEY) as harness:
            credentials = CredEnv(harness, fake, credential_service_pb2_grpc.CredentialServiceStub(harness.channel))
            credential = await credentials.connect(ADMIN)
            made = await make_brand(harness, ADMIN, contacts=contacts(RECIPIENTS))
            campaign = await schedule(harness, made.name, ADMIN, individual=True, google_credential=credential.name,
                                      subject="Hello {{recipient.display_name}}", text="Hi {{recipient.display_name}}",
                                      recipients=[R(recipient_type=R.RECIPIENT_TYPE_ALL_CONTACTS)])
            tokens = harness.running.tokens
        hold = HoldAfter(KILL_AFTER) if kill_point == "in_flight" else None
        if hold is not None:
            fake.mail.gmail = hold
        else:
            fake.mail.delay = 0.005
        started = time.monotonic()
        first = ServerProcess(database_url, tmp_path / "first.log", env=gmail_child_env(fake))
        kill_mid_campaign(first, fake, hold)
        at_kill = len(fake.mail.gmail)
        assert KILL_AFTER <= at_kill < RECIPIENTS, at_kill

        done, emails, finished = resume_elsewhere(database_url, tmp_path / "second.log", gmail_child_env(fake),
                                                  tokens, ADMIN, campaign.name)
        elapsed = finished - started
        arrived, calls = fake.mail.gmail_sent(), list(fake.mail.calls)

    assert done.state == State.STATE_EXECUTED, done
    assert done.sent == RECIPIENTS and done.recipients_count == RECIPIENTS
    assert len(emails) == RECIPIENTS
    assert all(e.state == campaign_pb2.CampaignEmail.STATE_SENT for e in emails)

    # Strictly once: one arrival per address (arrivals counted, not distinct ids), no one else, no stray call.
    sends = [c for c in calls if c.method == "POST" and c.path.endswith("/messages/send")]
    assert len(sends) == len(arrived) == RECIPIENTS, (len(sends), len(arrived))
    by_address = collections.defaultdict(list)
    for message in arrived:
        assert message.account == "agent@example.com"
        by_address[str(message.message["To"])].append(message)
    assert {a for a, got in by_address.items() if len(got) != 1} == set()
    assert set(by_address) == {c["emails"][0] for c in contacts(RECIPIENTS)}
    # ...and it is the message the database recorded: its Message-ID and the id Gmail gave it.
    for email in emails:
        [message] = by_address[email.email_address]
        assert message.message["Message-ID"] == email.email.message_id, email
        assert message.id == email.email.provider_message_id, email

    lookups = in_doubt_lookups(calls)
    assert len(lookups) <= 1, lookups  # one message at most is in doubt after one kill
    if kill_point == "in_flight":  # the held message was in doubt, and the lookup found it sent
        assert [found for _, found in lookups] == [True], lookups
    outcome = "none in doubt" if not lookups else f"in-doubt message {'found sent' if lookups[0][1] else 'not sent'}"
    print(f"\n[{database_url.split(':')[0]} {kill_point}] killed at {at_kill} messages; {outcome} by find_sent; "
          f"500 recipients done in {elapsed:.1f}s including the restart (lease {LEASE_SECONDS}s)")
