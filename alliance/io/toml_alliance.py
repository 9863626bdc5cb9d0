"""Alliance model files (TOML): members, guarantors, funds, chains, the bank's policy, the simulation.

Schema::

    [alliance]
    title = "Example alliance"
    currency = "10^4 CNY"

    [policy]                      # alliance.network.BankPolicy
    max_el_rate = 0.005
    # var_alpha = 0.999           # optional value-at-risk limit (both or neither)
    # max_var_rate = 0.08
    # es_alpha = 0.99             # optional expected-shortfall limit (both or neither)
    # max_es_rate = 0.01

    [simulation]                  # how credit_margin draws its scenarios
    scenarios = 20000             # an integer, or "exact" (small alliances)
    rho = 0.12
    sector_rho = 0.0
    void_prob = 0.0
    seed = 2024

    [[members]]
    name = "M01"
    sector = "manufacturing"
    demand = 1000
    pd = 0.021
    lgd = 0.45
    collateral = 480              # optional, default 0 (also equity, fund)

    [[guarantors]]
    name = "GuarCo"
    equity = 1000
    leverage_cap = 10             # optional (default 10; "none" for no cap)

    [[funds]]
    name = "Fund"
    capital = 1700

    [[chains]]
    source = "M01"
    target = "M02"
    kind = "guarantee"            # or "trade"
    amount = 290

Members, guarantors, funds and chains may also be written as arrays of inline tables
(``members = [ {name = "M01", demand = 1000, ...}, ... ]``); :func:`write_alliance` writes
arrays of tables, as above.

Examples
--------
>>> text = '''
... [policy]
... max_el_rate = 0.005
... [simulation]
... scenarios = "exact"
... rho = 0.0
... [[members]]
... name = "A"
... demand = 200
... pd = 0.04
... lgd = 0.5
... [[members]]
... name = "B"
... demand = 100
... pd = 0.0
... lgd = 0.5
... equity = 1000
... [[chains]]
... source = "B"
... target = "A"
... amount = 40
... '''
>>> model = read_alliance(text=text)
>>> round(model.credit_margin().margin, 6)
140.0
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from alliance.errors import AllianceError
from alliance.io.schema import Source, load_toml
from alliance.io.toml_write import dumps
from alliance.numbers import format_count

__all__ = [
    "AllianceModel",
    "Simulation",
    "read_alliance",
    "alliance_from_dict",
    "alliance_to_dict",
    "write_alliance",
    "example_alliance_model",
]

_TOP_KEYS = ("alliance", "policy", "simulation", "members", "guarantors", "funds", "chains")
_HEAD_KEYS = ("title", "description", "currency")
_POLICY_KEYS = (
    "max_el_rate",
    "var_alpha",
    "max_var_rate",
    "es_alpha",
    "max_es_rate",
    "receivable_haircut",
    "receivables_verifiable_standalone",
)
_POLICY_FLAGS = ("receivables_verifiable_standalone",)
_SIM_KEYS = ("scenarios", "rho", "sector_rho", "void_prob", "seed")
_MEMBER_KEYS = (
    "name",
    "sector",
    "demand",
    "pd",
    "lgd",
    "collateral",
    "equity",
    "fund",
    "leverage_cap",
)
_GUARANTOR_KEYS = ("name", "equity", "leverage_cap", "pd")
_FUND_KEYS = ("name", "capital", "leverage_cap")
_CHAIN_KEYS = ("source", "target", "kind", "amount")


@dataclass(frozen=True)
class Simulation:
    """How the credit margin's default scenarios are drawn.

    Parameters
    ----------
    scenarios : int or "exact"
        Number of Monte Carlo scenarios (or exact enumeration for small alliances).
    rho : float
        Common-factor correlation of the Gaussian copula, in [0, 1).
    sector_rho : float
        Additional within-sector correlation, in [0, 1).
    void_prob : float
        Probability q that a guarantee is void (operational risk), in [0, 1].
    seed : int or None
        Seed of the scenarios (same seed, same margin).

    Examples
    --------
    >>> Simulation(scenarios="exact", rho=0.0).to_dict()
    {'scenarios': 'exact', 'rho': 0.0, 'sector_rho': 0.0, 'void_prob': 0.0}
    """

    scenarios: int | str = 10_000
    rho: float = 0.12
    sector_rho: float = 0.0
    void_prob: float = 0.0
    seed: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``[simulation]`` table of a model file (no seed when it is None).

        Returns
        -------
        dict
            ``scenarios``, ``rho``, ``sector_rho``, ``void_prob`` and ``seed`` when set.

        Examples
        --------
        >>> Simulation(seed=7).to_dict()["seed"]
        7
        """
        out = {
            "scenarios": self.scenarios,
            "rho": self.rho,
            "sector_rho": self.sector_rho,
            "void_prob": self.void_prob,
        }
        if self.seed is not None:
            out["seed"] = self.seed
        return out


