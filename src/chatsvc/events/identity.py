"""chatsvc's identity towards Chat apps: Google Chat's service account, chat@system.gserviceaccount.com, with a key
pair of chatsvc's own, so that an app verifies chatsvc's requests as Google's guide "Verify requests from Google Chat"
has it verify Google Chat's, with only the certificates' URL changed.

Google Chat sends a bearer token with every request to an app's HTTP endpoint; its kind follows the app's
authentication audience:

- an HTTP endpoint URL: an OpenID Connect ID token, `iss` https://accounts.google.com, `aud` the URL, `email`
  chat@system.gserviceaccount.com with `email_verified` true, `sub` and `azp` the account's numeric id. Apps check it
  with google-auth's `id_token.verify_oauth2_token(token, request, URL)` and `email`.
- a project number: a JWT of the account itself, `iss` chat@system.gserviceaccount.com, `aud` the number, checked
  against the account's certificates (`.../service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com`).

Both are RS256 with one RSA key kept with the data, `<data dir>/events/signing-key.pem` (0600, in a 0700 directory),
with a self-signed certificate of it, `signing-cert.pem`, which chatsvc.http.google_certs serves at Google's paths.
The key id (`kid`) is derived from the public key, so every process names the key alike. Several processes
(`--workers`, replicas on one data directory) may start together: as in chatsvc.tls, every look at the directory holds
an exclusive lock on `events/.lock` and every file is written to a temporary file and renamed into place, so the first
process makes the key and the others read that one.

EventIdentity (what the server holds) reads the key at start-up when its file exists, so a file that cannot be used
stops the start, and otherwise makes it on first use (a token signed, a certificate URL fetched), as
chatsvc.crypto.keys does with its key: a server that never talks to an app writes no key file.

The private key is not logged and is no part of a repr; log lines name the file and the key id.
"""
from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from chatsvc.tls import _key_pem, _locked, _same_key, _write

log = logging.getLogger("chatsvc.events")

CHAT_SERVICE_ACCOUNT = "chat@system.gserviceaccount.com"
GOOGLE_ISSUER = "https://accounts.google.com"
EVENTS_DIR = "events"
KEY_FILE, CERT_FILE, LOCK = "signing-key.pem", "signing-cert.pem", ".lock"
KEY_BITS = 2048
TOKEN_SECONDS = 3600  # Google's ID tokens live an hour
CERT_VALIDITY = dt.timedelta(days=3650)
RENEW_BEFORE = dt.timedelta(days=30)  # the certificate (of the same key) is re-issued this long before it expires
BACKDATE = dt.timedelta(hours=1)


def _account_id(email: str) -> str:
    """A numeric id in the shape of a Google service account's unique id (21 digits, the first a 1), derived from the
    email alone: the same on every installation, as the account's id is the same for every app."""
    number = int.from_bytes(hashlib.sha256(email.encode()).digest()[:16], "big") % 10 ** 20
    return f"1{number:020d}"


CHAT_ACCOUNT_ID = _account_id(CHAT_SERVICE_ACCOUNT)


class IdentityError(ValueError):
    """The key files cannot be used; the message names the file and why, never its content."""


def is_project_number(audience: str) -> bool:
    return audience.isascii() and audience.isdigit()


def check_audience(audience: str) -> str:
    """`audience` if it is an authentication audience Google's console accepts: an http(s) URL or a project number."""
    if is_project_number(audience):
        return audience
    parts = urlsplit(audience)
    if parts.scheme in ("https", "http") and parts.netloc:
        return audience
    raise ValueError(f"an authentication audience is an HTTP endpoint URL or a project number, not {audience!r}")


