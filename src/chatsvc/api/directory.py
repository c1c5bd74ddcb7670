"""The chatsvc.directory.v1.DirectoryService servicer: brands, members, contacts and CRM lists."""
from __future__ import annotations

from chatsvc.api.unimplemented import fill_unimplemented
from chatsvc.directory.v1 import directory_service_pb2, directory_service_pb2_grpc

SERVICE = directory_service_pb2.DESCRIPTOR.services_by_name["DirectoryService"]


class DirectoryService(directory_service_pb2_grpc.DirectoryServiceServicer):
    def __init__(self, **services):
        for name, service in services.items():
            setattr(self, name, service)


IMPLEMENTED = fill_unimplemented(DirectoryService, directory_service_pb2_grpc.DirectoryServiceServicer, SERVICE)
