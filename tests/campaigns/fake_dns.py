"""A tiny authoritative DNS server over UDP on 127.0.0.1 answering TXT questions from a dict.

`records[name]` is a list of TXT records; a record is a string or a list of strings (one record split into
several character-strings, as long DKIM keys are; a string over 255 bytes is split too). A name absent from
the dict is NXDOMAIN; a name present with an empty list exists without TXT records (NOERROR, no answer)."""
from __future__ import annotations

import asyncio

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset


def _quoted(text: str) -> str:
    """`text` as TXT presentation: quoted character-strings of at most 255 bytes (DNS's limit; a longer
    value is split, as DNS consoles split long DKIM keys)."""
    chunks = [text[i:i + 255] for i in range(0, len(text), 255)] or [""]
    return " ".join('"' + c.replace("\\", "\\\\").replace('"', '\\"') + '"' for c in chunks)


class FakeDns(asyncio.DatagramProtocol):
    def __init__(self):
        self.records: dict[str, list[str | list[str]]] = {}
        self.questions: list[str] = []
        self.port = 0
        self._transport: asyncio.DatagramTransport | None = None

    @property
    def nameserver(self) -> str:
        """The `dns_nameservers` setting pointing at this server."""
        return f"127.0.0.1:{self.port}"

    async def start(self) -> FakeDns:
        loop = asyncio.get_running_loop()
        self._transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=("127.0.0.1", 0))
        self.port = self._transport.get_extra_info("sockname")[1]
        return self

    def stop(self) -> None:
        if self._transport:
            self._transport.close()
            self._transport = None

    def connection_made(self, transport) -> None:
        self._transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        try:
            query = dns.message.from_wire(data)
        except dns.exception.DNSException:
            return
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        for question in query.question:
            name = question.name.to_text().rstrip(".").lower()
            self.questions.append(name)
            if name not in self.records:
                response.set_rcode(dns.rcode.NXDOMAIN)
                continue
            if question.rdtype != dns.rdatatype.TXT or not self.records[name]:
                continue
            texts = [" ".join(_quoted(c) for c in ([r] if isinstance(r, str) else r)) for r in self.records[name]]
            response.answer.append(dns.rrset.from_text_list(question.name, 60, dns.rdataclass.IN,
                                                            dns.rdatatype.TXT, texts))
        if self._transport:
            self._transport.sendto(response.to_wire(), addr)
