"""Forged, tampered, malformed and oversize bearer tokens, sent over gRPC to one RPC of each service of a real
server that also trusts an identity provider's RS256 key (JWKS) and a service-account key file. Every attack is
refused with UNAUTHENTICATED and the same message for every invalid token (expired tokens say so, nothing else
is told apart); claims smuggled beside a narrow `scope` grant nothing; the verified-token cache never answers
for a token that is not valid now; and the server stays healthy."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

import grpc
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from google.chat.v1 import space_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from jwt.algorithms import RSAAlgorithm

from chatsvc.auth import tokens as token_module
from chatsvc.auth.tokens import (
    AUDIENCE,
    EXPIRED_TOKEN_MESSAGE,
    INVALID_TOKEN_MESSAGE,
    ISSUER,
    LEEWAY_SECONDS,
    MAX_TOKEN_BYTES,
)
from chatsvc.campaigns.v1 import campaign_service_pb2, campaign_service_pb2_grpc
from chatsvc.credentials.v1 import credential_service_pb2, credential_service_pb2_grpc
from chatsvc.directory.v1 import directory_service_pb2, directory_service_pb2_grpc
from chatsvc.domain.principal import DEFAULT_APP
from tests.conftest import serving
from tests.helpers import rpc_error_details
from tests.service_accounts.keys import new_key

SIGNING_KEY = "attack-test-signing-key-0123456789abcdef"
OTHER_KEY = b"another-signing-key-0123456789abcdef"
KID = "idp-key-1"
IDP_ISSUER = "https://idp.example"
IDP_AUDIENCE = "chatsvc-api"
ALICE = "alice@example.com"
SCOPES = ("chat.spaces", "chatsvc.credentials", "chatsvc.directory", "chatsvc.campaigns")
FULL_SCOPES = " ".join("https://www.googleapis.com/auth/" + s for s in SCOPES)
NARROW = "https://www.googleapis.com/auth/userinfo.email"  # a real scope none of the probed RPCs accepts
IDP_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ATTACKER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
SERVICE_ACCOUNT = new_key("attacked-app@chatsvc-attacks.iam.gserviceaccount.com")

INVALID, EXPIRED, DENIED, REFUSED = "INVALID_TOKEN", "EXPIRED_TOKEN", "DENIED", "REFUSED"


# --- building tokens by hand, so that no library refuses to forge them ---------------------------------------

def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json(value) -> str:
    return _b64(json.dumps(value).encode())


def _hs(key: bytes):
    return lambda data: hmac.new(key, data, hashlib.sha256).digest()


def _rs(key):
    return lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _token(header: dict, claims: dict, sign) -> str:
    signing_input = f"{_json(header)}.{_json(claims)}"
    return f"{signing_input}.{_b64(sign(signing_input.encode()))}"


def _own_claims(**changes) -> dict:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": ALICE, "kind": "user", "app": DEFAULT_APP,
              "scope": FULL_SCOPES, "admin": False, "iat": now, "nbf": now, "exp": now + 600}
    return {k: v for k, v in {**claims, **changes}.items() if v is not ...}


def _idp_claims(**changes) -> dict:
    now = int(time.time())
    claims = {"iss": IDP_ISSUER, "aud": IDP_AUDIENCE, "sub": "idp-user-7", "email": ALICE,
              "scope": " ".join(SCOPES), "iat": now, "exp": now + 600}
    return {k: v for k, v in {**claims, **changes}.items() if v is not ...}


def own(header=None, sign=None, **changes) -> str:
    """A token signed with the server's own key (unless `sign` says otherwise)."""
    return _token(header or {"alg": "HS256", "typ": "JWT"}, _own_claims(**changes),
                  sign or _hs(SIGNING_KEY.encode()))


def idp(header=None, sign=None, **changes) -> str:
    """A token signed with the identity provider's key (unless `sign` says otherwise)."""
    return _token(header or {"alg": "RS256", "typ": "JWT", "kid": KID}, _idp_claims(**changes),
                  sign or _rs(IDP_KEY))


def _tampered(token: str, **changes) -> str:
    """`token` with its claims changed and its header and signature kept."""
    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return f"{head}.{_json({**claims, **changes})}.{signature}"


def _standard_alphabet(token: str) -> str:
    """`token` with its claims segment in base64's standard alphabet ('/' for '_'), signature kept."""
    head, body, signature = token.split(".")
    assert "_" in body
    return f"{head}.{body.replace('_', '/')}.{signature}"


