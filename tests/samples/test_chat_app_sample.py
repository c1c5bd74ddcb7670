"""The README's walkthrough "Run Google's sample Chat app against chatsvc", run as written: `chatsvc serve` in a process
of its own, Google's basic Chat app (python/basic-app, mirrored in python/basic_chat_app.py with its request
verification on and chatsvc's certificates URL) in another, registered with `chatsvc app create`, and alice, with a
token from `chatsvc token --user ... --app ...`, talking to it over REST:

- a DM: "Hello!" is answered `Your message: "Hello!"` by the app;
- a space "Team": adding the app is answered `Thanks for adding me to "Team"!`, a mention with the mention's text;
- `chatsvc app update --audience 123456789012` while the app still checks its URL: `Failed verification!`;
- the app restarted to check that project number: answered again.

SQLite only, as the README runs it; the audiences on PostgreSQL too are tests/events/test_audiences.py's.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers import REPO, official_python
from tests.server_process import ServerProcess, free_port

APP_SCRIPT = Path(__file__).resolve().parent / "python" / "basic_chat_app.py"
ALICE = "alice@example.com"
NUMBER = "123456789012"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def chatsvc(*args: str) -> str:
    """`chatsvc ARGS`, as the README runs it; its last line of output."""
    proc = subprocess.run([sys.executable, "-m", "chatsvc.cli", *args], capture_output=True, text=True, timeout=60,
                          cwd=REPO, env={k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")})
    assert proc.returncode == 0, f"chatsvc {args[:2]} exited {proc.returncode}:\n{proc.stderr}"
    return proc.stdout.strip().splitlines()[-1]


class SampleApp:
    """The sample in its own process, on `port`, checking tokens for AUDIENCE_TYPE / AUDIENCE."""

    def __init__(self, port: int, chatsvc_base: str, audience_type: str, audience: str):
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        self.proc = subprocess.Popen([official_python(), "-I", str(APP_SCRIPT), str(port), chatsvc_base,
                                      audience_type, audience], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env)
        assert self.proc.stdout.readline().strip() == "ready"

    def stop(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Rest:
    def __init__(self, base: str, token: str):
        self.base, self.token = base + "/v1/", token

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(self.base + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": f"Bearer {self.token}",
                                                  "Content-Type": "application/json"})
        with NO_PROXY.open(request, timeout=30) as response:
            return json.load(response)

    def app_says(self, space: str, count: int, timeout: float = 20.0) -> list[str]:
        """The texts of the app's messages in `space`, once there are `count` of them."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.call("GET", f"{space}/messages").get("messages", [])
            said = [m.get("text", "") for m in messages if m["sender"]["type"] == "BOT"]
            if len(said) >= count or time.monotonic() > deadline:
                return said
            time.sleep(0.1)


def test_googles_basic_chat_app_against_chatsvc(tmp_path):
    db = f"sqlite+aiosqlite:///{tmp_path / 'chatsvc.db'}"
    server = ServerProcess(db, tmp_path / "serve.log", env={"CHATSVC_APP_EVENTS_POLL_SECONDS": "0.1"})
    app = None
    try:
        server.wait_serving()
        port = free_port()
        endpoint = f"http://127.0.0.1:{port}/"
        app = SampleApp(port, server.media_url, "APP_URL", endpoint)
        registered = json.loads(chatsvc("app", "create", "--database", db, "--name", "basic-app",
                                        "--endpoint", endpoint, "--display-name", "Basic app"))
        assert registered["authenticationAudience"] == endpoint
        token = chatsvc("token", "--database", db, "--user", ALICE, "--app", "basic-app", "--scope", "chat.spaces",
                        "--scope", "chat.messages", "--scope", "chat.memberships", "--scope", "chat.memberships.app")
        rest = Rest(server.media_url, token)

        dm = rest.call("POST", "spaces:setup", {"space": {"spaceType": "DIRECT_MESSAGE", "singleUserBotDm": True}})
        rest.call("POST", f"{dm['name']}/messages", {"text": "Hello!"})
        assert rest.app_says(dm["name"], 1) == ['Your message: "Hello!"']

        team = rest.call("POST", "spaces:setup", {"space": {"spaceType": "SPACE", "displayName": "Team"}})
        member = rest.call("POST", f"{team['name']}/members", {"member": {"name": "users/app", "type": "BOT"}})
        assert member["member"]["name"] == registered["user"]
        assert rest.app_says(team["name"], 1) == ['Thanks for adding me to "Team"!']
        mention = rest.call("POST", f"{team['name']}/messages", {"text": f"<{registered['user']}> What is up?"})
        assert mention["argumentText"].strip() == "What is up?"
        assert rest.app_says(team["name"], 2)[1] == f'Your message: "{mention["text"]}"'

        # chatsvc now signs for the project number; the app still checks its URL, then is restarted to check it.
        updated = json.loads(chatsvc("app", "update", "--database", db, "--name", "basic-app", "--audience", NUMBER))
        assert updated["authenticationAudience"] == NUMBER
        rest.call("POST", f"{dm['name']}/messages", {"text": "Still there?"})
        assert rest.app_says(dm["name"], 2)[1] == "Failed verification!"
        app.stop()
        app = SampleApp(port, server.media_url, "PROJECT_NUMBER", NUMBER)
        rest.call("POST", f"{dm['name']}/messages", {"text": "And now?"})
        assert rest.app_says(dm["name"], 3)[2] == 'Your message: "And now?"'
    finally:
        if app is not None:
            app.stop()
        server.terminate()
