"""Registers every RPC of a service: those no mixin implements yet answer UNIMPLEMENTED naming the RPC."""
from __future__ import annotations

from chatsvc.domain.errors import Unimplemented


def _unimplemented(service: str, rpc: str):
    async def handler(self, request, context):
        raise Unimplemented(f"{service}.{rpc} is not implemented by this server yet.")

    handler.__name__ = rpc
    handler.unimplemented = True
    return handler


def fill_unimplemented(servicer: type, base: type, service_descriptor) -> frozenset[str]:
    """Gives `servicer` a handler for each RPC it inherits unchanged from the generated `base`; returns the
    names of the RPCs it does implement."""
    for method in service_descriptor.methods:
        if getattr(servicer, method.name) is getattr(base, method.name):
            setattr(servicer, method.name, _unimplemented(service_descriptor.full_name, method.name))
    return frozenset(m.name for m in service_descriptor.methods
                     if not getattr(getattr(servicer, m.name), "unimplemented", False))
