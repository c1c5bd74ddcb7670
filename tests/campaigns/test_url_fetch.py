"""Fetching URL attachments: limits, redirects, refusing non-public addresses, and DNS rebinding (the name is
resolved once per connection and the connection goes to exactly the address that was checked)."""
from __future__ import annotations

import httpcore
import pytest
from aiohttp import web

from chatsvc.mail import url_fetch

PUBLIC = "93.184.216.34"  # a global address; the tests route it to the local site, never to the internet
OTHER_PUBLIC = "93.184.216.35"


@pytest.fixture
async def site():
    async def body(request):
        return web.Response(body=b"x" * int(request.query.get("n", "10")), content_type="text/csv")

    async def host(request):  # the Host header the request arrived with
        return web.Response(text=request.headers["Host"])

    async def hop(request):
        raise web.HTTPFound(request.query["to"])

    app = web.Application()
    app.router.add_get("/body", body)
    app.router.add_get("/hop", hop)
    app.router.add_get("/host", host)
    async def missing(request):
        return web.Response(status=404)

    app.router.add_get("/missing", missing)
    runner = web.AppRunner(app)
    await runner.setup()
    server = web.TCPSite(runner, "127.0.0.1", 0)
    await server.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def test_url_fetch_reads_the_body_within_the_limit(site):
    fetched = await url_fetch.fetch(f"{site}/body?n=100", limit=100, timeout=2, allow_private=True)
    assert fetched.content == b"x" * 100 and fetched.mime_type == "text/csv"
    followed = await url_fetch.fetch(f"{site}/hop?to=/body", limit=100, timeout=2, allow_private=True)
    assert followed.content == b"x" * 10


@pytest.mark.parametrize("path, why", [("/body?n=101", "larger than"), ("/missing", "HTTP 404")])
async def test_url_fetch_failures(site, path, why):
    with pytest.raises(url_fetch.FetchError) as caught:
        await url_fetch.fetch(f"{site}{path}", limit=100, timeout=2, allow_private=True)
    assert why in caught.value.message


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/x",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]/x",
                                 "http://[::ffff:127.0.0.1]/x", "ftp://example.com/x", "http:///x"])
async def test_url_fetch_refuses_private_addresses_and_other_schemes(url):
    with pytest.raises(url_fetch.FetchError):
        await url_fetch.fetch(url, limit=100, timeout=1)


class FakeNetwork:
    """Stands in for DNS and the network: `answers[name]` is the list of answers the name gets, one per
    lookup (the last one repeats); a connection to a stand-in public address reaches the local site."""

    def __init__(self, site: str, answers: dict[str, list[list[str]]]):
        self.port = int(site.rsplit(":", 1)[1])
        self.answers = answers
        self.lookups: list[str] = []
        self.connected: list[str] = []

    async def resolve(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host[0].isdigit():  # an address in the URL resolves to itself
            return [host]
        answers = self.answers[host]
        return answers.pop(0) if len(answers) > 1 else answers[0]

    async def connect(self, address: str, port: int, **options):
        self.connected.append(address)
        if address not in (PUBLIC, OTHER_PUBLIC):
            raise httpcore.ConnectError(f"the test network does not reach {address}")
        return await url_fetch._direct.connect_tcp("127.0.0.1", self.port, **options)


@pytest.fixture
def network(site, monkeypatch):
    def install(answers):
        fake = FakeNetwork(site, answers)
        monkeypatch.setattr(url_fetch, "_resolve", fake.resolve)
        monkeypatch.setattr(url_fetch, "_connect", fake.connect)
        return fake
    return install


async def test_a_rebinding_name_is_connected_to_at_the_address_that_was_checked(network):
    fake = network({"rebind.example": [[PUBLIC], ["127.0.0.1"]], "hop.example": [[PUBLIC], ["127.0.0.1"]],
                    "again.example": [[OTHER_PUBLIC], ["127.0.0.1"]]})
    port = fake.port
    fetched = await url_fetch.fetch(f"http://rebind.example:{port}/host", limit=100, timeout=2)
    assert fetched.content == f"rebind.example:{port}".encode()  # the Host header keeps the name
    with pytest.raises(url_fetch.FetchError) as caught:  # the next fetch looks again and sees the loopback answer
        await url_fetch.fetch(f"http://rebind.example:{port}/host", limit=100, timeout=2)
    assert "non-public address (127.0.0.1)" in caught.value.message
    # A redirect to another rebinding name: its connection too goes where its one lookup pointed.
    followed = await url_fetch.fetch(f"http://hop.example:{port}/hop?to=http://again.example:{port}/host",
                                     limit=100, timeout=2)
    assert followed.content == f"again.example:{port}".encode()
    assert fake.connected == [PUBLIC, PUBLIC, OTHER_PUBLIC]
    assert fake.lookups == ["rebind.example", "rebind.example", "hop.example", "again.example"]


async def test_one_non_public_address_refuses_the_host_before_any_connection(network):
    fake = network({"mixed.example": [[PUBLIC, "127.0.0.1"]], "meta.example": [["169.254.169.254"]]})
    for name in ("mixed.example", "meta.example"):
        with pytest.raises(url_fetch.FetchError) as caught:
            await url_fetch.fetch(f"http://{name}:{fake.port}/host", limit=100, timeout=2)
        assert "non-public" in caught.value.message
    assert fake.connected == []


async def test_each_redirect_target_is_checked_again(network):
    fake = network({"public.example": [[PUBLIC]], "inside.example": [["10.0.0.7"]]})
    for target in ("http://127.0.0.1:1/x", f"http://inside.example:{fake.port}/host"):
        with pytest.raises(url_fetch.FetchError) as caught:
            await url_fetch.fetch(f"http://public.example:{fake.port}/hop?to={target}", limit=100, timeout=1)
        assert "non-public" in caught.value.message
    assert fake.connected == [PUBLIC, PUBLIC]


async def test_https_verifies_the_certificate_for_the_name_not_the_address(monkeypatch):
    seen = {}

    class Stream(httpcore.AsyncNetworkStream):
        async def start_tls(self, ssl_context, server_hostname=None, timeout=None):
            seen.update(hostname=server_hostname, verifies=ssl_context.check_hostname)
            raise httpcore.ConnectError("handshake refused by the test")

        async def aclose(self):
            pass

    async def connect(address, port, **options):
        seen.update(address=address, port=port)
        return Stream()

    async def resolve(host, port):
        return [PUBLIC]

    monkeypatch.setattr(url_fetch, "_resolve", resolve)
    monkeypatch.setattr(url_fetch, "_connect", connect)
    with pytest.raises(url_fetch.FetchError):
        await url_fetch.fetch("https://files.example/report.csv", limit=100, timeout=1)
    assert seen == {"address": PUBLIC, "port": 443, "hostname": "files.example", "verifies": True}
