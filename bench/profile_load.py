"""Quick load + profile of chatsvc's hot paths against a bare grpc.aio echo server, in one run.

Not the benchmark (that is `python -m bench`): a developer's tool to see where the time goes. It starts a
bare echo server and `chatsvc serve` (SQLite in a temp dir, or a fresh PostgreSQL database, seeded by
bench/seed.py as `make bench` seeds it, `--seed` messages in the listed space), drives each
with client processes holding a fixed number of calls in flight, and prints rps, p50/p99 and the ratio to
echo. With --py-spy it records the server while one scenario runs (collapsed stacks, summarised by
bench/profile_summary.py).

    .venv/bin/python bench/profile_load.py --backend sqlite --scenarios create,list,get,react
    .venv/bin/python bench/profile_load.py --backend pg --py-spy create
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import grpc

REPO = Path(__file__).resolve().parents[1]
KEY = "bench-signing-key-0123456789abcdef0123456789"
ECHO = "/bench.Echo/Echo"
PG_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the echo baseline --------------------------------------------------------------------------------------

def echo_main(port: int) -> None:
    async def run():
        async def echo(request: bytes, context) -> bytes:
            return request

        server = grpc.aio.server()
        handler = grpc.method_handlers_generic_handler("bench.Echo", {
            "Echo": grpc.unary_unary_rpc_method_handler(echo)})
        server.add_generic_rpc_handlers((handler,))
        server.add_insecure_port(f"127.0.0.1:{port}")
        await server.start()
        await server.wait_for_termination()
    asyncio.run(run())


# --- servers --------------------------------------------------------------------------------------------------

def wait_port(port: int, proc, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited {proc.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("server did not start")


def start_chatsvc(url: str, port: int, log: Path, src: str = "", log_level: str = "WARNING") -> subprocess.Popen:
    env = {**os.environ, "CHATSVC_SIGNING_KEY": KEY}
    if src:  # another checkout's code (e.g. `git archive HEAD src`), for a before/after in one run
        env["PYTHONPATH"] = src
    env.pop("CHATSVC_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "chatsvc.cli", "serve", "--listen", f"127.0.0.1:{port}",
                             "--database", url, "--media-listen", "off", "--data-dir", str(log.parent / "data"),
                             "--log-level", log_level],
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT, cwd=REPO, env=env)
    wait_port(port, proc)
    return proc


async def fresh_pg() -> str:
    import asyncpg
    name = "bench_" + secrets.token_hex(4)
    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await conn.execute(f"CREATE DATABASE {name}")
    await conn.close()
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


async def drop_pg(url: str) -> None:
    import asyncpg
    conn = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
    await conn.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
    await conn.close()


# --- the data: bench/seed.py's, as `make bench` seeds it --------------------------------------------------------

def token(user: str) -> str:
    from chatsvc.auth.tokens import TokenService
    return TokenService(KEY.encode()).mint(user=user, scopes=["chat.spaces", "chat.messages"], ttl=7200)


def setup(url: str, seed: int, react_messages: int) -> dict:
    """Seeds the empty database at `url` (before the server starts) as the benchmark does."""
    if str(REPO) not in sys.path:  # run as a script: bench/ is on the path, not the repository
        sys.path.insert(0, str(REPO))
    from bench.seed import SeedSizes
    from bench.seed import seed as seed_database
    seeded = asyncio.run(seed_database(url, SeedSizes(small=seed, large=0, reactable=react_messages)))
    return {"spaces": {"create": f"spaces/{seeded.writes_space}", "list": f"spaces/{seeded.small_space}",
                       "react": f"spaces/{seeded.reactions_space}"},
            "react_ids": seeded.reactable_ids, "token": token(seeded.caller)}


# --- load -------------------------------------------------------------------------------------------------------

def client_main(target: str, scenario: str, env: dict, inflight: int, warmup: float, window: float,
                slot: int, out) -> None:
    async def run():
        from google.chat.v1 import chat_service_pb2_grpc, message_pb2, reaction_pb2, space_pb2
        async with grpc.aio.insecure_channel(target) as channel:
            if scenario == "echo":
                call = channel.unary_unary(ECHO)
                payload = b"x" * 64

                def request():
                    return call(payload)
            else:
                chat = chat_service_pb2_grpc.ChatServiceStub(channel)
                meta = (("authorization", "Bearer " + env["token"]),)
                spaces = env["spaces"]
                react_ids = env["react_ids"][slot::env["slots"]]
                counter = iter(range(10**9))
                if scenario == "create":
                    def request():
                        return chat.CreateMessage(message_pb2.CreateMessageRequest(
                            parent=spaces["create"], message=message_pb2.Message(text="hello")), metadata=meta)
                elif scenario == "list":
                    def request():
                        return chat.ListMessages(message_pb2.ListMessagesRequest(
                            parent=spaces["list"], page_size=100, order_by="create_time desc"), metadata=meta)
                elif scenario == "get":
                    def request():
                        return chat.GetSpace(space_pb2.GetSpaceRequest(name=spaces["list"]), metadata=meta)
                elif scenario == "react":
                    def request():
                        mid = react_ids[next(counter) % len(react_ids)]
                        return chat.CreateReaction(reaction_pb2.CreateReactionRequest(
                            parent=f"{spaces['react']}/messages/{mid}",
                            reaction=reaction_pb2.Reaction(emoji=reaction_pb2.Emoji(unicode="👍"))), metadata=meta)
                else:
                    raise SystemExit(scenario)
            latencies: list[float] = []
            errors = 0
            start = time.monotonic()
            measure_from, stop_at = start + warmup, start + warmup + window

            async def worker():
                nonlocal errors
                while True:
                    t0 = time.monotonic()
                    if t0 >= stop_at:
                        return
                    try:
                        await request()
                    except grpc.aio.AioRpcError as error:
                        errors += 1
                        if errors < 3:
                            print("error:", error.code(), error.details(), file=sys.stderr)
                    t1 = time.monotonic()
                    if t0 >= measure_from and t1 <= stop_at:
                        latencies.append(t1 - t0)
            await asyncio.gather(*(worker() for _ in range(inflight)))
            out.put((latencies, errors))
    asyncio.run(run())


def drive(target: str, scenario: str, env: dict, inflight: int, procs: int, warmup: float, window: float) -> dict:
    queue = mp.Queue()
    env = {**env, "slots": procs}
    shares = [inflight // procs + (1 if i < inflight % procs else 0) for i in range(procs)]
    workers = [mp.Process(target=client_main, args=(target, scenario, env, share, warmup, window, i, queue))
               for i, share in enumerate(shares)]
    for w in workers:
        w.start()
    latencies, errors = [], 0
    for _ in workers:
        got, errs = queue.get(timeout=warmup + window + 60)
        latencies += got
        errors += errs
    for w in workers:
        w.join(10)
    latencies.sort()
    n = len(latencies)
    pick = (lambda q: latencies[min(n - 1, int(q * n))] * 1000) if n else (lambda q: float("nan"))
    return {"rps": n / window, "p50": pick(0.5), "p99": pick(0.99), "errors": errors}


def rss_kb(pid: int) -> tuple[int, int]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "pg"), default="sqlite")
    parser.add_argument("--scenarios", default="create,list,get,react")
    parser.add_argument("--inflight", type=int, default=16)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--warmup", type=float, default=1.5)
    parser.add_argument("--window", type=float, default=4.0)
    parser.add_argument("--seed", type=int, default=10_000, help="messages in the listed space")
    parser.add_argument("--py-spy", dest="py_spy", default="", help="scenario to record with py-spy")
    parser.add_argument("--native", action="store_true", help="py-spy --native: C frames too (grpc's core, sqlite3)")
    parser.add_argument("--out", default="/tmp/chatsvc-profile")
    parser.add_argument("--src", default="", help="run the server from this src/ directory instead")
    parser.add_argument("--server-log-level", default="WARNING",
                        help="chatsvc serve --log-level (INFO: a line per call; default %(default)s, as make bench)")
    args = parser.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="chatsvc-bench-"))
    url = f"sqlite+aiosqlite:///{tmp}/chat.db" if args.backend == "sqlite" else asyncio.run(fresh_pg())
    echo_port, chat_port = free_port(), free_port()
    echo = mp.Process(target=echo_main, args=(echo_port,), daemon=True)
    echo.start()
    env = setup(url, args.seed, 20_000)
    server = start_chatsvc(url, chat_port, tmp / "server.log", args.src, args.server_log_level)
    try:
        results = {"echo": drive(f"127.0.0.1:{echo_port}", "echo", env, args.inflight, args.procs, args.warmup,
                                 args.window)}
        for scenario in args.scenarios.split(","):
            spy = None
            if scenario == args.py_spy:
                spy = subprocess.Popen([str(REPO / ".venv/bin/py-spy"), "record", "-f", "raw", "-r", "200",
                                        "-d", str(int(args.warmup + args.window)), "-o",
                                        str(out / f"{args.backend}-{scenario}.txt"), "--pid", str(server.pid),
                                        *(["--native"] if args.native else [])],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            results[scenario] = drive(f"127.0.0.1:{chat_port}", scenario, env, args.inflight, args.procs,
                                      args.warmup, args.window)
            if spy:
                spy.wait(60)
        base = results["echo"]["rps"]
        print(f"{args.backend}, {args.inflight} in flight, {args.procs} client processes, seed {args.seed}")
        for name, r in results.items():
            print(f"  {name:8} {r['rps']:8.0f} rps  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
                  f"{100 * r['rps'] / base:5.1f}% of echo  errors {r['errors']}")
        rss, peak = rss_kb(server.pid)
        print(f"  server RSS {rss // 1024} MB, peak {peak // 1024} MB")
    finally:
        server.terminate()
        server.wait(30)
        echo.terminate()
        if args.backend == "pg":
            asyncio.run(drop_pg(url))


if __name__ == "__main__":
    main()
