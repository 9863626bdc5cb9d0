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
# # Policy levers and the credit margin (seeds 001–003)
#
# **Question.** Seed 002 says that weak enforcement invites strategic default; seed 003 that
# an alliance's members can watch each other; seed 001 that a bank which does not verify a
# guarantee risks a void one. Do these levers move the credit an alliance can raise, and by
# how much? And how does the lending game's enforcement threshold move with the penalty?
#
# **Model** (`alliance.models.linking`, docs/economics.md §3 "Linking games and network"). A member
# owes $D = (1+r)L$; its project returns $\theta$, log-normal with median $m$ and
# log-standard deviation $\sigma$. With $\theta < D$ it cannot pay. With $\theta \ge D$ it
# repays iff the expected cost of default is at least the debt:
# $D \le \pi(C + F + b\theta) + \mu S$ (court: enforcement probability $\pi$, collateral $C$,
# penalty $F$, a seized share $b$ of the return; peers: monitoring intensity $\mu$, sanction
# $S$). So it defaults iff $\theta < \max(D, \theta^*)$ with
# $\theta^* = (D - \pi(C+F) - \mu S)/(\pi b)$, and its PD is
# $\Phi((\ln\max(D,\theta^*) - \ln m)/\sigma)$. The void probability is
# $q(e) = q_0(1 - e)$ for the bank's verification effort $e$; the loss limit is the bank's
# spread, $\ell^* = r - r_f - k$.
#
# **Plan.** (1) the three links in numbers; (2) the shipped example alliance calibrated to
# its rated PDs at the status quo, then enforcement swept: PDs and the alliance limit;
# (3) peer monitoring, given and chosen at a cost; (4) the comparative statics of the lending
# game's threshold; (5) Sobol indices: which lever matters most.

# %%
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Math, display

import alliance as al
from alliance import figures
from alliance.models import repayment_condition
from alliance.models.linking import (
    calibrate_returns,
    default_breakdown,
    default_probability,
    link_network,
    loss_limit,
    monitoring_intensity,
    policy_from_pricing,
    repayment_threshold,
    verification_effort,
    void_probability,
)
from alliance.network import load_example_alliance

SCENARIOS = 5_000
SEED = 2024
RHO = 0.12

# %% [markdown]
# ## 1. The three links
#
# At the lending game's defaults ($L = 100$, $r = 6\%$, $C = 70$, $F = 50$, $\pi = 0.5$), with
# a seized share $b = 0.5$ and returns of median 130 and $\sigma = 0.25$:

# %%
theta_star = repayment_threshold()
parts = default_breakdown()
e_star = verification_effort(stake=0.04 * 40, cost=0.1)
q_star = void_probability(e_star)
debt = (1 + 0.06) * 100
ell = loss_limit(loan_rate=0.06, funding_rate=0.035, operating_cost=0.02)
links = pd.Series(
    {
        "repayment threshold θ*": theta_star,
        "PD": parts["pd"],
        "  of which involuntary": parts["involuntary"],
        "  of which strategic": parts["strategic"],
        "void probability q at e*": q_star,
        "loss limit ℓ*": ell,
    }
)
links.round(4)

# %%
assert np.isclose(theta_star, (106 - 0.5 * 120) / (0.5 * 0.5))
assert np.isclose(parts["pd"], parts["involuntary"] + parts["strategic"])
assert parts["strategic"] > parts["involuntary"]  # weak enforcement: most defaults are chosen
assert np.isclose(e_star, 0.05 * 1.6 / 0.1) and np.isclose(q_star, 0.05 * (1 - e_star))
assert np.isclose(ell, 0.005) and theta_star > debt
print(
    f"Weak enforcement: a solvent SME repays only if its return exceeds {theta_star:.0f} "
    f"(the debt is {debt:.0f}), so its PD is {parts['pd']:.1%}, of which {parts['strategic']:.1%} "
    f"strategic. A bank that stands to lose 1.6 on a void guarantee and pays 0.1 e²/2 to "
    f"check verifies with effort {e_star:.2f} and faces q = {q_star:.1%}; a loan at 6 % funded at "
    f"3.5 % with 2 % operating costs tolerates an expected loss of {ell:.1%}."
)

# %% [markdown]
# ## 2. Enforcement and the example alliance
#
# The example alliance's members have rated PDs of 1–12 %. We read each member's contract per
# unit of its demand ($L_i = D_i$, $C_i$ its collateral, a penalty $F_i = 0.5 L_i$, a seized
# share $b = 0.7$, $\sigma = 0.4$: assumptions) and **calibrate** each member's median return
# so that at the status-quo enforcement $\pi_0 = 0.7$ the model gives exactly its rated PD.
# Then we vary $\pi$. The bank prices as in part 1 and keeps a value-at-risk limit (its
# 1-in-1,000 loss at most 1 % of lending: the example's policy before version 2, whose tail
# limit is now an expected shortfall at 99 %); guarantees are void with probability 5 %.

