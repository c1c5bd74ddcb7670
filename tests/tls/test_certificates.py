"""The local CA and its server certificate (chatsvc.tls, `--tls-self-signed`): what is made, kept, reused and
renewed; checked with cryptography's own path validation (the rules browsers and WebPKI clients apply), and
under processes starting together."""
from __future__ import annotations

import datetime as dt
import ipaddress
import json
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.verification import PolicyBuilder, Store

from chatsvc.tls import CA_CERT, CA_KEY, SERVER_CERT, SERVER_KEY, TlsError, self_signed_tls, server_tls
from tests.helpers import REPO

NAMES = ["localhost", "127.0.0.1", "::1", "Chat.Example.TEST", "10.1.2.3"]
NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def files(directory):
    return {name: (directory / name).read_bytes() for name in (CA_CERT, CA_KEY, SERVER_CERT, SERVER_KEY)}


def certs(path):
    return x509.load_pem_x509_certificates(path.read_bytes())


def verify(directory, name, at=NOW):
    """The server certificate chain validated against ca.pem for `name` at `at` (VerificationError if not)."""
    leaf, *intermediates = certs(directory / SERVER_CERT)
    verifier = PolicyBuilder().store(Store(certs(directory / CA_CERT))).time(at).build_server_verifier(
        x509.IPAddress(ipaddress.ip_address(name)) if name[0].isdigit() or ":" in name else x509.DNSName(name))
    return verifier.verify(leaf, intermediates)


def test_local_ca_and_server_certificate(tmp_path):
    directory = tmp_path / "tls"
    made = self_signed_tls(directory, NAMES, now=NOW)

    assert made.issued and made.ca_file == directory / CA_CERT
    assert (directory.stat().st_mode & 0o777) == 0o700
    assert (directory / CA_KEY).stat().st_mode & 0o777 == 0o600
    assert (directory / SERVER_KEY).stat().st_mode & 0o777 == 0o600
    assert "PRIVATE KEY" not in repr(made) and "PRIVATE KEY" not in made.describe()
    assert str(directory / CA_CERT) in made.describe()
    assert sorted(made.names) == sorted(["localhost", "chat.example.test", "127.0.0.1", "::1", "10.1.2.3"])

    (ca,) = certs(directory / CA_CERT)
    leaf, chained_ca = certs(directory / SERVER_CERT)
    assert chained_ca == ca  # the chain served carries the CA after the leaf
    assert made.certificate_chain == (directory / SERVER_CERT).read_bytes()
    constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca and constraints.value.path_length == 0
    usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
    assert ca.not_valid_after_utc - ca.not_valid_before_utc >= dt.timedelta(days=3650)

    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value == x509.ExtendedKeyUsage(
        [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH])
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["localhost", "chat.example.test"]
    assert [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)] == ["127.0.0.1", "::1", "10.1.2.3"]
    lifetime = leaf.not_valid_after_utc - leaf.not_valid_before_utc
    assert dt.timedelta(days=300) < lifetime <= dt.timedelta(days=397)  # browsers' limit
    for name in ("localhost", "chat.example.test", "127.0.0.1", "::1", "10.1.2.3"):
        assert verify(directory, name)[0] == leaf
    with pytest.raises(x509.verification.VerificationError):
        verify(directory, "other.example.test")

    # The key files hold the keys of the certificates.
    key = serialization.load_pem_private_key((directory / SERVER_KEY).read_bytes(), None)
    assert key.public_key() == leaf.public_key()


def test_kept_across_restarts_and_renewed_near_expiry(tmp_path):
    directory = tmp_path / "tls"
    self_signed_tls(directory, NAMES, now=NOW)
    first = files(directory)

    again = self_signed_tls(directory, reversed(NAMES), now=NOW + dt.timedelta(days=330))  # order is no change
    assert not again.issued and files(directory) == first

    renewed = self_signed_tls(directory, NAMES, now=NOW + dt.timedelta(days=340))  # 25 days before expiry
    after = files(directory)
    assert renewed.issued
    assert (after[CA_CERT], after[CA_KEY]) == (first[CA_CERT], first[CA_KEY])  # the same CA: clients keep trusting
    assert (after[SERVER_CERT], after[SERVER_KEY]) != (first[SERVER_CERT], first[SERVER_KEY])
    verify(directory, "localhost", at=NOW + dt.timedelta(days=700))
    assert renewed.not_after > NOW + dt.timedelta(days=700)