@dataclass(frozen=True, eq=False)
class AllianceModel:
    """An alliance read from a model file: the network, the bank's policy and the simulation.

    Parameters
    ----------
    network : AllianceNetwork
    policy : BankPolicy
    simulation : Simulation
    title, description, currency : str
    source : str or None

    Examples
    --------
    >>> model = example_alliance_model()
    >>> len(model.network.members), model.policy.max_el_rate, model.simulation.seed
    (30, 0.005, 2024)
    """

    network: Any
    policy: Any
    simulation: Simulation = field(default_factory=Simulation)
    title: str = ""
    description: str = ""
    currency: str = ""
    source: str | None = None

    def settings(
        self,
        scenarios: int | str | None = None,
        rho: float | None = None,
        sector_rho: float | None = None,
        void_prob: float | None = None,
        seed: int | None = None,
    ) -> dict[str, Any]:
        """Keyword arguments of ``credit_margin``: the file's simulation, some settings changed.

        Each setting left at ``None`` keeps the file's value.

        Parameters
        ----------
        scenarios : int or "exact", optional
            Number of Monte Carlo scenarios, or exact enumeration (small alliances).
        rho : float, optional
            Common-factor correlation of the defaults, in [0, 1).
        sector_rho : float, optional
            Additional within-sector correlation, in [0, 1).
        void_prob : float, optional
            Probability that a guarantee is void, in [0, 1].
        seed : int, optional
            Seed of the scenarios.

        Returns
        -------
        dict
            ``scenarios``, ``rho``, ``sector_rho``, ``void_prob`` and ``seed``.

        Examples
        --------
        >>> model = example_alliance_model()
        >>> model.settings(scenarios=500)
        {'scenarios': 500, 'rho': 0.12, 'sector_rho': 0.0, 'void_prob': 0.05, 'seed': 2024}
        """
        sim = self.simulation.to_dict()
        sim.setdefault("seed", None)
        given = {
            "scenarios": scenarios,
            "rho": rho,
            "sector_rho": sector_rho,
            "void_prob": void_prob,
            "seed": seed,
        }
        sim.update({k: v for k, v in given.items() if v is not None})
        return sim

    def with_policy(self, **changes: Any) -> AllianceModel:
        """The model with some fields of the bank policy changed (validated).

        Parameters
        ----------
        **changes
            New values of fields of :class:`~alliance.network.BankPolicy` (``max_el_rate``,
            ``var_alpha`` and ``max_var_rate``, ``es_alpha`` and ``max_es_rate``,
            ``receivable_haircut``, ``receivables_verifiable_standalone``), checked again.

        Returns
        -------
        AllianceModel
            A copy with the new policy.

        Examples
        --------
        >>> example_alliance_model().with_policy(max_el_rate=0.01).policy.max_el_rate
        0.01
        """
        return replace(self, policy=replace(self.policy, **changes))

    def credit_margin(
        self,
        *,
        scenarios: int | str | None = None,
        rho: float | None = None,
        sector_rho: float | None = None,
        void_prob: float | None = None,
        seed: int | None = None,
        progress: bool | None = False,
    ) -> Any:
        """The alliance's credit margin with the file's policy and simulation settings.

        Parameters
        ----------
        scenarios, rho, sector_rho, void_prob, seed : optional
            Simulation settings that replace the file's (see :meth:`settings`).
        progress : bool or None, default False
            Show a progress bar (None: only in a terminal, for long work).

        Returns
        -------
        CreditMarginReport
            See :func:`alliance.network.margin.credit_margin`.

        Examples
        --------
        >>> rep = example_alliance_model().credit_margin(scenarios=400)
        >>> rep.margin == rep.alliance_limit - rep.standalone_total
        True
        """
        sim = self.settings(
            scenarios=scenarios, rho=rho, sector_rho=sector_rho, void_prob=void_prob, seed=seed
        )
        return self.network.credit_margin(self.policy, progress=progress, **sim)

    def credit_shares(
        self, method: str = "sampled", *, progress: bool | None = False, **kwargs: Any
    ) -> Any:
        """Members' credit shares (Shapley values of the alliance limit) on the file's scenarios.

        Parameters
        ----------
        method : {"sampled", "exact"}, default "sampled"
            Permutation sampling, or the exact Shapley value (small alliances).
        progress : bool or None, default False
            Show a progress bar (None: only in a terminal, for long work).
        **kwargs
            Simulation settings that replace the file's (``scenarios``, ``rho``,
            ``sector_rho``, ``void_prob``, ``seed``: see :meth:`settings`), and the options
            of :func:`alliance.network.shares.credit_shares` (``samples``...), passed on.

        Returns
        -------
        CreditShares
            See :func:`alliance.network.shares.credit_shares`.

        Examples
        --------
        >>> from alliance.io import read_alliance
        >>> model = read_alliance(text='''
        ... [policy]
        ... max_el_rate = 0.005
        ... [simulation]
        ... scenarios = "exact"
        ... rho = 0.0
        ... [[members]]
        ... name = "A"
        ... demand = 200
        ... pd = 0.04
        ... lgd = 0.5
        ... [[members]]
        ... name = "B"
        ... demand = 100
        ... pd = 0.0
        ... lgd = 0.5
        ... equity = 1000
        ... [[chains]]
        ... source = "B"
        ... target = "A"
        ... amount = 40
        ... ''')
        >>> shares = model.credit_shares(method="exact")
        >>> round(float(shares.values.sum()), 6) == round(model.credit_margin().alliance_limit, 6)
        True
        """
        settings = self.settings(**{k: kwargs.pop(k) for k in list(kwargs) if k in _SIM_KEYS})
        return self.network.credit_shares(
            self.policy, method=method, progress=progress, **settings, **kwargs
        )

    def __repr__(self) -> str:
        net = self.network
        where = f" from {self.source}" if self.source else ""
        return (
            f"AllianceModel({self.title or 'untitled'!r}: {format_count(len(net.members), 'member')}, "
            f"{format_count(len(net.guarantors), 'guarantor')}, "
            f"{format_count(len(net.funds), 'fund')}, {format_count(len(net.chains()), 'chain')}; "
            f"{self.policy!r}{where})"
        )

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"


