# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Sensitivity analysis and scenario discovery
#
# *For a researcher who wants to know which assumptions the results hang on, and under
# which conditions a story breaks.* Two questions, two families of methods:
#
# 1. **Which model constants matter?** Global sensitivity analysis: a Morris screening of
#    twelve calibrated constants to rank them cheaply, then Sobol indices on the few that
#    matter, to split the outcome's variance between them. Both come from
#    `simulation.analysis.sensitivity` (SALib's interface: `sample`, then `analyze`), the
#    first through its Python functions, the second through `teamsim sensitivity`, whose
#    saved points and outputs we then read back into SALib.
# 2. **When does a team lose what its leader built?** Scenario discovery with the EMA
#    Workbench (`simulation.analysis.ema`): a Latin hypercube over uncertain teams and
#    environments and over the leader's choices, and PRIM to find the box of conditions
#    where teams regress after she is reassigned.
#
# Every design here is small, so that the notebook runs in about a minute on one core;
# the text says what the full analyses use. The full ones are one command each:
# `teamsim sensitivity sensitivity_morris`, `teamsim sensitivity sensitivity` (14,336
# points, a few minutes on two cores) and `python examples/ema_withdrawal_discovery.py`
# (400 experiments).

# %%
import dataclasses
import json
import tempfile
import tomllib
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Image, display
from SALib.analyze import sobol as salib_sobol
from SALib.sample import morris as salib_morris

import simulation
from simulation.analysis.ema import (
    box_limits,
    design_inputs,
    discover_box,
    ema_model,
    quarter_means,
    seeded_design,
    workbench,
)
from simulation.analysis.sensitivity import study_of
from simulation.cli import main as teamsim
from simulation.experiments.experiment_files import load_experiment, resolve_experiment_path
from simulation.model.scenario_files import with_overrides

pd.set_option("display.width", 140)
pd.set_option("display.precision", 3)
WORK = Path(tempfile.mkdtemp(prefix="teamsim-sensitivity-"))  # all it writes, outside the repo

# %% [markdown]
# ## 1. Morris screening: twelve constants, ranked
#
# The shipped `sensitivity_morris` experiment varies twelve calibrated constants, each
# uniformly over half to one and a half times its default, on the baseline team, and
# reads team output in quarter 12. At each parameter point the model runs several
# replications (replication *k* meets the same random numbers at every point), every run
# with its own constants in one batch of the batched engine. The file asks for 100
# trajectories with 10 replications each (13,000 runs); we take 20 trajectories with 3
# replications.

# %%
screening = load_experiment("sensitivity_morris")
small = dataclasses.replace(screening, replications=3,
                            sample=dataclasses.replace(screening.sample, trajectories=20))
study = study_of(small)
print(f"{study.title}\n{study.method.title} of {study.outcome} at quarter {study.quarter}: "
      f"{study.describe()} = {study.runs:,} runs")

# %% [markdown]
# The design is SALib's own Morris sample (the same call, the same seed), so anything
# SALib can do with it, it can do with ours:

# %%
design = study.sample()
same = salib_morris.sample(study.problem.salib(), N=study.size, num_levels=study.method.levels,
                           seed=study.seed)
print(f"{len(design.points)} points; identical to SALib.sample.morris.sample: "
      f"{np.array_equal(design.points, same)}")
values = study.evaluate(design, workers=1)  # (points, replications)
morris = study.analyse(design, values).sort_values("mu_star", ascending=False)
display(morris.reset_index(drop=True))

# %% [markdown]
# mu* is the mean absolute change in team output (per week, in quarter 12) that one step
# of a constant (two thirds of its range, on a four-level grid) makes; its interval is a
# bootstrap over trajectories. sigma is the spread of those changes: large against mu*
# means the constant's effect depends on where the others are (interactions) or is not
# linear.

# %%
fig, axis = plt.subplots(figsize=(7, 4.2))
axis.errorbar(morris["mu_star"], morris["sigma"], xerr=morris["mu_star_conf"], fmt="o",
              capsize=2)
for row in morris.head(6).itertuples():
    axis.annotate(row.parameter, (row.mu_star, row.sigma), textcoords="offset points",
                  xytext=(4, 4), fontsize="small")
