"""The role matrix's server: one per backend per test module (creating a database per test would cost more
than the cases themselves); every case makes its own resources, so cases stay independent."""
from __future__ import annotations

import pytest

from tests.authz.rest_leg import close_clients
from tests.conftest import BACKENDS, fresh_database_url, serving


@pytest.fixture(scope="module", params=BACKENDS)
async def roles_server(request, tmp_path_factory):
    async with (fresh_database_url(request.param, tmp_path_factory.mktemp("roles")) as url,
                serving(url) as harness):
        yield harness


@pytest.fixture(scope="module", autouse=True)
async def _rest_clients():
    """Closes the REST leg's HTTP sessions after each module."""
    yield
    await close_clients()
