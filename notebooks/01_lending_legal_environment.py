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
# # Strategic default and the legal environment (seed 002)
#
# **Question.** Seed 002 puts the legal environment at the centre of SME finance: when courts
# rarely enforce loan contracts, a solvent SME may simply not repay (*strategic default*), and
# banks answer by refusing credit. For which enforcement probability $\pi$ and legal penalty
# $F$ does strategic default disappear, in a one-shot loan and when the bank and the SME deal
# with each other repeatedly?
#
# **Plan.** (1) the lending game and its parameters, with each party's outside option;
# (2) its equilibria in closed form, with the conditions on the parameters, and who takes part
# (the participation stage); (3) the $(\pi, F)$ plane partitioned by equilibrium set, checked
# against the closed-form boundary, and the $(\pi, w)$ plane of participation; (4) the
# inspection variant (the bank can monitor); (5) the repeated game and the critical discount
# factor $\delta^*(\pi)$.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import sympy as sp
from IPython.display import Math, display

from alliance import figures
from alliance.figures.regions import region_map as draw_region_map
from alliance.games import symbolic
from alliance.games.regions import regions
from alliance.models import (
    describe,
    inspection_equilibrium,
    lending_critical_discount,
    lending_game,
    lending_participation,
    repayment_condition,
)

figures.use_style()

# %% [markdown]
# ## 1. The model
#
# A bank lends $L$ at rate $r$; the SME's project returns $R$. The SME repays $(1+r)L$ or
# defaults strategically: it keeps $R$, and with probability $\pi$ the court seizes the
# collateral $C$ for the bank and imposes the penalty $F$. **Nobody is forced into the loan:**
# the bank can lend the funds elsewhere at its reservation return $\rho$ (earning $\rho L$),
# and the SME can decline and take its outside option $w$, informal finance or nothing
# (seed 002). The parameters, their units, ranges and the sources of the defaults:

# %%
describe(lending_game)

# %% [markdown]
# We keep the two instruments of the legal environment, $\pi$ and $F$, symbolic and fix the
# others at their defaults ($L = 100$, $r = 6\%$, $R = 130$, $C = 70$, $w = 0$,
# $\rho = 3\%$). The payoff table (bank, SME) is the reduced normal form of the tree *the SME
# applies or declines, the bank lends or refuses, the SME repays or defaults*:

# %%
game = lending_game(symbolic=["pi", "F"])
game

# %% [markdown]
# ## 2. Derivation: when does the SME repay?
#
# Once the loan is made, the SME compares repaying, $R - (1+r)L$, with defaulting,
# $R - \pi(C+F)$: it repays iff the expected cost of default covers the debt,
#
# $$\pi\,(C + F) \;\ge\; (1+r)L .$$
#
# The toolkit's symbolic solver finds every equilibrium of the normal form with the
# conditions under which it exists:

# %%
condition = repayment_condition(symbolic=["pi", "F"])
display(Math(sp.latex(condition)))
equilibria = symbolic.equilibria(game)
for eq in equilibria:
    display(eq)

# %% [markdown]
# The pure equilibrium *(lend, repay)* exists exactly where the repayment condition holds
# (lending beats the bank's outside option, $r = 6\% \ge \rho = 3\%$, and borrowing beats the
# SME's, $R - (1+r)L = 24 \ge w = 0$). The normal form also keeps the component in which the
# bank refuses (an SME that is never lent to is indifferent between its plans), but that
# threat is not credible: in the participation game (the SME applies, then the bank decides)
# backward induction selects *(lend, repay)* whenever the SME would repay and *refuse*
# otherwise.

# %%
lend_repay = next(e for e in equilibria if e.label == "(lend, repay)")
pi, F = game.symbols["pi"], game.symbols["F"]
assert (
    sp.simplify(
        lend_repay.conditions.lhs - lend_repay.conditions.rhs - (condition.lhs - condition.rhs)
    )
    == 0
)

