"""Fixtures shared by the campaign tests (fixture modules are imported here so pytest finds them)."""
from __future__ import annotations

from tests.campaigns.mail_fixtures import fake, fake_dns, mail_env  # noqa: F401
