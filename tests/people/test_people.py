"""The People API subset (chatsvc.people.v1): people.get and people.getBatchGet over gRPC and REST, as Google's JSON;
who may read whom with which scopes; per-item answers of a batch; Google's errors; one statement per batch."""
from __future__ import annotations

import grpc
from google.protobuf import field_mask_pb2, json_format
from sqlalchemy import event

from chatsvc.people.v1 import people_service_pb2 as pb
from tests.apps.support import register
from tests.apps.support import stub as apps
from tests.helpers import failure, field_of, statement_of_a_call
from tests.http.rest_support import call, envelope
from tests.people.support import ALICE, BOB, DIRECTORY, FIELDS, person_id, stub

ALL = "personFields=names,emailAddresses,photos"


async def test_a_human_over_grpc_and_rest(people_server):
    server = people_server
    bob = await person_id(server, BOB)
    got = await stub(server).GetPerson(pb.GetPersonRequest(resource_name=f"people/{bob}", person_fields=FIELDS),
                                       metadata=server.md(user=ALICE, scopes=DIRECTORY))
    source = {"type": "DOMAIN_PROFILE", "id": bob}
    metadata = {"primary": True, "sourcePrimary": True, "source": source}
    expected = {"resourceName": f"people/{bob}", "etag": got.etag,
                "names": [{"metadata": metadata, "displayName": "bob", "displayNameLastFirst": "bob",
                           "unstructuredName": "bob"}],
                "emailAddresses": [{"metadata": metadata, "value": BOB}]}
    assert json_format.MessageToDict(got) == expected
    assert got.etag.startswith("%") and len(got.etag) > 8
    reply = await call(server, "GET", f"/v1/people/{bob}", token=server.token(user=ALICE, scopes=DIRECTORY),
                       query=ALL)
    assert reply.status == 200 and reply.json == expected, reply  # the same etag: the data did not change
    # Only the fields asked for; people/me is the caller.
    me = await call(server, "GET", "/v1/people/me", token=server.token(user=BOB, scopes=DIRECTORY),
                    query="personFields=emailAddresses")
    assert me.json == {"resourceName": f"people/{bob}", "etag": got.etag, "emailAddresses": expected["emailAddresses"]}
    # Without profile sources, nothing chatsvc has is read.
    bare = await call(server, "GET", f"/v1/people/{bob}", token=server.token(user=ALICE, scopes=DIRECTORY),
                      query=f"{ALL}&sources=READ_SOURCE_TYPE_CONTACT")
    assert bare.json == {"resourceName": f"people/{bob}", "etag": got.etag}
    # Fields Google documents that chatsvc has no data for are no error; the older request mask works too.
    older = await call(server, "GET", f"/v1/people/{bob}", token=server.token(user=ALICE, scopes=DIRECTORY),
                       query="requestMask.includeField=person.names,person.phoneNumbers")
    assert older.json == {"resourceName": f"people/{bob}", "etag": got.etag, "names": expected["names"]}


async def test_an_apps_user_is_named_after_the_app(people_server):
    """chatsvc's addition: a Chat app's user id reads as a person named after the app (source PROFILE), with its
    avatar and no address; the etag follows the registration's changes. An app never registered has its name."""
    server = people_server
    app = await register(server, "helper-bot", display_name="Helper Bot", avatar_url="https://img.example.com/h.png")
    app_id = app.user.removeprefix("users/")
    reader = server.md(user=ALICE, scopes=DIRECTORY)
    got = await stub(server).GetPerson(pb.GetPersonRequest(resource_name=f"people/{app_id}", person_fields=FIELDS),
                                       metadata=reader)
    metadata = {"primary": True, "sourcePrimary": True, "source": {"type": "PROFILE", "id": app_id}}
    assert json_format.MessageToDict(got) == {
        "resourceName": f"people/{app_id}", "etag": got.etag,
        "names": [{"metadata": metadata, "displayName": "Helper Bot", "displayNameLastFirst": "Helper Bot",
                   "unstructuredName": "Helper Bot"}],
        "photos": [{"metadata": metadata, "url": "https://img.example.com/h.png"}]}
    await apps(server).UpdateApp(_rename(app, "Helper"), metadata=server.md(user=ALICE, scopes=("chatsvc.apps",)))
    renamed = await stub(server).GetPerson(pb.GetPersonRequest(resource_name=f"people/{app_id}",
                                                               person_fields=FIELDS), metadata=reader)
    assert renamed.names[0].display_name == "Helper" and renamed.etag != got.etag
    # An app under app authentication (chat.bot) reads itself as people/me, and anyone else.
    bot = server.md(app="plain-bot", scopes=("chat.bot",))
    itself = await stub(server).GetPerson(pb.GetPersonRequest(resource_name="people/me", person_fields=FIELDS),
                                          metadata=bot)
    assert [n.display_name for n in itself.names] == ["plain-bot"] and not itself.email_addresses
    bob = await person_id(server, BOB)
    other = await stub(server).GetPerson(pb.GetPersonRequest(resource_name=f"people/{bob}", person_fields=FIELDS),
                                         metadata=bot)
    assert other.email_addresses[0].value == BOB


