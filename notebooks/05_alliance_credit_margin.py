# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The credit margin of an alliance (seed 003)
#
# **Question.** Seed 003 argues that SMEs which form a credit alliance (a mutual fund, mutual
# guarantees, guarantee chains to a guarantee company) obtain more credit together than the
# sum of what each obtains alone: the alliance has a **credit margin**. How large is it for a
# realistic alliance, what produces it (the fund, the guarantees), how does it shrink when
# defaults are correlated, how does it grow with the density of guarantees, when does a
# guarantee circle turn one default into a cascade, and how should the margin be shared
# among the members?
#
# **Model** (MODELS.md §3). A bank lends member $i$ at most its standalone limit
# $L_i^0$: the largest $L \le D_i$ with $p_i \max(0, \lambda_i L - c_i) \le \ell^* L$. To the
# alliance it lends $L_A$, the largest $\sum_i s D_i$ whose expected loss after collateral,
# the fund, guarantee calls and contagion (defaults from a one-factor Gaussian copula with
# correlation $\rho$) is at most $\ell^* \sum_i s D_i$. The margin is
# $M = L_A - \sum_i L_i^0$, the multiplier $L_A / \sum_i L_i^0$.
#
# **Plan.** (1) the two-member worked example, by hand and by the toolkit; (2) the shipped
# example alliance; (3) standalone limits against the alliance limit; (4) the margin
# against $\rho$; (5) against the density of guarantees; (6) guarantee circles and
# cascades; (7) the members' credit shares.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from alliance import figures
from alliance.io import example_alliance_model
from alliance.network import AllianceNetwork, BankPolicy, load_example_alliance

figures.use_style()
SCENARIOS = 10_000
SEED = 3

# %% [markdown]
# ## 1. The worked example
#
# Member A seeks $D = 200$ with $p = 0.04$, $\lambda = 0.5$ and no collateral; member B seeks
# 100, never defaults and has equity 1,000; B guarantees A up to $g = 40$. The bank accepts
# $\ell^* = 0.5\%$ of expected loss per unit lent.
#
# *Alone*, A's expected loss rate is $p\lambda = 2\% > \ell^*$ and it has no collateral, so
# $L_A^0 = 0$; B gets its 100. *Together*, at the uniform share $s$ the bank loses
# $\lambda \cdot 200 s = 100s$ when A defaults, less B's 40:
# $EL(s) = 0.04 \max(0, 100 s - 40) \le 0.005 \cdot 300 s$ gives
# $4s - 1.6 \le 1.5 s$, i.e. $s^* = 0.64$: $L_A = 0.64 \cdot 300 = 192$, $M = 92$, multiplier
# 1.92. Every unit of the bank's loss is credit risk (B always pays). As a cooperative game,
# $v(\{A\}) = 0$, $v(\{B\}) = 100$, $v(\{A, B\}) = 192$, so the Shapley shares are
# $\varphi_A = (192 - 100)/2 = 46$ and $\varphi_B = 100/2 + 192/2 = 146$.

# %%
pair = AllianceNetwork()
pair.add_member("A", demand=200, pd=0.04, lgd=0.5)
pair.add_member("B", demand=100, pd=0.0, lgd=0.5, equity=1000)
pair.add_chain("B", "A", kind="guarantee", amount=40)
policy_example = BankPolicy(max_el_rate=0.005)
worked = pair.credit_margin(policy_example, scenarios="exact", rho=0.0)
display(worked)
worked.loss_split_frame()

# %%
assert pair.standalone_limits(policy_example).to_dict() == {"A": 0.0, "B": 100.0}
assert np.isclose(worked.share, 0.64) and np.isclose(worked.alliance_limit, 192)
assert np.isclose(worked.margin, 92) and np.isclose(worked.multiplier, 1.92)
assert worked.standard_error == 0  # exact enumeration of the default patterns
assert np.isclose(worked.loss_split["credit"], worked.loss_split["total"])
assert np.isclose(worked.expected_loss, 0.005 * 192)  # the constraint binds at s*
pair_shares = pair.credit_shares(policy_example, method="exact", scenarios="exact", rho=0.0)
assert np.allclose(pair_shares.values[["A", "B"]], [46, 146])
assert pair_shares.in_core

# %% [markdown]
# ## 2. The example alliance
#
# The package ships a made-up but plausible alliance: 30 SMEs in three sectors (amounts in
# $10^4$ CNY; default probabilities 1–12 %), a mutual fund (1,300 of sponsor capital plus 4 %
# of each member's demand: $F = 2{,}125$, the smallest fund its leverage cap of 10 allows), a
# guarantee company `GuarCo` (equity 1,000, leverage cap 10) guaranteeing eleven members,
# four mutual-guarantee pairs, two guarantee **circles** and trade chains.