def test_renewed_when_the_names_change(tmp_path):
    directory = tmp_path / "tls"
    self_signed_tls(directory, NAMES, now=NOW)
    first = files(directory)

    changed = self_signed_tls(directory, [*NAMES, "new.example.test"], now=NOW)
    assert changed.issued and files(directory)[CA_CERT] == first[CA_CERT]
    verify(directory, "new.example.test")
    assert self_signed_tls(directory, NAMES, now=NOW).issued  # a name dropped is a change too
    with pytest.raises(x509.verification.VerificationError):
        verify(directory, "new.example.test")


def test_server_files_that_do_not_belong_are_replaced(tmp_path):
    directory = tmp_path / "tls"
    self_signed_tls(directory, NAMES, now=NOW)
    ca = files(directory)[CA_CERT]
    stranger = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (directory / SERVER_KEY).write_bytes(stranger)

    assert self_signed_tls(directory, NAMES, now=NOW).issued
    assert files(directory)[SERVER_KEY] != stranger and files(directory)[CA_CERT] == ca
    verify(directory, "localhost")


def test_a_ca_near_its_end_is_replaced(tmp_path):
    directory = tmp_path / "tls"
    self_signed_tls(directory, NAMES, now=NOW)
    first = files(directory)
    late = NOW + dt.timedelta(days=3640)
    assert self_signed_tls(directory, NAMES, now=late).issued
    assert files(directory)[CA_CERT] != first[CA_CERT]
    verify(directory, "localhost", at=late)


def test_refuses_a_ca_key_others_can_read(tmp_path):
    directory = tmp_path / "tls"
    self_signed_tls(directory, NAMES, now=NOW)
    (directory / CA_KEY).chmod(0o644)
    with pytest.raises(TlsError, match="chmod 600"):
        self_signed_tls(directory, NAMES, now=NOW)


def test_settings_that_cannot_work(tmp_path):
    def tls(**given):
        return server_tls(**{"cert": None, "key": None, "self_signed": False, "names": (), "data_dir": tmp_path,
                             **given})

    assert tls() is None  # plain text by default
    with pytest.raises(TlsError, match="go together"):
        tls(cert=str(tmp_path / "c.pem"))
    with pytest.raises(TlsError, match="not both"):
        tls(cert="c", key="k", self_signed=True)
    with pytest.raises(TlsError, match="neither a host name"):
        tls(self_signed=True, names=["bad name!"])
    with pytest.raises(TlsError, match="cannot read"):
        tls(cert=str(tmp_path / "missing.pem"), key=str(tmp_path / "missing.key"))

    # A key that is not the certificate's: refused by name, its content nowhere in the message.
    key = ec.generate_private_key(ec.SECP256R1())
    other = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "localhost")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(NOW).not_valid_after(NOW + dt.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    with pytest.raises(TlsError, match="is not the key of") as caught:
        tls(cert=str(tmp_path / "c.pem"), key=str(tmp_path / "k.pem"))
    assert "PRIVATE KEY" not in str(caught.value)


MAKE = """
import hashlib, json, sys, time
from pathlib import Path
from chatsvc.tls import self_signed_tls
start = float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
made = self_signed_tls(Path(sys.argv[1]), ["localhost", "127.0.0.1", "::1"])
print(json.dumps({"chain": hashlib.sha256(made.certificate_chain).hexdigest(),
                  "key": hashlib.sha256(made.private_key).hexdigest(), "issued": made.issued}))
"""


def test_processes_starting_together_agree(tmp_path):
    """Four processes (as `--workers` or replicas on one data directory) make the CA at the same moment: one
    makes it and the server certificate, the others take the same, each certificate with its own key."""
    import time

    directory = tmp_path / "tls"
    start = time.time() + 1.5  # after every interpreter has started and imported cryptography
    procs = [subprocess.Popen([sys.executable, "-c", MAKE, str(directory), str(start)], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    assert len({(r["chain"], r["key"]) for r in results}) == 1, results
    assert sorted(r["issued"] for r in results) == [False, False, False, True]
    verify(directory, "localhost", at=dt.datetime.now(dt.UTC))
    leaf = certs(directory / SERVER_CERT)[0]
    key = serialization.load_pem_private_key((directory / SERVER_KEY).read_bytes(), None)
    assert key.public_key() == leaf.public_key()
    assert sorted(p.name for p in directory.iterdir()) == sorted([".lock", CA_CERT, CA_KEY, SERVER_CERT, SERVER_KEY])
