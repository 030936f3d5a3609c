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
# # What if? A trainer's questions, from Python
#
# *For a trainer preparing a workshop.* In the room you would use the workshop page
# (`teamsim workshop`, `docs/WORKSHOP.md`): pick a preset, move a few levers for B, and
# the page compares A and B. Before the session you may want the same numbers in a
# notebook: to choose the moves that make the point, check how sure the answer is, export
# a chart and its numbers for a slide, and know how large an effect is in the terms of
# the research your audience may have read. The page's engine is
# `simulation/workshop/whatif.py`, and it is plain Python:
#
# - `presets()`: every shipped scenario with its story;
# - `apply_levers(config, {lever: value})`: a configuration with levers moved, checked as
#   the page checks them;
# - `compare(a, b, replications=30, seed=...)`: the configurations (up to four) on the
#   same random numbers (replication *k* of each meets the same team and the same
#   crises), with the difference in words (`.sentence`), its numbers (`.table()`,
#   `.to_csv()`) and the page's chart (`simulation.figures.whatif_figure`).
#
# Each comparison below is 30 replications of three years, as on the page, and takes
# about a second.

# %%
import io
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Image, display

import simulation
from simulation.experiments.stats import paired_comparisons
from simulation.figures import whatif_figure
from simulation.workshop.levers import LEVER_KEYS, apply_levers, levers_of
from simulation.workshop.whatif import compare, presets

pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 90)
pd.set_option("display.precision", 3)
WORK = Path(tempfile.mkdtemp(prefix="teamsim-workshop-"))  # exports go here
REPLICATIONS = 30

# %% [markdown]
# ## The presets
#
# Every shipped scenario is a preset with a story. This session's is the reassigned
# leader.

# %%
catalogue = pd.DataFrame([{"preset": name, "title": preset.title}
                          for name, preset in presets().items()]).set_index("preset")
print(f"{len(catalogue)} presets")
display(catalogue.head(8))
preset = presets()["attention_withdrawn"]
base = preset.config
print(preset.story)

# %% [markdown]
# The levers, with the preset's values. Each lever is a scenario key
# (`LEVER_KEYS`), so anything done here can be done with `simulation.simulate(...,
# leader__withdrawn_from_quarter=...)` as well, and is, at the end of the notebook.

# %%
levers = pd.DataFrame({"value": levers_of(base), "scenario key": LEVER_KEYS})
display(levers)