# ------------------------------------------------------------------ reading
def read_alliance(path: str | Path | None = None, *, text: str | None = None) -> AllianceModel:
    """Read an alliance model file (see the module docstring for the schema).

    Parameters
    ----------
    path : str or Path, optional
        The file to read.
    text : str, optional
        The file's text instead (``path`` then only names it in messages).

    Returns
    -------
    AllianceModel
        The network, the bank's policy and the simulation settings.

    Raises
    ------
    ModelFileError
        Invalid TOML, unknown or missing keys, wrong types, bad values (a pd of 1.7), unknown
        members in chains; the message names the file, the key and (where found) the line.

    Examples
    --------
    >>> model = read_alliance(text=\'\'\'
    ... [policy]
    ... max_el_rate = 0.005
    ... [[members]]
    ... name = "A"
    ... demand = 200
    ... pd = 0.04
    ... lgd = 0.5
    ... \'\'\')
    >>> model.network.members, model.simulation.scenarios
    (['A'], 10000)
    """
    data, src = load_toml(path if path is not None else "<string>", text=text)
    return alliance_from_dict(data, src)


def _entries(data: Mapping, name: str, src: Source) -> list[dict]:
    raw = data.get(name, [])
    if not isinstance(raw, list):
        raise src.error(f"'{name}' must be an array of tables [[{name}]]", name)
    return [src.table(e, f"{name}[{i}]") for i, e in enumerate(raw)]


