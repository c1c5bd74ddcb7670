"""The chatsvc.people.v1.PeopleService servicer (Google's People API, people.get and people.getBatchGet).

Proto in -> a chatsvc.domain.people.People use case -> Person / GetPeopleResponse out.
"""
from __future__ import annotations

from google.rpc import code_pb2, status_pb2

from chatsvc.domain.people import EMAIL_ADDRESSES, NAMES, PHOTOS, People, PersonView, person_fields, person_ref
from chatsvc.domain.principal import current_principal
from chatsvc.people.v1 import people_service_pb2 as pb
from chatsvc.people.v1 import people_service_pb2_grpc

SERVICE = pb.DESCRIPTOR.services_by_name["PeopleService"]
_PROFILE_SOURCES = frozenset({pb.READ_SOURCE_TYPE_PROFILE})
_NOT_FOUND = "Requested entity was not found."


def _fields(request) -> frozenset[str]:
    """`person_fields`, or the older `request_mask.include_field` (paths `person.*`) when it is empty."""
    if not request.person_fields.paths and request.request_mask.include_field.paths:
        return person_fields(request.request_mask.include_field.paths, field="request_mask.include_field",
                             prefix="person.")
    return person_fields(request.person_fields.paths)


def _reads_profiles(request) -> bool:
    """Whether the request's sources include profiles, all chatsvc has (none given: Google's default, which does)."""
    return not request.sources or bool(_PROFILE_SOURCES & set(request.sources))


def _metadata(view: PersonView) -> pb.FieldMetadata:
    kind = pb.Source.PROFILE if view.is_app else pb.Source.DOMAIN_PROFILE
    return pb.FieldMetadata(primary=True, source_primary=True, source=pb.Source(type=kind, id=view.user_id))


def person_proto(view: PersonView) -> pb.Person:
    person = pb.Person(resource_name=f"people/{view.user_id}", etag=view.etag)
    if NAMES in view.fields and view.display_name:
        person.names.add(metadata=_metadata(view), display_name=view.display_name,
                         display_name_last_first=view.display_name, unstructured_name=view.display_name)
    if EMAIL_ADDRESSES in view.fields and view.email:
        person.email_addresses.add(metadata=_metadata(view), value=view.email)
    if PHOTOS in view.fields and view.photo_url:
        person.photos.add(metadata=_metadata(view), url=view.photo_url)
    return person


class PeopleService(people_service_pb2_grpc.PeopleServiceServicer):
    def __init__(self, people: People):
        self.people = people

    async def GetPerson(self, request, context):
        ref = person_ref(request.resource_name, "resource_name")
        view = await self.people.get(current_principal(), ref, _fields(request), profiles=_reads_profiles(request))
        return person_proto(view)

    async def GetBatchGet(self, request, context):
        names = list(request.resource_names)
        refs = [person_ref(name, f"resource_names[{i}]") for i, name in enumerate(names)]
        results = await self.people.batch(current_principal(), refs, _fields(request),
                                          profiles=_reads_profiles(request), names=names)
        response = pb.GetPeopleResponse()
        for result in results:
            item = response.responses.add(requested_resource_name=result.requested)
            if result.person is None:
                item.http_status_code = 404
                item.status.CopyFrom(status_pb2.Status(code=code_pb2.NOT_FOUND, message=_NOT_FOUND))
            else:
                item.http_status_code = 200
                item.person.CopyFrom(person_proto(result.person))
                item.status.SetInParent()  # code 0: OK
        return response
