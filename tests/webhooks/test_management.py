"""WebhookService: who may register, list, read, rotate and revoke a space's webhooks (its owners and managers, as
the space's `manage_webhooks` setting allows; a member: PERMISSION_DENIED; anyone else: NOT_FOUND, as for any
space they cannot see), with which tokens, and what the resources look like, over gRPC and REST."""
from __future__ import annotations

import grpc
import pytest
from google.chat.v1 import membership_pb2, space_pb2, space_setup_pb2, user_pb2
from google.protobuf import field_mask_pb2

from chatsvc.webhooks.v1 import webhook_pb2
from chatsvc.webhooks.v1 import webhook_service_pb2 as pb
from tests.helpers import failure
from tests.webhooks.support import (
    ALICE,
    BOB,
    CAROL,
    MANAGE,
    create_webhook,
    envelope,
    http,
    md,
    post,
    set_role,
    space_of_alice_with_bob,
    stub,
)

Role = membership_pb2.Membership.MembershipRole
NOT_FOUND, DENIED = grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED


def every_call(space: str, webhook: str):
    """(RPC name, request) of each method, aimed at `space` and its webhook `webhook`."""
    return [
        ("CreateWebhook", pb.CreateWebhookRequest(parent=space, webhook=webhook_pb2.Webhook(display_name="x"))),
        ("ListWebhooks", pb.ListWebhooksRequest(parent=space)),
        ("GetWebhook", pb.GetWebhookRequest(name=webhook)),
        ("RotateWebhookToken", pb.RotateWebhookTokenRequest(name=webhook)),
        ("DeleteWebhook", pb.DeleteWebhookRequest(name=webhook)),
    ]


async def test_only_managers_manage_webhooks(server):
    space = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space)
    service = stub(server)
    for rpc, request in every_call(space, webhook.name):
        details = await failure(getattr(service, rpc)(request, metadata=md(server, BOB)), DENIED)
        assert details["ErrorInfo"].reason == "MANAGE_WEBHOOKS_NOT_PERMITTED", rpc
        details = await failure(getattr(service, rpc)(request, metadata=md(server, CAROL)), NOT_FOUND)
        assert details["ErrorInfo"].reason == "SPACE_NOT_FOUND", rpc
    # A manager (ROLE_ASSISTANT_MANAGER) may, as long as the space's setting lets managers.
    await set_role(server, space, BOB, Role.ROLE_ASSISTANT_MANAGER)
    listed = await service.ListWebhooks(pb.ListWebhooksRequest(parent=space), metadata=md(server, BOB))
    assert [w.name for w in listed.webhooks] == [webhook.name]
    await server.chat.UpdateSpace(space_pb2.UpdateSpaceRequest(
        space=space_pb2.Space(name=space, permission_settings=space_pb2.Space.PermissionSettings(
            manage_webhooks=space_pb2.Space.PermissionSetting(managers_allowed=True,
                                                              assistant_managers_allowed=False))),
        update_mask=field_mask_pb2.FieldMask(paths=["permission_settings.manage_webhooks"])),
        metadata=md(server, ALICE))
    await failure(service.ListWebhooks(pb.ListWebhooksRequest(parent=space), metadata=md(server, BOB)), DENIED)
    assert len((await service.ListWebhooks(pb.ListWebhooksRequest(parent=space),
                                           metadata=md(server, ALICE))).webhooks) == 1
    # Everything the refused calls tried left the webhook as it was: it still posts.
    assert (await post(webhook.url, {"text": "still here"})).status == 200


async def test_scopes_and_kinds_of_authentication(server):
    space = await space_of_alice_with_bob(server)
    webhook = await create_webhook(server, space)
    service = stub(server)
    chat_only = md(server, ALICE, scopes=("chat.spaces", "chat.messages"))
    readonly = md(server, ALICE, scopes=("chatsvc.webhooks.readonly",))
    app = server.md(app="deployer", scopes=["chat.bot", "chatsvc.webhooks"])
    for rpc, request in every_call(space, webhook.name):
        details = await failure(getattr(service, rpc)(request, metadata=chat_only), DENIED)
        assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", rpc
        details = await failure(getattr(service, rpc)(request, metadata=app), DENIED)
        assert details["ErrorInfo"].reason == "APP_AUTHENTICATION_NOT_SUPPORTED", rpc
        if rpc in ("GetWebhook", "ListWebhooks"):
            await getattr(service, rpc)(request, metadata=readonly)
        else:
            details = await failure(getattr(service, rpc)(request, metadata=readonly), DENIED)
            assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", rpc
    await failure(service.ListWebhooks(pb.ListWebhooksRequest(parent=space)), grpc.StatusCode.UNAUTHENTICATED)


async def test_the_resource_and_its_list(server):
    space = await space_of_alice_with_bob(server)
    service, alice = stub(server), md(server, ALICE)
    made = [await create_webhook(server, space, f"Hook {n}") for n in range(3)]
    assert all(w.url and w.creator.startswith("users/") and w.create_time.seconds for w in made)
    assert len({w.sender for w in made}) == 3
    got = await service.GetWebhook(pb.GetWebhookRequest(name=made[0].name), metadata=alice)
    expected = webhook_pb2.Webhook()
    expected.CopyFrom(made[0])
    expected.ClearField("url")  # the token is shown once
    assert got == expected
    first = await service.ListWebhooks(pb.ListWebhooksRequest(parent=space, page_size=2), metadata=alice)
    second = await service.ListWebhooks(pb.ListWebhooksRequest(parent=space, page_size=2,
                                                               page_token=first.next_page_token), metadata=alice)
    assert [w.display_name for w in [*first.webhooks, *second.webhooks]] == ["Hook 0", "Hook 1", "Hook 2"]
    assert not second.next_page_token and not any(w.url for w in [*first.webhooks, *second.webhooks])
    await service.DeleteWebhook(pb.DeleteWebhookRequest(name=made[1].name), metadata=alice)
    listed = await service.ListWebhooks(pb.ListWebhooksRequest(parent=space), metadata=alice)
    assert [w.name for w in listed.webhooks] == [made[0].name, made[2].name]
    for rpc in ("GetWebhook", "DeleteWebhook", "RotateWebhookToken"):
        request = getattr(pb, f"{rpc}Request")(name=made[1].name)
        details = await failure(getattr(service, rpc)(request, metadata=alice), NOT_FOUND)
        assert details["ErrorInfo"].reason == "WEBHOOK_NOT_FOUND", rpc