def alliance_from_dict(data: Mapping[str, Any], src: Source | None = None) -> AllianceModel:
    """Build an :class:`AllianceModel` from parsed TOML (see :func:`read_alliance`).

    Parameters
    ----------
    data : mapping
        The parsed TOML document.
    src : Source, optional
        The file's text and name, for error messages.

    Returns
    -------
    AllianceModel
        The model.

    Examples
    --------
    >>> model = alliance_from_dict({"policy": {"max_el_rate": 0.005},
    ...     "members": [{"name": "A", "demand": 200, "pd": 0.04, "lgd": 0.5}]})
    >>> model.network.members
    ['A']
    """
    from alliance.network import AllianceNetwork, BankPolicy

    src = src or Source("", "<dict>")
    src.keys(data, _TOP_KEYS, "", required=("policy", "members"))
    head = src.table(data.get("alliance", {}), "alliance")
    src.keys(head, _HEAD_KEYS, "alliance")
    texts = {k: src.string(head.get(k, ""), f"alliance.{k}", empty=True) for k in _HEAD_KEYS}

    pol = src.table(data["policy"], "policy")
    src.keys(pol, _POLICY_KEYS, "policy")
    values: dict[str, Any] = {
        k: (
            src.boolean(pol[k], f"policy.{k}")
            if k in _POLICY_FLAGS
            else float(src.number(pol[k], f"policy.{k}"))
        )
        for k in _POLICY_KEYS
        if k in pol
    }
    try:
        policy = BankPolicy(**values)
    except AllianceError as err:
        key = next((f"policy.{k}" for k in _POLICY_KEYS if k in str(err)), "policy")
        raise src.wrap(err, key) from None

    sim_raw = src.table(data.get("simulation", {}), "simulation")
    src.keys(sim_raw, _SIM_KEYS, "simulation")
    sim = Simulation()
    if "scenarios" in sim_raw:
        sc = sim_raw["scenarios"]
        if sc != "exact":
            sc = src.integer(sc, "simulation.scenarios", lo=1)
            if sc > 10_000_000:
                raise src.error(
                    f"simulation.scenarios is {sc}; the limit is 10000000", "simulation.scenarios"
                )
        sim = replace(sim, scenarios=sc)
    for k, hi in (("rho", 1.0), ("sector_rho", 1.0), ("void_prob", 1.0)):
        if k in sim_raw:
            sim = replace(
                sim, **{k: float(src.number(sim_raw[k], f"simulation.{k}", lo=0.0, hi=hi))}
            )
    if "seed" in sim_raw:
        sim = replace(sim, seed=src.integer(sim_raw["seed"], "simulation.seed", lo=0))

    net = AllianceNetwork()
    members = _entries(data, "members", src)
    if not members:
        raise src.error("an alliance needs at least one member", "members")
    for i, m in enumerate(members):
        key = f"members[{i}]"
        src.keys(m, _MEMBER_KEYS, key, required=("name", "demand", "pd", "lgd"))
        kwargs = {
            k: _num(m[k], f"{key}.{k}", src)
            for k in ("demand", "pd", "lgd", "collateral", "equity", "fund")
            if k in m
        }
        if "sector" in m:
            kwargs["sector"] = src.string(m["sector"], f"{key}.sector", empty=True) or None
        if "leverage_cap" in m:
            kwargs["leverage_cap"] = _cap(m["leverage_cap"], f"{key}.leverage_cap", src)
        _call(net.add_member, src.string(m["name"], f"{key}.name"), kwargs, key, src)
    for i, g in enumerate(_entries(data, "guarantors", src)):
        key = f"guarantors[{i}]"
        src.keys(g, _GUARANTOR_KEYS, key, required=("name", "equity"))
        kwargs = {k: _num(g[k], f"{key}.{k}", src) for k in ("equity", "pd") if k in g}
        if "leverage_cap" in g:
            kwargs["leverage_cap"] = _cap(g["leverage_cap"], f"{key}.leverage_cap", src)
        _call(net.add_guarantor, src.string(g["name"], f"{key}.name"), kwargs, key, src)
    for i, f in enumerate(_entries(data, "funds", src)):
        key = f"funds[{i}]"
        src.keys(f, _FUND_KEYS, key, required=("name", "capital"))
        kwargs = {"capital": _num(f["capital"], f"{key}.capital", src)}
        if "leverage_cap" in f:
            kwargs["leverage_cap"] = _cap(f["leverage_cap"], f"{key}.leverage_cap", src)
        _call(net.add_fund, src.string(f["name"], f"{key}.name"), kwargs, key, src)
    for i, c in enumerate(_entries(data, "chains", src)):
        key = f"chains[{i}]"
        src.keys(c, _CHAIN_KEYS, key, required=("source", "target", "amount"))
        a = src.string(c["source"], f"{key}.source")
        b = src.string(c["target"], f"{key}.target")
        kind = src.string(c.get("kind", "guarantee"), f"{key}.kind")
        amount = _num(c["amount"], f"{key}.amount", src)
        try:
            net.add_chain(a, b, kind=kind, amount=amount)
        except AllianceError as err:
            raise src.wrap(err, key) from None
    try:
        net.validate()
    except AllianceError as err:
        raise src.wrap(err, "members") from None
    return AllianceModel(
        net, policy, sim, texts["title"], texts["description"], texts["currency"], src.name
    )


def _num(value: Any, key: str, src: Source) -> float:
    return float(src.number(value, key))


