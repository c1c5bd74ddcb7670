"""`chatsvc app create|update|list|delete --database URL ...` as the operator on the server's database, printing
the app as JSON; and `chatsvc token --user EMAIL --app NAME` for a registered app: `users/app` in a
CreateMembership adds that very app to the space."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

from google.chat.v1 import membership_pb2, space_pb2, user_pb2
from google.protobuf.json_format import MessageToDict

from chatsvc.apps.v1 import app_service_pb2 as pb
from tests.apps.support import ALICE, ROOT, md, stub


async def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """`chatsvc ...` in a process of its own (off the event loop, which serves the server meanwhile)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")}

    def run():
        return subprocess.run([sys.executable, "-m", "chatsvc.cli", *args], capture_output=True, text=True, env=env,
                              timeout=120)
    result = await asyncio.to_thread(run)
    if check:
        assert result.returncode == 0, result.stderr
    return result


async def app_cli(*args: str) -> dict:
    return json.loads((await cli("app", *args)).stdout)


async def test_create_update_list_delete(server, database_url):
    db = ("--database", database_url)
    created = await app_cli("create", *db, "--name", "helper-bot", "--endpoint", "https://bot.example.com/chat",
                            "--slash-command", "1=/vote", "--slash-command", "2=/about", "--display-name", "Helper",
                            "--avatar-url", "https://example.com/helper.png")
    assert (created["name"], created["displayName"], created["authenticationAudience"], created["eventFormat"]) == (
        "apps/helper-bot", "Helper", "https://bot.example.com/chat", "CHAT")
    assert [(c["commandId"], c["name"], c["commandType"]) for c in created["commands"]] == [
        (1, "/vote", "SLASH_COMMAND"), (2, "/about", "SLASH_COMMAND")]
    assert "creator" not in created  # registered by the operator: an administrator sees it, as the API says it
    got = await stub(server).GetApp(pb.GetAppRequest(name="apps/helper-bot"), metadata=md(server, ROOT, admin=True))
    assert MessageToDict(got) == created

    updated = await app_cli("update", *db, "--name", "helper-bot", "--audience", "123456789012", "--format", "addon",
                            "--slash-command", "3=/poll")
    assert (updated["endpointUrl"], updated["authenticationAudience"], updated["eventFormat"]) == (
        "https://bot.example.com/chat", "123456789012", "ADDON")
    assert [c["name"] for c in updated["commands"]] == ["/poll"] and updated["displayName"] == "Helper"
    await app_cli("create", *db, "--name", "other.bot", "--endpoint", "http://127.0.0.1:8080/")
    assert [a["name"] for a in (await app_cli("list", *db))["apps"]] == ["apps/helper-bot", "apps/other.bot"]

    again = await cli("app", "create", *db, "--name", "helper-bot", "--endpoint", "https://x.example.com/",
                      check=False)
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr.strip() == "chatsvc app create: App `apps/helper-bot` already exists."
    bad = await cli("app", "create", *db, "--name", "bad-bot", "--endpoint", "ftp://x", check=False)
    assert bad.returncode == 2 and "app.endpoint_url" in bad.stderr

    assert (await app_cli("delete", *db, "--name", "helper-bot"))["name"] == "apps/helper-bot"
    assert [a["name"] for a in (await app_cli("list", *db))["apps"]] == ["apps/other.bot"]


async def test_users_app_through_a_registered_app_adds_that_app(server, database_url):
    created = await app_cli("create", "--database", database_url, "--name", "helper-bot",
                            "--endpoint", "https://bot.example.com/chat")
    token = (await cli("token", "--database", database_url, "--user", ALICE, "--app", "helper-bot",
                       "--scope", "chat.spaces", "--scope", "chat.memberships.app")).stdout.splitlines()[-1]
    through_app = (("authorization", f"Bearer {token}"),)
    space = await server.chat.CreateSpace(space_pb2.CreateSpaceRequest(space=space_pb2.Space(
        space_type=space_pb2.Space.SpaceType.SPACE, display_name="With the bot")), metadata=through_app)
    membership = await server.chat.CreateMembership(membership_pb2.CreateMembershipRequest(
        parent=space.name, membership=membership_pb2.Membership(member=user_pb2.User(
            name="users/app", type=user_pb2.User.Type.BOT))), metadata=through_app)
    assert membership.member.name == created["user"] and membership.member.type == user_pb2.User.Type.BOT
    # The registered app itself, authenticating as the app, is in the space.
    as_app = server.md(app="helper-bot", scopes=["chat.bot"])
    spaces = await server.chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=as_app)
    assert [s.name for s in spaces.spaces] == [space.name]
