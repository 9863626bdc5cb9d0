"""Analyses built on the engine: parameter sweeps (vectorised; optional Dask backend)."""

from alliance.analysis.sweep import BACKENDS, sweep

__all__ = ["sweep", "BACKENDS"]
