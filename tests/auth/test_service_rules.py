"""The directory's and the campaign service's scope rules: one for every method, reads open to the readonly
scope, writes not, and the delivery webhook open to app authentication only."""
from __future__ import annotations

import pytest

from chatsvc.auth.scopes import APP, CAMPAIGN_RULES, DIRECTORY_RULES, USER, Kind, rule_for, scope_kind
from chatsvc.campaigns.v1 import campaign_service_pb2
from chatsvc.directory.v1 import directory_service_pb2

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
