"""The fuzz budget. CI: CHATSVC_FUZZ_EXAMPLES unset, a few examples per RPC from a fixed seed, so every run
makes the same choices (the ids the server hands out still differ from run to run, and with them the names
the choices pick). `make fuzz` sets CHATSVC_FUZZ_EXAMPLES (300): that many examples per RPC from a random
seed each run, to explore further than CI does (set CHATSVC_FUZZ_SEED=1 to keep the fixed seed)."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

DEFAULT_EXAMPLES = 20
EXAMPLES = int(os.environ.get("CHATSVC_FUZZ_EXAMPLES") or DEFAULT_EXAMPLES)
FIXED_SEED = "CHATSVC_FUZZ_EXAMPLES" not in os.environ or bool(os.environ.get("CHATSVC_FUZZ_SEED"))

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=FIXED_SEED,
    database=None,  # writes no .hypothesis directory
    deadline=None,  # a call's time depends on the machine; hangs are caught by the call timeout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much, HealthCheck.large_base_example],
    print_blob=False,
)

# The REST leg (test_fuzz_rest.py): fewer examples per RPC in CI, as many as the gRPC leg under `make fuzz`
# (CHATSVC_FUZZ_EXAMPLES); CHATSVC_FUZZ_REST_EXAMPLES sets it alone.
DEFAULT_REST_EXAMPLES = 8
REST_EXAMPLES = int(os.environ.get("CHATSVC_FUZZ_REST_EXAMPLES") or os.environ.get("CHATSVC_FUZZ_EXAMPLES")
                    or DEFAULT_REST_EXAMPLES)
REST_FUZZ = settings(FUZZ, max_examples=REST_EXAMPLES)
