"""What a connected Google or Microsoft account is made of."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum


class Provider(str, Enum):
    GOOGLE = "google"
    MICROSOFT = "microsoft"

    @property
    def title(self) -> str:
        return self.value.capitalize()


class SyncState(IntEnum):
    NEVER = 0
    RUNNING = 1
    SUCCEEDED = 2
    FAILED = 3


class JobKind(str, Enum):
    CONNECT = "connect"  # the consent flow created or refreshed the credential
    SYNC = "sync"


class JobState(IntEnum):
    RUNNING = 1
    SUCCEEDED = 2
    FAILED = 3


@dataclass(frozen=True)
class CredentialJob:
    """One entry of a credential's history."""

    id: str
    credential_id: str
    kind: JobKind
    state: JobState
    start_time_us: int
    end_time_us: int = 0  # 0: still running
    error: str = ""


@dataclass(frozen=True)
class TokenSet:
    """What a provider's token endpoint grants. Plaintext: lives only for the length of a call."""

    access_token: str
    refresh_token: str
    expires_at_us: int  # 0: unknown
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    email: str
    resource_name: str
    display_name: str
    first_name: str = ""
    last_name: str = ""
    photo: str = ""


@dataclass(frozen=True)
class MailboxCounters:
    messages_total: int = 0
    threads_total: int = 0
    history_id: int = 0


@dataclass(frozen=True)
class RemoteCalendar:
    id: str
    name: str
    description: str = ""
    time_zone: str = ""
    permission: str = "read"
    primary: bool = False


@dataclass(frozen=True)
class BusinessAccount:
    name: str
    account_name: str
    account_type: str
    role: str
    verification_state: str


@dataclass
class Credential:
    id: str
    user_id: str
    provider: Provider
    brand: str
    profile: Profile
    scope: tuple[str, ...]
    scope_summary: tuple[str, ...]
    # Sealed (AES-GCM) by the service before they get here; never plaintext outside a call.
    access_token_sealed: bytes
    refresh_token_sealed: bytes
    token_expires_us: int
    create_time_us: int
    update_time_us: int
    revoked: bool = False
    delete_time_us: int = 0
    counters: MailboxCounters = field(default_factory=MailboxCounters)
    cgroups_sync_token: str = ""
    other_contacts_sync_token: str = ""
    last_sync_us: int = 0
    sync_state: SyncState = SyncState.NEVER
    sync_error: str = ""
    synced_calendars: tuple[str, ...] = ()
    calendars_configured: bool = False
    # The history, newest first; loaded only when a read asks for it (None: not loaded).
    jobs: tuple[CredentialJob, ...] | None = None

    @property
    def disconnected(self) -> bool:
        return self.revoked or bool(self.delete_time_us)