# %%
alliance = load_example_alliance()
members, chains = alliance.to_frames()
display(alliance)
figures.use_style(width="double", height=4.5)
ax = figures.draw_network(alliance)
figures.savefig(ax.figure, "figures/example_alliance.pdf")
figures.use_style()
circles = alliance.guarantee_circles()
pd.DataFrame(
    {
        "circle": [" → ".join(c.members) for c in circles],
        "length": [c.length for c in circles],
        "amounts": [c.amounts for c in circles],
    }
)

# %%
is_member = members["role"] == "member"
assert is_member.sum() == 30 and np.isclose(members.loc[is_member, "demand"].sum(), 20590)
assert np.isclose(alliance.fund_total, 2125) and 20590 <= 10 * alliance.fund_total
long_circles = sorted(tuple(sorted(c.members)) for c in circles if not c.is_mutual_pair)
assert long_circles == [("A05", "A06", "A07"), ("M03", "M04", "M05", "M06")]
assert sum(c.is_mutual_pair for c in circles) == 4

# %% [markdown]
# ## 3. Standalone limits and the alliance limit
#
# A fund of 10 % of the demand pays first: it absorbs the expected loss of the pool (about
# 2.8 % of the demand) many times over, so an expected-loss limit alone would grant the
# whole demand. What limits the bank is the **tail**: the shipped policy (in
# `example_alliance.toml`) adds to $\ell^* = 0.5\%$ a value-at-risk limit, the bank's
# 1-in-1,000 loss at most 1 % of what it lends ($\alpha = 0.999$, $v^* = 1\%$). Alone, a
# member's 99.9 % loss is its whole loss given default (every $p_i > 0.1\%$), so it borrows
# $L_i^0 = \min(D_i, p_i c_i/(p_i\lambda_i - \ell^*), c_i/(\lambda_i - v^*))$: roughly twice
# its collateral. We use $\rho = 0.12$ (the low end of Basel II's corporate correlation) and
# a void probability of 5 %, as in the model file, and take away in turn the fund, the
# guarantees and the guarantee company.

# %%
model = example_alliance_model()
policy = model.policy
assert policy == BankPolicy(max_el_rate=0.005, var_alpha=0.999, max_var_rate=0.01)
VOID = model.simulation.void_prob
no_fund_members = members[members["role"] != "fund"].assign(fund=0.0)
variants = {
    "shipped": alliance,
    "without fund": AllianceNetwork.from_frames(no_fund_members, chains),
    "without guarantees": AllianceNetwork.from_frames(members, chains[chains["kind"] == "trade"]),
    "without GuarCo": AllianceNetwork.from_frames(
        members[members["name"] != "GuarCo"], chains[chains["source"] != "GuarCo"]
    ),
}
kw = dict(scenarios=SCENARIOS, seed=SEED, void_prob=VOID, progress=False)
reports = {name: net.credit_margin(policy, **kw) for name, net in variants.items()}
headline = pd.DataFrame(
    {
        name: {
            "Σ standalone limits": r.standalone_total,
            "alliance limit L_A": r.alliance_limit,
            "standard error": r.standard_error,
            "share s*": r.share,
            "margin M": r.margin,
            "multiplier": r.multiplier,
            "binding constraint": r.binding,
            "expected loss": r.expected_loss,
        }
        for name, r in reports.items()
    }
)
display(reports["shipped"])
headline

# %%
# The standalone limits follow the closed form, member by member.
D, p, lgd, c = (members.loc[is_member, k].to_numpy() for k in ("demand", "pd", "lgd", "collateral"))
with np.errstate(divide="ignore", invalid="ignore"):
    el_cap = np.where(p * lgd <= 0.005, D, p * c / (p * lgd - 0.005))
closed = np.minimum(np.minimum(D, el_cap), c / (lgd - 0.01))
assert np.allclose(alliance.standalone_limits(policy).to_numpy(), closed)
shipped = reports["shipped"]
assert np.isclose(shipped.standalone_total, closed.sum())
# The alliance obtains about three times its members' standalone total, but not its whole
# demand: the value-at-risk limit binds, and L_A carries a Monte Carlo standard error.
assert shipped.binding == "value_at_risk" and 0.6 < shipped.share < 0.85
assert shipped.standard_error > 0 and shipped.margin > 10 * shipped.standard_error
assert shipped.multiplier > 2.5
assert shipped.expected_loss < 0.01 * 0.005 * shipped.alliance_limit  # EL is no constraint
# The fund carries the margin: without it the tail of 30 correlated loans leaves the
# alliance with less than its members obtain alone.
assert reports["without fund"].margin < 0
# Guarantees and the guarantee company add to it (same scenarios: the differences are
# not noise, even where they are below one standard error).
assert reports["without guarantees"].alliance_limit < shipped.alliance_limit
assert reports["without GuarCo"].alliance_limit < shipped.alliance_limit
print(
    f"margin {shipped.margin:.0f} ± {shipped.standard_error:.0f} "
    f"(multiplier {shipped.multiplier:.2f}, s* = {shipped.share:.2f})"
)

