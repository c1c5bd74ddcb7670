"""The authorization matrix of chatsvc.credentials.v1.CredentialService: only the owner sees or touches a
credential (README "Connected accounts: the credential service", domain/credentials.py). Another user gets
NOT_FOUND whether they name the owner's credential as their own (`users/me/...`) or under the owner
(`users/{owner}/...`), exactly as for a credential that does not exist; another user's collection
(`users/{owner}`) does not exist either; a consent started by one user cannot be finished by another; apps are
refused by the auth layer.

One server per backend for the module, against the fake OAuth provider; a change that succeeds gets a fresh
credential (one per consent with its own brand). One test per RPC (and backend) lists all its wrong cases.
"""
from __future__ import annotations

import uuid

import pytest

from chatsvc.credentials.v1 import credential_pb2, credential_service_pb2_grpc
from chatsvc.credentials.v1 import credential_service_pb2 as pb
from tests.authz.owners_support import (
    APP_REFUSED,
    HIDDEN_CREDENTIAL,
    HIDDEN_USER,
    INVALID,
    OK,
    Attempt,
    Ok,
    Refused,
    check_designed_outcomes,
)
from tests.authz.rest_leg import rest_rpcs
from tests.conftest import BACKENDS, fresh_database_url, serving
from tests.credentials.conftest import FULL, GOOGLE, GOOGLE_SCOPES, REDIRECT, CredEnv
from tests.credentials.fake_provider import FakeProvider

SERVICE = pb.DESCRIPTOR.services_by_name["CredentialService"]
OWNER, OTHER, OTHER_NAMING_OWNER, APP = "owner", "another user (users/me)", "another user (users/{owner})", "app"
OWNER_EMAIL, OTHER_EMAIL = "cred-owner@authz.example", "cred-other@authz.example"
STATE_REFUSED = Refused(INVALID, "CONSENT_STATE_INVALID")

OWNERS_ONLY = {OWNER: OK, OTHER: HIDDEN_CREDENTIAL, OTHER_NAMING_OWNER: HIDDEN_CREDENTIAL, APP: APP_REFUSED}


# RPC -> caller -> outcome.
MATRIX: dict[str, dict[str, object]] = {
    "RequestAccess": {OWNER: OK, OTHER_NAMING_OWNER: HIDDEN_USER, APP: APP_REFUSED},
    # Another user holding the owner's consent state cannot turn it into a credential of theirs.
    "VerifyGrant": {OWNER: OK, OTHER: STATE_REFUSED, OTHER_NAMING_OWNER: HIDDEN_USER, APP: APP_REFUSED},
    "GetCredential": OWNERS_ONLY,
    # users/me of another user lists their own (none of the owner's: see the test below).
    "ListCredentials": {OWNER: Ok(check=lambda r: len(r.credentials) > 0, label="OK, not empty"), OTHER: OK,
                        OTHER_NAMING_OWNER: HIDDEN_USER, APP: APP_REFUSED},
    "DeleteCredential": OWNERS_ONLY,
    "RevokeCredential": OWNERS_ONLY,
    "SyncCredential": OWNERS_ONLY,
    "ListCalendars": OWNERS_ONLY,
    "ConfigureCalendars": OWNERS_ONLY,
    "ListBusinessAccounts": OWNERS_ONLY,
    "CheckCapability": OWNERS_ONLY,
}


class World:
    def __init__(self, env: CredEnv, credential: credential_pb2.Credential):
        self.env, self.stub, self.harness = env, env.stub, env.harness
        self.credential = credential  # the owner's Google credential, every scope

    def md(self, caller: str) -> tuple:
        if caller == APP:
            return self.harness.md(app="authz-credentials-app", scopes=FULL)
        return self.env.md(OWNER_EMAIL if caller == OWNER else OTHER_EMAIL)

    async def fresh(self) -> credential_pb2.Credential:
        return await self.env.connect(email=OWNER_EMAIL, brand=f"b-{uuid.uuid4().hex[:10]}")

    def named(self, caller: str, credential) -> str:
        """How the caller names the owner's credential."""
        _, _, kind, credential_id = credential.name.split("/")
        if caller == OTHER:
            return f"users/me/{kind}/{credential_id}"
        if caller == OTHER_NAMING_OWNER:
            return f"users/{OWNER_EMAIL}/{kind}/{credential_id}"
        return credential.name


def _on_credential(world: World, make_request, *, fresh: bool):
    """`fresh`: the RPC changes the credential, so the owner (whose call succeeds) gets a new one; refused
    callers name the shared one (a refusal changes nothing, and if it did the test fails)."""
    async def build(caller: str) -> Attempt:
        credential = await world.fresh() if fresh and caller == OWNER else world.credential
        return Attempt(make_request(world.named(caller, credential)), world.md(caller),
                       hidden=credential.name.rsplit("/", 1)[1])
    return build


