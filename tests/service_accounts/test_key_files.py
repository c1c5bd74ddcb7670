"""Trusting a key file: what is kept of it (the public half, the email, the key id, the app), the app's name, the
`--service-account-app` mapping, the settings from flags and environment, and the files refused (without quoting
them)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from chatsvc import cli
from chatsvc.auth.service_accounts import ServiceAccounts, TrustedKey, app_name_for, load_key_file
from chatsvc.auth.tokens import valid_app_name
from tests.service_accounts.keys import new_key

KEY = new_key("chat-app@my-project.iam.gserviceaccount.com")


def test_app_names_come_from_the_email():
    assert app_name_for("chat-app@my-project.iam.gserviceaccount.com") == "chat-app.my-project"
    assert app_name_for("bot@example.com") == "bot.example.com"
    assert app_name_for("my-project@appspot.gserviceaccount.com") == "my-project.appspot.gserviceaccount.com"
    long = "a" * 30 + "@" + "b" * 30 + ".example.com"
    name = app_name_for(long)
    assert valid_app_name(name) and len(name) == 63 and name == app_name_for(long)  # stable
    assert name != app_name_for(long.replace("b", "c", 1))
    odd = app_name_for("+weird@exa_mple.com")
    assert valid_app_name(odd), odd


def test_only_the_public_half_is_kept(tmp_path):
    trusted = load_key_file(KEY.write(tmp_path / "key.json"))
    assert trusted == TrustedKey(KEY.client_email, KEY.private_key_id, trusted.public_key, "chat-app.my-project")
    assert isinstance(trusted.public_key, rsa.RSAPublicKey)
    assert trusted.public_key.public_numbers() == KEY.private_key.public_key().public_numbers()
    assert "PRIVATE" not in repr(trusted) and not hasattr(trusted, "__dict__")  # nothing else can hang on it


def test_the_app_can_be_named(tmp_path):
    path = str(KEY.write(tmp_path / "key.json"))
    accounts = ServiceAccounts.from_files([path], [f"{KEY.client_email}=helper-bot"])
    assert [key.app for key in accounts.keys] == ["helper-bot"]
    with pytest.raises(ValueError, match="whose key file is not trusted"):
        ServiceAccounts.from_files([path], ["someone@example.com=bot"])
    for bad in ("helper-bot", f"{KEY.client_email}=bad name", "=bot"):
        with pytest.raises(ValueError, match="EMAIL=APP"):
            ServiceAccounts.from_files([path], [bad])


def test_settings_from_flags_or_the_environment(monkeypatch):
    monkeypatch.setenv("CHATSVC_TRUSTED_SERVICE_ACCOUNTS", "a.json, b.json,")
    assert cli._listed(None, "TRUSTED_SERVICE_ACCOUNTS") == ("a.json", "b.json")
    args = cli._parser().parse_args(["serve", "--trust-service-account", "c.json", "--trust-service-account", "d.json",
                                     "--service-account-app", "x@example.com=x"])
    assert cli._listed(args.trusted_service_accounts, "TRUSTED_SERVICE_ACCOUNTS") == ("c.json", "d.json")
    assert cli._listed(args.service_account_apps, "SERVICE_ACCOUNT_APPS") == ("x@example.com=x",)


def _pem(key, password: bytes | None = None) -> str:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption).decode()


@pytest.mark.parametrize("change, message", [
    ({"type": "authorized_user"}, "not a service-account key file"),
    ({"client_email": "not an email"}, "client_email"),
    ({"private_key_id": ""}, "private_key_id"),
    ({"private_key": None}, "private_key"),
    ({"private_key": "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n"}, "not an unencrypted PEM"),
    ({"private_key": _pem(rsa.generate_private_key(65537, 2048), b"secret")}, "not an unencrypted PEM"),
    ({"private_key": _pem(ec.generate_private_key(ec.SECP256R1()))}, "not an RSA key"),
])
def test_files_that_are_not_service_account_keys_are_refused_unquoted(tmp_path, change, message):
    content = {**KEY.file_json(), **change}
    path = tmp_path / "key.json"
    path.write_text(json.dumps(content))
    with pytest.raises(ValueError, match=message) as caught:
        load_key_file(path)
    assert "PRIVATE KEY" not in str(caught.value) and KEY.file_json()["private_key"][40:80] not in str(caught.value)


def test_unreadable_files_are_refused(tmp_path):
    (tmp_path / "garbage.json").write_text("{not json")
    for path in (tmp_path / "garbage.json", tmp_path / "missing.json"):
        with pytest.raises(ValueError, match="cannot read a service-account key file"):
            load_key_file(path)


@pytest.mark.parametrize("how", ["flag, --workers 2", "environment, --service-account-app"])
def test_serve_refuses_a_key_file_in_one_line(tmp_path, how):
    """`chatsvc serve` with a key file it cannot trust (or a mapping naming no trusted key) exits 2 with one line on
    stderr, no traceback and nothing of the key, before it opens the database or starts a worker."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**KEY.file_json(), "private_key": _pem(ec.generate_private_key(ec.SECP256R1()))}))
    good = KEY.write(tmp_path / "key.json")
    database = tmp_path / "chatsvc.db"
    command = [sys.executable, "-m", "chatsvc.cli", "serve", "--listen", "127.0.0.1:0", "--http-listen", "off",
               "--database", f"sqlite+aiosqlite:///{database}", "--data-dir", str(tmp_path / "data")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATSVC_")}
    if how.startswith("flag"):
        command += ["--trust-service-account", str(good), "--trust-service-account", str(bad), "--workers", "2"]
        expected = f"chatsvc serve: {bad}: `private_key` is not an RSA key (Google's keys are RSA; tokens are RS256)"
    else:
        env["CHATSVC_TRUSTED_SERVICE_ACCOUNTS"] = str(good)
        command += ["--service-account-app", "other@example.com=other-bot"]
        expected = "chatsvc serve: --service-account-app names other@example.com, whose key file is not trusted"
    proc = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", expected + "\n")
    assert not database.exists() and not (tmp_path / "data").exists()
