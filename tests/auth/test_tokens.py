"""TokenService: minting and verifying bearer tokens, and every way a token must be refused."""
from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from chatsvc.auth.tokens import AUDIENCE, ISSUER, MAX_TOKEN_BYTES, TokenService
from chatsvc.domain.errors import Unauthenticated
from chatsvc.domain.principal import DEFAULT_APP, AuthKind, Principal

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
AUTH = "https://www.googleapis.com/auth/"
KID = "idp-key-1"


@pytest.fixture
def tokens():
    return TokenService(KEY)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _claims(**overrides) -> dict:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice@example.com", "kind": "user", "app": DEFAULT_APP,
              "scope": AUTH + "chat.spaces", "admin": False, "iat": now, "nbf": now, "exp": now + 600}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not ...}


def _hs256(claims: dict, key: bytes = KEY, header: dict | None = None) -> str:
    """An HS256 JWT built by hand, so nothing in PyJWT can refuse to forge it."""
    head = _b64(json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


def _refused(tokens: TokenService, token, reason: str | None = "INVALID_TOKEN") -> Unauthenticated:
    with pytest.raises(Unauthenticated) as caught:
        tokens.verify(token)
    if reason:
        assert caught.value.reason == reason
    return caught.value


# --- round trips -------------------------------------------------------------------------------------------

def test_user_token_round_trip(tokens):
    principal = tokens.verify(tokens.mint(user="Alice@Example.com", scopes=["chat.spaces", "chat.messages"]))
    assert principal == Principal(AuthKind.USER, email="alice@example.com", app=DEFAULT_APP,
                                  scopes=frozenset({AUTH + "chat.spaces", AUTH + "chat.messages"}), admin=False)
    assert not principal.is_app
    assert principal.label == "alice@example.com"


def test_user_through_app_round_trip(tokens):
    principal = tokens.verify(tokens.mint(user="bob@example.com", app="helper-bot", scopes=["chat.messages"]))
    assert principal.kind is AuthKind.USER
    assert principal.email == "bob@example.com"
    assert principal.app == "helper-bot"
    assert principal.scopes == {AUTH + "chat.messages"}


def test_app_token_round_trip(tokens):
    principal = tokens.verify(tokens.mint(app="helper-bot", scopes=["chat.bot"]))
    assert principal == Principal(AuthKind.APP, email="", app="helper-bot", scopes=frozenset({AUTH + "chat.bot"}))
    assert principal.is_app
    assert principal.label == "app:helper-bot"


def test_admin_user_round_trip(tokens):
    principal = tokens.verify(tokens.mint(user="root@example.com", scopes=["chat.admin.spaces"], admin=True))
    assert principal.admin is True
    assert principal.kind is AuthKind.USER


def test_short_and_full_scope_names(tokens):
    token = tokens.mint(user="a@example.com", scopes=["chat.spaces", AUTH + "chat.bot", "chat.users.readstate"])
    assert tokens.verify(token).scopes == {AUTH + "chat.spaces", AUTH + "chat.bot", AUTH + "chat.users.readstate"}
    assert jwt.decode(token, KEY, algorithms=["HS256"], audience=AUDIENCE)["scope"].split() == [
        AUTH + "chat.spaces", AUTH + "chat.bot", AUTH + "chat.users.readstate"]


def test_minted_claims(tokens):
    token = tokens.mint(user="a@example.com", app="x", scopes=["chat.spaces"], ttl=120)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "HS256"
    claims = jwt.decode(token, KEY, algorithms=["HS256"], audience=AUDIENCE)
    assert claims["iss"] == ISSUER and claims["aud"] == AUDIENCE
    assert claims["exp"] - claims["iat"] == 120
    assert claims["kind"] == "user" and claims["sub"] == "a@example.com" and claims["app"] == "x"


def test_the_key_must_be_long_enough():
    with pytest.raises(ValueError):
        TokenService(b"short")


# --- mint refusals -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    {"scopes": ["chat.spaces"]},  # no user, no app
    {"user": "", "app": "", "scopes": ["chat.spaces"]},
    {"user": "not-an-email", "scopes": ["chat.spaces"]},
    {"user": "a@b@example.com", "scopes": ["chat.spaces"]},
    {"user": "a b@example.com", "scopes": ["chat.spaces"]},
    {"user": "users/a@example.com", "scopes": ["chat.spaces"]},
    {"app": "bad name", "scopes": ["chat.bot"]},
    {"app": "-leading-dash", "scopes": ["chat.bot"]},
    {"app": "x" * 64, "scopes": ["chat.bot"]},
    {"user": "a@example.com", "scopes": []},
    {"app": "bot", "scopes": []},
    {"app": "bot", "scopes": ["chat.bot"], "admin": True},
], ids=lambda kwargs: repr(kwargs)[:60])
def test_mint_refuses(tokens, kwargs):
    with pytest.raises(ValueError):
        tokens.mint(**kwargs)