# %%
def show(figure):
    """Show a figure drawn outside pyplot (the page's charts are) in the notebook."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    display(Image(data=buffer.getvalue()))


def what_if(b_levers, a_levers=None, config=base):
    """Compare A (the preset with ``a_levers``) and B (with ``b_levers``) as the page does,
    and say the result."""
    a = apply_levers(config, a_levers or {})
    b = apply_levers(config, b_levers)
    result = compare(a, b, replications=REPLICATIONS, seed=config.seed)
    moved = ", ".join(f"{name} = {value}" for name, value in b_levers.items())
    print(f"B: {moved or 'the preset as it is'}\n   {result.sentence}")
    return result


# %% [markdown]
# ## Move 1: would more of her hours help?
#
# The room's first instinct: if attention matters, give more of it. B gives the team ten
# hours a week instead of eight, then fourteen. Watch the lever beside it,
# `capacity_hours`: the hours of leading she can sustain without wearing out.

# %%
print(f"the preset's leader gives {base.leader.attention_hours:g} hours a week and "
      f"sustains {base.leader.capacity_hours:g}")
ten = what_if({"attention_hours": 10})
fourteen = what_if({"attention_hours": 14})

# %%
show(whatif_figure(fourteen.summary, fourteen.by_label, fourteen.sentence))

# %% [markdown]
# The chart is the page's: output and the four core states, each configuration's mean
# with its 95% band, the reassignment shaded. The leader's own exhaustion tells the story
# behind it:

# %%
tired = fourteen.runs.groupby(["label", "quarter"])["team_output"].mean().unstack("label")
exhaustion = pd.concat(
    [simulation.simulate(config, replications=REPLICATIONS, seed=base.seed)
     .groupby("quarter")["leader_exhaustion"].mean().rename(label)
     for label, config in (("A", fourteen.a), ("B", fourteen.b))], axis=1)
display(pd.concat({"team output": tired, "leader exhaustion": exhaustion}, axis=1)
        .loc[[1, 2, 4, 8, 12]])

# %% [markdown]
# ## Move 2: the same reassignment, with systems built first
#
# B spends a third of her hours in the first year (`systems_share` 0.33 until quarter 4)
# embedding practice: routines, documented process, monitoring the team runs without
# her. That is exactly the shipped scenario `attention_withdrawn_with_systems`:

# %%
with_systems = {"systems_share": 0.33, "systems_until_quarter": 4}
shipped = presets()["attention_withdrawn_with_systems"].config
print("same leader as the shipped scenario:",
      apply_levers(base, with_systems).leader == shipped.leader)
systems = what_if(with_systems)
show(whatif_figure(systems.summary, systems.by_label, systems.sentence))

# %% [markdown]
# The sentence speaks of the last quarter. `table()` has every measure in every quarter,
# A, B and the paired difference B-A with its interval; here team output in the first
# quarters, before she goes, at the end of the reassignment and a year after it. The
# hours that built systems did not coach: is there a price for durability, and when?

# %%
numbers = systems.table()
output = numbers[(numbers.measure == "team_output") & numbers.quarter.isin([1, 2, 4, 8, 12])]
display(output.pivot(index="quarter", columns="configuration", values=["mean", "low", "high"]))
paired = numbers[(numbers.measure == "team_output") & (numbers.configuration == "B-A")]
behind = paired.loc[paired["high"] < 0, "quarter"].tolist()
print(f"quarters where B is behind A (the whole interval below 0): {behind or 'none'}")

# %% [markdown]
# For the slide: the chart as PNG and its numbers as CSV, as the page's export buttons
# write them.

# %%
png, csv = WORK / "systems_whatif.png", WORK / "systems_whatif.csv"
whatif_figure(systems.summary, systems.by_label, systems.sentence).savefig(png, dpi=110)
csv.write_text(systems.to_csv(), encoding="utf-8")
print(f"wrote {png.name} ({png.stat().st_size // 1024} KiB) and {csv.name} "
      f"({len(systems.table())} rows)")
print("\n".join(csv.read_text(encoding="utf-8").splitlines()[:4]))

# %% [markdown]
# ## Move 3: what the reassignment costs, and what holds the gains
#
# A is now the leader who is never pulled away (`withdrawn_from_quarter` 0). Against
# her: the reassignment as it is, the reassignment with a deputy carrying half of the
# withdrawn hours, and the reassignment with systems built first.

# %%
never = {"withdrawn_from_quarter": 0}
moves = {"reassigned": {}, "reassigned, a deputy carries half": {"deputy_share": 0.5},
         "reassigned, systems built first": with_systems}
results = {label: what_if(levers, a_levers=never) for label, levers in moves.items()}

# %%
rows = []
for label, result in results.items():
    paired = paired_comparisons(result.runs, ["team_output"], [4, 8, 12], reference="A")
    for _, row in paired.iterrows():
        rows.append({"B": label, "quarter": row["quarter"], "relative": row["relative"],
                     "low": row["relative_low"], "high": row["relative_high"]})
costs = pd.DataFrame(rows)
fig, axis = plt.subplots(figsize=(8, 3.8))
for position, (label, group) in enumerate(costs.groupby("B", sort=False)):
    offset = (position - 1) * 0.25
    axis.errorbar(group["quarter"] + offset, 100 * group["relative"],
                  yerr=[100 * (group["relative"] - group["low"]),
                        100 * (group["high"] - group["relative"])],
                  fmt="o", capsize=3, label=label)
axis.axhline(0, color="grey", linewidth=0.8)
axis.set(xticks=[4, 8, 12], xlabel="quarter",
         ylabel="team output, % against\nthe leader never reassigned",
         title="What the reassignment (quarters 5-8) costs, paired 95% intervals")
axis.legend(fontsize="small")
fig.tight_layout()

# %% [markdown]
# ## How big is it? Effect sizes as meta-analyses report them
#
# An audience that has read the research thinks in Cohen's d. The model's team-level
# numbers invite a team-level d: team means compared across teams. But field studies
# measure **people**: a training or coaching meta-analysis pools studies whose d is the
# difference in individuals' means over the spread *between individuals*. People differ
# far more than team averages do, so a team-level d is larger than the individual d of
# the same effect. With teams of *n* members and an intraclass correlation ICC (the share
# of individual variance that lies between teams),
#
# $$d_\text{team} \approx \frac{d_\text{individual}}{\sqrt{\text{ICC} + (1 - \text{ICC})/n}}$$
#
# so comparing a model's team d with a meta-analysis's d overstates the model's effect.
# `simulation.effect_sizes(treatment, control, scenario, measure=, quarter=,
# replications=)` gives both and the ICC that links them, each member's output over the
# quarter (or any reported member state at its end) as the measure. 100 teams per group
# here; a calibration would use 200 or more (`docs/measure_effect_sizes.py`).

# %%
questions = {
    "systems first: output, quarter 8": dict(
        treatment={"leader__systems_share": 0.33, "leader__systems_until_quarter": 4},
        control=None, scenario="attention_withdrawn", measure="output", quarter=8),
    "never reassigned: output, quarter 8": dict(
        treatment={"leader__withdrawn_from_quarter": 0}, control=None,
        scenario="attention_withdrawn", measure="output", quarter=8),
    "coach, not hands-off: output, quarter 4": dict(
        treatment={"leader__strategy": "coach"}, control={"leader__strategy": "hands_off"},
        scenario="baseline", measure="output", quarter=4),
    "coach, not hands-off: capability, quarter 4": dict(
        treatment={"leader__strategy": "coach"}, control={"leader__strategy": "hands_off"},
        scenario="baseline", measure="capability", quarter=4),
}
rows = []
for question, arguments in questions.items():
    sizes = simulation.effect_sizes(**arguments, replications=100, seed=11)
    members = sum(sizes.individuals) / 2 / sizes.teams
    predicted = sizes.individual_d / (sizes.icc + (1 - sizes.icc) / members) ** 0.5
    rows.append({"question": question, "individual d": sizes.individual_d,
                 "team d": sizes.team_d, "ICC": sizes.icc, "members per team": members,
                 "team d from the formula": predicted})
effects = pd.DataFrame(rows).set_index("question")
display(effects)

# %%
fig, axis = plt.subplots(figsize=(9, 3.6))
positions = range(len(effects))
axis.barh([p + 0.2 for p in positions], effects["team d"], height=0.4, label="team d")
axis.barh([p - 0.2 for p in positions], effects["individual d"], height=0.4,
          label="individual d (compare with meta-analyses)")
axis.set(yticks=list(positions), yticklabels=effects.index, xlabel="Cohen's d")
axis.invert_yaxis()
axis.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.4, -0.18), ncols=2)
fig.tight_layout()

# %% [markdown]
# Coaching meta-analyses (Theeboom et al. 2014; Jones et al. 2016) report d of about 0.4
# to 0.6 on performance, and Arthur et al. (2003) about 0.6 for training's effect on
# behaviour; those are individual d's. A whole year of a leader's eight weekly hours is a
# larger dose than most field studies give (see `docs/CALIBRATION.md`, "effect sizes").
#
# ## The same question with scenario keys
#
# The page's levers are scenario keys, so the trainer's question is also a one-liner for
# `simulation.simulate`: here the reassignment in quarter 3, 5 or 7, with and without
# systems built until she goes; team output in the last quarter before she goes and in
# the last quarter of her year away.

# %%
rows = []
for start in (3, 5, 7):
    for share in (0.0, 0.33):
        frame = simulation.simulate("attention_withdrawn", replications=REPLICATIONS,
                                    seed=base.seed, leader__withdrawn_from_quarter=start,
                                    leader__systems_share=share,
                                    leader__systems_until_quarter=start - 1)
        before = frame[frame.quarter == start - 1]["team_output"]
        away = frame[frame.quarter == start + 3]["team_output"]
        rows.append({"reassigned in quarter": start, "systems share": share,
                     "output before": before.mean(), "output after a year away": away.mean(),
                     "change": away.mean() / before.mean() - 1})
display(pd.DataFrame(rows).set_index(["reassigned in quarter", "systems share"]))
