"""The People API tests' server: one per backend per module; each test makes the users it reads."""
from __future__ import annotations

import pytest

from tests.conftest import BACKENDS, fresh_database_url, serving


@pytest.fixture(scope="module", params=BACKENDS)
async def people_server(request, tmp_path_factory):
    async with (fresh_database_url(request.param, tmp_path_factory.mktemp("people")) as url,
                serving(url) as harness):
        yield harness