# --- time --------------------------------------------------------------------------------------------------

def test_expired_token(tokens):
    _refused(tokens, tokens.mint(user="a@example.com", scopes=["chat.spaces"], ttl=-60), "EXPIRED_TOKEN")


def test_expiry_follows_the_clock():
    now = [1_700_000_000.0]
    clocked = TokenService(KEY, clock=lambda: now[0])
    token = clocked.mint(user="a@example.com", scopes=["chat.spaces"], ttl=60)
    assert clocked.verify(token).email == "a@example.com"  # valid at the clock's time, though long past
    now[0] += 60 + 4  # within the leeway
    assert clocked.verify(token).email == "a@example.com"
    now[0] += 1
    _refused(clocked, token, "EXPIRED_TOKEN")
    _refused(TokenService(KEY), token, "EXPIRED_TOKEN")  # the real clock: minted in 2023, long expired



def test_a_token_verified_before_is_still_refused_once_expired(tokens, monkeypatch):
    # A verified token is remembered; the memory must not outlive the token.
    token = tokens.mint(user="a@example.com", scopes=["chat.spaces"], ttl=60)
    assert tokens.verify(token).email == "a@example.com"
    assert tokens.verify(token).email == "a@example.com"  # answered from memory
    later = time.time() + 120

    class Later(datetime.datetime):  # PyJWT reads the time from datetime.now
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime.fromtimestamp(later, tz)

    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(jwt.api_jwt, "datetime", Later)
    _refused(tokens, token, "EXPIRED_TOKEN")
    _refused(tokens, token, "EXPIRED_TOKEN")

def test_not_yet_valid_nbf(tokens):
    future = int(time.time()) + 3600
    _refused(tokens, _hs256(_claims(nbf=future, exp=future + 600)))


def test_not_yet_valid_minted_in_the_future():
    from_the_future = TokenService(KEY, clock=lambda: time.time() + 3600)
    _refused(TokenService(KEY), from_the_future.mint(user="a@example.com", scopes=["chat.spaces"]))


def test_a_token_built_by_hand_with_good_claims_is_accepted(tokens):
    # The control for the forgeries below: the hand-rolled HS256 builder makes tokens the service accepts.
    assert tokens.verify(_hs256(_claims())).email == "alice@example.com"


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "iss", "aud", "kind", "scope"])
def test_required_claim_missing(tokens, missing):
    _refused(tokens, _hs256(_claims(**{missing: ...})))


# --- integrity ---------------------------------------------------------------------------------------------

def test_tampered_payload(tokens):
    token = tokens.mint(user="alice@example.com", scopes=["chat.spaces"])
    head, body, signature = token.split(".")
    claims = json.loads(_unb64(body))
    claims["scope"] += " " + AUTH + "chat.admin.spaces"
    claims["admin"] = True
    _refused(tokens, f"{head}.{_b64(json.dumps(claims).encode())}.{signature}")
    claims = json.loads(_unb64(body))
    claims["sub"] = "mallory@example.com"
    _refused(tokens, f"{head}.{_b64(json.dumps(claims).encode())}.{signature}")


def test_tampered_signature(tokens):
    token = tokens.mint(user="alice@example.com", scopes=["chat.spaces"])
    head, body, signature = token.split(".")
    flipped = _b64(bytes([_unb64(signature)[0] ^ 1]) + _unb64(signature)[1:])
    _refused(tokens, f"{head}.{body}.{flipped}")
    _refused(tokens, f"{head}.{body}.")
    _refused(tokens, f"{head}.{body}")


def test_wrong_signing_key(tokens):
    _refused(tokens, TokenService(OTHER_KEY).mint(user="alice@example.com", scopes=["chat.spaces"]))


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_alg_none(tokens, alg):
    head = _b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = _b64(json.dumps(_claims()).encode())
    _refused(tokens, f"{head}.{body}.")
    _refused(tokens, f"{head}.{body}.{_b64(b'x')}")


def test_alg_none_via_pyjwt(tokens):
    _refused(tokens, jwt.encode(_claims(), None, algorithm="none"))


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("alg", ["HS384", "HS512"])
def test_other_hmac_algorithms_with_the_right_key(tokens, alg):
    _refused(tokens, jwt.encode(_claims(), KEY, algorithm=alg))