def _public_pem() -> bytes:
    return IDP_KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)


def _public_jwk(key=IDP_KEY, kid=KID) -> dict:
    return {**json.loads(RSAAlgorithm.to_jwk(key.public_key())), "kid": kid, "alg": "RS256", "use": "sig"}


# --- the attacks ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attack:
    name: str
    metadata: tuple
    expected: str  # INVALID / EXPIRED (UNAUTHENTICATED with that reason), DENIED (scope), REFUSED (transport)


def _bearer(token: str) -> tuple:
    return (("authorization", f"Bearer {token}"),)


def attacks() -> list[Attack]:
    now = int(time.time())
    pem, der = _public_pem(), IDP_KEY.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    jwk_text = json.dumps(_public_jwk()).encode()
    good_own, good_idp = own(), idp()
    head, body, signature = good_own.split(".")
    found: list[tuple[str, str | tuple, str]] = []

    def add(name, token_or_metadata, expected=INVALID):
        found.append((name, token_or_metadata, expected))

    # alg none, in every spelling, with and without a signature, on our claims and the provider's.
    for alg in ("none", "None", "NONE", "nOnE"):
        add(f"alg {alg}, empty signature", own({"alg": alg, "typ": "JWT"}, sign=lambda data: b""))
        add(f"alg {alg}, our HS256 signature", own({"alg": alg}, sign=_hs(SIGNING_KEY.encode())))
        add(f"alg {alg}, provider claims", idp({"alg": alg, "kid": KID}, sign=lambda data: b""))
    add("alg none, no signature segment", f"{_json({'alg': 'none'})}.{_json(_own_claims())}")
    # Algorithm confusion: the provider's public key used as an HMAC secret.
    for form, secret in (("PEM", pem), ("PEM without newline", pem.strip()), ("DER", der), ("JWK", jwk_text)):
        for kid in (KID, None):
            header = {"alg": "HS256", "typ": "JWT"} | ({"kid": kid} if kid else {})
            add(f"HS256 with the public key ({form}) as secret, kid {kid}", idp(header, sign=_hs(secret)))
            add(f"HS256 with the public key ({form}), our claims, kid {kid}", own(header, sign=_hs(secret)))
    add("RS256 header, HMAC signature with the PEM", idp(sign=_hs(pem)))
    add("HS256 carrying the provider's kid, another key", own({"alg": "HS256", "kid": KID}, sign=_hs(OTHER_KEY)))
    # Other algorithms, never accepted.
    for alg in ("HS384", "HS512", "RS384", "RS512", "PS256", "ES256", "EdDSA", "", None):
        add(f"alg {alg!r}", idp({"alg": alg, "kid": KID}))
    add("no alg at all", idp({"kid": KID}))
    # RS256 from a key the provider does not hold.
    add("RS256, unknown key, the provider's kid", idp(sign=_rs(ATTACKER_KEY)))
    add("RS256, the provider's key, unknown kid", idp({"alg": "RS256", "kid": "idp-key-2"}))
    add("RS256, no kid", idp({"alg": "RS256"}))
    add("RS256, our issuer and audience, no kid", own({"alg": "RS256"}, sign=_rs(IDP_KEY)))
    # Keys offered by the token itself are ignored.
    attacker_jwk = _public_jwk(ATTACKER_KEY, "attacker")
    for kid in ("attacker", KID):
        add(f"embedded jwk, kid {kid}", idp({"alg": "RS256", "kid": kid, "jwk": attacker_jwk}, _rs(ATTACKER_KEY)))
        add(f"jku, kid {kid}", idp({"alg": "RS256", "kid": kid, "jku": "http://127.0.0.1:1/jwks.json"},
                                   _rs(ATTACKER_KEY)))
        add(f"x5u, kid {kid}", idp({"alg": "RS256", "kid": kid, "x5u": "http://127.0.0.1:1/cert.pem"},
                                   _rs(ATTACKER_KEY)))
        add(f"x5c, kid {kid}", idp({"alg": "RS256", "kid": kid, "x5c": [_b64(b"not a certificate")]},
                                   _rs(ATTACKER_KEY)))
    # kid injection.
    for kid in ("../../../../dev/null", "' OR '1'='1", f"{KID}' --", "idp-key-1 ", " idp-key-1", "IDP-KEY-1",
                "idp\u2010key-1", "/etc/passwd", "http://127.0.0.1:1/key", "*", "", 0, True, ["idp-key-1"],
                {"$ne": None}, "k" * 2000):
        add(f"kid {str(kid)[:30]!r}", idp({"alg": "RS256", "kid": kid}, _rs(ATTACKER_KEY)))
        add(f"kid {str(kid)[:30]!r}, provider's key", idp({"alg": "RS256", "kid": kid}))
    # Wrong issuer or audience, for each kind of token.
    for name, changes in (("provider's issuer", {"iss": IDP_ISSUER}), ("provider's audience", {"aud": IDP_AUDIENCE}),
                          ("other issuer", {"iss": "https://evil.example"}),
                          ("issuer with a space", {"iss": "chatsvc "}),
                          ("audience list without ours", {"aud": ["other"]}), ("issuer as a list", {"iss": [ISSUER]}),
                          ("empty audience", {"aud": ""})):
        add(f"own token, {name}", own(**changes))
    for name, changes in (("our issuer", {"iss": ISSUER}), ("our audience", {"aud": AUDIENCE}),
                          ("other issuer", {"iss": "https://evil.example"}), ("other audience", {"aud": "x"}),
                          ("issuer prefix", {"iss": IDP_ISSUER + ".evil"})):
        add(f"provider token, {name}", idp(**changes))
    # Required claims missing.
    for claim in ("exp", "iat", "sub", "iss", "aud"):
        add(f"own token without {claim}", own(**{claim: ...}))
        add(f"provider token without {claim}", idp(**{claim: ...}))
    add("own token without kind", own(kind=...))
    add("own token without scope", own(scope=...))
    # Times.
    add("own token expired beyond the leeway", own(exp=now - LEEWAY_SECONDS - 5, iat=now - 700), EXPIRED)
    add("provider token expired beyond the leeway", idp(exp=now - LEEWAY_SECONDS - 5, iat=now - 700), EXPIRED)
    add("own token not valid for another minute", own(nbf=now + 60))
    add("provider token not valid for another minute", idp(nbf=now + 60))
    add("own token issued in the future", own(iat=now + 60, nbf=now + 60))
    add("provider token issued in the future", idp(iat=now + 60))
    for value in ("9999999999", None, True, [now + 600], float("inf"), float("nan")):
        add(f"own token, exp {value!r}", own(exp=value))
    add("own token, nbf as text", own(nbf=str(now)))
    add("own token, iat Infinity", own(iat=float("-inf")))
    # Claims tampered with, signature kept.
    for name, changes in (("admin false->true", {"admin": True}), ("scope added", {"scope": FULL_SCOPES + " x"}),
                          ("sub changed", {"sub": "bob@example.com"}), ("kind user->app", {"kind": "app"}),
                          ("exp extended", {"exp": now + 86400}), ("app changed", {"app": "other-app"})):
        add(f"own token tampered: {name}", _tampered(good_own, **changes))
    add("provider token tampered: email changed", _tampered(good_idp, email="bob@example.com"))
    add("provider token tampered: kind user->app", _tampered(good_idp, kind="app", sub="bot"))
    add("header tampered: kid changed", f"{_json({'alg': 'HS256', 'kid': 'x'})}.{body}.{signature}")
    # Scopes smuggled in other claims: without a `scope` the token is not valid; beside a narrow one they grant
    # nothing.
    smuggled = {"scp": FULL_SCOPES, "scopes": FULL_SCOPES.split(), "roles": ["admin", *FULL_SCOPES.split()],
                "scope_list": FULL_SCOPES.split(), "Scope": FULL_SCOPES, "permissions": FULL_SCOPES}
    for claim, value in smuggled.items():
        add(f"own token, scope only in {claim}", own(scope=..., **{claim: value}))
        add(f"provider token, scope only in {claim}", idp(scope=..., **{claim: value}))
        add(f"own token, narrow scope and {claim}", own(scope=NARROW, **{claim: value}), DENIED)
        add(f"provider token, narrow scope and {claim}", idp(scope="userinfo.email", **{claim: value}), DENIED)
    for name, value in (("a list", FULL_SCOPES.split()), ("an object", {"scope": FULL_SCOPES}), ("a number", 1)):
        add(f"own token, scope as {name}", own(scope=value))
        add(f"provider token, scope as {name}", idp(scope=value))
    add("scope in the header only", own({"alg": "HS256", "scope": FULL_SCOPES}, scope=...))
    add("scope in the header, narrow in the claims", own({"alg": "HS256", "scope": FULL_SCOPES}, scope=NARROW),
        DENIED)
    add("provider scope in the header", idp({"alg": "RS256", "kid": KID, "scope": FULL_SCOPES}, scope=...))
    # Admin or odd identities.
    add("own app token with admin", own(kind="app", sub="bot", admin=True))
    add("provider app token with admin", idp(kind="app", sub="bot", email=..., admin=True))
    add("own admin as text", own(admin="true"))
    for kind in ("admin", "service", "", None, 1):
        add(f"own token, kind {kind!r}", own(kind=kind))
        add(f"provider token, kind {kind!r}", idp(kind=kind))
    for sub in ("alice", "alice@example.com/x", "users/alice@example.com", "", 7, None, "a@b@c"):
        add(f"own token, sub {sub!r}", own(sub=sub))
    add("provider token, email not an address", idp(email="alice", sub="alice"))
    add("own token, email_verified as text", own(email_verified="yes"))
    add("own token, app not a name", own(app="../other"))
    # Signed with another HS256 key, or by the attacker claiming to be the provider.
    add("HS256, another key", own(sign=_hs(OTHER_KEY)))
    add("HS256, empty key", own(sign=_hs(b"")))
    add("HS256, key with a byte changed", own(sign=_hs(SIGNING_KEY[:-1].encode() + b"X")))
    add("signature of another token", f"{head}.{body}.{idp().split('.')[2]}")
    add("signature truncated", good_own[:-4])
    add("signature with a bit flipped", good_own[:-2] + ("A" if good_own[-2] != "A" else "B") + good_own[-1])
    # Self-signed JWTs of the trusted service-account key (chatsvc.auth.service_accounts), forged or misused.
    sa, sa_kid = SERVICE_ACCOUNT, SERVICE_ACCOUNT.private_key_id
    sa_pem = sa.public_pem()
    add("service account: another key, its kid", sa.self_signed(sign=_rs(ATTACKER_KEY)))
    add("service account: the provider's key, its kid", sa.self_signed(sign=_rs(IDP_KEY)))
    add("service account: its key, the provider's kid", sa.self_signed({"alg": "RS256", "kid": KID}))
    add("service account: alg none", sa.self_signed({"alg": "none", "kid": sa_kid}, sign=lambda data: b""))
    add("service account: HS256 with its public key", sa.self_signed({"alg": "HS256", "kid": sa_kid}, _hs(sa_pem)))
    add("service account: RS384", sa.self_signed({"alg": "RS384", "kid": sa_kid}))
    add("service account: no kid, another key", sa.self_signed({"alg": "RS256"}, _rs(ATTACKER_KEY)))  # kid-less: by iss
    add("service account: another API's audience", sa.self_signed(scope=..., aud="https://gmail.googleapis.com/"))
    add("service account: an assertion for the token endpoint", sa.assertion())
    add("service account: neither scope nor audience", sa.self_signed(scope=...))
    add("service account: another subject", sa.self_signed(sub=ALICE))
    add("service account: living two hours", sa.self_signed(exp=now + 7200))
    add("service account: issued in the future", sa.self_signed(iat=now + 60, exp=now + 600))
    add("service account: expired", sa.self_signed(iat=now - 4000, exp=now - LEEWAY_SECONDS - 5), EXPIRED)
    add("service account: tampered scope", _tampered(sa.self_signed(), scope=FULL_SCOPES))
    # Malformed.
    for name, token in (
        ("garbage", "garbage"), ("two segments", f"{head}.{body}"), ("four segments", f"{good_own}.{signature}"),
        ("trailing dot", good_own + "."), ("two trailing dots", good_own + ".."), ("leading dot", "." + good_own),
        ("empty segments", ".."), ("only dots", "...."), ("bad base64", "!!!.@@@.###"),
        ("padding in base64", f"{head}==.{body}.{signature}"),
        ("claims in the standard base64 alphabet", _standard_alphabet(own(note="?" * 9))),
        ("header not JSON", f"{_b64(b'not json')}.{body}.{signature}"),
        ("claims not JSON", f"{head}.{_b64(b'{nope')}.{signature}"),
        ("header a JSON array", f"{_b64(b'[]')}.{body}.{signature}"),
        ("claims a JSON array", _token({"alg": "HS256"}, [], _hs(SIGNING_KEY.encode()))),
        ("claims a JSON string", _token({"alg": "HS256"}, "alice", _hs(SIGNING_KEY.encode()))),
        ("claims deeply nested", _token({"alg": "HS256"}, {"a": json.loads("[" * 900 + "]" * 900)},
                                        _hs(SIGNING_KEY.encode()))),
        ("space inside", f"{head}. {body}.{signature}"), ("space in the middle", good_own[:40] + " " + good_own[40:]),
        ("JSON instead of a JWT", json.dumps(_own_claims())),
    ):
        add(f"malformed: {name}", token)
    # The Authorization header itself.
    for name, value in (("no scheme", good_own), ("Basic", "Basic " + _b64(b"alice:secret")),
                        ("Token scheme", f"Token {good_own}"), ("Bearer alone", "Bearer"),
                        ("Bearer and a space", "Bearer "), ("empty", ""), ("Bearer, garbage", "Bearer garbage"),
                        ("Bearer twice", f"Bearer Bearer {good_own}"), ("Bearer: with a colon", f"Bearer: {good_own}"),
                        ("MAC scheme", f"MAC {good_own}")):
        add(f"header: {name}", (("authorization", value),))
    add("two authorization headers, valid first", (("authorization", f"Bearer {good_own}"),
                                                    ("authorization", "Bearer garbage")))
    add("two authorization headers, valid second", (("authorization", "Bearer garbage"),
                                                     ("authorization", f"Bearer {good_own}")))
    add("two authorization headers, both valid", (("authorization", f"Bearer {good_own}"),) * 2)
    # Oversize: refused by the token check or by gRPC itself, never INTERNAL.
    add("token one byte over the limit", own(pad="x" * (MAX_TOKEN_BYTES - len(own()) + 1)))
    add("a token of ~20 KB", own(pad="x" * 20_000), REFUSED)
    add("a token of ~1 MB", "a" * (1 << 20), REFUSED)
    return [Attack(name, value if isinstance(value, tuple) else _bearer(value), expected)
            for name, value, expected in found]


