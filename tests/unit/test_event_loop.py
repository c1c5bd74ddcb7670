"""`chatsvc serve` runs on uvloop unless told otherwise (--event-loop / CHATSVC_EVENT_LOOP): the loop the server's
coroutine actually runs on, for each choice, and a wrong name refused."""
from __future__ import annotations

import asyncio

import pytest
import uvloop

from chatsvc import cli


async def _running_loop():
    return type(asyncio.get_running_loop())


def _loop_of(choice: str) -> type:
    ran = []

    async def main():
        ran.append(await _running_loop())

    cli._run_server(main(), choice)
    return ran[0]


def test_uvloop_by_default_and_asyncio_on_request(monkeypatch):
    monkeypatch.delenv("CHATSVC_EVENT_LOOP", raising=False)
    default = cli._parser().parse_args(["serve"]).event_loop
    assert default == "uvloop" and _loop_of(default) is uvloop.Loop
    monkeypatch.setenv("CHATSVC_EVENT_LOOP", "asyncio")
    chosen = cli._parser().parse_args(["serve"]).event_loop
    assert chosen == "asyncio" and not issubclass(_loop_of(chosen), uvloop.Loop)
    assert cli._parser().parse_args(["serve", "--event-loop", "uvloop"]).event_loop == "uvloop"


def test_an_unknown_loop_is_refused(capsys):
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["serve", "--event-loop", "trio"])
    assert "must be uvloop or asyncio" in capsys.readouterr().err
