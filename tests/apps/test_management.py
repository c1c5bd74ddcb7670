"""AppService: an app's configuration, its defaults and its changes; who manages which apps (their registrants,
administrators), with which tokens; what is refused as invalid (INVALID_ARGUMENT naming the field), over gRPC and
REST."""
from __future__ import annotations

import grpc
from google.protobuf import field_mask_pb2

from chatsvc.apps.v1 import app_service_pb2 as pb
from chatsvc.apps.v1 import chat_app_pb2
from tests.apps.support import ALICE, BOB, MANAGE, ROOT, ChatApp, Command, md, register, stub
from tests.helpers import failure, field_of
from tests.webhooks.support import envelope, http

SLASH, QUICK = Command.SLASH_COMMAND, Command.QUICK_COMMAND
NOT_FOUND, DENIED, INVALID = (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED,
                              grpc.StatusCode.INVALID_ARGUMENT)


def mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


def update(name: str, paths, **fields) -> pb.UpdateAppRequest:
    return pb.UpdateAppRequest(app=ChatApp(name=name, **fields), update_mask=mask(*paths))


def micros(timestamp) -> int:
    return timestamp.ToMicroseconds()


async def test_the_resource_its_defaults_and_its_changes(server):
    service, alice = stub(server), md(server)
    made = await register(server, "helper-bot", commands=[
        Command(command_id=1, name="/vote", description="Cast a vote"),
        Command(command_id=2, name="Help", opens_dialog=True)],
        link_preview_patterns=[chat_app_pb2.LinkPreviewPattern(host_pattern="*.Example.com", path_prefix="/cases/")])
    endpoint = "https://helper-bot.example.com/events"
    assert (made.name, made.display_name, made.endpoint_url, made.authentication_audience) == (
        "apps/helper-bot", "helper-bot", endpoint, endpoint)
    assert made.event_format == ChatApp.CHAT and made.direct_messages_enabled and made.spaces_enabled
    assert [(c.command_id, c.command_type, c.name, c.opens_dialog) for c in made.commands] == [
        (1, SLASH, "/vote", False), (2, QUICK, "Help", True)]
    assert [(p.host_pattern, p.path_prefix) for p in made.link_preview_patterns] == [("*.example.com", "cases/")]
    assert made.user.startswith("users/") and made.creator.startswith("users/") and made.create_time == made.update_time
    assert await service.GetApp(pb.GetAppRequest(name=made.name), metadata=alice) == made

    # A new endpoint takes the default audience with it (REST-style camelCase paths are accepted too).
    moved = await service.UpdateApp(update(made.name, ["endpoint_url", "displayName"], display_name="Helper",
                                           endpoint_url="https://new.example.com/hook"), metadata=alice)
    assert (moved.display_name, moved.authentication_audience) == ("Helper", "https://new.example.com/hook")
    assert moved.commands == made.commands and micros(moved.update_time) > micros(made.update_time)
    pinned = await service.UpdateApp(update(made.name, ["authentication_audience", "event_format", "spaces_enabled"],
                                            authentication_audience="123456789012", event_format=ChatApp.ADDON,
                                            spaces_enabled=False), metadata=alice)
    assert (pinned.authentication_audience, pinned.event_format, pinned.spaces_enabled) == (
        "123456789012", ChatApp.ADDON, False)
    # The connection is one of two; a project-number audience stays.
    topic = await service.UpdateApp(update(made.name, ["pubsub_topic"], pubsub_topic="projects/my-project/topics/chat"),
                                    metadata=alice)
    assert topic.WhichOneof("connection") == "pubsub_topic" and topic.authentication_audience == "123456789012"
    same = await service.UpdateApp(update(made.name, ["display_name"], display_name="Helper"), metadata=alice)
    assert same == topic  # nothing changed, not even the update time
    # `*`: every field as sent, the ones left out back to their defaults.
    reset = await service.UpdateApp(update(made.name, ["*"], endpoint_url="http://127.0.0.1:9000/"), metadata=alice)
    assert (reset.display_name, reset.authentication_audience, reset.event_format, reset.spaces_enabled) == (
        "helper-bot", "http://127.0.0.1:9000/", ChatApp.CHAT, True)
    assert not reset.commands and not reset.link_preview_patterns and reset.user == made.user

    details = await failure(register(server, "helper-bot", caller=BOB), grpc.StatusCode.ALREADY_EXISTS)
    assert details["ErrorInfo"].reason == "APP_ALREADY_EXISTS"
    other = await register(server, "another.bot", pubsub_topic="projects/p-1/topics/events")
    assert other.authentication_audience == "" and other.WhichOneof("connection") == "pubsub_topic"
    first = await service.ListApps(pb.ListAppsRequest(page_size=1), metadata=alice)
    second = await service.ListApps(pb.ListAppsRequest(page_size=1, page_token=first.next_page_token), metadata=alice)
    assert [a.name for a in [*first.apps, *second.apps]] == ["apps/another.bot", "apps/helper-bot"]
    assert not second.next_page_token

    await service.DeleteApp(pb.DeleteAppRequest(name=made.name), metadata=alice)
    for call in (service.GetApp(pb.GetAppRequest(name=made.name), metadata=alice),
                 service.DeleteApp(pb.DeleteAppRequest(name=made.name), metadata=alice)):
        assert (await failure(call, NOT_FOUND))["ErrorInfo"].reason == "APP_NOT_FOUND"