# The participation game: the SME applies or declines, the bank lends or refuses, the SME
# repays or defaults.
tree = lending_game(participation=True, symbolic=["pi", "F"])
spe = tree.backward_induction()
spe

# %%
lend_branch = next(b for b in spe if ("Bank", "lend") in b.path)
refuse_branch = next(b for b in spe if ("Bank", "refuse") in b.path)
assert len(spe) == 2 and all(("SME", "apply") in b.path for b in spe)
# the subgame-perfect outcome switches exactly on the repayment condition
rng = np.random.default_rng(2)
for p_, f_ in zip(rng.uniform(0, 1, 25), rng.uniform(0, 150, 25), strict=True):
    repays = p_ * (70 + f_) >= 106
    assert lend_branch.holds_at(pi=p_, F=f_) == repays
    assert refuse_branch.holds_at(pi=p_, F=f_) == (not repays)

# %% [markdown]
# **Who takes part.** At the defaults ($\pi = 0.5$, $F = 50$) enforcement is weak:
# $\pi(C+F) = 60 < 106$, so the SME would default and the bank stays out, lending elsewhere
# at $\rho L = 3$; the SME gets its outside option 0. In *every* equilibrium of the normal form
# the bank refuses, and each party earns exactly its outside option. Stronger enforcement with
# a larger penalty ($\pi = 0.9$, $F = 60$: $\pi(C+F) = 117$) brings both in; a rich informal
# market ($w = 30 > R - (1+r)L = 24$) keeps the SME out even then.

# %%
assert repayment_condition() is False
at_defaults = lending_game().equilibria()
assert {e.supports[0] for e in at_defaults} == {("refuse",)}
assert all(e.payoffs == (3, 0) for e in at_defaults)
assert all(lending_game().is_equilibrium(e.profile, tol=0) for e in at_defaults)
participation = {
    "defaults": lending_participation(),
    "pi = 0.9, F = 60": lending_participation(pi=0.9, F=60),
    "pi = 0.9, F = 60, w = 30": lending_participation(pi=0.9, F=60, w=30),
    "pi = 0.9, F = 60, rho = 8%": lending_participation(pi=0.9, F=60, rho=0.08),
}
table = pd.DataFrame(
    {
        name: {
            "bank lends": bool(res.bank_lends),
            "SME takes a loan": res.participates["SME"],
            "bank payoff": float(res.payoffs[0]),
            "bank outside option": float(res.outside_options[0]),
            "SME payoff": float(res.payoffs[1]),
            "SME outside option": float(res.outside_options[1]),
        }
        for name, res in participation.items()
    }
).T
display(table)
assert list(table["SME takes a loan"]) == [False, True, False, False]
assert (table["bank payoff"] >= table["bank outside option"]).all()
assert (table["SME payoff"] >= table["SME outside option"]).all()
strong = lending_game(pi=0.9, F=60)
assert (("lend",), ("repay",)) in [e.supports for e in strong.pure_equilibria()]
print(
    "participation: "
    + "; ".join(f"{k}: {'loan' if v else 'no loan'}" for k, v in table["SME takes a loan"].items())
)

# %% [markdown]
# ## 3. The $(\pi, F)$ plane
#
# `regions` classifies every point of a grid by its equilibrium set (one vectorised pass over
# the symbolic conditions) and returns the symbolic boundaries. Solving the boundary for $F$
# gives the smallest penalty that deters strategic default at enforcement $\pi$:
#
# $$F^*(\pi) = \frac{(1+r)L}{\pi} - C, \qquad \text{and no penalty suffices when }
# \pi < \frac{(1+r)L}{C + F_{\max}}.$$

# %%
region_map = regions(game, x=("pi", 0.0, 1.0), y=("F", 0.0, 150.0), resolution=(301, 301))
region_map

# %%
region_map.to_frame()