def _cap(value: Any, key: str, src: Source) -> float | None:
    if value == "none":
        return None
    v = float(src.number(value, key, finite=False))
    return None if math.isinf(v) else v


def _call(method: Any, name: str, kwargs: dict, key: str, src: Source) -> None:
    try:
        method(name, **kwargs)
    except AllianceError as err:
        field_key = next(
            (f"{key}.{k}" for k in kwargs if str(err).startswith(f"{k} ") or f" {k} " in str(err)),
            key,
        )
        raise src.wrap(err, field_key) from None


# ------------------------------------------------------------------ writing
def alliance_to_dict(model: AllianceModel) -> dict[str, Any]:
    """The TOML structure of an alliance model (see :func:`write_alliance`).

    Parameters
    ----------
    model : AllianceModel
        The model.

    Returns
    -------
    dict
        ``alliance``, ``policy``, ``simulation``, ``members``, ``guarantors``, ``funds`` and
        ``chains`` tables, as :func:`alliance_from_dict` reads them.

    Examples
    --------
    >>> data = alliance_to_dict(example_alliance_model())
    >>> data["policy"], len(data["members"])
    ({'max_el_rate': 0.005, 'es_alpha': 0.99, 'max_es_rate': 0.01}, 30)
    """
    net = model.network
    g = net.graph
    data: dict[str, Any] = {}
    head = {k: getattr(model, k) for k in ("title", "description", "currency") if getattr(model, k)}
    if head:
        data["alliance"] = head
    # every field of the policy that differs from BankPolicy's default (None is left out)
    defaults = {"receivable_haircut": 0.0, "receivables_verifiable_standalone": False}
    data["policy"] = {
        k: getattr(model.policy, k)
        for k in _POLICY_KEYS
        if getattr(model.policy, k) is not None and getattr(model.policy, k) != defaults.get(k)
    }
    data["simulation"] = model.simulation.to_dict()
    members, guarantors, funds = [], [], []
    for name, d in g.nodes(data=True):
        if d["role"] == "member":
            row = {"name": name}
            if d.get("sector"):
                row["sector"] = d["sector"]
            for k in ("demand", "pd", "lgd", "collateral", "equity", "fund"):
                if k in ("demand", "pd", "lgd") or d[k]:
                    row[k] = _tidy(d[k])
            if d.get("leverage_cap") is not None:
                row["leverage_cap"] = _tidy(d["leverage_cap"])
            members.append(row)
        elif d["role"] == "guarantor":
            row = {"name": name, "equity": _tidy(d["equity"])}
            row["leverage_cap"] = (
                "none" if d.get("leverage_cap") is None else _tidy(d["leverage_cap"])
            )
            if d.get("pd"):
                row["pd"] = _tidy(d["pd"])
            guarantors.append(row)
        else:
            row = {"name": name, "capital": _tidy(d["equity"])}
            row["leverage_cap"] = (
                "none" if d.get("leverage_cap") is None else _tidy(d["leverage_cap"])
            )
            funds.append(row)
    data["members"] = members
    if guarantors:
        data["guarantors"] = guarantors
    if funds:
        data["funds"] = funds
    chains = [
        {"source": a, "target": b, "kind": kind, "amount": _tidy(amount)}
        for kind in ("guarantee", "trade")
        for a, b, amount in net.chains(kind)
    ]
    if chains:
        data["chains"] = chains
    return data


def _tidy(x: Any) -> int | float:
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def write_alliance(model: AllianceModel, path: str | Path | None = None) -> str:
    """Write an alliance model as TOML (with ``tomli-w``); return the text.

    Parameters
    ----------
    model : AllianceModel
        The model.
    path : str or Path, optional
        Where to write; the text is returned either way.

    Returns
    -------
    str
        The TOML text.

    Examples
    --------
    >>> model = example_alliance_model()
    >>> again = read_alliance(text=write_alliance(model))
    >>> alliance_to_dict(again) == alliance_to_dict(model)
    True
    """
    text = dumps(alliance_to_dict(model))
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def example_alliance_model() -> AllianceModel:
    """The shipped example alliance (``alliance/data/models/example_alliance.toml``).

    Returns
    -------
    AllianceModel
        Thirty members in three sectors, a guarantee company and a mutual fund.

    Examples
    --------
    >>> example_alliance_model().title
    'Example credit alliance'
    """
    from importlib import resources

    root = resources.files("alliance") / "data" / "models" / "example_alliance.toml"
    text = root.read_text(encoding="utf-8")
    return read_alliance(str(root), text=text)