def every_call(name: str):
    return [
        ("CreateApp", pb.CreateAppRequest(app_id="new-bot", app=ChatApp(endpoint_url="https://x.example.com/"))),
        ("ListApps", pb.ListAppsRequest()),
        ("GetApp", pb.GetAppRequest(name=name)),
        ("UpdateApp", update(name, ["display_name"], display_name="Renamed")),
        ("DeleteApp", pb.DeleteAppRequest(name=name)),
    ]


async def test_who_manages_which_apps_and_with_which_tokens(server):
    mine = await register(server, "alice-bot")
    theirs = await register(server, "bob-bot", caller=BOB)
    service, bob = stub(server), md(server, BOB)
    for rpc, request in every_call(mine.name)[2:]:  # someone else's app does not exist to bob
        details = await failure(getattr(service, rpc)(request, metadata=bob), NOT_FOUND)
        assert details["ErrorInfo"].reason == "APP_NOT_FOUND", rpc
    assert [a.name for a in (await service.ListApps(pb.ListAppsRequest(), metadata=bob)).apps] == [theirs.name]
    admin = md(server, ROOT, admin=True)
    assert [a.name for a in (await service.ListApps(pb.ListAppsRequest(), metadata=admin)).apps] == [
        mine.name, theirs.name]
    renamed = await service.UpdateApp(update(mine.name, ["display_name"], display_name="By root"), metadata=admin)
    assert renamed.display_name == "By root" and renamed.creator == mine.creator

    chat_only = md(server, ALICE, scopes=("chat.spaces", "chat.memberships"))
    readonly = md(server, ALICE, scopes=("chatsvc.apps.readonly",))
    as_app = server.md(app="alice-bot", scopes=["chat.bot", *MANAGE])
    for rpc, request in every_call(mine.name):
        details = await failure(getattr(service, rpc)(request, metadata=chat_only), DENIED)
        assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", rpc
        details = await failure(getattr(service, rpc)(request, metadata=as_app), DENIED)
        assert details["ErrorInfo"].reason == "APP_AUTHENTICATION_NOT_SUPPORTED", rpc
        if rpc in ("GetApp", "ListApps"):
            await getattr(service, rpc)(request, metadata=readonly)
        else:
            details = await failure(getattr(service, rpc)(request, metadata=readonly), DENIED)
            assert details["ErrorInfo"].reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", rpc
    await failure(service.ListApps(pb.ListAppsRequest()), grpc.StatusCode.UNAUTHENTICATED)
    await service.DeleteApp(pb.DeleteAppRequest(name=theirs.name), metadata=admin)
    assert not (await service.ListApps(pb.ListAppsRequest(), metadata=bob)).apps