# --- RS256 from a JWKS file --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def jwks_tokens(rsa_key, tmp_path):
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    jwk.update(kid=KID, use="sig", alg="RS256")
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    return TokenService(KEY, jwks_file=str(path))


def test_rs256_from_the_jwks_key_is_accepted(jwks_tokens, rsa_key):
    token = jwt.encode(_claims(scope=AUTH + "chat.messages"), rsa_key, algorithm="RS256", headers={"kid": KID})
    principal = jwks_tokens.verify(token)
    assert principal.kind is AuthKind.USER
    assert principal.email == "alice@example.com"
    assert principal.scopes == {AUTH + "chat.messages"}
    # HS256 tokens of the server's own key still work alongside.
    assert jwks_tokens.verify(jwks_tokens.mint(app="bot", scopes=["chat.bot"])).is_app


def test_rs256_app_token_is_accepted(jwks_tokens, rsa_key):
    token = jwt.encode(_claims(sub="idp-bot", kind="app", app=..., scope=AUTH + "chat.bot"), rsa_key,
                       algorithm="RS256", headers={"kid": KID})
    assert jwks_tokens.verify(token) == Principal(AuthKind.APP, app="idp-bot", scopes=frozenset({AUTH + "chat.bot"}))


def test_rs256_unknown_kid(jwks_tokens, rsa_key):
    _refused(jwks_tokens, jwt.encode(_claims(), rsa_key, algorithm="RS256", headers={"kid": "someone-else"}))


def test_rs256_without_kid(jwks_tokens, rsa_key):
    _refused(jwks_tokens, jwt.encode(_claims(), rsa_key, algorithm="RS256"))


@pytest.mark.parametrize("kid", [["a", KID], {"kid": KID}, 1])
def test_rs256_kid_not_a_string(jwks_tokens, rsa_key, kid):
    # PyJWT will not encode such a header, so sign it by hand.
    head = _b64(json.dumps({"alg": "RS256", "typ": "JWT", "kid": kid}).encode())
    body = _b64(json.dumps(_claims()).encode())
    signature = rsa_key.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    _refused(jwks_tokens, f"{head}.{body}.{_b64(signature)}")


def test_rs256_signed_by_another_rsa_key_under_the_right_kid(jwks_tokens):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _refused(jwks_tokens, jwt.encode(_claims(), stranger, algorithm="RS256", headers={"kid": KID}))


def test_rs256_refused_without_a_jwks_file(tokens, rsa_key):
    _refused(tokens, jwt.encode(_claims(), rsa_key, algorithm="RS256", headers={"kid": KID}))


def test_rs256_expired(jwks_tokens, rsa_key):
    past = int(time.time()) - 3600
    token = jwt.encode(_claims(iat=past, nbf=past, exp=past + 60), rsa_key, algorithm="RS256", headers={"kid": KID})
    _refused(jwks_tokens, token, "EXPIRED_TOKEN")


def _public_key_secrets(rsa_key) -> dict[str, bytes]:
    public = rsa_key.public_key()
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public))
    jwk.update(kid=KID, use="sig", alg="RS256")
    return {
        "spki-pem": public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        "pkcs1-pem": public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1),
        "spki-der": public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
        "openssh": public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH),
        "jwk-json": json.dumps(jwk).encode(),
        "jwks-json": json.dumps({"keys": [jwk]}).encode(),
    }


@pytest.mark.parametrize("secret", ["spki-pem", "pkcs1-pem", "spki-der", "openssh", "jwk-json", "jwks-json"])
@pytest.mark.parametrize("kid", [KID, None])
def test_algorithm_confusion_public_key_as_hmac_secret(jwks_tokens, rsa_key, secret, kid):
    header = {"alg": "HS256", "typ": "JWT", **({"kid": kid} if kid else {})}
    forged = _hs256(_claims(admin=True, scope=AUTH + "chat.admin.spaces"), _public_key_secrets(rsa_key)[secret], header)
    _refused(jwks_tokens, forged)


def test_rs256_header_with_hmac_signature_is_refused(jwks_tokens, rsa_key):
    # Claims RS256 but carries an HMAC made with the public key: the RSA verifier must not be fooled.
    pem = _public_key_secrets(rsa_key)["spki-pem"]
    forged = _hs256(_claims(), pem, {"alg": "RS256", "typ": "JWT", "kid": KID})
    _refused(jwks_tokens, forged)


@pytest.mark.parametrize("jwks", [
    {"keys": [{"kty": "oct", "k": _b64(b"s" * 32), "kid": "sym"}]},
    {"keys": [{"kty": "EC", "crv": "P-256", "x": "x", "y": "y", "kid": "ec"}]},
])
def test_jwks_file_with_non_rsa_keys_is_refused(tmp_path, jwks):
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks))
    with pytest.raises(ValueError):
        TokenService(KEY, jwks_file=str(path))


