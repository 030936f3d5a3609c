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
# # Writing a strategy of your own
#
# *For a student who has done the first run (notebook 01) and wants to try an idea of
# leadership.* A strategy is the leader's policy: each week it takes what she observes of
# the team and the hours she has, and says how many hours go to which member and which
# intervention. You will look at what a strategy is given, write one in a few lines,
# register it, race it against the built-in strategies with replications and intervals,
# and then write one that remembers from week to week.
#
# The reference is `docs/MODEL.md` §8 (the interface, the built-ins, registering your own,
# memory) and `simulation/model/strategies.py`, where every built-in strategy is a few
# lines you can copy.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display

from simulation import TeamModel, interventions, simulate, strategies
from simulation.experiments.stats import mean_interval, paired_comparisons
from simulation.model.config import ROOT_CAUSES
from simulation.model.strategies import StrategyRegistry
from simulation.model.strategy_memory import StrategyMemoryError

pd.set_option("display.width", 120)
pd.set_option("display.precision", 3)

# %% [markdown]
# ## What a strategy is given
#
# The signature is `plan(observation, hours) -> hours per member per intervention`.
# `observation` is the leader's reading of the team: noisy, possibly biased, and missing
# whatever members hide from her. Take the one a real leader planned her second week
# from:

# %%
model = TeamModel("baseline", seed=11)
model.step()
model.step()
observation = model.leader.observation
print(f"team of {observation.shape[-1]} slots; {model.leader.attention_hours:g} hours a week "
      f"to give; {interventions.COUNT} interventions to give them to")
gaps = pd.DataFrame(observation.gaps, columns=[f"gap: {cause}" for cause in ROOT_CAUSES])
gaps.index.name = "slot"
gaps["trust"] = observation.trust
gaps["output last week"] = observation.output
display(gaps)

# %% [markdown]
# Each gap is the leader's reading of one root cause, from 0 (no problem) to 1: lacking
# skill (`capability`), will (`motivation`), a clear path (`environment`: obstacles),
# clear direction (`direction`), or follow-through (`accountability`). The observation also
# reads the team as a whole (`observation.team_gaps`) and carries `active` (1 for a filled
# slot, 0 for a vacancy) and `tenure_weeks`.
#
# The answer is an array of shape `(members, interventions)` that adds up to at most the
# hours. Two helpers do most of the work: `strategies.profile(train=0.5, coach=0.5)` is
# a mix of interventions by name, and `strategies.spread(weights, hours)` shares the hours
# out in proportion to any non-negative weights.

# %%
mix = strategies.profile(train=0.5, coach=0.5)
print({name: float(share) for name, share in zip(interventions.NAMES, mix, strict=True)
       if share})
everyone_the_same = strategies.spread(observation.active[:, None] * mix, np.asarray(8.0))
print(f"shape {everyone_the_same.shape}, hours given {everyone_the_same.sum():.2f}, "
      f"per member {everyone_the_same.sum(axis=1).round(2)}")

# %% [markdown]
# ## A strategy in a few lines: the biggest gap first
#
# The built-in `diagnose_and_match` treats every gap a member has above a threshold, each
# with its matched remedies. A simpler leader might pick each member's single biggest
# problem and work on that alone, with its primary remedy (`interventions.MATCHED`: train
# for capability, recognise for motivation, and so on), giving more hours to the bigger
# gaps. Written with `...` for leading axes, it works for one team or a batch of runs.

# %%
PRIMARY_REMEDY = np.zeros((len(ROOT_CAUSES), interventions.COUNT))
for row, cause in enumerate(ROOT_CAUSES):
    PRIMARY_REMEDY[row, interventions.MATCHED[cause]] = 1.0
PRIMARY_REMEDY.flags.writeable = False  # a read-only table is shared by every run, not copied


def biggest_gap_first(observation, hours):
    """Works on each member's biggest observed gap alone, with its primary remedy, giving
    more hours to bigger gaps."""
    largest = np.argmax(observation.gaps, axis=-1)
    size = np.take_along_axis(observation.gaps, largest[..., None], axis=-1)[..., 0]
    weights = PRIMARY_REMEDY[largest] * (size * observation.active)[..., None]
    return strategies.spread(weights, hours)


plan = biggest_gap_first(observation, np.asarray(8.0))
shown = pd.DataFrame(plan, columns=interventions.NAMES).loc[:, lambda t: t.sum() > 0]
shown.index.name = "slot"
display(shown.round(2))
print(f"hours given: {plan.sum():.2f}")