# %%
network = load_example_alliance()
members = network.to_frames()[0].set_index("name").loc[network.members]
L = members["demand"].to_numpy()
contract = dict(
    L=L, C=members["collateral"].to_numpy(), F=0.5 * L, seize_share=0.7, theta_sigma=0.4
)
PI0 = 0.7
median = calibrate_returns(members["pd"].to_numpy(), pi=PI0, **contract)
# a value-at-risk tail limit, with the loss limit from pricing (part 1)
priced = policy_from_pricing(loan_rate=0.06, funding_rate=0.035, operating_cost=0.02)
policy = replace(priced, var_alpha=0.999, max_var_rate=0.01)
assert np.isclose(policy.max_el_rate, ell)
status_quo = default_breakdown(pi=PI0, theta_median=median, **contract)
strategic_share = status_quo["strategic"].sum() / status_quo["pd"].sum()
assert np.allclose(status_quo["pd"], members["pd"].to_numpy())
print(
    f"Calibrated median returns are {np.min(median / L):.1f}–{np.max(median / L):.1f} times "
    f"the loan; at π0 = {PI0} {strategic_share:.0%} of the members' expected defaults are "
    "strategic."
)

# %%
pis = np.array([0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.0])
pd_grid = default_probability(pi=pis[:, None], theta_median=median, **contract)  # one call
floor = default_breakdown(pi=1.0, theta_median=median, **contract)["involuntary"]
rows = []
for pi, pds in zip(pis, pd_grid):
    linked = link_network(network, pd=pds, void_prob=0.05, policy=policy)
    report = linked.credit_margin(scenarios=SCENARIOS, rho=RHO, seed=SEED)
    rows.append(
        {
            "pi": pi,
            "mean PD": pds.mean(),
            "standalone total": report.standalone_total,
            "alliance limit": report.alliance_limit,
            "s.e.": report.standard_error,
            "margin": report.margin,
            "multiplier": report.multiplier,
        }
    )
sweep = pd.DataFrame(rows).set_index("pi")
demand = members["demand"].sum()
sweep.round(3)

# %%
with figures.style_context(width="double", height=2.6):
    fig, (ax_pd, ax_lim) = plt.subplots(1, 2)
    ax_pd.plot(pis, 100 * pd_grid.mean(axis=1), marker="o", label="all defaults")
    ax_pd.axhline(100 * floor.mean(), ls="--", color="grey", label="involuntary only")
    ax_pd.set_xlabel(r"enforcement probability $\pi$")
    ax_pd.set_ylabel("mean member PD (%)")
    ax_pd.legend()
    ax_lim.errorbar(
        pis, sweep["alliance limit"], yerr=2 * sweep["s.e."], marker="o", capsize=2,
        label=r"alliance limit $L_A$ ($\pm$ 2 s.e.)",
    )
    ax_lim.plot(pis, sweep["standalone total"], marker="s", label=r"$\sum_i L_i^0$")
    ax_lim.axhline(demand, ls=":", color="grey", label="total demand")
    ax_lim.set_xlabel(r"enforcement probability $\pi$")
    ax_lim.set_ylabel(r"credit ($10^4$ CNY)")
    ax_lim.legend()
    fig.tight_layout()
    figures.savefig(fig, "figures/enforcement_and_margin.pdf")

# %%
mean_pd = sweep["mean PD"].to_numpy()
limits = sweep["alliance limit"].to_numpy()
assert np.all(np.diff(mean_pd) <= 1e-12)  # PDs fall with enforcement
assert np.all(np.diff(limits) >= -2 * sweep["s.e."].to_numpy()[1:])  # the limit does not fall
full = sweep.index[np.isclose(limits, demand)]
if len(full):
    first_full = float(full[0])
    assert np.allclose(limits[pis >= first_full], demand)
    reach = f"from π = {first_full:g} on the alliance borrows its whole demand of {demand:,.0f}"
else:
    reach = f"even at π = 1 it borrows less than its demand of {demand:,.0f}"
assert np.isclose(sweep.loc[1.0, "mean PD"], floor.mean())
low, base = sweep.loc[0.6], sweep.loc[PI0]
assert low["alliance limit"] + 2 * low["s.e."] < base["alliance limit"] - 2 * base["s.e."]
# the standalone limits do not move here: the value-at-risk limit binds member by member
assert np.allclose(sweep["standalone total"], sweep["standalone total"].iloc[0])
print(
    f"From π = 0.6 to {PI0} the mean PD falls from {low['mean PD']:.1%} to "
    f"{base['mean PD']:.1%} and the alliance limit rises from {low['alliance limit']:,.0f} to "
    f"{base['alliance limit']:,.0f} (± {base['s.e.']:,.0f}); {reach}: the margin grows from "
    f"{low['margin']:,.0f} to {sweep['margin'].max():,.0f}. The members' standalone limits stay "
    f"at {base['standalone total']:,.0f}: alone each is held back by the bank's tail limit, "
    "which counts a member's whole loss whatever its PD. Enforcement cannot push the PD below "
    f"the involuntary floor of {floor.mean():.1%}."
)

