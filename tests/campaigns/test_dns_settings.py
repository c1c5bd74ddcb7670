"""The dns_nameservers setting: `ip[:port],...` with IPv6 in brackets; a bad one fails at start-up."""
from __future__ import annotations

import pytest

from chatsvc.mail.dns_check import DnsChecker, parse_nameservers


def test_nameservers_parse_with_and_without_ports():
    servers = parse_nameservers(" 127.0.0.1:5353, 10.0.0.2 ,[::1]:54,2001:db8::1,")
    assert [(s.address, s.port) for s in servers] == [("127.0.0.1", 5353), ("10.0.0.2", 53), ("::1", 54),
                                                      ("2001:db8::1", 53)]
    assert parse_nameservers("") == []


@pytest.mark.parametrize("bad", ["127.0.0.1:0", "127.0.0.1:x", "[::1]:70000", "not-an-ip"])
def test_bad_nameservers_are_refused(bad):
    with pytest.raises(ValueError):
        DnsChecker(bad, 1.0)
