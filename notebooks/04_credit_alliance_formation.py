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
# # Forming and running a credit alliance (seed 003)
#
# **Question.** Seed 003's credit alliance pools its members' credit: the members are jointly
# liable for each other's loans. Does joint liability raise repayment, when, and what do the
# members' social sanctions add? Does a repeated relationship with expulsion sustain
# repayment? And is the alliance stable: can its surplus be shared so that no group of
# members prefers to leave?
#
# **Plan.** (1) the joint-liability repayment game of Besley and Coate (1995); (2) the
# repayment regions of individual and group lending over the members' returns
# $(\theta_1, \theta_2)$, in closed form and checked against the game's equilibria; (3) social
# sanctions $S$; (4) the repeated game with expulsion; (5) the alliance as a cooperative
# game: core, Shapley value, nucleolus.

# %%
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sympy as sp
from IPython.display import Math, display
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from alliance import figures
from alliance.games.cooperative import CooperativeGame
from alliance.models import (
    credit_alliance_game,
    describe,
    group_repayment_region,
    individual_repayment_region,
    repayment_probabilities,
    repayment_thresholds,
)

figures.use_style()

# %% [markdown]
# ## 1. The model
#
# Two members each borrow one unit and owe $r$; member $i$'s project returns $\theta_i$,
# uniform on $[\theta_{lo}, \theta_{hi}]$. A borrower who does not repay loses $b\theta$ to the
# bank's penalty. Under **group lending**, if either loan is unpaid both members are
# penalised, so a successful member may repay for both ($2r$) when that beats the penalty; a
# member who defaults on a repaying partner suffers the partner's social sanction $S$; each
# member pays the peer-monitoring cost $k$.

# %%
describe(credit_alliance_game)

# %% [markdown]
# The stage game at the default returns $\theta = (4, 2)$: member 1 would repay an individual
# loan ($\theta_1 \ge r/b = 2.2$) but member 2 cannot make it worth member 1's while to pay
# $2r = 2.2$ for both ($b\theta_1 = 2 < 2.2$); every pure equilibrium leaves the loans unpaid.

# %%
stage = credit_alliance_game()
display(stage)
stage.pure_equilibria()

# %% [markdown]
# ## 2. Derivation: the repayment regions
#
# Individual lending: borrower 1 repays iff $\theta_1 \ge r/b$. Group lending: the group
# repays iff some pure equilibrium repays both loans, which happens exactly when
#
# $$\max(\theta_1, \theta_2) \ge \frac{2r}{b} \quad\text{or}\quad
# \min(\theta_1, \theta_2) \ge t_S = \max\!\Big(r, \frac{r - S}{b}\Big).$$

# %%
thresholds = repayment_thresholds(symbolic=["r", "b", "S"])
for name, value in thresholds.items():
    display(Math(rf"\text{{{name.replace('_', ' ')}}}:\ {sp.latex(value)}"))
R_, B_ = 1.1, 0.5
T_IND, T_BOTH = R_ / B_, 2 * R_ / B_


def loans_repaid(actions: tuple[str, str], theta: tuple[float, float], r=R_, b=B_) -> bool:
    """Whether both loans are repaid at a pure profile (the rules of the stage game)."""
    acting = [a == "repay" and t >= r for a, t in zip(actions, theta, strict=True)]
    if all(acting):
        return True
    if any(acting):  # the lone payer covers both loans only if 2r beats its penalty
        i = acting.index(True)
        return b * theta[i] >= 2 * r
    return False


def group_repays_in_game(theta1: float, theta2: float, S: float) -> bool:
    game = credit_alliance_game(theta1=theta1, theta2=theta2, S=S)
    return any(
        loans_repaid(tuple(s[0] for s in e.supports), (theta1, theta2))
        for e in game.pure_equilibria()
    )


# %% [markdown]
# **Check against the game.** Both regions are unions of the cells that the thresholds cut
# out of the $(\theta_1, \theta_2)$ square, so solving the stage game at the centre of every
# cell checks the closed form exhaustively.

# %%
for S in (0, 0.25, 0.5, 1.0):
    t = repayment_thresholds(S=S)
    cuts = sorted({0.5, 5.0, R_} | {float(v) for v in t.values()})
    centres = [(a + c) / 2 for a, c in zip(cuts, cuts[1:], strict=False)]
    for t1 in centres:
        for t2 in centres:
            assert group_repays_in_game(t1, t2, S) == bool(group_repayment_region(t1, t2, S=S))
            assert bool(individual_repayment_region(t1)) == (t1 >= T_IND)