def _parent(caller: str) -> str:
    return f"users/{OWNER_EMAIL}" if caller == OTHER_NAMING_OWNER else "users/me"


def _nobody() -> str:
    return f"nobody-{uuid.uuid4().hex[:8]}@authz.example"


async def _request_access(world: World, caller: str) -> Attempt:
    return Attempt(pb.RequestAccessRequest(parent=_parent(caller), provider=GOOGLE, scopes=["contacts"],
                                           redirect=REDIRECT, brand="b"),
                   world.md(caller), hidden=OWNER_EMAIL, missing=_nobody())


async def _verify_grant(world: World, caller: str) -> Attempt:
    # The owner's consent, fresh each time (a state works once), finished by the caller.
    state, code = await world.env.consent(OWNER_EMAIL, GOOGLE, GOOGLE_SCOPES, brand=f"b-{uuid.uuid4().hex[:10]}")
    return Attempt(pb.VerifyGrantRequest(parent=_parent(caller), state=state, code=code), world.md(caller),
                   hidden=OWNER_EMAIL, missing=_nobody())


async def _list(world: World, caller: str) -> Attempt:
    return Attempt(pb.ListCredentialsRequest(parent=_parent(caller)), world.md(caller), hidden=OWNER_EMAIL,
                   missing=_nobody())


def _builders(world: World) -> dict:
    return {
        "RequestAccess": lambda c: _request_access(world, c),
        "VerifyGrant": lambda c: _verify_grant(world, c),
        "GetCredential": _on_credential(world, lambda name: pb.GetCredentialRequest(name=name), fresh=False),
        "ListCredentials": lambda c: _list(world, c),
        "DeleteCredential": _on_credential(world, lambda name: pb.DeleteCredentialRequest(name=name), fresh=True),
        "RevokeCredential": _on_credential(world, lambda name: pb.RevokeCredentialRequest(name=name), fresh=True),
        "SyncCredential": _on_credential(world, lambda name: pb.SyncCredentialRequest(name=name), fresh=True),
        "ListCalendars": _on_credential(world, lambda name: pb.ListCalendarsRequest(name=name), fresh=False),
        "ConfigureCalendars": _on_credential(world, lambda name: pb.ConfigureCalendarsRequest(
            name=name, to_sync=["agent@example.com"]), fresh=True),
        "ListBusinessAccounts": _on_credential(world, lambda name: pb.ListBusinessAccountsRequest(name=name),
                                               fresh=False),
        "CheckCapability": _on_credential(world, lambda name: pb.CheckCapabilityRequest(
            name=name, capability="mail.send"), fresh=False),
    }


@pytest.fixture(scope="module", params=BACKENDS)
async def world(request, tmp_path_factory):
    fake = await FakeProvider().start()
    providers = {"google": fake.endpoints("google"), "microsoft": fake.endpoints("microsoft")}
    try:
        async with (fresh_database_url(request.param, tmp_path_factory.mktemp("authz-credentials")) as url,
                    serving(url, providers=providers, provider_timeout_seconds=1.0, scheduler_enabled=False)
                    as harness):
            env = CredEnv(harness, fake, credential_service_pb2_grpc.CredentialServiceStub(harness.channel))
            credential = await env.connect(email=OWNER_EMAIL, brand="main")
            yield World(env, credential)
    finally:
        await fake.stop()


@pytest.mark.parametrize("rpc", [m.name for m in SERVICE.methods])
async def test_each_caller_gets_the_designed_outcome(world, rpc):
    await check_designed_outcomes(rpc, world.stub, MATRIX, _builders(world))


async def test_another_user_lists_none_of_the_owners_credentials(world):
    theirs = await world.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me", show_deleted=True),
                                              metadata=world.md(OTHER))
    mine = await world.stub.ListCredentials(pb.ListCredentialsRequest(parent="users/me", show_deleted=True),
                                            metadata=world.md(OWNER))
    assert world.credential.name in {c.name for c in mine.credentials}
    assert not {c.name.rsplit("/", 1)[1] for c in mine.credentials} & {c.name.rsplit("/", 1)[1]
                                                                         for c in theirs.credentials}


@pytest.mark.parametrize("rpc", rest_rpcs(SERVICE))
async def test_each_caller_gets_the_designed_outcome_over_rest(world, rpc):
    """The same row with the call under test sent over REST (tests/authz/rest_leg.py)."""
    await check_designed_outcomes(rpc, world.stub, MATRIX, _builders(world), rest=(world.harness, SERVICE.full_name))
