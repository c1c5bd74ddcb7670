"""The soak run (issue 8, `make soak`): one `chatsvc serve` process under a bounded mixed load for a while,
watching its memory and its errors.

A fixed number of calls stay in flight (closed loop) from one client process. Each call is drawn at random
(seeded) from a mix of message, reaction, membership, search and space calls over a fixed set of spaces;
the data stays bounded (each space keeps at most --messages-per-space messages, the oldest are deleted as new
ones come; memberships, reactions and extra spaces are removed as they are added). The server's resident set
(VmRSS) is sampled every few seconds.

Exit status 1 when any call ended INTERNAL or UNKNOWN, or when the resident set at the end is more than
--max-rss-growth above the one after the warm-up. A summary is printed and written as JSON (--output).

    python -m bench.soak                                  # 300 s on a temporary SQLite file
    python -m bench.soak --seconds 60 --concurrency 32
    python -m bench.soak --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
"""
from __future__ import annotations

import argparse
import array
import asyncio
import json
import random
import secrets
import sys
import tempfile
import time
import uuid
from collections import Counter, deque
from contextlib import asynccontextmanager
from pathlib import Path

from bench.servers import chatsvc_server

OUTPUT = Path(__file__).resolve().parent / "soak.json"
SCOPES = ["chat.spaces", "chat.memberships", "chat.messages", "chat.messages.reactions", "chat.delete"]
CALL_TIMEOUT = 10.0  # seconds; slower is DEADLINE_EXCEEDED, counted like any other status
FAILING = ("INTERNAL", "UNKNOWN")  # any of these fails the run: the server broke, not the request
WORDS = ("amber", "birch", "cobalt", "dune", "ember", "fjord", "granite", "harbor")  # what search looks for
EMOJI = tuple(chr(code) for code in range(0x1F600, 0x1F614))
MEMBER_POOL = 12  # users each space may add and remove
EXTRA_SPACES = 4  # spaces created beyond the fixed ones before the oldest is deleted


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=300.0, help="length of the load (default %(default)s)")
    parser.add_argument("--database-url", default="",
                        help="a PostgreSQL server URL: the run makes its own database there and drops it at the "
                             "end (default: a temporary SQLite file)")
    parser.add_argument("--concurrency", type=int, default=16, help="calls in flight (default %(default)s)")
    parser.add_argument("--warmup", type=float, default=None,
                        help="seconds before the reference RSS sample (default: a fifth of --seconds, at most 30)")
    parser.add_argument("--sample-every", type=float, default=2.0, help="seconds between RSS samples")
    parser.add_argument("--max-rss-growth", type=float, default=0.25,
                        help="fail when the end RSS exceeds the post-warm-up RSS by more than this fraction")
    parser.add_argument("--spaces", type=int, default=8, help="fixed spaces the load works in")
    parser.add_argument("--messages-per-space", type=int, default=200, help="messages kept per space")
    parser.add_argument("--seed", type=int, default=None, help="the call mix's RNG seed (default: random, printed)")
    parser.add_argument("--server-log-level", default="WARNING", help="chatsvc serve --log-level")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    return parser


class Recorder:
    """Latencies (ms) and status codes per kind of call."""

    def __init__(self):
        self.latencies: dict[str, array.array] = {}
        self.codes: dict[str, Counter] = {}
        self.first_failure: dict[str, str] = {}

    def add(self, kind: str, seconds: float, code: str, details: str = "") -> None:
        self.latencies.setdefault(kind, array.array("d")).append(seconds * 1000)
        self.codes.setdefault(kind, Counter())[code] += 1
        if code != "OK":
            self.first_failure.setdefault(f"{kind} {code}", details[:200])

    def total(self) -> int:
        return sum(sum(codes.values()) for codes in self.codes.values())

    def summary(self, seconds: float) -> dict:
        every = array.array("d")
        for values in self.latencies.values():
            every.extend(values)
        codes = Counter()
        for per_kind in self.codes.values():
            codes.update(per_kind)
        return {
            "calls": len(every), "rps": round(len(every) / seconds, 1), **_percentiles(every),
            "status_codes": dict(codes.most_common()),
            "by_kind": {kind: {"calls": len(self.latencies[kind]), **_percentiles(self.latencies[kind]),
                               "status_codes": dict(self.codes[kind].most_common())}
                        for kind in sorted(self.latencies)},
            "first_failures": self.first_failure,
        }