# %%
# The map's boundaries are the repayment condition and, inside the refusal component, the
# line where defaulting is worth as much to the SME as its outside option, R - pi(C+F) = w ...
assert len(region_map.boundaries) == 2
gap = condition.lhs - condition.rhs
assert any(sp.simplify(b - gap) == 0 or sp.simplify(b + gap) == 0 for b in region_map.boundaries)
assert any(sp.simplify(b - (pi * (70 + F) - 130)) == 0 for b in region_map.boundaries)

# ... and every grid point off the boundary is labelled as the closed form says.
PI, FF = np.meshgrid(region_map.x_values, region_map.y_values)
closed_form = PI * (70 + FF) >= 106
labelled = np.array(["(lend, repay)" in r.label for r in region_map.regions])[region_map.labels]
off_boundary = np.abs(PI * (70 + FF) - 106) > 1e-6
assert np.array_equal(labelled[off_boundary], closed_form[off_boundary])

# Cross-check with the numeric solver (exact arithmetic) at random points.
for p_, f_ in zip(rng.uniform(0.05, 1, 20), rng.uniform(0, 150, 20), strict=True):
    p_, f_ = round(p_, 3), round(f_, 1)
    supports = [e.supports for e in game.subs(pi=p_, F=f_).pure_equilibria()]
    assert ((("lend",), ("repay",)) in supports) == (p_ * (70 + f_) >= 106)

share_repay = closed_form.mean()
print(
    f"strategic default is deterred on {100 * share_repay:.1f}% of the plane; "
    f"no F <= 150 deters it when pi < {106 / 220:.3f}"
)

# %%
fig, ax = plt.subplots()
draw_region_map(region_map, ax=ax, labels=False, legend=False)
p_line = np.linspace(106 / 220, 1, 200)
ax.plot(p_line, 106 / p_line - 70, ls="--", color="black", label=r"$F^*(\pi) = (1+r)L/\pi - C$")
ax.plot([0.5], [50], marker="o", color="black")
ax.annotate("defaults", (0.5, 50), xytext=(6, -10), textcoords="offset points", fontsize="small")
ax.text(0.2, 110, "refuse\n(strategic default)", ha="center", fontsize="small")
ax.text(0.8, 110, "lend, repay", ha="center", fontsize="small")
ax.set_xlabel(r"enforcement probability $\pi$")
ax.set_ylabel(r"legal penalty $F$")
ax.legend(loc="lower left", fontsize="small")
figures.savefig(fig, "figures/lending_regions.pdf")

# %% [markdown]
# **Participation over $(\pi, w)$.** With $F = 50$, a loan is made iff the SME repays,
# $\pi(C+F) \ge (1+r)L$, and borrowing beats its outside option, $R - (1+r)L \ge w$ (the bank
# earns $rL = 6 > \rho L = 3$ on a repaid loan, and a defaulting SME is never lent to because
# $\pi C - L < \rho L$). The map is computed from these closed forms on the whole grid and
# checked against the backward induction of the participation game at random points.

# %%
pis_grid = np.linspace(0, 1, 201)
ws_grid = np.linspace(0, 60, 121)
PW, WW = np.meshgrid(pis_grid, ws_grid)
loan_made = (PW * (70 + 50) >= 106) & (130 - 106 >= WW)
for p_, w_ in zip(rng.uniform(0, 1, 15), rng.uniform(0, 60, 15), strict=True):
    p_, w_ = round(p_, 3), round(w_, 2)
    made = lending_participation(pi=p_, w=w_).participates["Bank"]
    assert made == bool((p_ * 120 >= 106) and (24 >= w_))
share_loan = loan_made.mean()
print(f"a loan is made on {100 * share_loan:.1f}% of the (pi, w) plane (F = 50)")

