"""The scope table in chatsvc.auth.scopes is data; this checks it against what Google's official Python client
documents for each RPC (tests/auth/official_scopes.py, run under its own interpreter) and against the
ChatService descriptor. Nothing outside the repository is read."""
from __future__ import annotations

import functools
import json
import subprocess
from pathlib import Path

import pytest
from google.chat.v1 import chat_service_pb2

from chatsvc.auth.scopes import ADMIN, APP, CHAT_RULES, SCOPE_PREFIX, USER, expand_scope, rule_for, scope_kind
from tests.helpers import official_python

OFFICIAL_SCOPES = Path(__file__).with_name("official_scopes.py")
SERVICE = chat_service_pb2.DESCRIPTOR.services_by_name["ChatService"]


@functools.cache
def _documented(python: str) -> dict[str, dict[str, list[str]]]:
    proc = subprocess.run([python, "-I", str(OFFICIAL_SCOPES)], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        pytest.fail(f"{OFFICIAL_SCOPES.name} failed under {python}:\n{proc.stderr}", pytrace=False)
    return json.loads(proc.stdout)


def documented() -> dict[str, dict[str, list[str]]]:
    """RPC -> {"scopes", "kinds"} as the official client's docstrings state them. Called from the tests' bodies,
    so that a missing official interpreter is a test failure, not a setup error."""
    table = _documented(official_python())
    assert len(table) == 52, f"the official client documents {len(table)} RPCs, expected 52"
    return table


def test_rules_cover_exactly_the_documented_rpcs():
    assert len(CHAT_RULES) == 52
    reference = documented()
    assert set(CHAT_RULES) == set(reference), (
        f"missing: {sorted(set(reference) - set(CHAT_RULES))}, extra: {sorted(set(CHAT_RULES) - set(reference))}")


def test_rules_cover_exactly_the_service_methods():
    methods = [m.name for m in SERVICE.methods]
    assert len(methods) == 52
    assert set(CHAT_RULES) == set(methods)


def test_scopes_match_the_official_documentation():
    reference = documented()
    differences = {name: {"ours": sorted(rule.scopes), "documented": reference[name]["scopes"]}
                   for name, rule in CHAT_RULES.items() if sorted(rule.scopes) != reference[name]["scopes"]}
    assert not differences
    for name, rule in CHAT_RULES.items():
        assert len(rule.scopes) == len(set(rule.scopes)), f"{name} lists a scope twice"
        assert all(not s.startswith(SCOPE_PREFIX) and "://" not in s for s in rule.scopes), \
            f"{name}: write scopes short"


def test_kinds_match_the_official_documentation():
    reference = documented()
    differences = {name: {"ours": sorted(k.value for k in rule.kinds), "documented": reference[name]["kinds"]}
                   for name, rule in CHAT_RULES.items()
                   if sorted(k.value for k in rule.kinds) != reference[name]["kinds"]}
    assert not differences


def test_every_kind_has_a_scope_it_can_use():
    # A kind with no scope of its own would be a kind nobody could ever pass with.
    for name, rule in CHAT_RULES.items():
        for kind in rule.kinds:
            assert rule.scopes_for(kind), f"{name}: no scope usable with {kind.value} authentication"


def test_admin_kind_goes_with_use_admin_access():
    # Admin access is chosen by the request's use_admin_access, so the kind exists exactly where the field does.
    for method in SERVICE.methods:
        has_flag = "use_admin_access" in method.input_type.fields_by_name
        assert (ADMIN in CHAT_RULES[method.name].kinds) == has_flag, method.name


@pytest.mark.parametrize(("scope", "kind"), [
    ("chat.bot", APP), ("chat.app.spaces", APP), ("chat.app.messages.readonly", APP),
    ("chat.admin.spaces", ADMIN), ("chat.admin.memberships.readonly", ADMIN),
    ("chat.spaces", USER), ("chat.import", USER), ("chat.memberships.app", USER), ("chat.users.sections", USER),
])
def test_scope_kind(scope, kind):
    assert scope_kind(scope) is kind


def test_expand_scope():
    assert expand_scope("chat.spaces") == "https://www.googleapis.com/auth/chat.spaces"
    assert expand_scope("https://www.googleapis.com/auth/chat.bot") == "https://www.googleapis.com/auth/chat.bot"


def test_rule_for():
    assert rule_for("/google.chat.v1.ChatService/GetSpace") is CHAT_RULES["GetSpace"]
    assert rule_for("/google.chat.v1.ChatService/NoSuchMethod") is None
    assert rule_for("/other.Service/GetSpace") is None
    assert rule_for("/grpc.health.v1.Health/Check") is None