def _percentiles(values) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"p50_ms": None, "p99_ms": None}
    return {"p50_ms": round(ordered[len(ordered) // 2], 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2)}


class Space:
    """What the load knows of one space: its messages (oldest first), their reactions, the pool users in it."""

    def __init__(self, name: str, owner: str):
        self.name = name
        self.owner = owner
        self.messages: deque[str] = deque()
        self.reactions: dict[str, dict[str, str]] = {}  # message -> emoji -> reaction name
        self.members: set[str] = set()
        self.busy_members: set[str] = set()  # being added or removed by a call in flight


class Load:
    """The mix of calls. Each `op_*` makes one call (two when it also removes what it displaced); every call
    goes through `_call`, which times it and records its status."""

    WEIGHTS = {"create_message": 20, "list_messages": 10, "get_message": 10, "update_message": 8,
               "delete_message": 2, "create_reaction": 8, "delete_reaction": 4, "list_reactions": 4,
               "create_membership": 3, "delete_membership": 3, "list_memberships": 4, "search_messages": 5,
               "get_space": 5, "list_spaces": 4, "update_space": 2, "create_space": 1}

    def __init__(self, chat, tokens, rng: random.Random, recorder: Recorder, messages_per_space: int):
        self.chat = chat
        self.tokens = tokens
        self.rng = rng
        self.recorder = recorder
        self.messages_per_space = messages_per_space
        self.spaces: list[Space] = []
        self.extra_spaces: deque[Space] = deque()
        self._md: dict[str, tuple] = {}
        self._kinds = list(self.WEIGHTS)
        self._weights = list(self.WEIGHTS.values())

    def md(self, email: str) -> tuple:
        if email not in self._md:
            self._md[email] = (("authorization", f"Bearer {self.tokens.mint(user=email, scopes=SCOPES, ttl=86400)}"),)
        return self._md[email]

    async def _call(self, kind: str, method, request, email: str):
        import grpc

        started = time.monotonic()
        try:
            reply = await method(request, metadata=self.md(email), timeout=CALL_TIMEOUT)
        except grpc.aio.AioRpcError as error:
            self.recorder.add(kind, time.monotonic() - started, error.code().name, error.details() or "")
            return None
        self.recorder.add(kind, time.monotonic() - started, "OK")
        return reply

    async def setup(self, count: int) -> None:
        for n in range(count):
            space = await self._new_space(f"soak-owner-{n}@example.com")
            if space is None:
                raise RuntimeError("CreateSpace failed during setup: see the status codes")
            self.spaces.append(space)

    async def _new_space(self, owner: str) -> Space | None:
        from google.chat.v1 import space_pb2

        reply = await self._call("create_space", self.chat.CreateSpace, space_pb2.CreateSpaceRequest(
            space=space_pb2.Space(space_type=space_pb2.Space.SpaceType.SPACE,
                                  display_name=f"Soak {uuid.uuid4().hex[:10]}")), owner)
        return None if reply is None else Space(reply.name, owner)

    async def step(self) -> None:
        kind = self.rng.choices(self._kinds, self._weights)[0]
        await getattr(self, f"op_{kind}")(self.rng.choice(self.spaces))

    # --- messages ---------------------------------------------------------------------------------------------

    async def op_create_message(self, space: Space) -> None:
        from google.chat.v1 import message_pb2

        text = f"soak {self.rng.choice(WORDS)} {self.rng.choice(WORDS)} {uuid.uuid4().hex[:8]}"
        reply = await self._call("create_message", self.chat.CreateMessage, message_pb2.CreateMessageRequest(
            parent=space.name, message=message_pb2.Message(text=text), request_id=uuid.uuid4().hex), space.owner)
        if reply is not None:
            space.messages.append(reply.name)
        if len(space.messages) > self.messages_per_space:  # keep the data bounded
            await self._delete_message(space, space.messages.popleft())

    async def op_delete_message(self, space: Space) -> None:
        if space.messages:
            await self._delete_message(space, space.messages.popleft())

    async def _delete_message(self, space: Space, name: str) -> None:
        from google.chat.v1 import message_pb2

        space.reactions.pop(name, None)
        await self._call("delete_message", self.chat.DeleteMessage, message_pb2.DeleteMessageRequest(name=name),
                         space.owner)

    async def op_list_messages(self, space: Space) -> None:
        from google.chat.v1 import message_pb2

        await self._call("list_messages", self.chat.ListMessages, message_pb2.ListMessagesRequest(
            parent=space.name, page_size=50, order_by=self.rng.choice(("", "create_time desc"))), space.owner)

    async def op_get_message(self, space: Space) -> None:
        from google.chat.v1 import message_pb2

        if space.messages:
            await self._call("get_message", self.chat.GetMessage, message_pb2.GetMessageRequest(
                name=self.rng.choice(space.messages)), space.owner)

    async def op_update_message(self, space: Space) -> None:
        from google.chat.v1 import message_pb2

        if space.messages:
            message = message_pb2.Message(name=self.rng.choice(space.messages),
                                          text=f"soak edited {self.rng.choice(WORDS)} {uuid.uuid4().hex[:8]}")
            await self._call("update_message", self.chat.UpdateMessage, message_pb2.UpdateMessageRequest(
                message=message, update_mask={"paths": ["text"]}), space.owner)

    async def op_search_messages(self, space: Space) -> None:
        from google.chat.v1 import message_pb2

        await self._call("search_messages", self.chat.SearchMessages, message_pb2.SearchMessagesRequest(
            parent="spaces/-", filter=self.rng.choice(WORDS), page_size=25), space.owner)

    # --- reactions ----------------------------------------------------------------------------------------------

    async def op_create_reaction(self, space: Space) -> None:
        from google.chat.v1 import reaction_pb2

        if not space.messages:
            return
        message = self.rng.choice(space.messages)
        taken = space.reactions.setdefault(message, {})
        free = [emoji for emoji in EMOJI if emoji not in taken]
        if not free:
            return
        emoji = self.rng.choice(free)
        taken[emoji] = ""  # claimed while the call is in flight
        reply = await self._call("create_reaction", self.chat.CreateReaction, reaction_pb2.CreateReactionRequest(
            parent=message, reaction=reaction_pb2.Reaction(emoji=reaction_pb2.Emoji(unicode=emoji))), space.owner)
        if reply is None:
            taken.pop(emoji, None)
        else:
            taken[emoji] = reply.name

    async def op_delete_reaction(self, space: Space) -> None:
        from google.chat.v1 import reaction_pb2

        made = [(message, emoji, name) for message, by_emoji in space.reactions.items()
                for emoji, name in by_emoji.items() if name]
        if made:
            message, emoji, name = self.rng.choice(made)
            del space.reactions[message][emoji]
            await self._call("delete_reaction", self.chat.DeleteReaction,
                             reaction_pb2.DeleteReactionRequest(name=name), space.owner)

    async def op_list_reactions(self, space: Space) -> None:
        from google.chat.v1 import reaction_pb2

        if space.messages:
            await self._call("list_reactions", self.chat.ListReactions, reaction_pb2.ListReactionsRequest(
                parent=self.rng.choice(space.messages), page_size=50), space.owner)

    # --- memberships --------------------------------------------------------------------------------------------

    async def op_create_membership(self, space: Space) -> None:
        from google.chat.v1 import membership_pb2

        pool = [f"soak-member-{n}@example.com" for n in range(MEMBER_POOL)]
        free = [email for email in pool if email not in space.members and email not in space.busy_members]
        if not free:
            return
        email = self.rng.choice(free)
        space.busy_members.add(email)
        reply = await self._call("create_membership", self.chat.CreateMembership,
                                 membership_pb2.CreateMembershipRequest(parent=space.name, membership=membership_pb2.
                                                                        Membership(member={"name": f"users/{email}"})),
                                 space.owner)
        space.busy_members.discard(email)
        if reply is not None:
            space.members.add(email)

    async def op_delete_membership(self, space: Space) -> None:
        from google.chat.v1 import membership_pb2

        present = sorted(space.members - space.busy_members)
        if not present:
            return
        email = self.rng.choice(present)
        space.members.discard(email)
        space.busy_members.add(email)
        await self._call("delete_membership", self.chat.DeleteMembership, membership_pb2.DeleteMembershipRequest(
            name=f"{space.name}/members/{email}"), space.owner)
        space.busy_members.discard(email)

    async def op_list_memberships(self, space: Space) -> None:
        from google.chat.v1 import membership_pb2

        await self._call("list_memberships", self.chat.ListMemberships, membership_pb2.ListMembershipsRequest(
            parent=space.name, page_size=50), space.owner)

    # --- spaces -------------------------------------------------------------------------------------------------

    async def op_get_space(self, space: Space) -> None:
        from google.chat.v1 import space_pb2

        await self._call("get_space", self.chat.GetSpace, space_pb2.GetSpaceRequest(name=space.name), space.owner)

    async def op_list_spaces(self, space: Space) -> None:
        from google.chat.v1 import space_pb2

        await self._call("list_spaces", self.chat.ListSpaces, space_pb2.ListSpacesRequest(page_size=50),
                         space.owner)

    async def op_update_space(self, space: Space) -> None:
        from google.chat.v1 import space_pb2

        await self._call("update_space", self.chat.UpdateSpace, space_pb2.UpdateSpaceRequest(
            space=space_pb2.Space(name=space.name, display_name=f"Soak {uuid.uuid4().hex[:10]}"),
            update_mask={"paths": ["display_name"]}), space.owner)

    async def op_create_space(self, space: Space) -> None:
        from google.chat.v1 import space_pb2

        extra = await self._new_space(space.owner)
        if extra is not None:
            self.extra_spaces.append(extra)
        if len(self.extra_spaces) > EXTRA_SPACES:  # keep the data bounded
            old = self.extra_spaces.popleft()
            await self._call("delete_space", self.chat.DeleteSpace, space_pb2.DeleteSpaceRequest(name=old.name),
                             old.owner)


# --- memory -------------------------------------------------------------------------------------------------------

def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


async def sample_rss(pid: int, every: float, samples: list, started: float, stop: asyncio.Event) -> None:
    """(seconds since the load started, VmRSS in MB) every `every` seconds until `stop`."""
    while True:
        samples.append((round(time.monotonic() - started, 1), round(status_kb(pid, "VmRSS") / 1024, 1)))
        try:
            await asyncio.wait_for(stop.wait(), every)
            return
        except TimeoutError:
            pass


def memory_figures(samples: list, start_mb: float, warmup: float, peak_hwm_mb: float, limit: float) -> dict:
    after_warmup = next((mb for t, mb in samples if t >= warmup), samples[-1][1])
    end = samples[-1][1]
    growth = end / after_warmup - 1
    return {"rss_start_mb": start_mb, "rss_after_warmup_mb": after_warmup, "rss_peak_mb": max(mb for _, mb in samples),
            "rss_end_mb": end, "vm_hwm_mb": peak_hwm_mb, "growth_after_warmup": round(growth, 3),
            "max_growth": limit, "bounded": growth <= limit, "samples": samples}


# --- the run ------------------------------------------------------------------------------------------------------

async def soak(options, target: str, pid: int, key: str) -> dict:
    import grpc
    from google.chat.v1 import chat_service_pb2_grpc

    from chatsvc.auth.tokens import TokenService

    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"soak: seed {seed}, {options.concurrency} calls in flight for {options.seconds:g}s on {target}")
    recorder = Recorder()
    warmup = options.warmup if options.warmup is not None else min(30.0, options.seconds / 5)
    async with grpc.aio.insecure_channel(target) as channel:
        load = Load(chat_service_pb2_grpc.ChatServiceStub(channel), TokenService(key.encode()), random.Random(seed),
                    recorder, options.messages_per_space)
        await load.setup(options.spaces)
        start_mb = round(status_kb(pid, "VmRSS") / 1024, 1)
        samples: list = []
        stop = asyncio.Event()
        started = time.monotonic()
        deadline = started + options.seconds
        sampler = asyncio.ensure_future(sample_rss(pid, options.sample_every, samples, started, stop))

        async def worker() -> None:
            while time.monotonic() < deadline:
                await load.step()

        async def progress() -> None:
            while not stop.is_set():
                await asyncio.sleep(10)
                elapsed = time.monotonic() - started
                print(f"  {elapsed:5.0f}s  {recorder.total():8d} calls  {recorder.total() / elapsed:7.1f}/s  "
                      f"RSS {samples[-1][1]} MB", flush=True)

        reporter = asyncio.ensure_future(progress())
        await asyncio.gather(*(worker() for _ in range(options.concurrency)))
        elapsed = time.monotonic() - started
        stop.set()
        await sampler
        reporter.cancel()
    summary = recorder.summary(elapsed)
    memory = memory_figures(samples, start_mb, warmup, round(status_kb(pid, "VmHWM") / 1024, 1),
                            options.max_rss_growth)
    return {"seed": seed, "seconds": round(elapsed, 1), "concurrency": options.concurrency,
            "warmup_seconds": warmup, **summary, "memory": memory}


@asynccontextmanager
async def postgres_database(server_url: str):
    """A database of its own on the server of `server_url`, dropped afterwards."""
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    name = f"chatsvc_soak_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(user=url.username, password=url.password, host=url.host, port=url.port,
                                     database=url.database, timeout=30)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    await admin(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _print(result: dict) -> None:
    memory = result["memory"]
    print(f"\n{result['calls']} calls in {result['seconds']}s: {result['rps']}/s, p50 {result['p50_ms']} ms, "
          f"p99 {result['p99_ms']} ms; status {result['status_codes']}")
    print(f"{'call':20} {'calls':>8} {'p50 ms':>8} {'p99 ms':>8}  status")
    for kind, row in result["by_kind"].items():
        print(f"{kind:20} {row['calls']:8d} {row['p50_ms']:8} {row['p99_ms']:8}  {row['status_codes']}")
    print(f"RSS MB: start {memory['rss_start_mb']}, after warm-up {memory['rss_after_warmup_mb']}, "
          f"peak {memory['rss_peak_mb']}, end {memory['rss_end_mb']} (VmHWM {memory['vm_hwm_mb']}); growth "
          f"after warm-up {memory['growth_after_warmup']:+.1%} (limit {memory['max_growth']:.0%})")
    for what, details in result["first_failures"].items():
        print(f"first {what}: {details}")


async def _with_database(options, run) -> dict:
    if options.database_url:
        async with postgres_database(options.database_url) as url:
            return await run(url, "postgres")
    with tempfile.TemporaryDirectory(prefix="chatsvc-soak-db-") as directory:
        return await run(f"sqlite+aiosqlite:///{Path(directory) / 'soak.db'}", "sqlite")


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)

    async def run(url: str, backend: str) -> dict:
        key = secrets.token_hex(32)
        with tempfile.TemporaryDirectory(prefix="chatsvc-soak-") as log_dir:
            server = await asyncio.to_thread(chatsvc_server, url, key, 1, Path(log_dir), options.server_log_level)
            try:
                result = await soak(options, server.target, server.proc.pid, key)
            finally:
                await asyncio.to_thread(server.stop)
                log = server.log_path.read_text(errors="replace")
            result.update(backend=backend, server_exit=server.proc.returncode,
                          server_log_tail=log.splitlines()[-20:])
            return result

    result = asyncio.run(_with_database(options, run))
    _print(result)
    options.output.write_text(json.dumps(result, indent=1) + "\n")
    print(f"written to {options.output}")
    failing = {code: n for code, n in result["status_codes"].items() if code in FAILING}
    problems = []
    if failing:
        problems.append(f"calls ended {failing}")
    if not result["memory"]["bounded"]:
        problems.append(f"RSS grew {result['memory']['growth_after_warmup']:+.1%} after the warm-up")
    if result["server_exit"] != 0:
        problems.append(f"chatsvc serve exited {result['server_exit']} on SIGTERM")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