URL = "https://bot.example.com/"
_CMD = Command
INVALID_CREATES = [
    (dict(app_id="", endpoint_url=URL), "app_id"),
    (dict(app_id="has space", endpoint_url=URL), "app_id"),
    (dict(app_id="-dash", endpoint_url=URL), "app_id"),
    (dict(app_id="x" * 64, endpoint_url=URL), "app_id"),
    (dict(app_id="chatsvc", endpoint_url=URL), "app_id"),
    (dict(app_id="one", name="apps/two", endpoint_url=URL), "app_id"),
    (dict(app_id="ok", name="bots/two", endpoint_url=URL), "app.name"),
    (dict(app_id="ok"), "app.endpoint_url"),
    (dict(app_id="ok", endpoint_url="ftp://bot.example.com/"), "app.endpoint_url"),
    (dict(app_id="ok", endpoint_url="https://"), "app.endpoint_url"),
    (dict(app_id="ok", endpoint_url="https://bot.example.com/a b"), "app.endpoint_url"),
    (dict(app_id="ok", endpoint_url="https://bot.example.com:99999/"), "app.endpoint_url"),
    (dict(app_id="ok", pubsub_topic="topics/chat"), "app.pubsub_topic"),
    (dict(app_id="ok", pubsub_topic="projects/p/topics/goog-chat"), "app.pubsub_topic"),
    (dict(app_id="ok", endpoint_url=URL, authentication_audience="my project"), "app.authentication_audience"),
    (dict(app_id="ok", endpoint_url=URL, authentication_audience="12ab"), "app.authentication_audience"),
    (dict(app_id="ok", endpoint_url=URL, display_name="x" * 129), "app.display_name"),
    (dict(app_id="ok", endpoint_url=URL, display_name="tab\there"), "app.display_name"),
    (dict(app_id="ok", endpoint_url=URL, avatar_url="javascript:alert(1)"), "app.avatar_url"),
    (dict(app_id="ok", endpoint_url=URL, description="d" * 257), "app.description"),
    (dict(app_id="ok", endpoint_url=URL, event_format=7), "app.event_format"),
    (dict(app_id="ok", endpoint_url=URL, commands=[_CMD(command_id=0, name="/a")]), "app.commands[0].command_id"),
    (dict(app_id="ok", endpoint_url=URL, commands=[_CMD(command_id=1001, name="/a")]), "app.commands[0].command_id"),
    (dict(app_id="ok", endpoint_url=URL, commands=[_CMD(command_id=1, name="/a"), _CMD(command_id=1, name="/b")]),
     "app.commands[1].command_id"),
    (dict(app_id="ok", endpoint_url=URL, commands=[_CMD(command_id=1, name="/Vote"), _CMD(command_id=2, name="/vote")]),
     "app.commands[1].name"),
    (dict(app_id="ok", endpoint_url=URL, commands=[_CMD(command_id=1, name="/has space")]), "app.commands[0].name"),
    (dict(app_id="ok", endpoint_url=URL, commands=[_CMD(command_id=1, name="vote", command_type=SLASH)]),
     "app.commands[0].name"),
    (dict(app_id="ok", endpoint_url=URL, commands=[_CMD(command_id=1, name="/x", command_type=QUICK)]),
     "app.commands[0].name"),
    (dict(app_id="ok", endpoint_url=URL, commands=[_CMD(command_id=1, name="/" + "x" * 50)]), "app.commands[0].name"),
    (dict(app_id="ok", endpoint_url=URL, commands=[_CMD(command_id=1, name="/a", description="d" * 51)]),
     "app.commands[0].description"),
    (dict(app_id="ok", endpoint_url=URL, commands=[_CMD(command_id=1, name="/a", command_type=9)]),
     "app.commands[0].command_type"),
    (dict(app_id="ok", endpoint_url=URL, link_preview_patterns=[{"host_pattern": "exa mple.com"}]),
     "app.link_preview_patterns[0].host_pattern"),
    (dict(app_id="ok", endpoint_url=URL, link_preview_patterns=[{"host_pattern": "*.*.example.com"}]),
     "app.link_preview_patterns[0].host_pattern"),
    (dict(app_id="ok", endpoint_url=URL, link_preview_patterns=[{"host_pattern": "a.com", "path_prefix": "a b"}]),
     "app.link_preview_patterns[0].path_prefix"),
    (dict(app_id="ok", endpoint_url=URL, link_preview_patterns=[{"host_pattern": f"h{n}.com"} for n in range(6)]),
     "app.link_preview_patterns"),
]


