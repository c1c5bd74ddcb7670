"""The directory's and the campaign service's scope rules: one for every method, reads open to the readonly
scope, writes not, and the delivery webhook open to app authentication only; the People API's."""
from __future__ import annotations

import pytest

from chatsvc.auth.scopes import (
    APP,
    CAMPAIGN_RULES,
    DIRECTORY_RULES,
    PEOPLE_RULES,
    SCOPE_PREFIX,
    USER,
    Kind,
    expand_scope,
    rule_for,
    scope_kind,
)
from chatsvc.campaigns.v1 import campaign_service_pb2
from chatsvc.directory.v1 import directory_service_pb2
from chatsvc.people.v1 import people_service_pb2

READ_PREFIXES = ("Get", "List")
CASES = [
    (directory_service_pb2, "DirectoryService", DIRECTORY_RULES, "chatsvc.directory"),
    (campaign_service_pb2, "CampaignService", CAMPAIGN_RULES, "chatsvc.campaigns"),
]


@pytest.mark.parametrize(("module", "service_name", "rules", "scope"), CASES)
def test_every_method_has_a_rule(module, service_name, rules, scope):
    service = module.DESCRIPTOR.services_by_name[service_name]
    assert set(rules) == {m.name for m in service.methods}
    for method in service.methods:
        rule = rule_for(f"/{service.full_name}/{method.name}")
        assert rule is rules[method.name]
        if method.name == "RecordDeliveryEvent":
            continue
        assert rule.kinds == frozenset({USER}) and scope in rule.scopes, method.name
        assert (f"{scope}.readonly" in rule.scopes) == method.name.startswith(READ_PREFIXES), method.name


def test_the_delivery_webhook_takes_app_authentication_with_its_own_scope_only():
    rule = CAMPAIGN_RULES["RecordDeliveryEvent"]
    assert rule.kinds == frozenset({APP})
    assert rule.scopes == ("chatsvc.campaigns.events",)
    assert rule.scopes_for(Kind.APP) == {"chatsvc.campaigns.events"}
    assert scope_kind("chatsvc.campaigns.events") is APP
    assert scope_kind("chatsvc.campaigns") is USER


def test_people_rules_read_the_directory_or_the_callers_own_profile():
    """Every PeopleService method: users with the People API's directory or OpenID profile scopes (which fields of
    whom each reads is chatsvc.domain.people's), apps with chat.bot; `profile` and `email` are those URLs."""
    service = people_service_pb2.DESCRIPTOR.services_by_name["PeopleService"]
    assert set(PEOPLE_RULES) == {m.name for m in service.methods}
    for method in service.methods:
        rule = rule_for(f"/{service.full_name}/{method.name}")
        assert rule is PEOPLE_RULES[method.name]
        assert rule.kinds == frozenset({USER, APP})
        assert rule.scopes_for(USER) == {"directory.readonly", "userinfo.email", "userinfo.profile"}
        assert rule.scopes_for(APP) == {"chat.bot"}
    assert expand_scope("profile") == SCOPE_PREFIX + "userinfo.profile"
    assert expand_scope("email") == SCOPE_PREFIX + "userinfo.email"
    assert expand_scope("directory.readonly") == SCOPE_PREFIX + "directory.readonly"