fig, ax = plt.subplots()
ax.pcolormesh(
    pis_grid,
    ws_grid,
    loan_made.astype(float),
    cmap=plt.matplotlib.colors.ListedColormap(
        [figures.OKABE_ITO["vermillion"], figures.OKABE_ITO["bluish_green"]]
    ),
    shading="nearest",
    rasterized=True,
)
ax.axvline(106 / 120, color="black", lw=1)
ax.axhline(24, color="black", lw=1, ls="--")
ax.text(0.4, 45, "no loan: bank lends elsewhere,\nSME informal or nothing", fontsize="x-small",
        ha="center")
ax.text(0.94, 10, "loan", fontsize="x-small", ha="center")
ax.set_xlabel(r"enforcement probability $\pi$")
ax.set_ylabel(r"SME's outside option $w$")
figures.savefig(fig, "figures/lending_participation.pdf")

# %% [markdown]
# ## 4. The inspection variant: the bank monitors
#
# If the bank can monitor (at cost $m = 2$) and a monitored default is always caught, weak
# enforcement no longer means certain default: the game has no pure equilibrium and its unique
# equilibrium is mixed. The symbolic solver gives it with its conditions:

# %%
inspection = lending_game(inspection=True, symbolic=["pi"])
display(inspection)
inspection_eqs = [e for e in symbolic.equilibria(inspection) if e.is_possible]
for eq in inspection_eqs:
    display(eq)

# %%
mixed = next(e for e in inspection_eqs if e.kind == "mixed" and not e.is_boundary)
closed = inspection_equilibrium(symbolic=["pi"])
monitor = mixed.profile[0][0]
default = mixed.profile[1][1]
assert sp.simplify(monitor - closed["monitor"]) == 0
assert sp.simplify(default - closed["default"]) == 0
# it holds for pi < 53/60, where p* = ((1+r)L - pi (C+F)) / ((1-pi)(C+F)) lies in (0, 1)
assert mixed.holds_at(pi=0.5) and mixed.holds_at(pi=0.88) and not mixed.holds_at(pi=0.9)
# at the defaults it is the unique equilibrium: monitor 23/30, default 2/35
numeric = lending_game(inspection=True).equilibria()
assert len(numeric) == 1
assert numeric[0]["Bank"]["monitor"] == sp.Rational(23, 30)
assert numeric[0]["SME"]["default"] == sp.Rational(2, 35)
display(
    Math(r"p^* = " + sp.latex(closed["monitor"]) + r",\qquad q^* = " + sp.latex(closed["default"]))
)

# %% [markdown]
# Stronger courts lower the monitoring the bank needs ($p^*$ falls to 0 at
# $\pi = (1+r)L/(C+F) = 53/60$) but *raise* the default rate $q^* = m/((1-\pi)C)$ that keeps the
# bank indifferent: the classic inspection-game paradox.
#
# ## 5. The repeated relationship
#
# After a default the bank never lends to the SME again (it lends elsewhere, and the SME gets
# $w$ for ever): the punishment is the stage equilibrium *(refuse, default)*, so it is
# credible. Repayment is sustained iff the discount factor is at least the critical value of
# each player. The bank never gains by refusing a repaying SME (deviating costs it
# $(r - \rho)L = 3$), so its $\delta^*$ is 0; the SME, whose best deviation is to default
# (worth more than declining wherever it is tempted), has
#
# $$\delta^*_{SME} = \frac{(1+r)L - \pi(C+F)}{R - \pi(C+F) - w}.$$

# %%
repeated = lending_game(repeated=True, symbolic=["pi", "F"])
critical = repeated.critical_discount()
critical

# %%
critical.to_frame()

