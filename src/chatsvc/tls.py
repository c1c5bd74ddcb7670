"""TLS for both surfaces (gRPC and the HTTP endpoint): certificate files given by the operator, or a local CA
that chatsvc makes once and a server certificate it signs.

`--tls-self-signed` keeps, in `<data dir>/tls/` (mode 0700):

- `ca.pem` / `ca.key`: the local CA (10 years). Clients trust `ca.pem`; `ca.key` (0600) never leaves the directory.
- `server.pem` / `server.key`: the server certificate (about a year; browsers accept at most 397 days) for
  localhost, 127.0.0.1, ::1, the addresses the server listens on and any `--tls-name`, followed by the CA
  certificate. It is re-issued by the same CA when it expires within RENEW_BEFORE, when its names differ from
  the ones asked for, or when it does not belong to the CA or its key.

Several processes (`--workers`, replicas on one data directory) may start together: every look at the
directory holds an exclusive lock on `tls/.lock`, and every file is written to a temporary file and renamed
into place, so a process sees either no file or a whole one, and a certificate always with its own key.
Keys are never logged: the private key is not part of ServerTls' repr, and log lines name files, never content.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import ipaddress
import logging
import os
import re
import secrets
import ssl
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

log = logging.getLogger("chatsvc.tls")

TLS_DIR = "tls"
CA_CERT, CA_KEY = "ca.pem", "ca.key"
SERVER_CERT, SERVER_KEY = "server.pem", "server.key"
LOCK = ".lock"
DEFAULT_NAMES = ("localhost", "127.0.0.1", "::1")
CA_VALIDITY = dt.timedelta(days=3650)
SERVER_VALIDITY = dt.timedelta(days=365)
RENEW_BEFORE = dt.timedelta(days=30)
BACKDATE = dt.timedelta(hours=1)  # clients whose clock is a little behind accept a certificate made just now
_WILDCARD_HOSTS = ("", "0.0.0.0", "::", "[::]")
_DNS_NAME = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


class TlsError(ValueError):
    """Settings or files that cannot serve TLS; the message says which and why."""


@dataclass(frozen=True)
class ServerTls:
    """What both servers are given: the certificate chain and key (PEM), and the HTTP endpoint's SSL context."""
    certificate_chain: bytes = field(repr=False)
    private_key: bytes = field(repr=False)
    ssl_context: ssl.SSLContext = field(repr=False)
    cert_file: Path
    names: tuple[str, ...]
    not_after: dt.datetime
    ca_file: Path | None = None  # the local CA clients should trust (`--tls-self-signed`)
    issued: bool = False  # the server certificate was made or renewed by this call

    def grpc_credentials(self):
        import grpc

        return grpc.ssl_server_credentials([(self.private_key, self.certificate_chain)])

    def describe(self) -> str:
        """The start-up log line: which file to trust, or which certificate is served. Never key material."""
        expires = self.not_after.strftime("%Y-%m-%d")
        if self.ca_file:
            return (f"TLS: clients trust {self.ca_file} (server certificate {self.cert_file} for "
                    f"{', '.join(self.names)}, {'issued now, ' if self.issued else ''}valid until {expires})")
        return f"TLS: certificate {self.cert_file} for {', '.join(self.names) or '(no names)'}, valid until {expires}"


def tls_for(settings) -> ServerTls | None:
    """TLS as `settings` (chatsvc.config.Settings) ask for; None for plain text. The local CA lives in the data
    directory that `chatsvc serve` uses; its certificate also names the hosts listened on and published."""
    from chatsvc.http.server import http_address
    from chatsvc.storage.blobs import default_root

    data_dir = Path(settings.data_dir) if settings.data_dir else default_root(settings.database_url)
    hosts = [settings.listen.rpartition(":")[0].strip("[]"), *url_hosts(settings.public_url)]
    if address := http_address(settings.http_listen, settings.listen):
        hosts.append(address[0])
    return server_tls(cert=settings.tls_cert, key=settings.tls_key, self_signed=settings.tls_self_signed,
                      names=settings.tls_names, data_dir=data_dir, hosts=hosts)