# --- the server and the probes ----------------------------------------------------------------------------

@pytest.fixture
async def harness(database_url, tmp_path):
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": [_public_jwk()]}))
    key_file = SERVICE_ACCOUNT.write(tmp_path / "service-account.json")
    async with serving(database_url, signing_key=SIGNING_KEY, jwks_file=str(jwks), jwks_issuer=IDP_ISSUER,
                       jwks_audience=IDP_AUDIENCE, trusted_service_accounts=(str(key_file),)) as running:
        yield running


def probes(harness) -> dict:
    """One RPC of each service, each callable with call metadata."""
    channel = harness.channel
    chat = harness.chat
    credentials = credential_service_pb2_grpc.CredentialServiceStub(channel)
    directory = directory_service_pb2_grpc.DirectoryServiceStub(channel)
    campaigns = campaign_service_pb2_grpc.CampaignServiceStub(channel)
    return {
        "ChatService.ListSpaces": lambda md: chat.ListSpaces(space_pb2.ListSpacesRequest(), metadata=md),
        "CredentialService.ListCredentials": lambda md: credentials.ListCredentials(
            credential_service_pb2.ListCredentialsRequest(parent="users/me"), metadata=md),
        "DirectoryService.ListBrands": lambda md: directory.ListBrands(
            directory_service_pb2.ListBrandsRequest(), metadata=md),
        "CampaignService.ListEmailCampaigns": lambda md: campaigns.ListEmailCampaigns(
            campaign_service_pb2.ListEmailCampaignsRequest(parent="brands/none"), metadata=md),
    }


