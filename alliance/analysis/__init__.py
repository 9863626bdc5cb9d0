"""Analyses built on the engine: parameter sweeps (vectorised; optional Dask backend) and
comparative statics (derivatives, elasticities, Sobol indices)."""

from alliance.analysis.sensitivity import (
    SensitivityResult,
    SobolResult,
    sensitivity,
    sobol_indices,
)
from alliance.analysis.sweep import BACKENDS, sweep

__all__ = [
    "sweep",
    "BACKENDS",
    "sensitivity",
    "SensitivityResult",
    "sobol_indices",
    "SobolResult",
]
