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
# # A sweep and its statistics
#
# *For a researcher.* A coaching leader is reassigned for good. How much of her attention
# does the team need her to keep, does it help if she spent part of her first hours
# embedding practice in systems, and does it matter when she goes? This notebook runs
# the shipped experiment that asks it (`experiments/withdrawal_timing.toml`) as a sweep
# into a results store, loads the runs into pandas, compares every setting with the
# reference under common random numbers with Holm-corrected p-values, and then, from
# Python alone, traces a dose-response curve of the leader's weekly hours, with the
# results as an xarray cube and a Parquet file.
#
# Everything runs on one core in well under a minute, at a reduced number of
# replications (said where it is chosen). The full runs are one command each:
# `teamsim sweep withdrawal_timing` (the file's own 20 replications, on every core).
# `docs/EXPERIMENTS.md` is the reference for experiment files, the store and the
# statistics.

# %%
import dataclasses
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Image, display

import simulation
from simulation.experiments.experiment_files import load_experiment
from simulation.experiments.report import write_report
from simulation.experiments.stats import holm, mean_interval, paired_comparisons, summarise
from simulation.experiments.sweep import settings_of, sweep

pd.set_option("display.width", 140)
pd.set_option("display.max_colwidth", 80)
pd.set_option("display.precision", 3)
WORK = Path(tempfile.mkdtemp(prefix="teamsim-notebook-"))  # all it writes, outside the repository

# %% [markdown]
# ## The experiment file
#
# An experiment names the base scenario, the factors varied (here a full grid over three
# scenario keys), the replications, the seed, the outcomes stored and the setting the
# others are compared with. `load_experiment` validates it as the command line does.

# %%
experiment = load_experiment("withdrawal_timing")
print(experiment.title)
print(" ".join(experiment.description.split()))
print()
for key, values in experiment.grid:
    print(f"  {key}: {list(values)}")
print(f"settings: {len(settings_of(experiment))}; replications per setting in the file: "
      f"{experiment.replications}; quarters of interest: {list(experiment.quarters)}")
print(f"reference: {experiment.reference}")

# %% [markdown]
# The experiment is a frozen dataclass, so a smaller version is one `dataclasses.replace`.
# Ten replications per setting keep this notebook quick, and because every comparison is
# paired ten go a long way; a paper would use the file's 20 or more, or let the sweep add
# replications until an interval is narrow enough (`teamsim sweep withdrawal_timing
# --precision 0.05`).

# %%
REPLICATIONS = 10
small = dataclasses.replace(experiment, replications=REPLICATIONS)
folder = WORK / small.name
summary = sweep(small, folder, workers=1, show_progress=False)
print(f"{summary.settings} settings: {summary.done} runs done, {summary.failed} failed, "
      f"in {summary.seconds:.1f} s {summary.executor}")
print("the store:", sorted(path.name for path in folder.iterdir()))

# %% [markdown]
# ## The runs as one tidy table
#
# `simulation.load_runs(folder)` reads every finished run from the store: one row per
# (run, quarter), with the setting's label, its factor values (one column per dotted
# key), the replication, the seed and every stored outcome.

# %%
runs = simulation.load_runs(folder)
print(f"{len(runs)} rows, {runs.label.nunique()} settings x "
      f"{runs.replication.nunique()} replications x {runs.quarter.nunique()} quarters")
print("columns:", ", ".join(runs.columns))
LEVEL, SYSTEMS, WHEN = ("leader.withdrawn_level", "leader.systems_share",
                        "leader.withdrawn_from_quarter")

# %% [markdown]
# Means with 95% intervals (`summarise`), in the last quarter, for a reassignment in
# quarter 5:

# %%
last = max(small.quarters)
at_five = runs[runs[WHEN] == 5]
means = summarise(at_five[at_five.quarter == last], ["team_output", "habit_strength_mean"],
                  by=[LEVEL, SYSTEMS])
display(means[[LEVEL, SYSTEMS, "runs", "team_output", "team_output_low", "team_output_high",
               "habit_strength_mean"]])

# %% [markdown]
# ## Paired comparisons and the Holm correction
#
# Replication *k* of every setting met the same random numbers (the same team, crises
# and departures), so each setting is compared with the reference replication by
# replication: the mean paired difference with its interval, the relative difference,
# Cohen's d (difference over the spread between teams) and d_z (over the spread of the
# paired differences), and a paired t-test. `paired_comparisons` does every (setting,
# outcome, quarter) at once and Holm-corrects the p-values over that whole family.

# %%
comparisons = paired_comparisons(runs, list(small.outcomes), list(small.quarters),
                                 reference=small.reference)
tested = comparisons["p_value"].notna()
print(f"{len(comparisons)} comparisons ({tested.sum()} with a spread to test); "
      f"p < 0.05: {(comparisons.p_value < 0.05).sum()} before correction, "
      f"{(comparisons.p_holm < 0.05).sum()} after Holm over the whole family")

focus = comparisons[(comparisons.outcome == "team_output") & (comparisons.quarter == last)]
focus = focus.merge(runs.drop_duplicates("label")[["label", LEVEL, SYSTEMS, WHEN]],
                    left_on="other", right_on="label").drop(columns="label")
columns = [LEVEL, SYSTEMS, WHEN, "difference", "low", "high", "relative", "cohens_d", "d_z",
           "p_holm"]
display(focus[focus[WHEN] == 5][columns].round(4))

# %% [markdown]
# The family matters. Holm controls the chance of any false positive among the tests
# you declare together. Had we planned to test only team output in the last quarter, the
# family would be those rows alone, and the same raw p-values would be corrected less:

