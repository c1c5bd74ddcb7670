"""Helpers of the People API's tests: the PeopleService stub, callers, scopes."""
from __future__ import annotations

from google.protobuf import field_mask_pb2

from chatsvc.people.v1 import people_service_pb2 as pb
from chatsvc.people.v1 import people_service_pb2_grpc

ALICE, BOB = "alice@example.com", "bob@example.com"
DIRECTORY = ("directory.readonly",)
FIELDS = field_mask_pb2.FieldMask(paths=["names", "email_addresses", "photos"])


def stub(server) -> people_service_pb2_grpc.PeopleServiceStub:
    return people_service_pb2_grpc.PeopleServiceStub(server.channel)


async def person_id(server, email: str) -> str:
    """The id of the user `email` (made on first sight, by reading `people/me`)."""
    me = await stub(server).GetPerson(pb.GetPersonRequest(resource_name="people/me", person_fields=FIELDS),
                                      metadata=server.md(user=email, scopes=DIRECTORY))
    return me.resource_name.removeprefix("people/")
