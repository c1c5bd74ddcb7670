"""Two server processes on one PostgreSQL database, both running the scheduler, with several campaigns due
at once: each campaign is claimed and sent by exactly one of them, and every address receives it once."""
from __future__ import annotations

import collections
import re

import grpc
import pytest

from chatsvc.storage.database import Database
from tests.campaigns.delivery_support import R, State, due_now, schedule
from tests.campaigns.fake_smtp import FakeSmtp
from tests.campaigns.process_support import child_env, contacts, message_ids_by_address, wait_executed
from tests.conftest import fresh_database_url, serving
from tests.directory.support import make_brand
from tests.server_process import ServerProcess

CAMPAIGNS, PER_CAMPAIGN = 5, 60
ADMIN = "sender@example.com"
CLAIMED = re.compile(r"campaign (\S+) claimed by (\S+)")


@pytest.fixture
async def postgres_url(tmp_path):
    from tests.conftest import PG_URL

    if not PG_URL:
        pytest.skip("CHATSVC_TEST_DATABASE_URL is not set")
    async with fresh_database_url("postgres", tmp_path) as url:
        yield url


async def test_two_processes_send_each_campaign_once(postgres_url, tmp_path):
    # The brand and its contacts first, through a server in this process with its scheduler off.
    async with serving(postgres_url, scheduler_enabled=False) as harness:
        made = await make_brand(harness, ADMIN, contacts=contacts(CAMPAIGNS * PER_CAMPAIGN))
        tokens = harness.running.tokens
    with FakeSmtp() as smtp:
        env = child_env(smtp, lease_seconds=5.0)
        servers = [ServerProcess(postgres_url, tmp_path / f"server{i}.log", env=env) for i in range(2)]
        try:
            for server in servers:
                server.wait_serving()
            async with grpc.aio.insecure_channel(servers[0].target) as channel:
                remote = Remote(channel, tokens)
                due = due_now(ahead_seconds=1.0)  # all due at the same moment, once both are polling
                names = []
                for i in range(CAMPAIGNS):
                    addresses = [f"r{n:04d}@rcpt.example" for n in range(i * PER_CAMPAIGN, (i + 1) * PER_CAMPAIGN)]
                    campaign = await schedule(remote, made.name, ADMIN, due_time=due, individual=i % 2 == 0,
                                              subject=f"Campaign {i}", recipients=[
                                                  R(recipient_type=R.RECIPIENT_TYPE_EMAIL, email=a) for a in addresses])
                    names.append(campaign.name)
            done = wait_executed(servers[0].target, tokens, ADMIN, names, timeout=60)
        finally:
            statuses = [server.terminate() for server in servers]
        logs = [server.log() for server in servers]
    assert statuses == [0, 0], "\n".join(logs)
    assert all(c.state == State.STATE_EXECUTED and c.sent == PER_CAMPAIGN for c in done.values()), done

    claims = collections.defaultdict(list)
    for log in logs:
        for campaign_id, owner in CLAIMED.findall(log):
            claims[campaign_id].append(owner)
    assert sorted(claims) == sorted(await storage_keys(postgres_url, names))
    assert all(len(owners) == 1 for owners in claims.values()), claims  # claimed once, by one process
    received = message_ids_by_address(smtp)
    assert len(received) == CAMPAIGNS * PER_CAMPAIGN
    assert all(len(ids) == 1 for ids in received.values())  # no duplicate at all
    per_process = collections.Counter(owners[0] for owners in claims.values())
    print(f"\ncampaigns per process: {sorted(per_process.values())}")


async def storage_keys(url: str, names: list[str]) -> list[str]:
    """What the scheduler knows (and logs) the campaigns by: ids in names are unique within a brand only."""
    database = Database(url)
    try:
        async with database.transaction() as repos:
            return [await repos.campaigns.key_of(name.split("/")[1], name.split("/")[3]) for name in names]
    finally:
        await database.dispose()


class Remote:
    """What `schedule` needs of a harness, for a server in another process."""

    def __init__(self, channel, tokens):
        self.channel = channel
        self._tokens = tokens

    def md(self, **kwargs) -> tuple:
        return (("authorization", f"Bearer {self._tokens.mint(**{**kwargs, 'scopes': list(kwargs['scopes'])})}"),)