# %% [markdown]
# ## Registering it
#
# The model looks strategies up by name in a registry. The package has one
# (`strategies.register(name, plan)` adds to it, as a plugin file for the command line
# does), but in a notebook a registry of your own is tidier: it holds only your
# strategies, running a cell again does not collide with the name registered the first
# time (`replace=True` allows it on purpose), and nothing you try leaks into other code in
# the process. The description defaults to the docstring's first paragraph.
# `vectorised=True` says the function works on a batch of runs at once, so the batched
# engine calls it once a week for all of them instead of once per run.

# %%
mine = StrategyRegistry()
mine.register("biggest_gap_first", biggest_gap_first, vectorised=True)
print(mine.names(), "-", mine.get("biggest_gap_first").description)

# %% [markdown]
# ## The race
#
# Each strategy leads the baseline team in 30 replications; replication *k* of every
# strategy meets the same team and the same events (common random numbers), so the
# comparisons are paired. The built-ins are looked up in the package's registry, yours
# in `mine`. Each `simulate` call below takes about a second; a study would use 100
# replications or more, which costs seconds, not minutes.

# %%
REPLICATIONS = 30
SEED = 11
contestants = {"hands_off": strategies.REGISTRY, "coach": strategies.REGISTRY,
               "diagnose_and_match": strategies.REGISTRY, "biggest_gap_first": mine}


def race(entrants):
    """Every entrant's runs in one tidy table, labelled by strategy."""
    return pd.concat([simulate("baseline", replications=REPLICATIONS, seed=SEED,
                               registry=registry, leader__strategy=name)
                      for name, registry in entrants.items()], ignore_index=True)


def table(runs, outcome, quarters=(4, 12)):
    """Mean and 95% interval of an outcome by strategy, at some quarters."""
    cells = {}
    for strategy, group in runs.groupby("strategy", sort=False):
        for quarter in quarters:
            mean, low, high = mean_interval(group.loc[group.quarter == quarter, outcome])
            cells.setdefault(f"quarter {quarter}", {})[strategy] = (
                f"{mean:.3f} [{low:.3f}, {high:.3f}]")
    return pd.DataFrame(cells)


def paired(comparisons):
    """The columns of paired_comparisons a reader wants, rounded."""
    shown = comparisons[["other", "outcome", "quarter", "difference", "low", "high",
                         "relative", "d_z"]].round(3)
    return shown.assign(p_holm=comparisons["p_holm"].map("{:.2g}".format))


runs = race(contestants)
print("team output per week, mean [95% interval]:")
display(table(runs, "team_output"))
final = runs[runs.quarter == runs.quarter.max()].groupby("strategy")["team_output"].mean()
ranking = final.sort_values(ascending=False)
print("ranked by output in the last quarter: " + " > ".join(ranking.index))

# %% [markdown]
# Paired differences against `diagnose_and_match`, with Cohen's d, the paired d_z and
# Holm-corrected p-values (`simulation.experiments.stats.paired_comparisons`):

# %%
against = paired_comparisons(runs, ["team_output", "trust_mean"], [4, 12],
                             reference="diagnose_and_match", by="strategy")
display(paired(against))

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for strategy, group in runs.groupby("strategy", sort=False):
    means = group.groupby("quarter")[["team_output", "trust_mean"]].mean()
    axes[0].plot(means.index, means["team_output"], marker="o", label=strategy)
    axes[1].plot(means.index, means["trust_mean"], marker="o", label=strategy)
axes[0].set(title="Team output (mean over replications)", xlabel="quarter",
            ylabel="output per week")
axes[1].set(title="Trust in the leader", xlabel="quarter", ylabel="trust")
axes[0].legend(fontsize="small")
fig.tight_layout()

# %% [markdown]
# Things to try: `biggest_gap_first` ignores the team's own gaps (conflict, unclear roles,
# a weak norm of holding each other to account: `observation.team_gaps`), which
# `diagnose_and_match` treats too. Add
# `strategies.whole_team(strategies.team_need(observation) @ strategies.TEAM_CAUSE_REMEDIES,
# observation)` to its weights, register it under a new name and race it again. Or lower
# the hours (`leader__attention_hours=4` in `simulate`) and see whether the ranking holds.

# %% [markdown]
# ## A strategy that remembers: a rota of deep 1:1s
#
# Some leadership is a habit kept over weeks. A leader with eight people might not see
# everyone every week, but see two of them in depth each week, in turn, and match
# remedies to their gaps. She has to remember whose turn is next.
#
# A strategy that takes a third parameter, `context`, is given a `StrategyContext` every
# week (`simulation/model/strategy_memory.py`): which run it leads (`context.scenario`,
# `context.seed`, `context.replication`), `context.week`, its own last 13 plans and
# observations, and `context.memory`, a dictionary that starts empty in every run. Memory
# kept there belongs to one run: replication 3 never sees what replication 2 did, in
# either engine.
#
# This one keeps a scalar position per run, so it is written for one team (not
# vectorised); the batched engine then calls it one run at a time.