async def _outcome(call) -> tuple:
    """(code, reason, message) of a call; reason is None without an ErrorInfo."""
    try:
        await call
    except grpc.aio.AioRpcError as error:
        reason = None
        if error.code() == grpc.StatusCode.UNAUTHENTICATED or error.code() == grpc.StatusCode.PERMISSION_DENIED:
            info = rpc_error_details(error).get("ErrorInfo")
            reason = info.reason if info else None
        return error.code(), reason, error.details()
    return grpc.StatusCode.OK, None, ""


def _wrong(attack: Attack, outcome: tuple) -> str | None:
    """Why `outcome` is not what `attack` must get, or None."""
    code, reason, message = outcome
    if attack.expected == DENIED:
        ok = code == grpc.StatusCode.PERMISSION_DENIED and reason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    elif attack.expected == REFUSED:  # the token check, or gRPC refusing the metadata before any handler
        ok = ((code, reason, message) == (grpc.StatusCode.UNAUTHENTICATED, INVALID, INVALID_TOKEN_MESSAGE)
              or code in (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.UNAVAILABLE))
    else:
        text = INVALID_TOKEN_MESSAGE if attack.expected == INVALID else EXPIRED_TOKEN_MESSAGE
        ok = (code, reason, message) == (grpc.StatusCode.UNAUTHENTICATED, attack.expected, text)
    return None if ok else f"{attack.name}: {code.name} {reason} {message!r}"