# %%
focus = focus.assign(p_holm_output_only=holm(focus["p_value"].to_numpy()))
print(f"team output in quarter {last}: {focus.p_value.notna().sum()} tests (settings that "
      f"differ from the reference only in when a withdrawal of nothing starts are the same "
      f"runs: nothing to test); p < 0.05 after Holm over the whole family: "
      f"{(focus.p_holm < 0.05).sum()}, over these tests alone: "
      f"{(focus.p_holm_output_only < 0.05).sum()}")
display(focus[[LEVEL, SYSTEMS, WHEN, "p_value", "p_holm", "p_holm_output_only"]]
        .sort_values("p_value").head(8))

# %% [markdown]
# The relative difference in the last quarter by how much attention she keeps, with and
# without systems, for each timing of the reassignment (paired 95% intervals; the
# reference itself, all attention kept and no systems, is the zero line):

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharey=True)
for axis, (when, group) in zip(axes, focus.groupby(WHEN), strict=True):
    for systems, line in group.groupby(SYSTEMS):
        line = line.sort_values(LEVEL)
        axis.errorbar(line[LEVEL], 100 * line["relative"],
                      yerr=100 * (line["relative"] - line["relative_low"]), marker="o",
                      capsize=3, label=f"systems share {systems:g}")
    axis.axhline(0, color="grey", linewidth=0.8)
    axis.set(title=f"reassigned in quarter {when}", xlabel="share of her attention kept")
axes[0].set_ylabel(f"team output in quarter {last},\n% against the reference")
axes[0].legend(fontsize="small")
fig.tight_layout()

# %% [markdown]
# `write_report` writes what `teamsim sweep` and `teamsim report` write beside the store:
# the runs as CSV and Parquet, the summary and comparisons, the figures and `report.md`.
# Here is its heatmap.

# %%
report = write_report(folder)
plt.close("all")  # the report's figures are saved; do not show them twice
print("written:", ", ".join(sorted(path.name for path in report.written)))
heatmaps = sorted(folder.glob("heatmap*.png"))
display(Image(filename=str(heatmaps[0]), width=640))

# %% [markdown]
# ## A dose-response curve from Python: the leader's weekly hours
#
# Without an experiment file, `simulation.simulate_design` runs any list of points (each
# a set of scenario keys, spelled with `__`), every point on the same replications
# (common random numbers), and returns one tidy table with a `point` column and one column
# per key. Here: two strategies, each with two to sixteen hours a week for the baseline
# team, 20 replications per point (a published curve would use 50 or more).

# %%
HOURS = [2, 4, 6, 8, 10, 12, 14, 16]
points = [{"leader__strategy": strategy, "leader__attention_hours": hours}
          for strategy in ("coach", "diagnose_and_match") for hours in HOURS]
dose = simulation.simulate_design(points, "baseline", replications=20, seed=7)
print(f"{len(points)} points, {len(dose)} rows; first columns: "
      f"{', '.join(dose.columns[:8])}")
capacity = simulation.load_scenario("baseline").leader.capacity_hours
print(f"the baseline leader sustains {capacity:g} hours of leading a week "
      f"(leader.capacity_hours); more exhaust her")

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for strategy, group in dose.groupby("leader__strategy"):
    for axis, outcome in zip(axes, ("team_output", "leader_exhaustion"), strict=True):
        cells = [mean_interval(group.loc[(group.quarter == 12)
                                         & (group.leader__attention_hours == hours), outcome])
                 for hours in HOURS]
        mean, low, high = np.array(cells).T
        axis.plot(HOURS, mean, marker="o", label=strategy)
        axis.fill_between(HOURS, low, high, alpha=0.25)
for axis in axes:
    axis.axvline(capacity, color="grey", linestyle="--", linewidth=0.8)
axes[0].set(title="Team output in quarter 12", xlabel="leader hours a week",
            ylabel="output per week")
axes[1].set(title="The leader's exhaustion in quarter 12", xlabel="leader hours a week",
            ylabel="exhaustion (0-1)")
axes[0].legend(fontsize="small")
fig.tight_layout()

# %% [markdown]
# ## The same table as an xarray cube, and as Parquet
#
# `simulation.to_cube(frame)` turns any tidy quarterly table into an `xarray.DataArray`
# with dimensions `run`, `quarter` and `outcome`; the `run` coordinate carries the
# design's keys, so grouping by one of them is one call.

# %%
cube = simulation.to_cube(dose)
print(dict(cube.sizes))
output_12 = cube.sel(outcome="team_output", quarter=12)
by_hours = pd.DataFrame({strategy: output_12.where(output_12.leader__strategy == strategy,
                                                   drop=True)
                         .groupby("leader__attention_hours").mean().to_series()
                         for strategy in ("coach", "diagnose_and_match")})
by_hours.index.name = "hours a week"
display(by_hours)
for strategy, column in by_hours.items():
    print(f"{strategy}: most output in quarter 12 at {column.idxmax()} hours a week "
          f"({column.max():.2f}); at {HOURS[-1]} hours {column.iloc[-1]:.2f}")

# %% [markdown]
# pyarrow is a dependency, so Parquet always works; a sweep's store exports its runs as
# `runs.parquet` too (`write_report` above wrote one).

# %%
path = WORK / "dose_response.parquet"
dose.to_parquet(path, index=False)
back = pd.read_parquet(path)
pd.testing.assert_frame_equal(back, dose)
print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB, {len(back)} rows, read back "
      f"unchanged; the sweep's copy: "
      f"{len(pd.read_parquet(folder / 'runs.parquet'))} rows")