# %% [markdown]
# ## 4. The margin against the default correlation
#
# Correlated defaults arrive together: a fund or a guarantor that covers one default cannot
# cover several, and the bank's tail loss grows. The curve reuses one set of normal draws
# for every $\rho$ (common random numbers), so differences along it are not noise.

# %%
rhos = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
by_rho = alliance.margin_curve(policy, rho=rhos, **kw)
display(by_rho[["rho", "alliance_limit", "margin", "standard_error"]])
ax = figures.margin_curve(by_rho, "rho", multiplier=False)
ax.set_ylabel("credit margin $M$ ($10^4$ CNY)")
figures.savefig(ax.figure, "figures/margin_vs_rho.pdf")

# %%
falling = by_rho["margin"].to_numpy()
assert np.isclose(falling[0], 20590 - shipped.standalone_total)  # independent: whole demand
assert (np.diff(falling) < 0).all()  # the margin falls as rho rises ...
assert falling[-1] > 0  # ... but stays positive up to rho = 0.5
assert falling[0] - falling[-1] > 10 * by_rho["standard_error"].max()

# %% [markdown]
# ## 5. The margin against the density of guarantees
#
# Where the fund carries the margin, extra guarantees change little. To see what guarantees
# alone can do we take the alliance without its fund, and a bank with the expected-loss limit
# $\ell^* = 0.5\%$ only (without a fund, the 99.9 % tail limit leaves the alliance almost
# nothing, as section 3 showed). Each ordered pair of members without a chain gets a mutual
# guarantee of 20 % of the guaranteed member's demand with probability $d$ (nested networks:
# a pair chained at $d$ stays chained at every larger $d$; same scenarios throughout).

# %%
policy_el = BankPolicy(max_el_rate=0.005)
no_fund = variants["without fund"]
without_fund = no_fund.credit_margin(policy_el, scenarios=SCENARIOS, seed=SEED, progress=False)
display(without_fund)
densities = [0.0, 0.01, 0.02, 0.03, 0.05, 0.1]
by_density = no_fund.margin_vs_density(
    policy_el, density=densities, scenarios=SCENARIOS, seed=SEED, progress=False
)
display(by_density[["density", "guarantee_chains", "alliance_limit", "margin", "standard_error"]])
ax = figures.margin_curve(by_density, "density", multiplier=True, xlabel="guarantee density $d$")
figures.savefig(ax.figure, "figures/margin_vs_density.pdf")

# %%
margins = by_density["margin"].to_numpy()
assert (np.diff(margins) > 0).all()  # more guarantees raise the margin here
# without fund and without extra guarantees the alliance gets less than its members alone;
# with mutual guarantees between 10 % of the pairs it gets most of its demand
assert margins[0] + 2 * by_density["standard_error"].iloc[0] < 0
assert without_fund.binding == "expected_loss" and np.isclose(margins[0], without_fund.margin)
assert by_density["alliance_limit"].iloc[-1] > 0.8 * 20590
assert margins[-1] - margins[0] > 10 * by_density["standard_error"].max()

# %% [markdown]
# ## 6. Guarantee circles and cascades
#
# In the circle A05 → A06 → A07 → A05 each firm guarantees the next for 90–120 % of its
# equity. Suppose A07 alone defaults (its loss beyond collateral is
# $0.55 \cdot 440 - 10 = 232$) and the fund is exhausted or absent. A06 is called for its
# full guarantee of 170 but has equity 160: it fails, and its own loan is then called on A05
# and GuarCo. Whether the cascade runs round the circle depends on the members' equity. We
# scale the equity of the members of both circles by 0.4 (low), 1 (as shipped) and 1.5
# (high) and trigger one default in each circle.

# %%
circle_members = ["A05", "A06", "A07", "M03", "M04", "M05", "M06"]


def with_circle_equity(factor: float) -> AllianceNetwork:
    frame = no_fund_members.copy()
    frame.loc[frame["name"].isin(circle_members), "equity"] *= factor
    return AllianceNetwork.from_frames(frame, chains)


cascades = {
    (factor, trigger): with_circle_equity(factor).cascade([trigger])
    for factor in (0.4, 1.0, 1.5)
    for trigger in ("A07", "M03")
}
cascade_table = pd.DataFrame(
    {
        key: {
            "contagion defaults": ", ".join(r.contagion_defaults) or "none",
            "rounds": int(r.rounds[0]),
            **{k: round(v, 1) for k, v in r.loss_split().items()},
        }
        for key, r in cascades.items()
    }
).T.rename_axis(["equity factor", "first default"])
cascade_table

