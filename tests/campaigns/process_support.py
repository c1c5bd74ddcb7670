"""Scheduler tests with real `chatsvc serve` processes: set-up over gRPC in this process (its scheduler
off), then child processes that send to a FakeSmtp, and checks over what arrived."""
from __future__ import annotations

import collections
import time

import grpc

from chatsvc.campaigns.v1 import campaign_pb2, campaign_service_pb2, campaign_service_pb2_grpc
from tests.campaigns.delivery_support import CAMPAIGNS, State
from tests.campaigns.fake_smtp import FakeSmtp
from tests.server_process import ServerProcess

LEASE_SECONDS = 1.5


def child_env(smtp: FakeSmtp, lease_seconds: float = LEASE_SECONDS) -> dict[str, str]:
    return {"CHATSVC_SMTP_PORT": str(smtp.port), "CHATSVC_SCHEDULER_POLL_SECONDS": "0.05",
            "CHATSVC_SCHEDULER_LEASE_SECONDS": str(lease_seconds), "CHATSVC_SEND_BACKOFF_SECONDS": "0.05",
            "CHATSVC_SMTP_TIMEOUT_SECONDS": "2", "CHATSVC_SCHEDULER_ENABLED": "true"}


def contacts(count: int, prefix: str = "r") -> list[dict]:
    return [{"display_name": f"Person {prefix}{i}", "emails": [f"{prefix}{i:04d}@rcpt.example"]}
            for i in range(count)]


def wait_executed(target: str, tokens, caller: str, names: list[str], timeout: float) -> dict[str, object]:
    """Blocks until every campaign in `names` is EXECUTED or FAILED (bounded); returns them by name."""
    metadata = (("authorization", f"Bearer {tokens.mint(user=caller, scopes=list(CAMPAIGNS))}"),)
    deadline = time.monotonic() + timeout
    with grpc.insecure_channel(target) as channel:
        stub = campaign_service_pb2_grpc.CampaignServiceStub(channel)
        while True:
            found = {name: stub.GetEmailCampaign(campaign_service_pb2.GetEmailCampaignRequest(name=name),
                                                 metadata=metadata, timeout=5) for name in names}
            if all(c.state in (State.STATE_EXECUTED, State.STATE_FAILED) for c in found.values()):
                return found
            if time.monotonic() > deadline:
                states = {n: State.Name(c.state) for n, c in found.items()}
                raise AssertionError(f"campaigns not done after {timeout}s: {states}")
            time.sleep(0.05)


def all_emails(target: str, tokens, caller: str, name: str) -> list[campaign_pb2.CampaignEmail]:
    metadata = (("authorization", f"Bearer {tokens.mint(user=caller, scopes=list(CAMPAIGNS))}"),)
    found, token = [], ""
    with grpc.insecure_channel(target) as channel:
        stub = campaign_service_pb2_grpc.CampaignServiceStub(channel)
        while True:
            page = stub.ListCampaignEmails(campaign_service_pb2.ListCampaignEmailsRequest(
                parent=name, page_size=1000, page_token=token), metadata=metadata, timeout=10)
            found += page.emails
            token = page.next_page_token
            if not token:
                return found


def message_ids_by_address(smtp: FakeSmtp) -> dict[str, list[str]]:
    """Every envelope recipient -> the Message-IDs of the messages it received (one entry per arrival)."""
    seen: dict[str, list[str]] = collections.defaultdict(list)
    for received in smtp.received:
        for address in received.rcpt_tos:
            seen[address].append(received.message_id)
    return seen


def resume_elsewhere(database_url: str, log_path, env: dict[str, str], tokens, caller: str, name: str):
    """A new `chatsvc serve` over the same database takes the campaign over: waits (bounded) until it is done
    and stops the process cleanly. Returns the campaign, its emails, and when it was done (time.monotonic)."""
    server = ServerProcess(database_url, log_path, env=env)
    try:
        server.wait_serving()
        done = wait_executed(server.target, tokens, caller, [name], timeout=60)[name]
        finished = time.monotonic()
        emails = all_emails(server.target, tokens, caller, name)
    finally:
        assert server.terminate() == 0, server.log()
    return done, emails, finished
