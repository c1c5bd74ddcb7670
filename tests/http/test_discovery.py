"""Discovery documents: chat v1's says what the document google-api-python-client bundles says (method ids, HTTP
methods, paths, parameters, request and response schemas); google-api-python-client builds working clients
from ours, read from a file and fetched from the served routes. The official client runs under its own
interpreter (tests/helpers.official_python)."""
from __future__ import annotations

import asyncio
import copy
import json
import subprocess
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from chatsvc.http.bindings import service_bindings
from chatsvc.http.discovery import APIS, CHAT, discovery_document, discovery_routes
from tests.helpers import official_python

ROOT = "https://chat.example.test/"
# The official side of the build tests: builds clients from documents and prints the requests they would send.
BUILD_SCRIPT = r"""
import io, json, sys
import httplib2
from googleapiclient.discovery import build, build_from_document
from googleapiclient.http import MediaIoBaseUpload

def sent(request):
    return [request.method, request.uri]

def media():
    return MediaIoBaseUpload(io.BytesIO(b"hello"), mimetype="text/plain")

def chat_requests(chat):
    return [
        sent(chat.spaces().messages().create(parent="spaces/AAA", body={"text": "hi"}, threadKey="k",
                                             messageReplyOption="REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD")),
        sent(chat.spaces().messages().update(name="spaces/AAA/messages/B.C", body={}, updateMask="text")),
        sent(chat.users().spaces().getSpaceReadState(name="users/me/spaces/AAA/spaceReadState")),
        sent(chat.media().upload(parent="spaces/AAA", body={"filename": "a.txt"}, media_body=media())),
        sent(chat.media().download_media(resourceName="spaces/AAA/attachments/x")),
    ]

def own_requests(api, client):
    if api == "chatsvcdirectory":
        return [sent(client.brands().members().list(parent="brands/b", pageSize=5))]
    if api == "chatsvccredentials":
        return [sent(client.users().microsoftCredentials().get(name="users/u/microsoftCredentials/c"))]
    if api == "chatsvcwebhooks":
        return [sent(client.spaces().webhooks().rotateToken(name="spaces/AAA/webhooks/k", body={}))]
    if api == "chatsvcapps":
        return [sent(client.apps().patch(name="apps/helper-bot", body={}, updateMask="displayName"))]
    if api == "chatsvcinteractions":
        return [sent(client.spaces().runQuickCommand(space="spaces/AAA", body={"app": "apps/b", "commandId": 7}))]
    if api == "people":
        return [sent(client.people().getBatchGet(resourceNames=["people/1", "people/me"], personFields="names")),
                sent(client.people().get(resourceName="people/1", personFields="names,emailAddresses"))]
    return [sent(client.media().upload(parent="users/u", body={"filename": "a.txt"}, media_body=media()))]

def requests(api, client):
    return chat_requests(client) if api == "chat" else own_requests(api, client)

mode, source = sys.argv[1], sys.argv[2]
out = {}
for api in sys.argv[3:]:
    if mode == "file":
        client = build_from_document(json.loads(open(f"{source}/{api}.json").read()), http=httplib2.Http())
    else:
        url = source + ("/$discovery/rest?version={apiVersion}" if mode == "v2" else
                        "/discovery/v1/apis/{api}/{apiVersion}/rest")
        client = build(api, "v1", discoveryServiceUrl=url, static_discovery=False, cache_discovery=False,
                       http=httplib2.Http())
    out[api] = requests(api, client)
print(json.dumps(out))
"""


