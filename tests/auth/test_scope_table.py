"""The scope table in chatsvc.auth.scopes is data; this checks it against the reference table of the 52 RPCs
(shared/reference/google-chat-v1-rpcs.md) and against the ChatService descriptor."""
from __future__ import annotations

from pathlib import Path

import pytest
from google.chat.v1 import chat_service_pb2

from chatsvc.auth.scopes import ADMIN, APP, CHAT_RULES, SCOPE_PREFIX, USER, Kind, expand_scope, rule_for, scope_kind

REPO_ROOT = Path(__file__).resolve().parents[2]
REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "google-chat-v1-rpcs.md"
SERVICE = chat_service_pb2.DESCRIPTOR.services_by_name["ChatService"]

# The reference table leaves these kinds blank; scopes.py documents them from Google's method docs.
BLANK_KINDS = {"GetAttachment": frozenset({APP}), "UploadAttachment": frozenset({USER})}


def _reference() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """RPC -> (scopes, kinds) from the markdown table."""
    rows = {}
    for line in REFERENCE.read_text().splitlines():
        if not line.startswith("| "):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] in ("RPC", "") or set(cells[0]) <= {"-"}:
            continue
        assert len(cells) == 5, f"unexpected row shape: {line}"
        name, _, _, scopes, kinds = cells
        assert name not in rows, f"{name} twice in the reference table"
        rows[name] = (frozenset(scopes.split()), frozenset(kinds.split()))
    return rows


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.exists():
        pytest.fail(f"reference table missing: {REFERENCE}")
    rows = _reference()
    assert len(rows) == 52, f"the reference table has {len(rows)} RPCs, expected 52"
    return rows


def test_rules_cover_exactly_the_reference_rpcs(reference):
    assert len(CHAT_RULES) == 52
    assert set(CHAT_RULES) == set(reference), (
        f"missing: {sorted(set(reference) - set(CHAT_RULES))}, extra: {sorted(set(CHAT_RULES) - set(reference))}")


def test_rules_cover_exactly_the_service_methods():
    methods = [m.name for m in SERVICE.methods]
    assert len(methods) == 52
    assert set(CHAT_RULES) == set(methods)


def test_scopes_match_the_reference(reference):
    differences = {name: {"ours": sorted(rule.scopes), "reference": sorted(reference[name][0])}
                   for name, rule in CHAT_RULES.items() if frozenset(rule.scopes) != reference[name][0]}
    assert not differences
    for name, rule in CHAT_RULES.items():
        assert len(rule.scopes) == len(set(rule.scopes)), f"{name} lists a scope twice"
        assert all(not s.startswith(SCOPE_PREFIX) and "://" not in s for s in rule.scopes), \
            f"{name}: write scopes short"


def test_kinds_match_the_reference(reference):
    differences = {}
    for name, rule in CHAT_RULES.items():
        expected = reference[name][1]
        if not expected:
            continue
        if frozenset(k.value for k in rule.kinds) != expected:
            differences[name] = {"ours": sorted(k.value for k in rule.kinds), "reference": sorted(expected)}
    assert not differences


def test_blank_kinds_in_the_reference_are_exactly_the_documented_two(reference):
    blank = {name for name, (_, kinds) in reference.items() if not kinds}
    assert blank == set(BLANK_KINDS)
    for name, kinds in BLANK_KINDS.items():
        assert CHAT_RULES[name].kinds == kinds, name
    assert CHAT_RULES["GetAttachment"].kinds == frozenset({Kind.APP})
    assert CHAT_RULES["UploadAttachment"].kinds == frozenset({Kind.USER})


def test_every_kind_has_a_scope_it_can_use():
    # A kind with no scope of its own would be a kind nobody could ever pass with.
    for name, rule in CHAT_RULES.items():
        for kind in rule.kinds:
            if name == "ListSpaces" and kind is ADMIN:
                continue  # ListSpacesRequest has no use_admin_access: the admin kind is never selected
            assert rule.scopes_for(kind), f"{name}: no scope usable with {kind.value} authentication"


def test_admin_kind_goes_with_use_admin_access():
    for method in SERVICE.methods:
        has_flag = "use_admin_access" in method.input_type.fields_by_name
        if has_flag:
            assert ADMIN in CHAT_RULES[method.name].kinds, method.name


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
