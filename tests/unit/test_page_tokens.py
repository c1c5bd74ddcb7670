"""chatsvc.aip.pagination: AIP-158 page sizes, and page tokens that are opaque, signed and bound to the
request's other parameters."""
import base64
import json

import pytest

from chatsvc.aip.pagination import PageTokens, page_size
from chatsvc.domain.errors import InvalidArgument

KEY = b"k" * 32
BINDING = ("ListMessages", "alice@example.com", "spaces/S1", "", "", False)


def field(error: InvalidArgument) -> str:
    (only,) = error.violations
    return only.field


@pytest.mark.parametrize("requested, expected", [(0, 25), (1, 1), (25, 25), (999, 999), (1000, 1000),
                                                 (1001, 1000), (2**31 - 1, 1000)])
def test_page_size(requested, expected):
    assert page_size(requested, default=25, maximum=1000) == expected


@pytest.mark.parametrize("negative", [-1, -1000, -(2**31)])
def test_negative_page_size_is_invalid(negative):
    with pytest.raises(InvalidArgument) as caught:
        page_size(negative, default=25, maximum=1000)
    assert field(caught.value) == "page_size"


def test_round_trip():
    tokens = PageTokens(KEY)
    for position in ((1_700_000_000_000_000, "AbC-_09"), ("AAAAspace01",), (0, ""), (2**62, "é ü")):
        token = tokens.issue(position, BINDING)
        assert token and token.isascii() and " " not in token
        assert tokens.position(token, BINDING) == position


def test_no_position_means_no_token_and_empty_token_means_first_page():
    tokens = PageTokens(KEY)
    assert tokens.issue(None, BINDING) == ""
    assert tokens.position("", BINDING) is None


def test_tokens_do_not_reveal_the_binding():
    token = PageTokens(KEY).issue((1, "m1"), BINDING)
    body = base64.urlsafe_b64decode(token.partition(".")[0] + "==")
    assert b"alice" not in body and b"spaces/S1" not in body


def test_same_key_same_tokens_across_instances():
    # Replicas sharing the signing key honour each other's tokens.
    token = PageTokens(KEY).issue((5, "m5"), BINDING)
    assert PageTokens(KEY).position(token, BINDING) == (5, "m5")


def _invalid(tokens: PageTokens, token: str, binding=BINDING) -> InvalidArgument:
    with pytest.raises(InvalidArgument) as caught:
        tokens.position(token, binding)
    assert field(caught.value) == "page_token"
    return caught.value


def test_rebound_token_is_rejected():
    tokens = PageTokens(KEY)
    token = tokens.issue((1, "m1"), BINDING)
    for changed in (("ListMessages", "bob@example.com", "spaces/S1", "", "", False),   # another caller
                    ("ListMessages", "alice@example.com", "spaces/S2", "", "", False),  # another parent
                    ("ListMessages", "alice@example.com", "spaces/S1", "", "create_time desc", False),
                    ("ListMessages", "alice@example.com", "spaces/S1", "", "", True),
                    ("ListMemberships", "alice@example.com", "spaces/S1", "", "", False),
                    BINDING[:-1]):
        error = _invalid(tokens, token, changed)
        assert "other parameters" in error.violations[0].description


def test_tampered_tokens_are_rejected():
    tokens = PageTokens(KEY)
    token = tokens.issue((1, "m1"), BINDING)
    body, _, signature = token.partition(".")
    for index in range(len(token)):
        if token[index] == ".":
            continue
        flipped = token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1:]
        if flipped != token:
            try:
                position = tokens.position(flipped, BINDING)
            except InvalidArgument as error:
                assert field(error) == "page_token"
            else:  # a flip in base64 padding bits may decode to the same bytes: then it is the same token
                assert position == (1, "m1")
    for bad in (body, body + ".", "." + signature, token + "A", token[:-1], signature + "." + body,
                "garbage", "a.b", "....", "\u00e9.\u00e9", token.replace(".", "..")):
        _invalid(tokens, bad)


def test_forged_tokens_are_rejected():
    tokens = PageTokens(KEY)
    genuine = tokens.issue((1, "m1"), BINDING)
    # Signed with another key.
    _invalid(tokens, PageTokens(b"x" * 32).issue((1, "m1"), BINDING))
    # The right binding digest and a made-up position, with the genuine signature.
    body = json.loads(base64.urlsafe_b64decode(genuine.partition(".")[0] + "=="))
    body[0] = [99, "m99"]
    forged = base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).rstrip(b"=").decode()
    _invalid(tokens, forged + "." + genuine.partition(".")[2])
    # An unsigned gapic-showcase style token (base64 of an index).
    _invalid(tokens, base64.urlsafe_b64encode(b"40").decode())


def test_signed_but_malformed_payloads_are_rejected():
    # Even a correctly signed payload must have the expected shape.
    tokens = PageTokens(KEY)
    for payload in (b"{}", b"[1]", b'["x","y"]', b"null", b"[[1],\"bind\",3]", b"not json"):
        token = base64.urlsafe_b64encode(payload).rstrip(b"=").decode() + "." + base64.urlsafe_b64encode(
            tokens._sign(payload)).rstrip(b"=").decode()
        _invalid(tokens, token)
