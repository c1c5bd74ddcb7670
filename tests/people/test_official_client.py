"""Google's own google-api-python-client, built from the People API document it bundles (static discovery) and
pointed at chatsvc, reads people as it reads them from people.googleapis.com: get, getBatchGet, and a 404 as
HttpError. It runs under its own interpreter (tests/helpers.official_python)."""
from __future__ import annotations

import asyncio
import json

from tests.helpers import official_python
from tests.people.support import ALICE, BOB, DIRECTORY, person_id

CLIENT = r"""
import json, sys
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

endpoint, token, bob = sys.argv[1:4]
people = build("people", "v1", credentials=Credentials(token), static_discovery=True,
               client_options={"api_endpoint": endpoint})
out = {"me": people.people().get(resourceName="people/me", personFields="names,emailAddresses").execute(),
       "batch": people.people().getBatchGet(resourceNames=[f"people/{bob}", "people/100000000000000000001"],
                                            personFields="names,emailAddresses,photos").execute()}
# 200 names make a URL over 2,048 characters: the client sends it as a POST overridden to GET, with the query as
# a form body, as it does against Google.
many = [f"people/{bob}"] + [f"people/1000000000000000{n:05d}" for n in range(199)]
batch = people.people().getBatchGet(resourceNames=many, personFields="names").execute()
out["many"] = [r["httpStatusCode"] for r in batch["responses"]]
try:
    people.people().get(resourceName="people/100000000000000000001", personFields="names").execute()
except HttpError as error:
    out["missing"] = [error.resp.status, error.reason]
print(json.dumps(out))
"""


async def test_googleapiclient_reads_people(people_server):
    server = people_server
    bob = await person_id(server, BOB)
    proc = await asyncio.create_subprocess_exec(
        official_python(), "-I", "-c", CLIENT, server.media_url, server.token(user=ALICE, scopes=DIRECTORY), bob,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, stderr.decode()
    out = json.loads(stdout)
    me = out["me"]
    assert me["names"][0]["displayName"] == "alice" and me["emailAddresses"][0]["value"] == ALICE
    first, second = out["batch"]["responses"]
    assert first["requestedResourceName"] == f"people/{bob}" and first["httpStatusCode"] == 200
    assert first["person"]["resourceName"] == f"people/{bob}"
    assert first["person"]["emailAddresses"][0]["value"] == BOB and "photos" not in first["person"]
    assert second["httpStatusCode"] == 404 and second["status"]["code"] == 5 and "person" not in second
    assert out["missing"] == [404, "Requested entity was not found."]
    assert out["many"] == [200] + [404] * 199
