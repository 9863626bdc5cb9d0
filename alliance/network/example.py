"""The example alliance shipped with the package (``alliance/data/example_alliance``)."""

from __future__ import annotations

from importlib import resources

import pandas as pd

from alliance.network.network import AllianceNetwork

__all__ = ["load_example_alliance", "example_alliance_frames"]


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