# %% [markdown]
# **The local effect.** How much credit does one more point of enforcement buy at
# $\pi = 0.65$? The alliance limit is a Monte Carlo estimate, so `al.sensitivity` takes a
# central difference with **common random numbers** (the function takes a `seed`, and every
# point gets the same one) and bounds the derivative's standard error by
# $(s_+ + s_-)/(2h)$ from the standard errors the margin report gives.


# %%
def alliance_limit_at(pi, seed):
    pds = default_probability(pi=pi, theta_median=median, **contract)
    report = link_network(network, pd=pds, void_prob=0.05, policy=policy).credit_margin(
        scenarios=SCENARIOS, rho=RHO, seed=seed
    )
    return report.alliance_limit, report.standard_error


local = al.sensitivity(
    alliance_limit_at, at={"pi": 0.65}, step=0.05, seed=SEED, ranges={"pi": (0, 1)},
    name="alliance limit",
)
local

# %%
d_pi = local.value("alliance limit", "pi")
se_pi = local.value("alliance limit", "pi", "standard_error")
e_pi = local.value("alliance limit", "pi", "elasticity")
assert local.method.endswith("common random numbers")
assert d_pi - 2 * se_pi > 0  # enforcement raises the limit, beyond Monte Carlo noise
assert np.isclose(local.value("alliance limit", "pi", "value"), sweep.loc[0.65, "alliance limit"])
print(
    f"At π = 0.65 one more point of enforcement probability (0.01) buys about "
    f"{d_pi / 100:,.0f} of alliance credit (standard error at most {se_pi / 100:,.0f}): an "
    f"elasticity of {e_pi:.1f}."
)

# %% [markdown]
# ## 3. Peer monitoring in the alliance
#
# At the status-quo enforcement, the alliance's members watch each other: with intensity
# $\mu$ a member's true return is observed, and a strategic defaulter suffers a sanction of
# 20 % of its loan (exclusion from the alliance's trade; an assumption).

# %%
mus = np.array([0.0, 0.25, 0.5, 1.0])
pd_mu = default_probability(
    pi=PI0, monitoring=mus[:, None], sanction=0.2 * L, theta_median=median, **contract
)
rows = []
for mu, pds in zip(mus, pd_mu):
    report = link_network(network, pd=pds, void_prob=0.05, policy=policy).credit_margin(
        scenarios=SCENARIOS, rho=RHO, seed=SEED
    )
    rows.append(
        {"monitoring": mu, "mean PD": pds.mean(), "alliance limit": report.alliance_limit,
         "s.e.": report.standard_error, "margin": report.margin}
    )
monitoring = pd.DataFrame(rows).set_index("monitoring")
monitoring.round(3)

# %%
assert np.all(np.diff(monitoring["mean PD"]) < 0)
assert monitoring["alliance limit"].iloc[-1] >= monitoring["alliance limit"].iloc[0]
none, some, full = monitoring.iloc[0], monitoring.iloc[1], monitoring.iloc[-1]
# full monitoring: a rise well beyond the Monte Carlo error of both limits
assert full["alliance limit"] - 2 * full["s.e."] > none["alliance limit"] + 2 * none["s.e."]
z_some = (some["alliance limit"] - none["alliance limit"]) / np.hypot(some["s.e."], none["s.e."])
some_text = (
    "a rise beyond twice its standard error"
    if z_some > 2
    else f"a rise of {z_some:.1f} standard errors, which {SCENARIOS:,} scenarios do not yet "
    "separate from noise"
)
print(
    f"Full monitoring lowers the mean PD from {none['mean PD']:.1%} to {full['mean PD']:.1%} and "
    f"raises the alliance limit from {none['alliance limit']:,.0f} (± {none['s.e.']:,.0f}) to "
    f"{full['alliance limit']:,.0f}; at intensity 0.25 the limit is "
    f"{some['alliance limit']:,.0f} ± {some['s.e.']:,.0f}, {some_text}."
)

# %% [markdown]
# **Monitoring at a cost.** Intensity is a choice: peers who stand to lose $X_i = 0.3 L_i$
# when member $i$ defaults (their guarantees and their share of the fund's payouts, an
# assumption) and pay $\kappa_i\mu^2/2$ with $\kappa_i = 0.05 L_i$ choose
# $\mu_i^* = \arg\min_\mu X_i p_i(\mu) + \kappa_i \mu^2/2$
# (`monitoring_intensity`). Monitoring stops where it deters nothing more.