# %% [markdown]
# Over a fine grid (uniform returns, so the share of the square is a probability), the two
# regions differ in both directions when $S = 0$, exactly where Besley and Coate say:
#
# * **group repays, individual does not**: $\theta_1 < r/b$ and $\theta_2 \ge 2r/b$ (the
#   successful partner repays for both);
# * **individual repays, group does not**: $r/b \le \theta_1 < 2r/b$ and $\theta_2 < r/b$
#   (member 1 would repay its own loan but not both, so the whole group defaults).

# %%
n = 900
axis = 0.5 + 4.5 * (np.arange(n) + 0.5) / n  # cell midpoints of a uniform grid on [0.5, 5]
T1, T2 = np.meshgrid(axis, axis, indexing="xy")  # T1 varies along columns (x axis)
individual = individual_repayment_region(T1, T2)
group = group_repayment_region(T1, T2)
only_group = group & ~individual
only_individual = individual & ~group
assert only_group.any() and only_individual.any()
assert np.array_equal(only_group, (T1 < T_IND) & (T2 >= T_BOTH))
assert np.array_equal(only_individual, (T1 >= T_IND) & (T1 < T_BOTH) & (T2 < T_IND))

probabilities = repayment_probabilities()
pi_i, pi_g = float(probabilities["individual"]), float(probabilities["group"])
# Besley and Coate's formula for S = 0, F the uniform c.d.f.
cdf = lambda x: (x - 0.5) / 4.5  # noqa: E731
bc = (1 - cdf(T_IND)) ** 2 + 2 * cdf(T_IND) * (1 - cdf(T_BOTH))
assert np.isclose(pi_g, bc) and probabilities["group"] == sp.Rational(988, 2025)
assert np.isclose(individual.mean(), pi_i, atol=1e-3) and np.isclose(group.mean(), pi_g, atol=1e-3)
print(f"repayment probability: individual {pi_i:.4f}, group {pi_g:.4f} (S = 0)")

# %%
group_s = group_repayment_region(T1, T2, S=0.5)
t_half = float(repayment_thresholds(S=0.5)["group_both"])
category = np.select([individual & group, only_group, only_individual], [0, 1, 2], 3)
palette = [figures.OKABE_ITO[c] for c in ("bluish_green", "sky_blue", "orange", "vermillion")]
names = (
    "both repay",
    "only group lending repays",
    "only individual lending repays",
    "neither repays",
)
fig, ax = plt.subplots()
ax.pcolormesh(
    axis,
    axis,
    category,
    cmap=ListedColormap(palette),
    vmin=-0.5,
    vmax=3.5,
    shading="nearest",
    rasterized=True,
)
ax.axvline(T_IND, color="black", lw=1)
ax.plot([T_BOTH, T_BOTH, 5], [5, T_IND, T_IND], color="black", lw=1)
ax.plot([0.5, T_BOTH], [T_BOTH, T_BOTH], color="black", lw=1)
ax.plot([T_IND, T_IND, 5], [5, T_IND, T_IND], color="black", lw=1)
ax.plot([t_half, t_half, T_BOTH], [T_BOTH, t_half, t_half], color="black", lw=1, ls="--")
ax.text(t_half + 0.05, t_half + 0.1, "$t_S$, $S = 0.5$", fontsize="x-small")
ax.set_xlabel(r"member 1's return $\theta_1$")
ax.set_ylabel(r"member 2's return $\theta_2$")
ax.legend(
    handles=[Patch(color=c, label=t) for c, t in zip(palette, names, strict=True)],
    fontsize="xx-small",
    loc="upper left",
    bbox_to_anchor=(1.01, 1.0),
)
figures.savefig(fig, "figures/credit_alliance_regions.pdf")

# %% [markdown]
# ## 3. Social sanctions
#
# A sanction $S$ lowers the threshold $t_S$ at which both members repay together, and so
# shrinks the region where joint liability hurts; once $S \ge r(1-b)$ the threshold is $r$
# (a member repays whenever it can).

# %%
probs_s = repayment_probabilities(symbolic=["S"])
S_sym = next(iter(probs_s["group"].free_symbols))
group_of_s = sp.lambdify(S_sym, probs_s["group"], modules="numpy")
S_grid = np.linspace(0, 1.2, 241)
pi_group = np.asarray(group_of_s(S_grid), dtype=float)
assert np.all(np.diff(pi_group) >= -1e-12)  # sanctions never lower repayment
assert np.isclose(pi_group[0], pi_g)  # S = 0: the value above
S_cross = S_grid[np.argmax(pi_group > pi_i)]
assert pi_group[0] < pi_i < pi_group[-1]
flat = S_grid >= R_ * (1 - B_)
assert np.allclose(pi_group[flat], pi_group[-1])  # t_S = r from S = r(1-b) on
assert not (group & ~group_s).any() and (group_s & ~group).any()  # the region only grows
print(f"group lending beats individual lending for S > {S_cross:.3f}")

