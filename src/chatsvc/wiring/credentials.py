"""Builds the credential service's parts from settings: token key, provider clients, consent states."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from chatsvc.api.oauth_callback import CALLBACK_PATH
from chatsvc.config import Settings
from chatsvc.crypto.cipher import TokenCipher
from chatsvc.crypto.keys import LazyKey, key_path
from chatsvc.domain.consent_state import ConsentStates
from chatsvc.domain.credential_models import Provider
from chatsvc.domain.credentials import Credentials
from chatsvc.domain.ports import Clock, Transactions
from chatsvc.domain.users import Directory
from chatsvc.oauth import endpoints
from chatsvc.oauth.accounts import ProviderAccounts


def credentials_service(settings: Settings, db: Transactions, directory: Directory, clock: Clock, server_key: bytes,
                        sqlite_file: str | None, data_dir: Path, http_base: Callable[[], str]) -> Credentials:
    """`sqlite_file`: the embedded database's file, if any (the key file goes beside it). `http_base` gives the
    HTTP endpoint's URL once it listens (the default OAuth redirect URI's base)."""
    configured = settings.providers or endpoints.configured()
    accounts = {provider: ProviderAccounts(provider, configured[provider.value], settings.provider_timeout_seconds)
                for provider in Provider}

    def callback_uri() -> str:
        if settings.oauth_redirect_uri:
            return settings.oauth_redirect_uri
        base = http_base()
        return f"{base}{CALLBACK_PATH}" if base else ""

    key = LazyKey(settings.secret_key, key_path(sqlite_file, data_dir))
    return Credentials(db, directory, clock, TokenCipher(key.get), accounts,
                       ConsentStates(server_key, int(settings.oauth_state_ttl_seconds * 1_000_000)), callback_uri)
