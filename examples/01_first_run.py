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
# # Your first run: one team, one leader, three years
#
# *For a student meeting TeamSim for the first time.* You will build one team, watch it
# for a few weeks, look at its people one at a time, run it to the end, read the results
# as tables and a chart, and then ask the first research question of leadership: does it
# matter what the leader does with her hours? The whole notebook runs in well under a
# minute.
#
# TeamSim is a [Mesa](https://mesa.readthedocs.io) model. Each team member is an agent
# with a **capability** (can they do the work), a **motivation** (do they want to), a
# **trust** in their leader and an **accountability** (do they follow through), plus a few
# more states. The leader is an agent too: she reads the team (imperfectly), and each
# week spends a limited number of hours on interventions for members: clarify, train,
# coach, recognise, and so on. The equations are in `docs/MODEL.md`.

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from simulation import TeamModel, load_scenario, simulate
from simulation.experiments.stats import half_width, mean_interval

pd.set_option("display.width", 120)
pd.set_option("display.precision", 3)

# %% [markdown]
# ## The scenario
#
# A scenario is a TOML file in `scenarios/`: the team, its leader and its environment.
# `baseline` is the ordinary team every other story is compared with.

# %%
scenario = load_scenario("baseline")
print(scenario.title)
print(" ".join(scenario.description.split()))
print(f"\n{scenario.team.size} members, {scenario.quarters} quarters of 13 weeks; "
      f"the leader gives {scenario.leader.attention_hours:g} hours a week and leads by "
      f"'{scenario.leader.strategy}'")

# %% [markdown]
# ## A model, stepped by hand
#
# `TeamModel("baseline", seed=7)` builds the team. The seed fixes every random number of
# the run, so you (and anyone you send this to) get the same team and the same story.
# Each `step()` is one week.

# %%
model = TeamModel("baseline", seed=7)
for _ in range(4):
    model.step()
print(f"weeks simulated: {model.weeks_done}")

# %% [markdown]
# The members are Mesa agents, `model.team`. Their states read as attributes (and
# assigning one, `model.team[0].motivation = 0.9`, changes what the next week starts
# from). `situation` is how the leader reads each member's situation, as a situational
# leader would: new to the role, developing, an experienced performer, and so on.

# %%
people = pd.DataFrame([{"agent": member.unique_id, "slot": member.slot,
                        "capability": member.capability, "motivation": member.motivation,
                        "trust": member.trust, "accountability": member.accountability,
                        "output last week": member.output, "situation": member.situation}
                       for member in model.team]).set_index("agent")
display(people)

# %% [markdown]
# The leader is an agent as well. She does not see these numbers: she sees a noisy
# reading of them (`leader.observation`, taken at the start of the week just
# simulated). Put her reading beside the truth for capability: the differences are mostly
# her misreadings (and a little of the week's change), and they are why two equally
# hard-working leaders can get different results.

# %%
leader = model.leader
print(f"strategy: {leader.strategy.name} ({leader.strategy.description})")
print(f"hours a week: {leader.attention_hours:g}; credibility {leader.credibility:.3f}; "
      f"her own exhaustion {leader.exhaustion:.3f}")
reading = pd.DataFrame({"true capability": [m.capability for m in model.team],
                        "as she reads it": leader.observation.capability[
                            [m.slot for m in model.team]]},
                       index=pd.Index([m.slot for m in model.team], name="slot"))
reading["misreading"] = reading["as she reads it"] - reading["true capability"]
display(reading)

# %% [markdown]
# And what she has done with her hours so far, by intervention (summed over members,
# per week on average):

# %%
per_week = pd.Series(model.hours_by_intervention()) / model.weeks_done
print(f"hours a week over the first {model.weeks_done} weeks, by intervention:")
print(per_week[per_week > 0].round(2).sort_values(ascending=False).to_string())

# %% [markdown]
# ## Run to the end and read the results
#
# `model.run()` simulates the remaining weeks. `quarterly_frame()` gives one tidy row per
# quarter: every outcome the model reports (team output per week, the mean and spread of
# each member state, the team's climate, the leader's hours, events).

# %%
model.run()
quarters = model.quarterly_frame()
print(f"{len(quarters)} quarters x {quarters.shape[1]} columns")
core = ["team_output", "capability_mean", "motivation_mean", "trust_mean",
        "accountability_mean", "headcount", "departures"]
display(quarters.set_index("quarter")[core])

# %% [markdown]
# Mesa's own tools work too. The model's `datacollector` has one row per **week**: every
# outcome as a model variable, and every agent's state (members and the leader) as agent
# variables.

# %%
weekly = model.datacollector.get_model_vars_dataframe()
agents = model.datacollector.get_agent_vars_dataframe()
print(f"model variables: {weekly.shape[0]} weeks x {weekly.shape[1]} columns")
print(f"agent variables: {agents.shape[0]} agent-weeks x {agents.shape[1]} columns "
      f"(index: {', '.join(agents.index.names)})")
members = agents[agents["role"] == "member"]
print(f"distinct people over the run: {members.index.get_level_values('AgentID').nunique()} "
      f"in {scenario.team.size} slots (leavers are replaced by new agents)")

