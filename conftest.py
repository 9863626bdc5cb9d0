"""Test configuration shared by the whole suite (tests and doctests)."""

import os

import matplotlib
from hypothesis import HealthCheck, settings

# Figures are written to files, never shown.
matplotlib.use("Agg")

# In CI the property tests are derandomised so that a landing never depends on luck; locally
# they explore new examples on every run.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A nightly run explores many more random examples of every property test:
# HYPOTHESIS_PROFILE=nightly ALLIANCE_FUZZ_EXAMPLES=2000 python -m pytest tests -q
# (ALLIANCE_FUZZ_EXAMPLES sizes the fuzz suites, tests/test_fuzzing.py and tests/io/test_fuzz.py).
settings.register_profile(
    "nightly", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