# %% [markdown]
# ## 4. The repeated game: expulsion
#
# In the repeated game, a member who defaults on a repaying partner is expelled and the group
# loan ends: the punishment is $(default, default)$ for ever, the deviator playing its best
# reply. Where both members can repay for two ($b\theta_i \ge 2r$), the temptation to let the
# partner pay is $r - S$ and the per-period loss from expulsion is $r$, so
#
# $$\delta^* = \frac{r - S}{2r - S} \quad (S < r), \qquad \delta^* = 0 \quad (S \ge r).$$
#
# Where a member cannot repay for both ($r/b \le \theta < 2r/b$), defaulting on the partner
# triggers the bank's penalty and is never tempting: $\delta^* = 0$.

# %%
repeated = credit_alliance_game(theta1=5, theta2=5, repeated=True)
critical = repeated.critical_discount()
display(critical)
assert critical.value == Fraction(1, 2)
for S in (0, 0.25, 0.5, 0.75, 1.0):
    cd = credit_alliance_game(theta1=5, theta2=5, S=S, repeated=True).critical_discount()
    assert np.isclose(float(cd.value), (R_ - S) / (2 * R_ - S))
assert credit_alliance_game(theta1=5, theta2=5, S=1.2, repeated=True).critical_discount().value == 0
assert credit_alliance_game(theta1=3, theta2=3, repeated=True).critical_discount().value == 0

delta_star = np.where(S_grid < R_, (R_ - S_grid) / (2 * R_ - S_grid), 0.0)
fig, axes = plt.subplots(1, 2, figsize=(7, 2.6))
axes[0].plot(S_grid, pi_group, color=figures.OKABE_ITO["blue"], label="group lending")
axes[0].axhline(pi_i, color=figures.OKABE_ITO["vermillion"], ls="--", label="individual lending")
axes[0].axvline(S_cross, color="black", ls=":", lw=0.8)
axes[0].set_xlabel("social sanction $S$")
axes[0].set_ylabel("repayment probability")
axes[0].legend(fontsize="x-small")
axes[1].plot(S_grid, delta_star, color=figures.OKABE_ITO["blue"])
axes[1].set_xlabel("social sanction $S$")
axes[1].set_ylabel(r"critical discount $\delta^*$ (expulsion)")
figures.savefig(fig, "figures/credit_alliance_sanctions.pdf")

# %% [markdown]
# ## 5. Is the alliance stable? A cooperative game
#
# Joint liability pools the members' *pledgeable* income (Holmström and Tirole 1997): the bank
# lends to a sub-alliance $T$ iff the penalties it can impose cover the debts,
# $b\sum_{i \in T}\mu_i \ge |T|\,r$, with $\mu_i$ member $i$'s expected return. A funded
# sub-alliance earns $\sum_{i\in T}(\mu_i - r)$ and pays the peer-monitoring cost $k$ per pair
# of members:
#
# $$v(T) = \mathbb 1\Big[b\sum_{i\in T}\mu_i \ge |T| r\Big]\Big(\sum_{i\in T}(\mu_i - r)
#         - k\,\tbinom{|T|}{2}\Big).$$
#
# An anchor firm ($\mu = 3$) and two suppliers ($\mu = 2$ and $1.7$) with $r = 1.1$ and
# $b = 0.5$: only the anchor can borrow alone, each supplier can borrow with the anchor, the
# two suppliers cannot borrow together.

# %%
MEMBERS = ("Anchor", "Supplier B", "Supplier C")
MU = np.array([3.0, 2.0, 1.7])


def alliance_game(k: float) -> CooperativeGame:
    def worth(mask: np.ndarray) -> np.ndarray:
        size = mask.sum(axis=1)
        funded = mask @ (B_ * MU) >= size * R_
        return np.where(funded, mask @ (MU - R_) - k * size * (size - 1) / 2, 0.0)

    return CooperativeGame(len(MEMBERS), worth, players=MEMBERS, vectorized=True)


alliance = alliance_game(0.05)
alliance.to_frame()

# %%
shapley, nucleolus = alliance.shapley(), alliance.nucleolus()
table = pd.DataFrame(
    {
        "stand-alone v({i})": [alliance.value({i}) for i in range(3)],
        "Shapley": shapley.values,
        "nucleolus": nucleolus.values,
    },
    index=pd.Index(MEMBERS, name="member"),
)
table = table.join(alliance.core_bounds().add_prefix("core "))
table