# %%
fig, (top, bottom) = plt.subplots(1, 2, figsize=(11, 3.8))
top.plot(weekly["week"], weekly["team_output"], color="black")
top.set(title="Team output, week by week", xlabel="week", ylabel="output per week")
for state in ("capability", "motivation", "trust", "accountability"):
    bottom.plot(weekly["week"], weekly[f"{state}_mean"], label=state)
bottom.set(title="The four core states (team means)", xlabel="week", ylim=(0, 1))
bottom.legend(loc="lower right", fontsize="small")
fig.tight_layout()

# %% [markdown]
# Trust is built one person at a time. Each line below is one member's trust in the
# leader (a line that stops is someone who left; a line that starts late, a new hire).

# %%
trust = members["trust"].unstack("AgentID")
fig, axis = plt.subplots(figsize=(7, 3.5))
axis.plot(trust.index, trust.to_numpy(), linewidth=1)
axis.set(title="Each member's trust in the leader", xlabel="week", ylabel="trust",
         ylim=(0, 1))
fig.tight_layout()

# %% [markdown]
# ## Does it matter what the leader does? Replications and intervals
#
# One run is one story; a claim needs many. `simulate` runs replications of a scenario on
# the batched engine (the same equations over arrays of runs, the same numbers as the
# Mesa model) and returns the same tidy table, one row per (replication, quarter). Any
# scenario key is a keyword, nested keys spelled with `__`. Here the leader either spends
# no hours on the team (`hands_off`) or diagnoses each member's gaps and applies the
# matched remedies (`diagnose_and_match`), over 20 replications. (A paper would use more,
# 50 to 100, or let `teamsim sweep --precision` decide; see notebook 03.)

# %%
REPLICATIONS = 20
runs = pd.concat([simulate("baseline", replications=REPLICATIONS, seed=7,
                           leader__strategy=strategy)
                  for strategy in ("hands_off", "diagnose_and_match")], ignore_index=True)
print(f"{len(runs)} rows: {runs.strategy.nunique()} strategies x {REPLICATIONS} "
      f"replications x {runs.quarter.nunique()} quarters")

# %% [markdown]
# Replication 0 with seed 7 is the very run you stepped by hand above: the batched engine
# and the Mesa model give the same numbers.

# %%
same = runs[(runs.strategy == "diagnose_and_match") & (runs.replication == 0)]
print(pd.DataFrame({"TeamModel": quarters["team_output"].to_numpy(),
                    "simulate, replication 0": same["team_output"].to_numpy()},
                   index=pd.Index(quarters["quarter"], name="quarter")).head(4))

# %% [markdown]
# The mean over replications with its 95% interval (Student's t), per strategy and
# quarter, from `simulation.experiments.stats.mean_interval`:

# %%
rows = []
for (strategy, quarter), group in runs.groupby(["strategy", "quarter"]):
    mean, low, high = mean_interval(group["team_output"])
    rows.append({"strategy": strategy, "quarter": quarter, "mean": mean, "low": low,
                 "high": high})
summary = pd.DataFrame(rows)
display(summary[summary.quarter.isin([1, 4, 8, 12])].pivot(index="quarter", columns="strategy"))

# %%
fig, axis = plt.subplots(figsize=(7, 3.8))
for strategy, group in summary.groupby("strategy"):
    axis.plot(group["quarter"], group["mean"], marker="o", label=strategy)
    axis.fill_between(group["quarter"], group["low"], group["high"], alpha=0.25)
axis.set(title=f"Team output, mean and 95% interval over {REPLICATIONS} replications",
         xlabel="quarter", ylabel="output per week")
axis.legend()
fig.tight_layout()

# %% [markdown]
# Replication *k* of both strategies meets the same random numbers (the same team, the
# same crises), so the fairest comparison is paired: the difference replication by
# replication. Pairing takes out what the two runs of a replication share (the team's
# draw, its crises), so the paired interval is narrower than one built from the two
# groups' separate spreads.

# %%
last = scenario.quarters
wide = runs[runs.quarter == last].pivot(index="replication", columns="strategy",
                                        values="team_output")
difference = wide["diagnose_and_match"] - wide["hands_off"]
mean, low, high = mean_interval(difference)
relative = difference.mean() / wide["hands_off"].mean()
print(f"quarter {last}: diagnose_and_match minus hands_off = {mean:+.3f} output per week "
      f"(95% interval {low:+.3f} to {high:+.3f}), {relative:+.0%} of the hands-off team's")
separate = (half_width(wide["diagnose_and_match"]) ** 2 + half_width(wide["hands_off"]) ** 2)
print(f"half-width of the paired interval {half_width(difference):.3f}, against "
      f"{separate ** 0.5:.3f} from the two groups' separate spreads")
print(f"the attentive leader's team is ahead in {(difference > 0).sum()} of "
      f"{REPLICATIONS} replications")

# %% [markdown]
# ## Where next
#
# - `02_writing_a_strategy.py`: write your own leader's strategy and race it against the
#   built-ins.
# - `03_sweep_and_statistics.py`: many settings at once, paired statistics, Holm
#   correction, a dose-response curve.
# - `05_what_if_from_python.py`: the workshop's what-if questions, with effect sizes.
# - On the command line, `teamsim compare hands_off diagnose_and_match` makes the same
#   comparison with a report and figures.
