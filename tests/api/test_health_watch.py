"""Health's Watch, a server-streaming call whose handler writes through context.write() instead of yielding,
passes the call interceptor without a token."""
from __future__ import annotations

import asyncio

from grpc_health.v1 import health_pb2, health_pb2_grpc


async def test_watch_streams_the_serving_status(server):
    stub = health_pb2_grpc.HealthStub(server.channel)
    call = stub.Watch(health_pb2.HealthCheckRequest())
    try:
        reply = await asyncio.wait_for(call.read(), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        call.cancel()