def server_tls(*, cert: str | None, key: str | None, self_signed: bool, names: Iterable[str], data_dir: Path,
               hosts: Iterable[str] = ()) -> ServerTls | None:
    """TLS as configured: None for plain text; the operator's files; or the local CA's certificate for
    DEFAULT_NAMES + `hosts` (the addresses listened on and published, wildcards left out) + `names`."""
    if self_signed and (cert or key):
        raise TlsError("--tls-self-signed makes its own certificate: give it or --tls-cert/--tls-key, not both")
    if bool(cert) != bool(key):
        raise TlsError("--tls-cert and --tls-key go together")
    if cert and key:
        return from_files(Path(cert), Path(key))
    if self_signed:
        wanted = [*DEFAULT_NAMES, *(h for h in hosts if h not in _WILDCARD_HOSTS), *names]
        return self_signed_tls(data_dir / TLS_DIR, wanted)
    return None


def url_hosts(*urls: str | None) -> list[str]:
    """The host names of URLs such as --public-url (for the certificate's names)."""
    return [host for url in urls if url and (host := urlsplit(url).hostname)]


# ---- the operator's files -------------------------------------------------------------------------------------

def from_files(cert_file: Path, key_file: Path) -> ServerTls:
    try:
        chain, key_pem = cert_file.read_bytes(), key_file.read_bytes()
    except OSError as error:
        raise TlsError(f"cannot read {error.filename}: {error.strerror}") from None
    try:
        leaf = x509.load_pem_x509_certificates(chain)[0]
    except ValueError:
        raise TlsError(f"{cert_file} holds no PEM certificate") from None
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError):  # the key's content stays out of the message
        raise TlsError(f"{key_file} holds no unencrypted PEM private key") from None
    if not _same_key(leaf, key):
        raise TlsError(f"{key_file} is not the key of the certificate in {cert_file}")
    if leaf.not_valid_after_utc <= _now():
        log.warning("the TLS certificate %s expired on %s: clients will refuse it", cert_file,
                    leaf.not_valid_after_utc.date())
    return ServerTls(chain, key_pem, _ssl_context(cert_file, key_file), cert_file, _names_of(leaf),
                     leaf.not_valid_after_utc)


# ---- the local CA ---------------------------------------------------------------------------------------------

def self_signed_tls(directory: Path, names: Iterable[str], *, now: dt.datetime | None = None,
                    server_validity: dt.timedelta = SERVER_VALIDITY) -> ServerTls:
    """The local CA in `directory` (made when missing or about to expire) and a server certificate of it for
    exactly `names`, re-issued when needed (see the module's doc). `now` and `server_validity`: for tests."""
    now = now or _now()
    wanted = normalize_names(names)
    directory = directory.resolve()  # the log line names the CA file by a path that works from anywhere
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if directory.stat().st_mode & 0o077:
        os.chmod(directory, 0o700)
    with _locked(directory / LOCK):
        ca_cert, ca_key = _local_ca(directory, now)
        cert_file, key_file = directory / SERVER_CERT, directory / SERVER_KEY
        current = _server_certificate(cert_file, key_file, ca_cert)
        reason = _renewal_reason(current, wanted, now)
        if reason:
            log.info("TLS: issuing the server certificate (%s)", reason)
            leaf_pem, key_pem = _issue_server(ca_cert, ca_key, wanted, now, server_validity)
            _write(key_file, key_pem, 0o600)
            _write(cert_file, leaf_pem + ca_cert.public_bytes(serialization.Encoding.PEM), 0o644)
        chain, key_pem = cert_file.read_bytes(), key_file.read_bytes()
        context = _ssl_context(cert_file, key_file)  # read under the lock: a certificate with its own key
    leaf = x509.load_pem_x509_certificates(chain)[0]
    return ServerTls(chain, key_pem, context, cert_file, _names_of(leaf), leaf.not_valid_after_utc,
                     ca_file=directory / CA_CERT, issued=bool(reason))


def normalize_names(names: Iterable[str]) -> tuple[str, ...]:
    """Host names (lower case, IDNA) and IP addresses (canonical form), in order, each once; TlsError for
    anything else."""
    found: list[str] = []
    for raw in names:
        name = raw.strip().strip("[]")
        if not name:
            continue
        try:
            name = str(ipaddress.ip_address(name))
        except ValueError:
            try:
                name = name.encode("idna").decode("ascii").lower().rstrip(".")
            except UnicodeError:
                name = ""
            if not _DNS_NAME.match(name):
                raise TlsError(f"--tls-name {raw!r} is neither a host name nor an IP address") from None
        if name not in found:
            found.append(name)
    return tuple(found)