async def test_invalid_apps_and_updates_name_the_field(server):
    service, alice = stub(server), md(server)
    for fields, field in INVALID_CREATES:
        fields = dict(fields)
        request = pb.CreateAppRequest(app_id=fields.pop("app_id"), app=ChatApp(**fields))
        details = await failure(service.CreateApp(request, metadata=alice), INVALID)
        assert field_of(details) == [field], (fields, details["BadRequest"])
    made = await register(server, "ok")
    for request, field in [
        (update(made.name, []), "update_mask"),
        (update(made.name, ["create_time"]), "update_mask"),
        (update(made.name, ["commands.name"]), "update_mask"),
        (update("bots/ok", ["display_name"]), "app.name"),
        (update(made.name, ["endpoint_url"]), "app.endpoint_url"),  # no connection left
        (update(made.name, ["pubsub_topic"], pubsub_topic="projects/p/topics/x"), "app.pubsub_topic"),
    ]:
        details = await failure(service.UpdateApp(request, metadata=alice), INVALID)
        assert field_of(details) == [field], (request, details["BadRequest"])
    await failure(service.GetApp(pb.GetAppRequest(name="apps/a/b"), metadata=alice), INVALID)
    assert await service.GetApp(pb.GetAppRequest(name=made.name), metadata=alice) == made  # untouched


async def test_over_rest_and_served_for_health_and_discovery(server):
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    root = server.media_url
    bearer = {"Authorization": f"Bearer {server.token(user=ALICE, scopes=list(MANAGE))}"}
    created = await http("POST", f"{root}/v1/apps?appId=rest-bot", headers=bearer, body={
        "endpointUrl": "https://rest.example.com/", "eventFormat": "ADDON",
        "commands": [{"commandId": 7, "name": "/deploy", "opensDialog": True}]})
    assert created.status == 200, created
    app = created.json
    assert (app["name"], app["eventFormat"], app["authenticationAudience"]) == (
        "apps/rest-bot", "ADDON", "https://rest.example.com/")
    assert app["commands"] == [{"commandId": 7, "commandType": "SLASH_COMMAND", "name": "/deploy", "opensDialog": True}]
    patched = await http("PATCH", f"{root}/v1/apps/rest-bot?updateMask=displayName,directMessagesEnabled",
                         headers=bearer, body={"displayName": "Deployer", "directMessagesEnabled": False})
    assert patched.status == 200 and patched.json["directMessagesEnabled"] is False, patched
    assert (await http("GET", f"{root}/v1/apps/rest-bot", headers=bearer)).json == patched.json
    listed = await http("GET", f"{root}/v1/apps", headers=bearer)
    assert [a["name"] for a in listed.json["apps"]] == ["apps/rest-bot"]
    refused = await http("POST", f"{root}/v1/apps?appId=bad-bot", headers=bearer, body={"endpointUrl": "ftp://x"})
    details = envelope(refused, 400)
    assert [v["field"] for v in details["BadRequest"]["fieldViolations"]] == ["app.endpoint_url"]
    assert (await http("DELETE", f"{root}/v1/apps/rest-bot", headers=bearer)).status == 200
    gone = await http("GET", f"{root}/v1/apps/rest-bot", headers=bearer)
    assert envelope(gone, 404)["ErrorInfo"]["reason"] == "APP_NOT_FOUND"

    health = health_pb2_grpc.HealthStub(server.channel)
    answer = await health.Check(health_pb2.HealthCheckRequest(service="chatsvc.apps.v1.AppService"))
    assert answer.status == health_pb2.HealthCheckResponse.SERVING
    document = await http("GET", f"{root}/discovery/v1/apis/chatsvcapps/v1/rest")
    assert sorted(document.json["resources"]["apps"]["methods"]) == ["create", "delete", "get", "list", "patch"]