def _rename(app, display_name: str):
    from chatsvc.apps.v1 import app_service_pb2

    changed = type(app)(name=app.name, display_name=display_name)
    return app_service_pb2.UpdateAppRequest(app=changed, update_mask=field_mask_pb2.FieldMask(paths=["display_name"]))


async def test_batch_answers_each_name_on_its_own(people_server):
    server = people_server
    alice, bob = await person_id(server, ALICE), await person_id(server, BOB)
    names = [f"people/{bob}", "people/100000000000000000001", "people/me", f"people/{bob}"]
    got = await stub(server).GetBatchGet(pb.GetBatchGetRequest(
        resource_names=names, person_fields=field_mask_pb2.FieldMask(paths=["names"])),
        metadata=server.md(user=ALICE, scopes=DIRECTORY))
    assert [r.requested_resource_name for r in got.responses] == names
    assert [r.http_status_code for r in got.responses] == [200, 404, 200, 200]
    assert [r.status.code for r in got.responses] == [0, grpc.StatusCode.NOT_FOUND.value[0], 0, 0]
    assert [r.person.resource_name for r in got.responses] == [f"people/{bob}", "", f"people/{alice}",
                                                                f"people/{bob}"]
    query = "&".join(f"resourceNames={n}" for n in names) + "&personFields=names"
    reply = await call(server, "GET", "/v1/people:batchGet", token=server.token(user=ALICE, scopes=DIRECTORY),
                       query=query)
    assert reply.status == 200 and reply.json == json_format.MessageToDict(got), reply
    missing = reply.json["responses"][1]
    assert missing == {"requestedResourceName": names[1], "httpStatusCode": 404,
                       "status": {"code": 5, "message": "Requested entity was not found."}}
    assert reply.json["responses"][0]["status"] == {}

    # The most names a batch takes, as a plain GET: a request line of about 9 KB.
    many = [f"people/{bob}"] + [f"people/1000000000000000{n:05d}" for n in range(199)]
    reply = await call(server, "GET", "/v1/people:batchGet", token=server.token(user=ALICE, scopes=DIRECTORY),
                       query="&".join(f"resourceNames={n}" for n in many) + "&personFields=names")
    assert reply.status == 200, reply
    assert [r["httpStatusCode"] for r in reply.json["responses"]] == [200] + [404] * 199


async def test_a_batch_is_one_statement(people_server):
    server = people_server
    ids = [await person_id(server, f"p{i}@example.com") for i in range(30)]
    counted: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement_of_a_call():
            counted.append(statement)

    metadata = server.md(user=ALICE, scopes=DIRECTORY)
    await stub(server).GetBatchGet(pb.GetBatchGetRequest(resource_names=["people/me"], person_fields=FIELDS),
                                   metadata=metadata)  # alice is known from here on
    engine = server.running.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        got = await stub(server).GetBatchGet(pb.GetBatchGetRequest(
            resource_names=[f"people/{i}" for i in ids] + ["people/me"], person_fields=FIELDS), metadata=metadata)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert [r.http_status_code for r in got.responses] == [200] * 31
    assert len([s for s in counted if s.lstrip().upper().startswith("SELECT")]) == 1, counted


