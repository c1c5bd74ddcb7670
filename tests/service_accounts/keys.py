"""Throwaway service-account key files, shaped as the one Google's console downloads, and JWTs built by hand from
their keys (so that tests can forge what no library would sign)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
AUTH = "https://www.googleapis.com/auth/"


@dataclass(frozen=True)
class ServiceAccountKey:
    private_key: rsa.RSAPrivateKey
    client_email: str
    private_key_id: str

    @property
    def project(self) -> str:
        return self.client_email.split("@")[1].split(".")[0]

    def file_json(self, token_uri: str = GOOGLE_TOKEN_URI) -> dict:
        """The key file's content, field for field as Google's console writes it."""
        pem = self.private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()).decode()
        quoted = self.client_email.replace("@", "%40")
        return {
            "type": "service_account",
            "project_id": self.project,
            "private_key_id": self.private_key_id,
            "private_key": pem,
            "client_email": self.client_email,
            "client_id": str(secrets.randbelow(10 ** 21)),
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": f"https://www.googleapis.com/robot/v1/metadata/x509/{quoted}",
            "universe_domain": "googleapis.com",
        }

    def write(self, path: Path, token_uri: str = GOOGLE_TOKEN_URI) -> Path:
        path.write_text(json.dumps(self.file_json(token_uri), indent=2) + "\n")
        return path

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo)

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    def self_signed(self, header=None, sign=None, **changes) -> str:
        """A self-signed JWT as google-auth makes one with scopes (`always_use_jwt_access`); `...` drops a claim."""
        now = int(time.time())
        claims = {"iss": self.client_email, "sub": self.client_email, "iat": now, "exp": now + 3600,
                  "scope": AUTH + "chat.bot"}
        return jwt_of(header or {"typ": "JWT", "alg": "RS256", "kid": self.private_key_id},
                      _changed(claims, changes), sign or self.sign)

    def assertion(self, header=None, sign=None, **changes) -> str:
        """A JWT-bearer assertion as google-auth makes one for the token endpoint; `...` drops a claim."""
        now = int(time.time())
        claims = {"iat": now, "exp": now + 3600, "iss": self.client_email, "aud": GOOGLE_TOKEN_URI,
                  "scope": AUTH + "chat.bot"}
        return jwt_of(header or {"typ": "JWT", "alg": "RS256", "kid": self.private_key_id},
                      _changed(claims, changes), sign or self.sign)


def new_key(email: str = "chat-app@chatsvc-test.iam.gserviceaccount.com", kid: str | None = None) -> ServiceAccountKey:
    return ServiceAccountKey(rsa.generate_private_key(public_exponent=65537, key_size=2048), email,
                             kid or secrets.token_hex(20))


def _changed(claims: dict, changes: dict) -> dict:
    return {k: v for k, v in {**claims, **changes}.items() if v is not ...}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_of(header: dict, claims: dict, sign) -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


def hs256(secret: bytes):
    return lambda data: hmac.new(secret, data, hashlib.sha256).digest()


def tampered(token: str, **changes) -> str:
    """`token` with claims changed, header and signature kept."""
    head, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return f"{head}.{b64(json.dumps({**claims, **changes}).encode())}.{signature}"