async def _healthy(harness) -> None:
    health = health_pb2_grpc.HealthStub(harness.channel)
    assert (await health.Check(health_pb2.HealthCheckRequest())).status == health_pb2.HealthCheckResponse.SERVING


async def _accepted(harness, metadata) -> None:
    for name, call in probes(harness).items():
        code, reason, message = await _outcome(call(metadata))
        assert code in (grpc.StatusCode.OK, grpc.StatusCode.NOT_FOUND), f"{name}: {code} {reason} {message}"


async def test_every_token_attack_is_refused_on_every_service(harness):
    tokens = harness.running.tokens
    # The genuine tokens these attacks start from are accepted, under every spelling of the scheme RFC 6750
    # allows, so each refusal below is the attack's doing.
    for scheme in ("Bearer", "bearer", "BEARER", "Bearer "):
        await _accepted(harness, (("authorization", f"{scheme} {own()}"),))
    await _accepted(harness, _bearer(idp()))
    await _accepted(harness, _bearer(own(exp=int(time.time()) - 2)))  # expired, but within the leeway
    # The service account's genuine self-signed JWT, where app authentication goes (the other services take users).
    list_spaces = probes(harness)["ChatService.ListSpaces"]
    assert (await _outcome(list_spaces(_bearer(SERVICE_ACCOUNT.self_signed()))))[0] == grpc.StatusCode.OK
    remembered = tokens.remembered

    all_attacks = attacks()
    wrong = []
    for attack in all_attacks:
        for name, call in probes(harness).items():
            problem = _wrong(attack, await _outcome(call(attack.metadata)))
            if problem:
                wrong.append(f"{name} / {problem}")
    assert wrong == [], "\n".join(wrong)
    assert len(all_attacks) >= 200, len(all_attacks)  # the figure reported on the issue
    # Only the genuine tokens with a narrow scope were remembered as verified; no refused one was.
    assert tokens.remembered == remembered + sum(attack.expected == DENIED for attack in all_attacks)
    await _healthy(harness)
    await _accepted(harness, _bearer(own()))