axis.set(title=f"Morris screening, {study.size} trajectories x {study.replications} "
               f"replications", xlabel="mu* (team output per week, quarter 12)",
         ylabel="sigma")
fig.tight_layout()

# %% [markdown]
# ## 2. Sobol indices on the constants that matter, through `teamsim sensitivity`
#
# Screening is for deciding where to spend the expensive method. Sobol indices need
# `N * (d + 2)` points for `d` constants, so we keep the four with the largest mu* and
# write an experiment file for them, with the bounds of the shipped file. The shipped
# Sobol analysis (`experiments/sensitivity.toml`) uses 1,024 base samples over twelve
# constants with 10 replications; here 128 base samples over four with 3.

# %%
TOP = 4
kept = morris["parameter"].head(TOP).tolist()
bounds = tomllib.loads(resolve_experiment_path("sensitivity_morris").read_text(
    encoding="utf-8"))["sample"]["bounds"]
lines = ['name = "sobol_of_the_screened"',
         'title = "Sobol indices of the constants the Morris screening ranked highest"',
         'scenarios = ["baseline"]', "replications = 3", f"seed = {small.seed}",
         'outcomes = ["team_output"]', f"quarters = [{study.quarter}]", "",
         "[sample]", 'method = "sobol"', "size = 128", "", "[sample.bounds]",
         *(f'"parameters.{name}" = {bounds["parameters." + name]}' for name in kept)]
experiment_file = WORK / "sobol_of_the_screened.toml"
experiment_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(experiment_file.read_text(encoding="utf-8"))

# %% [markdown]
# `simulation.cli.main` is the `teamsim` command, callable from Python (it returns the
# exit code). It prints the indices and writes them with the points, the outputs at each
# point and replication, a manifest that says how to redo the analysis, and a chart:

# %%
folder = WORK / "sobol"
code = teamsim(["sensitivity", str(experiment_file), "--out", str(folder), "--workers", "1",
                "--quiet"])
print(f"exit code {code}; files: {', '.join(sorted(p.name for p in folder.iterdir()))}")
display(Image(filename=str(folder / "sobol.png"), width=640))

# %% [markdown]
# The saved files go straight into SALib. The manifest holds SALib's problem definition;
# `points.csv` is in SALib's Saltelli order (per base sample: A, AB_1 ... AB_d, B) and
# `outputs.csv` has the mean over replications at each point. SALib's estimators are the
# same as scipy's that `teamsim` uses (Saltelli et al. 2010), so the indices agree; the
# intervals differ a little (SALib's are normal approximations, teamsim's BCa bootstraps).

# %%
manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
problem = manifest["problem"]
outputs = pd.read_csv(folder / "outputs.csv")["team_output"].to_numpy()
by_salib = salib_sobol.analyze(problem, outputs, calc_second_order=False,
                               num_resamples=manifest["resamples"],
                               conf_level=manifest["confidence_level"], seed=small.seed)
ours = pd.read_csv(folder / "sobol.csv").set_index("parameter")
side_by_side = pd.DataFrame({
    "first order (teamsim)": ours["first_order"], "first order (SALib)": by_salib["S1"],
    "total order (teamsim)": ours["total_order"], "total order (SALib)": by_salib["ST"],
    "total, 95% (teamsim)": [f"[{low:.3f}, {high:.3f}]" for low, high
                             in zip(ours["total_low"], ours["total_high"], strict=True)],
    "total, ± (SALib)": by_salib["ST_conf"]}, index=ours.index)
display(side_by_side)
gap = np.abs(np.r_[ours["first_order"] - by_salib["S1"], ours["total_order"] - by_salib["ST"]])
print(f"largest difference between the two estimates: {gap.max():.1e}")
print(f"first-order indices add up to {ours['first_order'].sum():.2f}; the rest of the "
      f"variance is interactions among these {TOP} and the replication noise left in a "
      f"mean of {manifest['replications']} runs (the other "
      f"{study.problem.num_vars - TOP} constants are at their defaults here)")

