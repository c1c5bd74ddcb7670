"""The REST leg's invariants and tally. Every answer to a fuzzed HTTP request: never a 5xx (nor a 1xx, 3xx or
an unexpected 2xx); an error is Google's envelope (`{"error": {code = the HTTP status, message, status,
details with one ErrorInfo}}`, application/json) whose HTTP status is Google's for its code (the two
HTTP-only refusals aside: 405 for a method the path does not have, 413 for a body over the limit), with no
exception text or module path in it; a success is JSON, and parses as the method's response message (unknown
fields refused) when the request still named the method's route in the default representation.

One refusal is not chatsvc's to shape: a body that does not decode as its Content-Encoding says, when it arrives
in the same packet as the headers, is refused by aiohttp's HTTP parser itself (400, text/plain) before any
handler runs; when it arrives later, chatsvc reads it and answers the envelope."""
from __future__ import annotations

import json
import urllib.parse
from collections import Counter

import grpc
from google.protobuf import json_format

from chatsvc.web.routes import PAGES
from tests.fuzz.calls import _MODULE_PATH, LEAK_MARKERS, SERVER_ERRORS, Rpc
from tests.fuzz.rest_strategies import Sent
from tests.http.rest_calls import GOOGLE_HTTP, RawResponse, envelope_problems

# (backend, "/service/method") -> requests sent, and -> HTTP status -> count
REST_SENT: Counter = Counter()
REST_CODES: dict[tuple[str, str], Counter] = {}
HTTP_ONLY = {405: "UNIMPLEMENTED", 413: "RESOURCE_EXHAUSTED"}  # refusals of the HTTP layer, not of a call


def tally(backend: str, rpc: Rpc, status: int) -> None:
    REST_SENT[backend, rpc.path] += 1
    REST_CODES.setdefault((backend, rpc.path), Counter())[status] += 1


def rest_problems(rpc: Rpc, sent: Sent, raw: RawResponse) -> list[str]:
    found = []
    if raw.status >= 500:
        found.append(f"HTTP {raw.status}")
    elif raw.status != 200 and raw.status < 400:
        found.append(f"unexpected HTTP {raw.status}")
    if sent.http_method == "HEAD":  # no body to look at
        return found
    if raw.status == 400 and raw.content_type == "text/plain" and "encoding" in sent.mutations:
        pass  # aiohttp's HTTP parser, decoding a body that arrived with its headers, refused it before chatsvc ran
    elif raw.status >= 400:
        found += _error_problems(sent, raw)
    elif raw.status == 200:
        found += _success_problems(rpc, sent, raw)
    if found:
        found.append(f"sent {sent.http_method} {sent.target[:300]!r} body {(sent.body or b'')[:200]!r} "
                     f"mutations {sent.mutations}; answer {raw.body[:400]!r}")
        if raw.status >= 500 and SERVER_ERRORS.texts:
            found.append(f"server log: {SERVER_ERRORS.texts[-1][-3000:]}")
    return found


def _error_problems(sent: Sent, raw: RawResponse) -> list[str]:
    found = envelope_problems(raw)
    if found:
        return found
    error = json.loads(raw.body)["error"]
    code = grpc.StatusCode[error["status"]]
    if raw.status != GOOGLE_HTTP[code] and HTTP_ONLY.get(raw.status) != code.name:
        found.append(f"HTTP {raw.status} for {code.name} (Google: {GOOGLE_HTTP[code]})")
    text = (error["message"] + json.dumps(error["details"], ensure_ascii=False)).lower()
    carried = sent.text()
    leaks = [m for m in LEAK_MARKERS if m in text and m not in carried]
    if _MODULE_PATH.search(text) and not _MODULE_PATH.search(carried):
        leaks.append("a module path")
    if leaks:
        found.append(f"leaked internals {leaks}: {error['message'][:300]!r}")
    return found


def _browser_client(target: str) -> bool:
    """Whether a (mutated) path landed on the browser client's pages or files, which are not API answers."""
    path = urllib.parse.urlsplit(target).path
    return path in PAGES or path.startswith("/static/") or path == "/favicon.ico"


def _success_problems(rpc: Rpc, sent: Sent, raw: RawResponse) -> list[str]:
    if not sent.routed or "garbage_path" in sent.mutations:
        if _browser_client(sent.target):
            return []
    if raw.content_type == "application/x-protobuf":
        return [] if "alt=proto" in sent.target else ["a protobuf answer nobody asked for"]
    if raw.content_type == "text/event-stream" and rpc.method.server_streaming:
        data = [line[5:].strip() for line in raw.body.decode("utf-8", "replace").splitlines()
                if line.startswith("data:")]
        if not data:
            return ["an event stream whose first event has no data"]
        raw = RawResponse(raw.status, {"Content-Type": "application/json"}, "\n".join(data).encode())
    if raw.content_type != "application/json":
        return [f"a 200 answer of type {raw.content_type!r}"]
    try:
        value = json.loads(raw.body)
    except ValueError:
        return ["a 200 answer that is not JSON"]
    if not isinstance(value, dict):
        return [f"a 200 answer that is no JSON object: {type(value).__name__}"]
    if sent.strict_answer:
        try:
            json_format.ParseDict(value, rpc.response_class(), ignore_unknown_fields=False)
        except json_format.ParseError as error:
            return [f"the answer is no {rpc.method.output_type.name}: {error}"]
    return []


def parsed(rpc: Rpc, sent: Sent, raw: RawResponse):
    """The response message of a strict success, for the world to learn names from; else None."""
    if raw.status != 200 or not sent.strict_answer or raw.content_type != "application/json":
        return None
    try:
        return json_format.Parse(raw.body, rpc.response_class())
    except (json_format.ParseError, ValueError):
        return None