async def test_the_verified_token_cache_answers_only_for_tokens_valid_now(harness, monkeypatch):
    tokens = harness.running.tokens
    chat = probes(harness)["ChatService.ListSpaces"]
    short = own(exp=int(time.time()) + 60)
    await _accepted(harness, _bearer(short))  # verified and remembered
    assert await _outcome(chat(_bearer(short))) == (grpc.StatusCode.OK, None, "")

    # Tampered variants of a remembered token are verified afresh, and refused.
    for changes in ({"admin": True}, {"sub": "bob@example.com"}, {"scope": FULL_SCOPES + " x"}):
        outcome = await _outcome(chat(_bearer(_tampered(short, **changes))))
        assert outcome == (grpc.StatusCode.UNAUTHENTICATED, INVALID, INVALID_TOKEN_MESSAGE), changes

    # Once expired (beyond the leeway) a remembered token is refused, and forgotten.
    real = tokens.clock
    monkeypatch.setattr(tokens, "clock", lambda: real() + 60 + LEEWAY_SECONDS + 1)
    before = tokens.remembered
    outcome = await _outcome(chat(_bearer(short)))
    assert outcome == (grpc.StatusCode.UNAUTHENTICATED, EXPIRED, EXPIRED_TOKEN_MESSAGE)
    assert tokens.remembered == before - 1
    monkeypatch.setattr(tokens, "clock", real)

    # When the cache overflows it starts over, and every answer stays right.
    monkeypatch.setattr(token_module, "_VERIFIED_LIMIT", 3)
    people = [f"user{i}@example.com" for i in range(8)]
    minted = {person: own(sub=person) for person in people}
    for _ in range(2):
        for person, token in minted.items():
            assert tokens.verify(token).email == person
            assert tokens.remembered <= 3
    expired = own(exp=int(time.time()) - LEEWAY_SECONDS - 1, iat=int(time.time()) - 100)
    assert await _outcome(chat(_bearer(expired))) == (grpc.StatusCode.UNAUTHENTICATED, EXPIRED,
                                                       EXPIRED_TOKEN_MESSAGE)
    await _healthy(harness)