# %% [markdown]
# ## 3. Scenario discovery: when does a team regress after its leader goes?
#
# The README's main story: a coaching leader is reassigned and the gains held only by
# her attention drain away. Here she leaves for good after a year (quarter 4) and keeps a
# share of her hours for the team. Does every team slip back, or only some? Under which
# conditions?
#
# **Uncertainties** (what the leader does not choose): turnover, crises, how fast habits
# embed, how fast motivation drifts back to where habit holds it.
# **Levers** (what she chooses): her strategy, her share of hours spent embedding practice
# in systems while she leads (at most 15% here; the `attention_withdrawn_with_systems`
# leader spends a third, and notebook 05 shows what that does), and how much attention
# she keeps after she goes (at most a tenth).
# **Outcome**: the team's *gain* in a quarter is its output minus that of the same team
# under a hands-off leader on the same replications (validation pattern P5's measure).
# The *gain kept* is the gain in the fourth quarter of her absence over the gain in her
# last quarter. A team **regresses** when it keeps less than half.
#
# `ema_model` builds an `ema_workbench.Model` whose factors are scenario keys (their
# ranges checked against the keys' declared ranges) and whose outcomes come from the
# batched engine; a derived outcome is any function of an experiment's tidy table.

# %%
GONE = 4
HANDS_OFF = {"leader.strategy": "hands_off", "leader.systems_share": 0.0,
             "leader.withdrawn_from_quarter": 0, "leader.withdrawn_level": 1.0}


def hands_off_output(config, seed, replications):
    """Team output per quarter of the same team under a hands-off leader."""
    frame = simulation.simulate(config, replications=replications, seed=seed)
    return quarter_means(frame)["team_output"]


def gain_kept(frame, config):
    """The share of her last quarter's gain over hands-off that the team keeps in the
    fourth quarter of her absence."""
    output = quarter_means(frame)["team_output"]
    bare = hands_off_output(with_overrides(config, HANDS_OFF), int(frame["seed"].iloc[0]),
                            int(frame["replication"].nunique()))
    before, after = GONE - 1, GONE + 3
    return float((output[after] - bare[after]) / (output[before] - bare[before]))


model = ema_model(
    "attention_withdrawn",
    fixed={"quarters": 8, "leader.withdrawn_from_quarter": GONE,
           "leader.withdrawn_quarters": 0},
    uncertainties={"environment.turnover_rate": (0.05, 0.4),
                   "environment.crisis_rate": (0.0, 2.0),
                   "parameters.embed_rate": (0.025, 0.075),
                   "parameters.motivation_drift": (0.03, 0.09)},
    levers={"leader.strategy": ["coach", "diagnose_and_match"],
            "leader.systems_share": (0.0, 0.15), "leader.withdrawn_level": (0.0, 0.1)},
    outcomes=["team_output"], derived={"gain_kept": gain_kept}, replications=3, seed=2026)
print("uncertainties:", ", ".join(p.name for p in model.uncertainties))
print("levers:", ", ".join(p.name for p in model.levers))

# %% [markdown]
# The workbench's Latin hypercube: 80 points over the uncertainties and 80 over the
# levers, zipped (`combine="sample"`) rather than crossed, so that every experiment has a
# policy of its own and PRIM sees every lever's whole range; each experiment is 3
# replications, and its hands-off counterfactual 3 more. (The shipped study runs 400
# experiments with 6.) The samplers draw from numpy's global generator, so
# `seeded_design` seeds it for the block and restores it after: the same seed gives the
# same design. `log_progress=True` sends the workbench's progress to its logger instead
# of a progress bar.

# %%
ema = workbench()
with seeded_design(2026):
    scenarios = list(ema.em_framework.sample_uncertainties(model, 80))
    policies = list(ema.em_framework.sample_levers(model, 80))
    experiments, outcomes = ema.perform_experiments(model, scenarios=scenarios,
                                                    policies=policies, combine="sample",
                                                    log_progress=True)
kept_share = outcomes["gain_kept"]
regressed = kept_share < 0.5
print(f"{len(experiments)} experiments; gain kept: median {np.median(kept_share):.2f}, "
      f"quartiles {np.quantile(kept_share, 0.25):.2f} to {np.quantile(kept_share, 0.75):.2f}; "
      f"{regressed.sum()} regressed ({regressed.mean():.0%})")