# %%
# Low equity: one default runs round the whole circle; high equity: nobody else fails.
assert set(cascades[(0.4, "A07")].defaulted) == {"A05", "A06", "A07"}
assert set(cascades[(0.4, "M03")].defaulted) == {"M03", "M04", "M05", "M06"}
assert cascades[(1.0, "A07")].contagion_defaults == ["A06"]
assert all(cascades[(1.5, t)].contagion_defaults == [] for t in ("A07", "M03"))
low, high = cascades[(0.4, "M03")].loss_split(), cascades[(1.5, "M03")].loss_split()
assert low["total"] > 4 * high["total"] and high["guarantor"] == 0
# With the shipped equity the four-firm circle already cascades: M03's default sinks M06,
# whose default sinks M05.
assert set(cascades[(1.0, "M03")].contagion_defaults) == {"M05", "M06"}
assert low["guarantor"] > low["credit"]  # the cascade's cost is guarantor risk
# With the fund in place the same default is absorbed before any guarantee is called.
assert alliance.cascade(["A07"]).contagion_defaults == []
assert alliance.cascade(["M03"]).contagion_defaults == []

# %% [markdown]
# ## 7. The members' credit shares
#
# How much of $L_A$ does each member bring? Its Shapley value in the game
# $v(S) = L_A(S)$, every coalition evaluated on the same scenarios. With 30 members we
# sample player orders (24 orders here; standard errors shown) and check the core on all
# singletons, all 29-member coalitions and 500 random ones. We use the alliance without its
# fund and the expected-loss limit of section 5: with the fund, every coalition, even a
# single member, holds the sponsor's whole capital, and the game says more about the sponsor
# than about the members.

# %%
shares = no_fund.credit_shares(
    policy_el, method="sampled", samples=24, scenarios=2_000, seed=5, progress=False
)
display(shares)
share_table = shares.to_frame().sort_values("gain")
share_table.round(1)

# %%
# Efficiency: the shares add up to the alliance limit (on these scenarios).
assert np.isclose(shares.values.sum(), shares.alliance_limit)
# Some members subtract from the limit: L05's share is negative, many standard errors away.
l05 = share_table.loc["L05"]
assert l05["credit_share"] + 3 * l05["standard_error"] < 0
# The Shapley shares are not in the core: a coalition could obtain more on its own.
assert not shares.in_core and shares.max_excess > 3 * share_table["standard_error"].max()
print("most objecting coalition:", shares.most_violated, f"excess {shares.max_excess:.0f}")

fig, ax = plt.subplots(figsize=(3.5, 4.2))
ax.barh(
    share_table.index,
    share_table["credit_share"],
    xerr=2 * share_table["standard_error"],
    color=figures.OKABE_ITO["blue"],
    error_kw={"lw": 0.6},
)
ax.scatter(
    share_table["standalone_limit"],
    share_table.index,
    s=8,
    color="black",
    zorder=3,
    label="$v(\\{i\\})$",
)
ax.axvline(0, color="0.5", lw=0.6)
ax.set_xlabel("credit share (Shapley value of $L_A$)")
ax.tick_params(axis="y", labelsize=6)
ax.legend(frameon=False, fontsize="small")
figures.savefig(fig, "figures/credit_shares.pdf")

# %% [markdown]
# ## Conclusion
#
# * The worked example of MODELS.md §3 is reproduced exactly: $L_A = 192$, $M = 92$,
#   multiplier 1.92, shares 46 and 146.
# * At the shipped settings the example alliance (demand 20,590) obtains about 14,800
#   ± 450, some three times the 4,650 its members obtain alone (margin about 10,200), but not
#   its whole demand ($s^* \approx 0.72$). The fund makes the expected loss negligible; what
#   binds is the bank's 99.9 % tail limit.
# * The fund carries the margin: without it the alliance obtains less than its members
#   alone. Guarantees and the guarantee company add to it.
# * The margin falls steadily as correlation rises (from the whole demand at $\rho = 0$ to
#   about 8,900 at $\rho = 0.5$): a fund sized for independent defaults is thin against
#   correlated ones.
# * Without the fund, mutual guarantees substitute for it: the margin is negative with the
#   shipped chains and rises steeply with the density of guarantees.
# * Guarantee circles are fragile: with the shipped equity one default in the four-firm
#   circle already sinks two more members; with thin equity it runs round the whole circle
#   and the bank's loss is mostly guarantor risk; with more equity it stays isolated, and the
#   fund stops it before any guarantee is called.
# * The credit shares add up to the alliance limit, but some members (L05, L07) have
#   negative shares: they take more out of the limit than they bring. The allocation is not
#   in the core: the coalition of the most objecting members gets more on its own than
#   these shares give it. Without a fund, an alliance sharing credit by Shapley value would
#   have to price risk into its membership (fees, collateral) to keep them.