@pytest.mark.parametrize(("fields", "field"), [
    ({"display_name": ""}, "webhook.display_name"),
    ({"display_name": "   "}, "webhook.display_name"),
    ({"display_name": "x" * 129}, "webhook.display_name"),
    ({"display_name": "tab\there"}, "webhook.display_name"),
    ({"display_name": "ok", "avatar_url": "javascript:alert(1)"}, "webhook.avatar_url"),
    ({"display_name": "ok", "avatar_url": "https://"}, "webhook.avatar_url"),
    ({"display_name": "ok", "avatar_url": "https://example.com/" + "a" * 2100}, "webhook.avatar_url"),
])
async def test_invalid_webhooks(server, fields, field):
    space = await space_of_alice_with_bob(server)
    details = await failure(stub(server).CreateWebhook(pb.CreateWebhookRequest(
        parent=space, webhook=webhook_pb2.Webhook(**fields)), metadata=md(server, ALICE)),
        grpc.StatusCode.INVALID_ARGUMENT)
    assert [v.field for v in details["BadRequest"].field_violations] == [field]


async def test_bad_names(server):
    service, alice = stub(server), md(server, ALICE)
    await failure(service.ListWebhooks(pb.ListWebhooksRequest(parent="spaces/a/b"), metadata=alice),
                  grpc.StatusCode.INVALID_ARGUMENT)
    await failure(service.GetWebhook(pb.GetWebhookRequest(name="spaces/AAAA/messages/x"), metadata=alice),
                  grpc.StatusCode.INVALID_ARGUMENT)


async def test_named_spaces_only(server):
    alice = md(server, ALICE)
    dm = await server.chat.SetUpSpace(space_setup_pb2.SetUpSpaceRequest(
        space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.DIRECT_MESSAGE),
        memberships=[membership_pb2.Membership(member=user_pb2.User(name=f"users/{BOB}"))]), metadata=alice)
    details = await failure(stub(server).CreateWebhook(pb.CreateWebhookRequest(
        parent=dm.name, webhook=webhook_pb2.Webhook(display_name="x")), metadata=alice),
        grpc.StatusCode.FAILED_PRECONDITION)
    assert details["ErrorInfo"].reason == "NAMED_SPACE_REQUIRED"


async def test_over_rest_with_a_bearer_token(server):
    """The service's REST bindings: register with a bearer token, post to the URL, list, rotate, revoke."""
    space = await space_of_alice_with_bob(server)
    root = server.media_url
    bearer = {"Authorization": f"Bearer {server.token(user=ALICE, scopes=list(MANAGE))}"}
    created = await http("POST", f"{root}/v1/{space}/webhooks", body={"displayName": "CI"}, headers=bearer)
    assert created.status == 200, created
    webhook = created.json
    assert webhook["displayName"] == "CI" and webhook["url"].startswith(f"{root}/v1/{space}/messages?key=")
    assert (await post(webhook["url"], {"text": "green"})).status == 200
    listed = await http("GET", f"{root}/v1/{space}/webhooks", headers=bearer)
    assert [w["name"] for w in listed.json["webhooks"]] == [webhook["name"]] and "url" not in listed.json["webhooks"][0]
    rotated = await http("POST", f"{root}/v1/{webhook['name']}:rotateToken", body={}, headers=bearer)
    assert rotated.status == 200 and rotated.json["url"] != webhook["url"]
    assert envelope(await post(webhook["url"], {"text": "old"}), 401)["status"] == "UNAUTHENTICATED"
    assert (await http("DELETE", f"{root}/v1/{webhook['name']}", headers=bearer)).status == 200
    assert envelope(await post(rotated.json["url"], {"text": "revoked"}), 401)["status"] == "UNAUTHENTICATED"
    bob = {"Authorization": f"Bearer {server.token(user=BOB, scopes=list(MANAGE))}"}
    refused = await http("POST", f"{root}/v1/{space}/webhooks", body={"displayName": "Mine"}, headers=bob)
    assert envelope(refused, 403)["ErrorInfo"]["reason"] == "MANAGE_WEBHOOKS_NOT_PERMITTED"


async def test_served_for_reflection_and_health(server):
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    health = health_pb2_grpc.HealthStub(server.channel)
    answer = await health.Check(health_pb2.HealthCheckRequest(service="chatsvc.webhooks.v1.WebhookService"))
    assert answer.status == health_pb2.HealthCheckResponse.SERVING
    document = await http("GET", f"{server.media_url}/discovery/v1/apis/chatsvcwebhooks/v1/rest")
    assert document.status == 200
    methods = document.json["resources"]["spaces"]["resources"]["webhooks"]["methods"]
    assert sorted(methods) == ["create", "delete", "get", "list", "rotateToken"]