# %%
mu_star = monitoring_intensity(
    exposure=0.3 * L, cost=0.05 * L, pi=PI0, sanction=0.2 * L, theta_median=median, **contract
)
pd_star = default_probability(
    pi=PI0, monitoring=mu_star, sanction=0.2 * L, theta_median=median, **contract
)
chosen = link_network(network, pd=pd_star, void_prob=0.05, policy=policy).credit_margin(
    scenarios=SCENARIOS, rho=RHO, seed=SEED
)
pd_full = default_probability(
    pi=PI0, monitoring=1.0, sanction=0.2 * L, theta_median=median, **contract
)
assert np.all(pd_star <= members["pd"].to_numpy() + 1e-12) and np.all(pd_star >= pd_full - 1e-12)
assert chosen.alliance_limit >= monitoring["alliance limit"].iloc[0]
unmonitored = int(np.sum(mu_star == 0))
print(
    f"The peers choose intensities from {mu_star.min():.2f} to {mu_star.max():.2f} (mean "
    f"{mu_star.mean():.2f}; {unmonitored} members are not watched at all, since for them "
    f"monitoring does not pay); the mean PD falls to {pd_star.mean():.1%} and the alliance "
    f"limit is {chosen.alliance_limit:,.0f} (± {chosen.standard_error:,.0f})."
)

# %% [markdown]
# ## 4. How the enforcement threshold moves with the penalty
#
# In the lending game (notebook 01) a lent-to SME repays iff $\pi(C+F) \ge (1+r)L$: the
# enforcement threshold is $\pi^* = (1+r)L/(C+F)$. `al.sensitivity` differentiates it.

# %%
point = dict(L=100, r=0.06, C=70, F=50)
stats = al.sensitivity(repayment_condition(symbolic=True), solve_for="pi", at=point)
display(stats)
display(Math(stats.latex("pi*", "F")))
stats.to_frame()[["quantity", "parameter", "value", "derivative", "elasticity"]]

# %%
dF = stats.value("pi*", "F")
eF = stats.value("pi*", "F", "elasticity")
assert np.isclose(dF, -106 / 120**2) and np.isclose(eF, -50 / 120)
assert np.isclose(stats.value("pi*", "L", "elasticity"), 1.0)
print(
    f"At the defaults π* = {stats.value('pi*', 'F', 'value'):.3f}; one more unit of penalty "
    f"lowers it by {-dF:.5f}, an elasticity of {eF:.3f}: to first order a 10 % higher penalty "
    f"lowers the enforcement a court needs by {-10 * eF:.1f} %. The loan's size has elasticity "
    f"{stats.value('pi*', 'L', 'elasticity'):.0f}."
)

# %% [markdown]
# The table as LaTeX, for a paper's appendix:

# %%
print(stats.to_latex())
assert stats.to_latex().count(r"\\") == 1 + len(stats.frame)

# %% [markdown]
# ## 5. Which lever matters most? Sobol indices
#
# Over ranges of the three levers — enforcement $\pi \in [0.6, 1]$, the penalty
# $F \in [0, 1] \times L$ and peer monitoring $\mu \in [0, 1]$ (sanction $0.2L$) — how much
# of the variance of a member's PD does each explain, alone (first-order index $S_1$) and with
# its interactions (total index $S_T$)? We take the member M05 and evaluate the vectorised PD
# on the whole Saltelli sample at once (`al.sobol_indices`, SALib).

# %%
k = network.members.index("M05")


def pd_of_m05(pi, F, monitoring):
    return default_probability(
        pi=pi, F=F * L[k], monitoring=monitoring, sanction=0.2 * L[k], L=L[k],
        C=contract["C"][k], seize_share=0.7, theta_sigma=0.4, theta_median=median[k],
    )


levers = al.sobol_indices(
    pd_of_m05, {"pi": (0.6, 1.0), "F": (0.0, 1.0), "monitoring": (0.0, 1.0)}, n=4096, seed=SEED
)
levers

# %%
first, total = levers.first_order(), levers.total()
top = total.idxmax()
assert top == first.idxmax() and first.sum() <= 1 + 0.05
assert (total >= first - levers.frame.set_index("parameter")["S1_conf"]).all()
print(
    f"Over these ranges the lever that explains most of M05's PD is {top} "
    f"(S1 = {first[top]:.2f}, ST = {total[top]:.2f}); monitoring explains least "
    f"(ST = {total['monitoring']:.2f}); the first-order indices sum to {first.sum():.2f}, so "
    f"{1 - first.sum():.0%} of the variance comes from interactions between the levers."
)
assert total.idxmin() == "monitoring"