# %%
SEEN_PER_WEEK = 2


def rota(observation, hours, context):
    """Sees two members a week in depth, in turn, and matches remedies to their gaps."""
    members = observation.shape[-1]
    first = context.memory.get("next", 0)
    chosen = (np.arange(members) - first) % members < SEEN_PER_WEEK
    context.memory["next"] = (first + SEEN_PER_WEEK) % members
    context.memory["weeks_seen"] = context.memory.get("weeks_seen", np.zeros(members)) + chosen
    excess = np.maximum(observation.gaps - strategies.DIAGNOSIS_THRESHOLD, 0.0)
    weights = excess @ strategies.CAUSE_REMEDIES * (chosen * observation.active)[..., None]
    return strategies.spread(weights, hours)


mine.register("rota", rota)
rota_model = TeamModel("baseline", seed=SEED, registry=mine, leader__strategy="rota").run()
context = rota_model.leader.context
print(f"after the run: context.week {context.week}, {len(context.plans)} plans kept, "
      f"memory keys {sorted(context.memory)}")
print(f"next on the rota: slot {context.memory['next']}; weeks each slot was seen: "
      f"{context.memory['weeks_seen'].astype(int).tolist()}")

# %% [markdown]
# The memory is per run, so the batched engine (here calling the rota run by run) and
# the Mesa model give the same numbers for it:

# %%
batched = simulate("baseline", replications=3, seed=SEED, registry=mine,
                   leader__strategy="rota")
agent_model = simulate("baseline", replications=3, seed=SEED, registry=mine,
                       leader__strategy="rota", engine="mesa")
gap = np.abs(batched["team_output"].to_numpy() - agent_model["team_output"].to_numpy()).max()
print(f"largest difference in team output between the engines over 3 runs: {gap:.1e}")

# %% [markdown]
# Now the rota against the leader who sees everyone every week. Besides output and trust,
# look at `kept_commitments`, the members' 1:1s she held in the quarter (a count of
# members, week by week), and `breaches`, the ones crises made her cancel.

# %%
rota_runs = pd.concat([runs[runs.strategy == "diagnose_and_match"],
                       race({"rota": mine})], ignore_index=True)
for outcome in ("team_output", "trust_mean", "kept_commitments", "breaches"):
    print(f"{outcome}, mean [95% interval]:")
    display(table(rota_runs, outcome))
rota_against = paired_comparisons(rota_runs, ["team_output", "trust_mean"], [12],
                                  reference="diagnose_and_match", by="strategy")
display(paired(rota_against))
last_quarter = rota_runs[rota_runs.quarter == rota_runs.quarter.max()]
held = last_quarter.groupby("strategy")["kept_commitments"].mean()
print(f"in the last quarter the rota held {held['rota']:.0f} 1:1s against "
      f"{held['diagnose_and_match']:.0f}; its output differs by "
      f"{rota_against.iloc[0]['relative']:+.1%} (paired, 95% interval "
      f"{rota_against.iloc[0]['relative_low']:+.1%} to "
      f"{rota_against.iloc[0]['relative_high']:+.1%})")

# %%
fig, axis = plt.subplots(figsize=(7, 3.6))
for strategy, group in rota_runs.groupby("strategy", sort=False):
    ends = group[group.quarter == group.quarter.max()]
    axis.scatter(ends["kept_commitments"], ends["team_output"], label=strategy, alpha=0.7)
axis.set(title="Last quarter, one point per replication", xlabel="1:1s held (kept_commitments)",
         ylabel="team output per week")
axis.legend()
fig.tight_layout()

# %% [markdown]
# ## Memory that would leak is refused
#
# A strategy that keeps its memory in a module's global variables would share it between
# every run in the process: replication 2 would start where replication 1 stopped. The
# registry refuses such a strategy when it is registered, naming the variable.

# %%
weeks_led = 0


def counts_in_a_global(observation, hours):
    """Counts its weeks in a global variable (refused)."""
    global weeks_led
    weeks_led += 1
    return strategies.spread(observation.active[..., None] * mix, hours)


try:
    mine.register("counts_in_a_global", counts_in_a_global)
except StrategyMemoryError as error:
    print(f"refused: {error}")

# %% [markdown]
# ## Where next
#
# - Put your strategy in a file (`my_strategies.py`, calling `strategies.register(...)`)
#   and run it from the command line: `teamsim --plugin my_strategies.py compare
#   diagnose_and_match biggest_gap_first`, or name it in a scenario file's `[leader]`.
# - `docs/MODEL.md` §8.5 lists what a strategy cannot see (the true state, the calendar).
# - Notebook 03 runs many settings at once and does the statistics properly.