class EventIdentity:
    """The identity a server signs its requests to apps with: the SigningKey of `<data dir>/events`, read or made
    on first use (see the module's doc)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._key: SigningKey | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> EventIdentity:
        """The identity kept in `data_dir`; its key is read now if its file exists (IdentityError if unusable)."""
        identity = cls(Path(data_dir) / EVENTS_DIR)
        if (identity.directory / KEY_FILE).exists():
            identity.key()
        return identity

    def key(self) -> SigningKey:
        """The key, read or made on the first call (blocking: file I/O, and RSA key generation the first time)."""
        with self._lock:
            if self._key is None:
                self._key = SigningKey.load_or_create(self.directory)
            return self._key

    async def loaded(self) -> SigningKey:
        """`key()` for the event loop: read or made in a thread."""
        return self._key or await asyncio.to_thread(self.key)

    def id_token_for(self, audience: str, *, now: int | None = None) -> str:
        """The bearer token of a request to an app whose authentication audience is `audience` (see
        SigningKey.id_token_for). Signing takes about a millisecond; the first call may read or make the key."""
        return self.key().id_token_for(audience, now=now)


@dataclass(frozen=True)
class SigningKey:
    """The key pair, its id and certificate; `id_token_for` signs the bearer token of a request to an app."""
    kid: str
    certificate_pem: str = field(repr=False)
    key_file: Path
    private_key: rsa.RSAPrivateKey = field(repr=False)
    made: bool = False  # the key was made by this call

    @classmethod
    def load_or_create(cls, directory: Path, *, now: dt.datetime | None = None) -> SigningKey:
        """The key in `directory`, made on first use, with its certificate (issued when missing, not of the key, or
        about to expire). IdentityError when a file is there but cannot be used."""
        now = now or dt.datetime.now(dt.UTC)
        directory = Path(directory).resolve()
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if directory.stat().st_mode & 0o077:
            os.chmod(directory, 0o700)
        key_file, cert_file = directory / KEY_FILE, directory / CERT_FILE
        with _locked(directory / LOCK):
            made = not key_file.exists()
            if made:
                key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
                _write(key_file, _key_pem(key), 0o600)
            else:
                key = _read_key(key_file)
            cert = _read_certificate(cert_file, key)
            if cert is None or cert.not_valid_after_utc - now <= RENEW_BEFORE or cert.not_valid_before_utc > now:
                cert = _issue_certificate(key, now)
                _write(cert_file, cert.public_bytes(serialization.Encoding.PEM), 0o644)
        signing_key = cls(key_id(key.public_key()), cert.public_bytes(serialization.Encoding.PEM).decode(), key_file,
                          key, made)
        if made:
            log.info("events: made the key requests to Chat apps are signed with, %s (key id %s)", key_file,
                     signing_key.kid)
        return signing_key

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    def id_token_for(self, audience: str, *, now: int | None = None) -> str:
        """The bearer token of a request to an app whose authentication audience is `audience`: an ID token for an
        endpoint URL, a JWT of chat@system.gserviceaccount.com for a project number (see the module's doc). `now`
        (seconds since the epoch): when it is issued, for tests."""
        check_audience(audience)
        issued = int(time.time()) if now is None else now
        if is_project_number(audience):
            claims = {"aud": audience, "exp": issued + TOKEN_SECONDS, "iat": issued, "iss": CHAT_SERVICE_ACCOUNT}
        else:
            claims = {"aud": audience, "azp": CHAT_ACCOUNT_ID, "email": CHAT_SERVICE_ACCOUNT, "email_verified": True,
                      "exp": issued + TOKEN_SECONDS, "iat": issued, "iss": GOOGLE_ISSUER, "sub": CHAT_ACCOUNT_ID}
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})

    def x509_certificates(self) -> dict[str, str]:
        """{kid: PEM certificate}, as Google's x509 metadata endpoints answer."""
        return {self.kid: self.certificate_pem}

    def jwks(self) -> dict:
        """The public key as a JWK Set, as Google's jwk metadata endpoints answer."""
        numbers = self.public_key.public_numbers()
        return {"keys": [{"kid": self.kid, "kty": "RSA", "alg": "RS256", "use": "sig",
                          "n": _base64url_uint(numbers.n), "e": _base64url_uint(numbers.e)}]}


def key_id(public_key: rsa.RSAPublicKey) -> str:
    """40 hex digits, as Google's key ids: the SHA-1 of the public key (DER SubjectPublicKeyInfo)."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha1(der).hexdigest()


def _base64url_uint(value: int) -> str:
    return base64.urlsafe_b64encode(value.to_bytes((value.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()


def _read_key(key_file: Path) -> rsa.RSAPrivateKey:
    mode = key_file.stat().st_mode & 0o777
    if mode & 0o077:
        raise IdentityError(f"{key_file} must be readable by its owner only (chmod 600), not {oct(mode)}")
    try:
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    except (ValueError, TypeError):  # the file's content stays out of the message
        key = None
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < KEY_BITS:
        raise IdentityError(f"{key_file} holds no unencrypted RSA private key of {KEY_BITS} bits or more; move it "
                            "away to make a new one")
    return key


def _read_certificate(cert_file: Path, key: rsa.RSAPrivateKey) -> x509.Certificate | None:
    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    except (OSError, ValueError):
        return None
    return cert if _same_key(cert, key) else None


def _issue_certificate(key: rsa.RSAPrivateKey, now: dt.datetime) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CHAT_SERVICE_ACCOUNT)])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE).not_valid_after(now + CERT_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