async def test_errors_as_google_words_them(people_server):
    server = people_server
    token = server.token(user=ALICE, scopes=DIRECTORY)
    bob = await person_id(server, BOB)
    missing = envelope(await call(server, "GET", f"/v1/people/{bob}", token=token), 400)
    assert missing["message"].startswith("personFields mask is required.")
    assert [v["field"] for v in missing["BadRequest"]["fieldViolations"]] == ["person_fields"]
    bad = envelope(await call(server, "GET", f"/v1/people/{bob}", token=token, query="personFields=names,nickName"),
                   400)
    assert bad["message"].startswith('Invalid personFields mask path: "nickName".'), bad
    old = envelope(await call(server, "GET", f"/v1/people/{bob}", token=token,
                              query="requestMask.includeField=names"), 400)
    assert [v["field"] for v in old["BadRequest"]["fieldViolations"]] == ["request_mask.include_field"]
    too_many = "&".join(f"resourceNames=people/{i}" for i in range(201)) + "&personFields=names"
    many = envelope(await call(server, "GET", "/v1/people:batchGet", token=token, query=too_many), 400)
    assert "at most 200" in many["message"], many
    none = envelope(await call(server, "GET", "/v1/people:batchGet", token=token, query="personFields=names"), 400)
    assert [v["field"] for v in none["BadRequest"]["fieldViolations"]] == ["resource_names"]
    malformed = envelope(await call(server, "GET", "/v1/people:batchGet", token=token,
                                    query=f"resourceNames=people/{bob}&resourceNames=users/{bob}&personFields=names"),
                         400)
    assert [v["field"] for v in malformed["BadRequest"]["fieldViolations"]] == ["resource_names[1]"]
    unknown = envelope(await call(server, "GET", "/v1/people/100000000000000000001", token=token,
                                  query="personFields=names"), 404)
    assert unknown["message"] == "Requested entity was not found."
    # The two paths are routed alone: nothing else of REST answers under /v1/people.
    for method, path in (("GET", "/v1/people/a/b"), ("GET", "/v1/people"), ("GET", "/v1/people:list")):
        assert (await call(server, method, path, token=token, query="personFields=names")).status == 404, path
    assert (await call(server, "POST", "/v1/people:batchGet", token=token, query="personFields=names")).status == 405
    details = await failure(stub(server).GetPerson(pb.GetPersonRequest(resource_name="people/", person_fields=FIELDS),
                                                   metadata=server.md(user=ALICE, scopes=DIRECTORY)),
                            grpc.StatusCode.INVALID_ARGUMENT)
    assert field_of(details) == ["resource_name"]


async def test_scopes(people_server):
    """directory.readonly reads anyone; userinfo.profile (or `profile`) the caller's names and photos only,
    userinfo.email (`email`) the caller's address; chat scopes read nobody."""
    server = people_server
    bob = await person_id(server, BOB)

    async def status(scopes, path, fields, user=ALICE):
        reply = await call(server, "GET", path, token=server.token(user=user, scopes=scopes),
                           query=f"personFields={fields}")
        if reply.status != 200:
            details = envelope(reply)
            assert details["ErrorInfo"]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT", details
        return reply.status

    assert await status(("chat.spaces", "chat.messages"), "/v1/people/me", "names") == 403
    assert await status(("profile",), "/v1/people/me", "names,photos") == 200
    assert await status(("profile",), "/v1/people/me", "names,emailAddresses") == 403
    assert await status(("profile", "email"), "/v1/people/me", "names,emailAddresses") == 200
    assert await status(("userinfo.email",), "/v1/people/me", "emailAddresses") == 200
    assert await status(("profile", "email"), f"/v1/people/{bob}", "names") == 403
    assert await status(DIRECTORY, f"/v1/people/{bob}", "names,emailAddresses,photos") == 200
    batch = await call(server, "GET", "/v1/people:batchGet", token=server.token(user=ALICE, scopes=("profile",)),
                       query=f"resourceNames=people/me&resourceNames=people/{bob}&personFields=names")
    assert envelope(batch, 403)["ErrorInfo"]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