def official_chat_document(api: str = "chat") -> dict:
    """chat.v1.json (or another API's) as the pinned google-api-python-client bundles it (found through the
    official interpreter)."""
    where = subprocess.run([official_python(), "-c", "import googleapiclient, os; "
                            "print(os.path.dirname(googleapiclient.__file__))"],
                           capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    return json.loads((Path(where) / "discovery_cache" / "documents" / f"{api}.v1.json").read_text())


def methods(document: dict) -> dict[str, dict]:
    """Every method of a document, by id."""
    found = {}

    def walk(node: dict) -> None:
        for method in node.get("methods", {}).values():
            found[method["id"]] = method
        for resource in node.get("resources", {}).values():
            walk(resource)

    walk(document)
    return found


def shape(method: dict) -> dict:
    """What the comparison looks at: everything about a method but its texts and scopes."""
    return {
        "httpMethod": method["httpMethod"], "path": method["path"], "flatPath": method.get("flatPath"),
        "parameterOrder": method.get("parameterOrder", []),
        "request": method.get("request", {}).get("$ref"), "response": method.get("response", {}).get("$ref"),
        "supportsMediaUpload": method.get("supportsMediaUpload", False),
        "supportsMediaDownload": method.get("supportsMediaDownload", False),
        "parameters": {name: {key: param.get(key) for key in (
            "location", "required", "repeated", "type", "format", "enum", "pattern")}
            for name, param in method.get("parameters", {}).items()},
    }


def differences(ours: dict, theirs: dict) -> list[str]:
    """One line per difference between two documents' methods."""
    mine, google = methods(ours), methods(theirs)
    found = [f"missing: {i}" for i in sorted(set(google) - set(mine))]
    found += [f"not in Google's: {i}" for i in sorted(set(mine) - set(google))]
    for method_id in sorted(set(mine) & set(google)):
        a, b = shape(mine[method_id]), shape(google[method_id])
        for key in a:
            if key == "parameters":
                for name in sorted(set(a[key]) | set(b[key])):
                    if a[key].get(name) != b[key].get(name):
                        found.append(f"{method_id} parameter {name}: ours {a[key].get(name)}, "
                                     f"Google's {b[key].get(name)}")
            elif a[key] != b[key]:
                found.append(f"{method_id} {key}: ours {a[key]!r}, Google's {b[key]!r}")
    return found


def chat_document() -> dict:
    return discovery_document(CHAT, name="chat", root_url=ROOT)


def test_chat_document_matches_the_bundled_one():
    theirs = official_chat_document()
    ours = chat_document()
    found = differences(ours, theirs)
    print("\n".join(found) or "no differences")
    assert found == []
    assert len(methods(ours)) == len(methods(theirs)) == 54


def test_people_document_matches_googles_for_the_methods_served():
    """The People API subset: its two methods as Google's People API document has them (ids, paths, parameters,
    response schemas), served under Google's name."""
    theirs = official_chat_document("people")
    ours = discovery_document(APIS["people"], name="people", root_url=ROOT)
    assert set(methods(ours)) == {"people.people.get", "people.people.getBatchGet"}
    served = {"resources": {"people": {"methods": {
        name: method for name, method in theirs["resources"]["people"]["methods"].items()
        if method["id"] in methods(ours)}}}}
    assert differences(ours, served) == []
    for schema in ("Person", "Name", "EmailAddress", "Photo", "FieldMetadata", "Source", "PersonResponse",
                   "GetPeopleResponse"):
        mine, google = ours["schemas"][schema]["properties"], theirs["schemas"][schema]["properties"]
        assert set(mine) <= set(google), schema
        for name, prop in mine.items():
            assert {k: prop.get(k) for k in ("type", "$ref", "items", "format", "enum")} == {
                k: google[name].get(k) for k in ("type", "$ref", "items", "format", "enum")}, (schema, name)


def test_the_comparison_sees_a_difference():
    theirs = official_chat_document()
    ours = copy.deepcopy(theirs)
    create = ours["resources"]["spaces"]["resources"]["messages"]["methods"]["create"]
    create["parameters"]["threadKey"]["repeated"] = True
    del ours["resources"]["spaces"]["methods"]["get"]
    assert differences(ours, theirs) == [
        "missing: chat.spaces.get",
        "chat.spaces.messages.create parameter threadKey: ours {'location': 'query', 'required': None, "
        "'repeated': True, 'type': 'string', 'format': None, 'enum': None, 'pattern': None}, Google's "
        "{'location': 'query', 'required': None, 'repeated': None, 'type': 'string', 'format': None, "
        "'enum': None, 'pattern': None}",
    ]


def test_header_and_system_parameters():
    document = chat_document()
    assert {k: document[k] for k in ("kind", "discoveryVersion", "id", "name", "version", "rootUrl", "servicePath",
                                     "baseUrl", "batchPath", "protocol")} == {
        "kind": "discovery#restDescription", "discoveryVersion": "v1", "id": "chat:v1", "name": "chat",
        "version": "v1", "rootUrl": ROOT, "servicePath": "", "baseUrl": ROOT, "batchPath": "batch",
        "protocol": "rest"}
    assert set(document["parameters"]) == set(official_chat_document()["parameters"])
    assert discovery_document(CHAT, name="chat", root_url="http://h:1")["rootUrl"] == "http://h:1/"


def test_scopes_come_from_the_scope_table():
    document = chat_document()
    get = document["resources"]["spaces"]["methods"]["get"]
    assert "https://www.googleapis.com/auth/chat.admin.spaces.readonly" in get["scopes"]
    assert set(get["scopes"]) <= set(document["auth"]["oauth2"]["scopes"])
    assert document["resources"]["media"]["methods"]["download"]["scopes"] == [
        "https://www.googleapis.com/auth/chat.bot", "https://www.googleapis.com/auth/chat.messages",
        "https://www.googleapis.com/auth/chat.messages.readonly"]


def test_schemas_types_and_names():
    schemas = chat_document()["schemas"]
    space = schemas["Space"]["properties"]
    assert space["createTime"] == {**space["createTime"], "type": "string", "format": "google-datetime"}
    assert space["membershipCount"]["$ref"] == "MembershipCount" and space["membershipCount"]["readOnly"]
    assert space["spaceType"]["enum"][:2] == ["SPACE_TYPE_UNSPECIFIED", "SPACE"]
    assert schemas["CustomStatus"]["properties"]["ttl"]["format"] == "google-duration"
    assert schemas["Color"]["properties"]["red"]["type"] == "number"
    assert schemas["Message"]["properties"]["cardsV2"]["items"] == {"$ref": "CardWithId"}
    # Three messages are called Section: legacy card markup's is reached first and keeps the name.
    assert {"Section", "GoogleChatV1Section", "GoogleAppsCardV1Section"} <= set(schemas)
    assert schemas["Empty"] == {"id": "Empty", "type": "object", "properties": {}, **_description(schemas["Empty"])}
    # A body of `*` leaves out what the path carries.
    assert set(schemas["UploadAttachmentRequest"]["properties"]) == {"filename"}


def _description(schema: dict) -> dict:
    return {"description": schema["description"]} if "description" in schema else {}


def test_every_binding_is_a_method_and_every_ref_a_schema():
    for api, service in APIS.items():
        document = discovery_document(service, name=api, root_url=ROOT)
        found = methods(document)
        extra = 1 if service is CHAT else 0  # media.download
        assert len(found) == len(service_bindings(service)) + extra, api
        assert all(method_id.startswith(f"{api}.") for method_id in found)
        refs = set(_refs(document))
        assert refs <= set(document["schemas"]), f"{api}: {refs - set(document['schemas'])}"


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_own_service_documents():
    directory = discovery_document(APIS["chatsvcdirectory"], name="chatsvcdirectory", root_url=ROOT)
    assert directory["id"] == "chatsvcdirectory:v1"
    create = directory["resources"]["brands"]["resources"]["members"]["methods"]["create"]
    assert (create["id"], create["path"], create["flatPath"], create["request"]) == (
        "chatsvcdirectory.brands.members.create", "v1/{+parent}/members", "v1/brands/{brandsId}/members",
        {"$ref": "Member"})
    assert "https://www.googleapis.com/auth/chatsvc.directory" in directory["auth"]["oauth2"]["scopes"]
    campaigns = discovery_document(APIS["chatsvccampaigns"], name="chatsvccampaigns", root_url=ROOT)
    upload = campaigns["resources"]["media"]["methods"]["upload"]
    assert upload["mediaUpload"]["protocols"]["simple"]["path"] == "/upload/v1/{+parent}/emailFiles"
    assert upload["request"] == {"$ref": "UploadAttachmentMetadata"}
    assert "parent" not in campaigns["schemas"]["UploadAttachmentMetadata"]["properties"]


def _build(mode: str, source: str) -> dict:
    proc = subprocess.run([official_python(), "-I", "-c", BUILD_SCRIPT, mode, source, *APIS],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _expected(root: str) -> dict:
    return {
        "chat": [
            ["POST", f"{root}v1/spaces/AAA/messages?threadKey=k&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"
                     "&alt=json"],
            ["PUT", f"{root}v1/spaces/AAA/messages/B.C?updateMask=text&alt=json"],
            ["GET", f"{root}v1/users/me/spaces/AAA/spaceReadState?alt=json"],
            ["POST", f"{root}upload/v1/spaces/AAA/attachments:upload?alt=json&uploadType=multipart"],
            ["GET", f"{root}v1/media/spaces/AAA/attachments/x?alt=media"],
        ],
        "chatsvccredentials": [["GET", f"{root}v1/users/u/microsoftCredentials/c?alt=json"]],
        "chatsvcdirectory": [["GET", f"{root}v1/brands/b/members?pageSize=5&alt=json"]],
        "chatsvccampaigns": [["POST", f"{root}upload/v1/users/u/emailFiles?alt=json&uploadType=multipart"]],
        "chatsvcwebhooks": [["POST", f"{root}v1/spaces/AAA/webhooks/k:rotateToken?alt=json"]],
        "chatsvcapps": [["PATCH", f"{root}v1/apps/helper-bot?updateMask=displayName&alt=json"]],
        "chatsvcinteractions": [["POST", f"{root}v1/spaces/AAA:runQuickCommand?alt=json"]],
        "people": [["GET", f"{root}v1/people:batchGet?resourceNames=people%2F1&resourceNames=people%2Fme"
                           "&personFields=names&alt=json"],
                   ["GET", f"{root}v1/people/1?personFields=names%2CemailAddresses&alt=json"]],
    }


def test_google_api_python_client_builds_from_our_documents(tmp_path):
    for api, service in APIS.items():
        (tmp_path / f"{api}.json").write_text(json.dumps(discovery_document(service, name=api, root_url=ROOT)))
    assert _build("file", str(tmp_path)) == _expected(ROOT)


async def _serve(public_url) -> TestClient:
    app = web.Application()
    app.add_routes(discovery_routes(public_url))
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client


async def test_routes_serve_each_document():
    public = ["http://public.example:8081"]
    client = await _serve(lambda: public[0])
    try:
        answer = await client.get("/$discovery/rest", params={"version": "v1"})
        assert answer.status == 200 and answer.content_type == "application/json"
        assert (await answer.json())["rootUrl"] == "http://public.example:8081/"
        for api in APIS:
            document = await (await client.get(f"/discovery/v1/apis/{api}/v1/rest")).json()
            assert (document["id"], document["rootUrl"]) == (f"{api}:v1", "http://public.example:8081/")
        public[0] = "https://chat.example.org"  # a document per root URL, not one for all
        document = await (await client.get("/discovery/v1/apis/chat/v1/rest")).json()
        assert document["rootUrl"] == "https://chat.example.org/"
    finally:
        await client.close()


async def test_unknown_api_or_version_is_googles_404():
    client = await _serve(lambda: "http://public.example")
    try:
        for path in ("/discovery/v1/apis/drive/v1/rest", "/discovery/v1/apis/chat/v2/rest",
                     "/$discovery/rest?version=v3"):
            answer = await client.get(path)
            assert answer.status == 404, path
            error = (await answer.json())["error"]
            assert (error["code"], error["status"]) == (404, "NOT_FOUND") and error["message"], path
    finally:
        await client.close()


async def test_build_fetches_documents_from_the_routes():
    client = await _serve(lambda: root.rstrip("/"))
    root = str(client.make_url("/"))
    try:
        for mode in ("v1", "v2"):  # the two discovery URLs google-api-python-client knows
            apis = list(APIS) if mode == "v1" else ["chat"]
            proc = await asyncio.create_subprocess_exec(
                official_python(), "-I", "-c", BUILD_SCRIPT, mode, root.rstrip("/"), *apis,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            out, err = await asyncio.wait_for(proc.communicate(), 120)
            assert proc.returncode == 0, err.decode()
            expected = _expected(root)
            assert json.loads(out) == {api: expected[api] for api in apis}
    finally:
        await client.close()