# %%
delta_sme = critical.by_player["SME"]
# the SME's best deviation is max(default, decline); on the tempted set pi(C+F) < (1+r)L < R
# defaulting is the better one, which turns the engine's result into the closed form
w_sym = 0
delta_sme = delta_sme.replace(sp.Max, lambda *args: next(a for a in args if a != w_sym))
assert sp.simplify(delta_sme - lending_critical_discount(symbolic=["pi", "F"])) == 0
assert repeated.stage.subs(pi=0.5, F=50).is_equilibrium(("refuse", "default"), tol=0)
# The bank's deviation gain is (rho - r)L = -3 < 0: it never binds.
assert critical.gains["Bank"] == -3
# (The symbolic bank entry divides by a Max(0, ...) that is 0 on [0, 1]; evaluate it at numbers.)
for p_ in (0.1, 0.5, 0.8):
    numeric_cd = critical.subs(pi=p_, F=50)
    assert numeric_cd.by_player["Bank"] == 0 and numeric_cd.binding == "SME"
# At the defaults: delta* = 23/35
assert lending_game(repeated=True).critical_discount().value == sp.Rational(23, 35)
assert critical.subs(pi=0.5, F=50).value == sp.Rational(23, 35)

# %%
delta_fn = sp.lambdify((pi, F), delta_sme, modules="numpy")
pis = np.linspace(0, 1, 401)
curves = {}
for f_ in (0, 50, 100):
    gain = 106 - pis * (70 + f_)
    curves[f_] = np.where(gain > 0, delta_fn(pis, f_), 0.0)  # repays one-shot: delta* = 0
# delta* falls with enforcement and reaches 0 exactly on the one-shot boundary
for f_, d in curves.items():
    assert np.all(np.diff(d) <= 1e-12)
    assert np.all((d == 0) == (pis * (70 + f_) >= 106))
# pure exclusion (pi = 0) still sustains repayment for patient SMEs: delta* = 106/130
assert np.isclose(curves[50][0], 106 / 130)

fig, ax = plt.subplots()
colors = figures.OKABE_ITO
for (f_, d), c in zip(curves.items(), ("orange", "blue", "vermillion"), strict=True):
    ax.plot(pis, d, color=colors[c], label=rf"SME, $F = {f_}$")
ax.plot(pis, np.zeros_like(pis), color="black", ls=":", label="bank (all $F$)")
ax.plot([0.5], [23 / 35], marker="o", color="black")
ax.annotate(
    r"$\delta^* = 23/35$",
    (0.5, 23 / 35),
    xytext=(5, 5),
    textcoords="offset points",
    fontsize="small",
)
ax.set_xlabel(r"enforcement probability $\pi$")
ax.set_ylabel(r"critical discount factor $\delta^*$")
ax.set_ylim(-0.03, 1)
ax.legend(fontsize="small")
figures.savefig(fig, "figures/lending_critical_discount.pdf")

# %% [markdown]
# ## Conclusion
#
# * **Participation.** Each party can take its outside option (the bank lends elsewhere at
#   $\rho$, the SME borrows informally or not at all), so no equilibrium pays anyone less. At
#   the defaults the bank stays out; a loan is made iff the SME repays and borrowing beats its
#   outside option, $R - (1+r)L \ge w$: informal finance worth more than 24 keeps the SME out
#   even under strong enforcement.
# * **One shot.** Strategic default disappears, and lending resumes, exactly when
#   $\pi(C+F) \ge (1+r)L$: the expected cost of default must cover the debt. Penalty and
#   enforcement are substitutes along the hyperbola $F^*(\pi) = (1+r)L/\pi - C$; below
#   $\pi = (1+r)L/(C+F_{\max})$ no admissible penalty helps. At the illustrative weak
#   enforcement of the defaults ($\pi = 0.5$) the bank rations credit.
# * **Monitoring** replaces some enforcement, at the price of a positive default rate
#   $q^* = m/((1-\pi)C)$ in a mixed equilibrium.
# * **Repetition.** Exclusion from future credit sustains repayment when the SME is patient
#   enough: $\delta \ge \delta^*_{SME} = ((1+r)L - \pi(C+F))/(R - \pi(C+F) - w)$. The SME is
#   always the binding player; better courts lower $\delta^*$ continuously to 0 at the one-shot
#   boundary, and a better outside option $w$ (informal or direct finance, seed 002) raises it.