# %% [markdown]
# PRIM (Friedman & Fisher 1999; for scenario discovery Bryant & Lempert 2010) peels the
# space of factors box by box toward the regressed experiments. Each step trades
# **coverage** (the share of all regressed experiments inside the box) for **density**
# (the share of experiments in the box that regressed). We take the densest box that
# still covers at least half of the regressed cases, and look at the quasi-p value of
# each of its restrictions (small: unlikely to be chance).

# %%
inputs = design_inputs(experiments, model)
box = discover_box(inputs, regressed, threshold=0.5, peel_alpha=0.1)
trajectory = box.peeling_trajectory.copy()
covering = trajectory[trajectory["coverage"] >= 0.5]
step = int(covering.sort_values(["density", "res_dim"], ascending=[False, True]).index[0])
box.select(step)
chosen = trajectory.loc[step]
print(f"box at step {step}: coverage {chosen['coverage']:.2f}, density "
      f"{chosen['density']:.2f}, {int(chosen['n'])} experiments, "
      f"{int(chosen['res_dim'])} factors restricted")
limits = box_limits(box, step)
display(limits)

# %% [markdown]
# With few cases of interest, some restrictions are chance. Dropping those whose
# quasi-p is above 0.05 (`PrimBox.drop_restriction`, which adds the wider box to the
# trajectory) leaves the conditions the data support:

# %%
dropped = limits.loc[limits["qp"] > 0.05, "factor"].tolist()
for factor in dropped:
    box.drop_restriction(factor)
final = box.peeling_trajectory.iloc[-1]
final_limits = box_limits(box, -1)
print(f"dropped: {', '.join(dropped) or 'nothing'}; the box now holds {int(final['n'])} "
      f"experiments, coverage {final['coverage']:.2f}, density {final['density']:.2f}")
display(final_limits)
conditions = [f"{row.factor.replace('__', '.')} in {{{row.categories}}}" if row.categories
              else f"{row.factor.replace('__', '.')} from {row.low:.3g} to {row.high:.3g}"
              for row in final_limits.itertuples()]
print(f"{final['density']:.0%} of the experiments with " + " and ".join(conditions)
      + f" regressed, against {regressed.mean():.0%} over the whole design")

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
axes[0].plot(trajectory["coverage"], trajectory["density"], marker="o", label="peeling")
axes[0].plot(chosen["coverage"], chosen["density"], marker="o", markersize=12,
             markerfacecolor="none", color="red", label="the densest box covering half")
axes[0].plot(final["coverage"], final["density"], marker="s", markersize=9, color="black",
             linestyle="none", label="its significant restrictions only")
axes[0].set(title="PRIM: coverage against density", xlabel="coverage", ylabel="density")
axes[0].legend(fontsize="small")
restricted = final_limits.set_index("factor")
numeric = [name for name in restricted.index if restricted.loc[name, "categories"] == ""]
x_name, y_name = list(dict.fromkeys([*numeric, "leader__systems_share",
                                     "environment__crisis_rate"]))[:2]
axes[1].scatter(inputs[x_name], inputs[y_name], s=26,
                c=np.where(regressed, "tab:red", "tab:grey"))
for name, draw in ((x_name, axes[1].axvline), (y_name, axes[1].axhline)):
    if name in restricted.index and restricted.loc[name, "categories"] == "":
        for edge in restricted.loc[name, ["low", "high"]]:
            draw(edge, color="black", linestyle="--", linewidth=1)
axes[1].set(title="Regressed (red); dashed: the box's limits",
            xlabel=x_name.replace("__", "."), ylabel=y_name.replace("__", "."))
fig.tight_layout()

# %% [markdown]
# With 80 experiments the box is a first sketch: PRIM's boxes are only as steady as the
# number of cases of interest allows, and a factor left out of the design cannot appear
# in one. The full study (`examples/ema_withdrawal_discovery.py`: 400 experiments, more
# uncertainties, a deputy among the levers, feature scoring by extra trees; its summary
# is `results/ema_withdrawal/summary.md`) is the one to cite.
# What this notebook gives is the workflow: factors as scenario keys, a seeded design, a
# derived outcome with a counterfactual on common random numbers, and PRIM on the result.
