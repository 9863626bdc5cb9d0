"""The example alliance shipped with the package (``alliance/data/example_alliance``)."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pandas as pd

from alliance.network.network import AllianceNetwork
from alliance.network.policy import BankPolicy

__all__ = [
    "load_example_alliance",
    "example_alliance_frames",
    "example_policy",
    "example_simulation",
]


def _settings() -> dict[str, Any]:
    root = resources.files("alliance") / "data" / "example_alliance"
    with (root / "policy.toml").open("rb") as fh:
        return tomllib.load(fh)


def example_policy() -> BankPolicy:
    """The example's bank policy (version 2): an expected-loss and an expected-shortfall limit.

    The values and their sources are in ``alliance/data/example_alliance/policy.toml``:
    ℓ* = 0.5 % and ES at 99 % at most 1 % of lending (Rockafellar and Uryasev 2000).

    Returns
    -------
    BankPolicy
        The policy of ``policy.toml``.

    Examples
    --------
    >>> example_policy()
    BankPolicy(max_el_rate=0.005, es_alpha=0.99, max_es_rate=0.01)
    """
    return BankPolicy(**_settings()["policy"])


def example_simulation() -> dict[str, Any]:
    """The example's simulation settings (scenarios, rho, sector_rho, void_prob, seed).

    Returns
    -------
    dict
        ``scenarios``, ``rho``, ``sector_rho``, ``void_prob`` and ``seed``.

    Examples
    --------
    >>> example_simulation()["rho"], example_simulation()["void_prob"]
    (0.12, 0.05)
    """
    return dict(_settings()["simulation"])


def example_alliance_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The example's ``(members, chains)`` tables as shipped (CSV package data).

    Returns
    -------
    members : pandas.DataFrame
        One row per node (members, the guarantee company, the fund).
    chains : pandas.DataFrame
        One row per chain: ``source``, ``target``, ``kind``, ``amount``.

    Examples
    --------
    >>> members, chains = example_alliance_frames()
    >>> list(chains.columns)
    ['source', 'target', 'kind', 'amount']
    """
    root = resources.files("alliance") / "data" / "example_alliance"
    with (root / "members.csv").open("r", encoding="utf-8") as fh:
        members = pd.read_csv(fh)
    with (root / "chains.csv").open("r", encoding="utf-8") as fh:
        chains = pd.read_csv(fh)
    return members, chains


def load_example_alliance() -> AllianceNetwork:
    """About 30 SMEs in 3 sectors with a mutual fund, a guarantee company, trade chains and
    guarantee circles, as an :class:`AllianceNetwork`.

    Returns
    -------
    AllianceNetwork
        The example network.

    Examples
    --------
    >>> net = load_example_alliance()
    >>> len(net.members) >= 25
    True
    """
    members, chains = example_alliance_frames()
    return AllianceNetwork.from_frames(members, chains)
