"""The credential service's own scopes: a rule for every method, and `chatsvc token` minting them."""
from __future__ import annotations

import asyncio
import sys

from chatsvc.auth.scopes import CREDENTIAL_RULES, USER, rule_for
from chatsvc.credentials.v1 import credential_service_pb2
from chatsvc.credentials.v1 import credential_service_pb2 as pb
from chatsvc.domain.credential_models import Provider
from chatsvc.domain.credential_scopes import summary


def test_every_method_has_a_rule_and_reads_take_the_readonly_scope():
    service = credential_service_pb2.DESCRIPTOR.services_by_name["CredentialService"]
    assert set(CREDENTIAL_RULES) == {m.name for m in service.methods}
    for method in service.methods:
        rule = rule_for(f"/{service.full_name}/{method.name}")
        assert rule.kinds == frozenset({USER}) and "chatsvc.credentials" in rule.scopes
        reads = method.name.startswith(("Get", "List", "Check"))
        assert ("chatsvc.credentials.readonly" in rule.scopes) == reads, method.name


def test_scope_summaries_of_both_providers():
    assert summary(("https://graph.microsoft.com/Mail.ReadWrite", "User.Read", "offline_access")) == (
        "profile", "mail.read", "mail.modify")
    assert summary(("https://www.googleapis.com/auth/contacts.readonly", "unknown")) == ("contacts.read",)
    assert Provider("microsoft") is Provider.MICROSOFT


async def test_chatsvc_token_mints_the_full_url_scope(env, database_url):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "chatsvc.cli", "token", "--database", database_url, "--user", "cli@example.com",
        "--scope", "https://www.googleapis.com/auth/chatsvc.credentials.readonly", stdout=asyncio.subprocess.PIPE)
    out, _ = await process.communicate()
    assert process.returncode == 0
    token = out.decode().strip().splitlines()[-1]
    response = await env.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me"),
                                              metadata=(("authorization", f"Bearer {token}"),))
    assert list(response.credentials) == []