def test_jwks_key_without_kid_is_refused(tmp_path, rsa_key):
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    with pytest.raises(ValueError):
        TokenService(KEY, jwks_file=str(path))


# --- claims ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides", [
    {"iss": "someone-else"},
    {"iss": "https://accounts.google.com"},
    {"aud": "other.googleapis.com"},
    {"aud": ["other.googleapis.com"]},
], ids=["iss", "iss-google", "aud", "aud-list"])
def test_wrong_issuer_or_audience(tokens, overrides):
    _refused(tokens, _hs256(_claims(**overrides)))


@pytest.mark.parametrize("scope", [[AUTH + "chat.spaces"], {"s": AUTH + "chat.spaces"}, 1, None, True])
def test_scope_claim_must_be_a_string(tokens, scope):
    _refused(tokens, _hs256(_claims(scope=scope)))


def test_admin_smuggled_into_an_app_token(tokens):
    _refused(tokens, _hs256(_claims(sub="bot", kind="app", admin=True, scope=AUTH + "chat.bot")))
    _refused(tokens, _hs256(_claims(sub="bot", kind="app", admin="yes", scope=AUTH + "chat.bot")))
    # Without the flag the same token is fine.
    assert tokens.verify(_hs256(_claims(sub="bot", kind="app", admin=False, scope=AUTH + "chat.bot"))).is_app


@pytest.mark.parametrize("overrides", [
    {"admin": "true"},  # admin must be a boolean
    {"admin": 1},
    {"kind": "admin"},
    {"kind": "service"},
    {"kind": None},
    {"sub": "not-an-email"},
    {"sub": 42},
    {"app": "bad app name"},
    {"kind": "app", "sub": "bad app name", "scope": AUTH + "chat.bot"},
    {"kind": "app", "sub": "alice@example.com", "scope": AUTH + "chat.bot"},
], ids=lambda o: repr(o)[:50])
def test_malformed_claims(tokens, overrides):
    _refused(tokens, _hs256(_claims(**overrides)))


def test_oversize_token(tokens):
    scopes = [f"chat.padding{i:05d}" for i in range(300)]
    token = tokens.mint(user="alice@example.com", scopes=scopes)
    assert len(token) > MAX_TOKEN_BYTES
    _refused(tokens, token)
    # Just under the limit is fine: the size check is what refused it.
    small = tokens.mint(user="alice@example.com", scopes=scopes[:100])
    assert len(small) < MAX_TOKEN_BYTES
    assert tokens.verify(small).email == "alice@example.com"


@pytest.mark.parametrize("garbage", [
    "", None, "x", "Bearer", "a.b", "a.b.c", "a.b.c.d", "...", "eyJ", "eyJhbGciOiJIUzI1NiJ9..",
    "eyJhbGciOiJIUzI1NiJ9.eyJ9.x", "not a token at all", "ü" * 40, "\x00\x01\x02", "=" * 100,
    _b64(b"[1,2,3]") + "." + _b64(b"{}") + ".x",  # header is JSON but not an object
    _b64(b'{"alg":"HS256"}') + "." + _b64(b"[]") + ".x",
    "x" * (MAX_TOKEN_BYTES + 1),
], ids=lambda g: repr(g)[:30])
def test_garbage(tokens, garbage):
    _refused(tokens, garbage)


def test_identity_provider_tokens_use_its_issuer_audience_and_standard_claims(rsa_key, tmp_path):
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    jwk.update(kid=KID)
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    service = TokenService(KEY, jwks_file=str(path), jwks_issuer="https://idp.example.com",
                           jwks_audience="chatsvc-prod")
    now = int(time.time())
    claims = {"iss": "https://idp.example.com", "aud": "chatsvc-prod", "sub": "8f3a-opaque-subject",
              "email": "Carol@Example.com", "scope": "chat.spaces openid", "iat": now, "exp": now + 60}
    principal = service.verify(jwt.encode(claims, rsa_key, algorithm="RS256", headers={"kid": KID}))
    assert principal == Principal(AuthKind.USER, email="carol@example.com",
                                  scopes=frozenset({AUTH + "chat.spaces", AUTH + "openid"}))
    # Our own issuer is not enough for a provider token once the provider's is configured...
    ours = dict(claims, iss="chatsvc", aud="chat.googleapis.com")
    _refused(service, jwt.encode(ours, rsa_key, algorithm="RS256", headers={"kid": KID}))
    # ...and the provider's issuer does not make an HS256 token acceptable.
    _refused(service, _hs256(claims))
