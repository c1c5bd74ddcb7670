"""A bare grpc.aio server for the echo service: the ceiling the benchmark compares chatsvc with.

    python -m bench.echo_server --listen 127.0.0.1:50099
"""
from __future__ import annotations

import argparse
import asyncio
import signal

import grpc

from bench.stubs import import_echo

echo_pb2, echo_pb2_grpc = import_echo()


class Echo(echo_pb2_grpc.EchoServiceServicer):
    async def Echo(self, request, context):  # noqa: N802 (gRPC's method name)
        return echo_pb2.EchoResponse(payload=request.payload)


async def serve(listen: str) -> None:
    server = grpc.aio.server()
    echo_pb2_grpc.add_EchoServiceServicer_to_server(Echo(), server)
    if server.add_insecure_port(listen) == 0:
        raise OSError(f"cannot listen on {listen}")
    await server.start()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop(1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", required=True)
    asyncio.run(serve(parser.parse_args().listen))
