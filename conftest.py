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
settings.load_profile("ci" if os.environ.get("CI") else "dev")
