"""The webhook tests' server: as tests/conftest.py's, with a webhook rate high enough that only the rate-limit
test (which starts a server of its own) ever meets it."""
from __future__ import annotations

import pytest

from tests.conftest import serving


@pytest.fixture
async def server(database_url):
    async with serving(database_url, webhook_rate_per_minute=60_000, webhook_rate_burst=1_000) as harness:
        yield harness