def _local_ca(directory: Path, now: dt.datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert_file, key_file = directory / CA_CERT, directory / CA_KEY
    if cert_file.exists() and key_file.exists():
        mode = key_file.stat().st_mode & 0o777
        if mode & 0o077:
            raise TlsError(f"{key_file} must be readable by its owner only (chmod 600), not {oct(mode)}")
        try:
            cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
            key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        except ValueError:
            raise TlsError(f"{cert_file} or {key_file} is not a PEM certificate or key; move both away to make "
                           "a new CA") from None
        if not _same_key(cert, key):
            raise TlsError(f"{key_file} is not the key of {cert_file}; move both away to make a new CA")
        if cert.not_valid_after_utc - now > RENEW_BEFORE:
            return cert, key
        log.warning("TLS: the local CA %s expires on %s: making a new one, which clients must trust instead",
                    cert_file, cert.not_valid_after_utc.date())
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "chatsvc"),
        # Unique, so that two machines' CAs in one trust store are told apart.
        x509.NameAttribute(NameOID.COMMON_NAME, f"chatsvc local CA {now:%Y-%m-%d} {secrets.token_hex(4)}"),
    ])
    public = key.public_key()
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE).not_valid_after(now + CA_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(key, hashes.SHA256()))
    _write(key_file, _key_pem(key), 0o600)
    _write(cert_file, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    log.info("TLS: made a local CA, %s", cert_file)
    return cert, key


def _server_certificate(cert_file: Path, key_file: Path, ca: x509.Certificate) -> x509.Certificate | None:
    """The server certificate on disk, if it is whole, of its key, and issued by `ca`; else None."""
    try:
        leaf = x509.load_pem_x509_certificates(cert_file.read_bytes())[0]
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        leaf.verify_directly_issued_by(ca)
    except (OSError, ValueError, TypeError, InvalidSignature):
        return None
    return leaf if _same_key(leaf, key) else None


def _renewal_reason(leaf: x509.Certificate | None, wanted: tuple[str, ...], now: dt.datetime) -> str | None:
    if leaf is None:
        return "none of this CA yet"
    if set(_names_of(leaf)) != set(wanted):
        return f"names were {', '.join(_names_of(leaf))}"
    if leaf.not_valid_before_utc > now:
        return "it is not valid yet"
    if leaf.not_valid_after_utc - now <= RENEW_BEFORE:
        return f"it expires on {leaf.not_valid_after_utc.date()}"
    return None


def _issue_server(ca: x509.Certificate, ca_key, names: tuple[str, ...], now: dt.datetime,
                  validity: dt.timedelta) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    sans = [x509.IPAddress(ipaddress.ip_address(n)) if _is_ip(n) else x509.DNSName(n) for n in names]
    not_after = min(now + validity, ca.not_valid_after_utc)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "chatsvc"),
                                     x509.NameAttribute(NameOID.COMMON_NAME, names[0][:64])]))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - BACKDATE).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM), _key_pem(key)


# ---- helpers --------------------------------------------------------------------------------------------------

def _ssl_context(cert_file: Path, key_file: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])  # aiohttp speaks HTTP/1.1 only
    try:
        context.load_cert_chain(cert_file, key_file)
    except ssl.SSLError as error:
        raise TlsError(f"cannot use {cert_file} with {key_file}: {error.reason}") from None
    return context


def _names_of(cert: x509.Certificate) -> tuple[str, ...]:
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ()
    return (*sans.get_values_for_type(x509.DNSName), *(str(ip) for ip in sans.get_values_for_type(x509.IPAddress)))


def _same_key(cert: x509.Certificate, key) -> bool:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return (cert.public_key().public_bytes(serialization.Encoding.DER, spki)
            == key.public_key().public_bytes(serialization.Encoding.DER, spki))


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _write(path: Path, content: bytes, mode: int) -> None:
    """Whole or not at all: a temporary file (0600 from the start) in the same directory, renamed into place."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(path: Path):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