# %%
assert not alliance.core_is_empty()
assert alliance.in_core(nucleolus) and alliance.in_core(shapley)
assert np.isclose(shapley.values.sum(), alliance.grand_value)
# joining pays: every member gets at least what it can secure alone
assert (shapley.values >= table["stand-alone v({i})"] - 1e-12).all()
# a supplier can claim at most its marginal contribution, v(N) - v(N \ {i})
assert np.isclose(table.loc["Supplier B", "core max"], 3.25 - 2.45)
assert np.isclose(table.loc["Supplier C", "core max"], 3.25 - 2.75)

# %% [markdown]
# **When does the alliance fall apart?** Write $s_i = \mu_i - r$. The core is non-empty iff
# the grand alliance is worth at least each two-member alliance, $v(N) \ge v(AB)$ and
# $v(N) \ge v(AC)$, and at least half of $v(AB) + v(AC) + v(BC)$ (the balanced collection of
# pairs). With $v(BC) = 0$ these read $k \le s_C/2$, $k \le s_B/2$ and
# $k \le (s_B + s_C)/4$, so
#
# $$\text{core} \ne \emptyset \iff k \le k^* = \tfrac12 \min(s_B, s_C) = 0.3 :$$
#
# the alliance is stable as long as monitoring one more pair costs at most half of the weaker
# supplier's surplus.

# %%
k_star = min(MU[1] - R_, MU[2] - R_) / 2
ks = np.linspace(0, 0.5, 51)
games_k = [alliance_game(k) for k in ks]
epsilon = np.array([g.least_core().epsilon for g in games_k])
empty = np.array([g.core_is_empty() for g in games_k])
assert np.isclose(k_star, 0.3)
off = np.abs(ks - k_star) > 1e-9
assert np.array_equal(empty[off], (ks > k_star)[off])
assert np.allclose(epsilon[ks > k_star], ks[ks > k_star] - k_star)  # the pair that leaves
nucleolus_k = np.array([g.nucleolus().values for g in games_k])

fig, axes = plt.subplots(1, 2, figsize=(7, 2.6))
axes[0].plot(ks, epsilon, color="black")
axes[0].axvline(k_star, color="black", ls=":", lw=0.8)
axes[0].axhline(0, color="grey", lw=0.5)
axes[0].fill_between(
    ks,
    epsilon,
    0,
    where=epsilon > 0,
    color=figures.OKABE_ITO["vermillion"],
    alpha=0.4,
    label="core empty",
)
axes[0].set_xlabel("peer-monitoring cost per pair $k$")
axes[0].set_ylabel(r"least-core $\varepsilon$")
axes[0].legend(fontsize="x-small")
for j, (name, c) in enumerate(zip(MEMBERS, ("blue", "orange", "bluish_green"), strict=True)):
    axes[1].plot(ks, nucleolus_k[:, j], color=figures.OKABE_ITO[c], label=name)
axes[1].axvline(k_star, color="black", ls=":", lw=0.8)
axes[1].set_xlabel("peer-monitoring cost per pair $k$")
axes[1].set_ylabel("nucleolus payoff")
axes[1].legend(fontsize="x-small")
figures.savefig(fig, "figures/credit_alliance_core.pdf")

# %% [markdown]
# ## Conclusion
#
# * **Joint liability cuts both ways** (Besley and Coate 1995). Group lending repays where
#   individual lending does not when a successful member repays for its partner
#   ($\theta_1 < r/b$, $\theta_2 \ge 2r/b$), and fails where individual lending would repay
#   when one member would repay its own loan but not both. Without sanctions the second effect
#   dominates here: repayment probability 0.488 (group) against 0.622 (individual).
# * **Social sanctions** make the alliance work: they lower the joint-repayment threshold to
#   $t_S = \max(r, (r-S)/b)$, and group lending overtakes individual lending once $S$ exceeds
#   about 0.28. In the repeated game, expulsion sustains repayment for
#   $\delta \ge (r - S)/(2r - S)$, which sanctions also lower.
# * **Stability.** As a cooperative game the anchor–supplier alliance has a non-empty core
#   containing both the Shapley value and the nucleolus as long as the peer-monitoring cost per
#   pair is at most $k^* = \min(s_B, s_C)/2$; beyond it a two-member alliance blocks every
#   division of the grand alliance's surplus, and the alliance breaks up.
#
# **Reference.** Besley, T. and Coate, S. (1995), *Journal of Development Economics* 46(1):
# 1–18; Holmström, B. and Tirole, J. (1997), *Quarterly Journal of Economics* 112(3): 663–691.
