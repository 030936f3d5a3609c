"""Scenario discovery with the EMA Workbench: when does a team lose what its leader built?

A coaching leader is reassigned for good after two to four quarters and keeps a share of
her hours for the team (the lever `leader.withdrawn_level`). Across a Latin hypercube of
uncertain teams and environments (team size and starting state, turnover, crises, new
obstacles, changed conditions, how fast habits embed and states drift) and of the leader's
choices (her strategy, her share of hours on building systems, a deputy, what she keeps),
which conditions make the team *regress*, keeping less than half of its gain a year after
she goes? PRIM finds the box of factors where regression is concentrated; extra-trees
feature scores say which factors matter most.

**The outcome.** The team's *gain* in a quarter is its mean weekly output minus the output
of the same team under a hands-off leader with no reassignment, on the same replications
(common random numbers), as the validation pattern P5 measures it (docs/MODEL.md). The
*gain kept* is the gain in the fourth quarter after the withdrawal over the gain in the last
quarter before it (both means over the replications: a ratio of means). The team
*regresses* when it keeps less than half (P5's band for a team without systems).

    python examples/ema_withdrawal_discovery.py            # 400 experiments, about 4 minutes
    python examples/ema_withdrawal_discovery.py --small    # 30 experiments (CI)

``TEAMSIM_EXAMPLE_SMALL=1`` is the same as ``--small``. Figures and ``summary.md`` go to
``--out`` (default ``results/ema_withdrawal/``). Needs ``pip install teamsim[ema]``.
"""

from __future__ import annotations

import argparse
import functools
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

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
from simulation.model.config import ScenarioConfig
from simulation.model.scenario_files import with_overrides

SCENARIO = "attention_withdrawn"
FIXED = {"quarters": 8, "leader.withdrawn_quarters": 0, "leader.systems_until_quarter": 0}
"""A reassignment for good, over two years; any system building goes on while she leads."""

UNCERTAINTIES: dict[str, Any] = {
    "leader.withdrawn_from_quarter": (3, 5),
    "team.size": (5, 12),
    "team.capability": (0.3, 0.7),
    "team.motivation": (0.4, 0.8),
    "environment.turnover_rate": (0.05, 0.3),
    "environment.crisis_rate": (0.0, 1.5),
    "environment.obstacle_rate": (0.2, 1.0),
    "environment.change_rate": (0.0, 0.6),
    "parameters.embed_rate": (0.025, 0.075),
    "parameters.motivation_drift": (0.03, 0.09),
    "parameters.accountability_drift": (0.05, 0.15),
}
"""The team and its environment: what the leader does not choose (half to one and a half
times the defaults of the constants of drift and embedding)."""

LEVERS: dict[str, Any] = {
    "leader.strategy": ["coach", "diagnose_and_match", "situational"],
    "leader.systems_share": (0.0, 0.5),
    "leader.deputy_share": (0.0, 0.5),
    "leader.withdrawn_level": (0.0, 0.25),
}
"""The leader's choices: how she leads, how much she embeds, how much of the withdrawn
leadership a deputy carries, and how much of her time she keeps for the team (at most a
quarter: she has been reassigned)."""

QUARTERS_AFTER = 4
"""The gain kept is measured in the fourth quarter of the withdrawal (a year later)."""
REGRESSED_BELOW = 0.5
"""A team regresses when it keeps less than half of its gain."""


@dataclass(frozen=True)
class Size:
    """How big a design: ``experiments`` points, each run ``replications`` times."""

    experiments: int
    replications: int


FULL = Size(experiments=400, replications=6)
SMALL = Size(experiments=30, replications=2)


HANDS_OFF = {"leader.strategy": "hands_off", "leader.systems_share": 0.0,
             "leader.deputy_share": None, "leader.withdrawn_from_quarter": 0,
             "leader.withdrawn_level": 1.0}
"""The counterfactual leader: hands-off and never reassigned. The levers do not matter to
her, so her runs are cached: an experiment's two derived outcomes share them (and so would
the experiments of one scenario, in a crossed design)."""


@functools.cache
def hands_off_output(config: ScenarioConfig, seed: int, replications: int) -> pd.Series:
    """Mean team output per quarter of a scenario under the hands-off leader."""
    frame = simulation.simulate(config, replications=replications, seed=seed)
    return quarter_means(frame)["team_output"]


def gains(frame: pd.DataFrame, config: ScenarioConfig) -> tuple[float, float]:
    """The team's gain over hands-off in the last quarter before the withdrawal and
    ``QUARTERS_AFTER`` quarters into it (means over the replications)."""
    withdrawn = config.leader.withdrawn_from_quarter
    before, after = withdrawn - 1, withdrawn - 1 + QUARTERS_AFTER
    output = quarter_means(frame)["team_output"]
    bare = hands_off_output(with_overrides(config, HANDS_OFF), int(frame["seed"].iloc[0]),
                            int(frame["replication"].nunique()))
    return float(output[before] - bare[before]), float(output[after] - bare[after])


def gain_before(frame: pd.DataFrame, config: ScenarioConfig) -> float:
    """The gain in the last quarter before the withdrawal (weekly output)."""
    return gains(frame, config)[0]


def gain_kept(frame: pd.DataFrame, config: ScenarioConfig) -> float:
    """The share of the pre-withdrawal gain kept a year into the withdrawal."""
    before, after = gains(frame, config)
    return after / before


def main(argv: list[str] | None = None) -> int:
    """Run the design, PRIM and feature scoring; write the figures and summary.md."""
    options = arguments(argv)
    size = SMALL if options.small else FULL
    model = ema_model(SCENARIO, fixed=FIXED, uncertainties=UNCERTAINTIES, levers=LEVERS,
                      outcomes=["team_output", "output_per_member"],
                      derived={"gain_before": gain_before, "gain_kept": gain_kept},
                      replications=size.replications, seed=options.seed)
    ema = workbench()  # ema_workbench, without its notice that ipyparallel is missing
    from ema_workbench.em_framework import sample_levers, sample_uncertainties

    started = time.perf_counter()
    # A Latin hypercube over the uncertainties and one over the levers, zipped rather than
    # crossed, so that every experiment has a policy of its own and PRIM sees every lever's
    # whole range (together they are one Latin hypercube over all the factors). EMA 2.5.3
    # calls its docstring's combine="zipover" "sample", and zips only lists of points.
    with seeded_design(options.seed):
        scenarios = list(sample_uncertainties(model, size.experiments))
        policies = list(sample_levers(model, size.experiments))
        experiments, outcomes = ema.perform_experiments(model, scenarios=scenarios,
                                                        policies=policies, combine="sample")
    seconds = time.perf_counter() - started
    inputs = design_inputs(experiments, model)
    kept = outcomes["gain_kept"]
    regressed = kept < REGRESSED_BELOW
    print(f"{len(kept)} experiments x {size.replications} replications in {seconds:.1f} s; "
          f"{regressed.sum()} regressed (kept < {REGRESSED_BELOW:g} of the gain)")
    box = discover_box(inputs, regressed, threshold=options.threshold,
                       peel_alpha=options.peel_alpha)
    step = chosen_step(box.peeling_trajectory, options.min_coverage)
    box.select(step)
    limits = box_limits(box, step)
    stats = box.peeling_trajectory.iloc[step]
    print(f"PRIM box (step {step}): coverage {stats['coverage']:.2f}, density "
          f"{stats['density']:.2f}, mass {stats['mass']:.2f}\n{limits.to_string(index=False)}")
    from ema_workbench.analysis.feature_scoring import get_feature_scores_all

    last = outcomes["output_per_member"][:, -1]
    scores = get_feature_scores_all(inputs, {"gain_kept": kept, "output_per_member_last": last},
                                    random_state=options.seed)
    print(f"feature scores (extra trees):\n{scores.round(3).to_string()}")
    options.out.mkdir(parents=True, exist_ok=True)
    write_figures(options.out, box, step, inputs, outcomes, regressed, scores, limits)
    write_summary(options.out, size, options, seconds, outcomes, box, step, limits, scores)
    print(f"wrote {options.out}/")
    return 0


def arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line: size, seed, PRIM's settings, the output folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true",
                        default=bool(os.environ.get("TEAMSIM_EXAMPLE_SMALL")),
                        help="a CI-sized design (30 experiments, 2 replications)")
    parser.add_argument("--seed", type=int, default=20261125,
                        help="seed of the design and of every experiment's replications")
    parser.add_argument("--threshold", type=float, default=0.3,
                        help="PRIM: the least density (share of regressed experiments) its "
                             "last box must reach, else it reports none")
    parser.add_argument("--peel-alpha", type=float, default=0.2,
                        help="PRIM: the share of a box peeled at each step (the workbench's "
                             "default is 0.05; coarser peels are steadier on a noisy outcome)")
    parser.add_argument("--min-coverage", type=float, default=0.6,
                        help="the box reported: the densest that covers at least this share "
                             "of the regressed experiments")
    parser.add_argument("--out", type=Path, default=Path("results/ema_withdrawal"))
    return parser.parse_args(argv)


def chosen_step(trajectory: pd.DataFrame, min_coverage: float) -> int:
    """The point of PRIM's peeling trajectory reported: the densest box that still covers
    ``min_coverage`` of the cases of interest (the fewest restricted factors on a tie)."""
    candidates = trajectory[trajectory["coverage"] >= min_coverage]
    if candidates.empty:
        candidates = trajectory
    best = candidates.sort_values(["density", "res_dim"], ascending=[False, True],
                                  kind="stable")
    return int(best.index[0])


def write_figures(out: Path, box: Any, step: int, inputs: pd.DataFrame,
                  outcomes: dict[str, np.ndarray], regressed: np.ndarray,
                  scores: pd.DataFrame, limits: pd.DataFrame) -> None:
    """PRIM's trade-off and box, the feature scores, the gain kept over the two most
    important factors, and output per member per quarter."""
    figure = box.show_tradeoff()
    figure.axes[0].set_title(f"PRIM peeling trajectory (box chosen: step {step})")
    save(figure, out / "prim_tradeoff.png")
    if limits.empty:  # PRIM's "dump box": no box as dense as its threshold
        figure, ax = plt.subplots(figsize=(6, 1.5))
        ax.text(0.5, 0.5, "PRIM found no box as dense as its threshold", ha="center")
        ax.set_axis_off()
    else:
        box.inspect(step, style="graph")
        figure = plt.gcf()
    save(figure, out / "prim_box.png")
    save(feature_score_heatmap(scores), out / "feature_scores.png")
    save(gain_scatter(inputs, outcomes["gain_kept"], regressed, scores, limits),
         out / "gain_kept_scatter.png")
    save(output_lines(outcomes["output_per_member"], regressed),
         out / "output_per_member_quarters.png")


def save(figure: Any, path: Path) -> None:
    """Write a figure and close it."""
    figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(figure)


def feature_score_heatmap(scores: pd.DataFrame) -> Any:
    """Feature scores, factors down (most important first), outcomes across."""
    ordered = scores.sort_values(scores.columns[0], ascending=False)
    figure, ax = plt.subplots(figsize=(4.8, 0.38 * len(ordered) + 1.2))
    image = ax.imshow(ordered.to_numpy(), cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(ordered.columns)), list(ordered.columns))
    ax.set_yticks(range(len(ordered)), [name.replace("__", ".") for name in ordered.index])
    for (row, column), value in np.ndenumerate(ordered.to_numpy()):
        ax.text(column, row, f"{value:.2f}", ha="center", va="center",
                color="white" if value < ordered.to_numpy().max() * 0.6 else "black")
    figure.colorbar(image, ax=ax, label="feature score (extra trees)")
    ax.set_title("What drives the gain kept?")
    return figure


def gain_scatter(inputs: pd.DataFrame, kept: np.ndarray, regressed: np.ndarray,
                 scores: pd.DataFrame, limits: pd.DataFrame) -> Any:
    """The gain kept over the two most important numeric factors, regressed experiments
    marked, with the PRIM box's limits on those factors."""
    numeric = [name for name in scores["gain_kept"].sort_values(ascending=False).index
               if pd.api.types.is_numeric_dtype(inputs[name])]
    x_name, y_name = numeric[:2]
    figure, ax = plt.subplots(figsize=(6.4, 4.8))
    shown = ax.scatter(inputs[x_name], inputs[y_name], c=np.clip(kept, -0.5, 1.5),
                       cmap="RdYlGn", vmin=-0.5, vmax=1.5, s=22,
                       edgecolors=["black" if bad else "none" for bad in regressed])
    figure.colorbar(shown, ax=ax, label="gain kept a year after withdrawal (clipped)")
    restricted = limits.set_index("factor")
    if x_name in restricted.index:
        for edge in restricted.loc[x_name, ["low", "high"]]:
            ax.axvline(edge, color="black", linestyle="--", linewidth=1)
    if y_name in restricted.index:
        for edge in restricted.loc[y_name, ["low", "high"]]:
            ax.axhline(edge, color="black", linestyle="--", linewidth=1)
    ax.set_xlabel(x_name.replace("__", "."))
    ax.set_ylabel(y_name.replace("__", "."))
    ax.set_title(f"Regressed (outlined): kept < {REGRESSED_BELOW:g}; dashed: PRIM box")
    return figure


def output_lines(output: np.ndarray, regressed: np.ndarray) -> Any:
    """Output per member per quarter of every experiment, regressed ones in red."""
    figure, ax = plt.subplots(figsize=(6.4, 4.2))
    quarters = np.arange(1, output.shape[1] + 1)
    for values, bad in zip(output, regressed, strict=True):
        ax.plot(quarters, values, color="tab:red" if bad else "tab:grey",
                alpha=0.35 if bad else 0.15, linewidth=0.8)
    for mask, colour, label in ((regressed, "tab:red", "regressed"),
                                (~regressed, "black", "kept half or more")):
        if mask.any():
            ax.plot(quarters, output[mask].mean(axis=0), color=colour, linewidth=2.5,
                    label=f"{label} (mean of {mask.sum()})")
    ax.set_xlabel("quarter")
    ax.set_ylabel("output per member (mean weekly, over replications)")
    ax.set_title("Output per member per quarter (withdrawal in quarter 3 to 5)")
    ax.legend()
    return figure


def write_summary(out: Path, size: Size, options: argparse.Namespace, seconds: float,
                  outcomes: dict[str, np.ndarray], box: Any, step: int, limits: pd.DataFrame,
                  scores: pd.DataFrame) -> None:
    """summary.md: the design, the outcome's spread, the box and the feature scores."""
    stats = box.peeling_trajectory.iloc[step]
    kept, before = outcomes["gain_kept"], outcomes["gain_before"]
    experiments = len(kept)
    rows = [f"| `{row.factor.replace('__', '.')}` | "
            + (row.categories if row.categories else f"{row.low:.2f} to {row.high:.2f}")
            + f" | {row.qp:.2g} |" for row in limits.itertuples()]
    ranked = scores.sort_values("gain_kept", ascending=False)
    score_rows = [f"| `{name.replace('__', '.')}` | {row['gain_kept']:.3f} | "
                  f"{row['output_per_member_last']:.3f} |" for name, row in ranked.iterrows()]
    text = "\n".join([
        "# Regression after withdrawal: scenario discovery with the EMA Workbench",
        "",
        f"Written by `examples/ema_withdrawal_discovery.py{' --small' if options.small else ''}`"
        f" (seed {options.seed}). Scenario `{SCENARIO}` with "
        + ", ".join(f"`{key}` = {value}" for key, value in FIXED.items()) + ". "
        "The gain is team output (mean weekly, over the replications) minus that of the same "
        "team under a hands-off leader on the same replications; the gain kept is the gain "
        f"{QUARTERS_AFTER} quarters into the withdrawal over the gain in the quarter before "
        f"it; a team regresses when it keeps less than {REGRESSED_BELOW:g}.",
        "",
        f"- Design: EMA's Latin hypercube over {len(UNCERTAINTIES)} uncertainties and one "
        f"over {len(LEVERS)} levers, zipped: {experiments} experiments, "
        f"each {size.replications} replications (common random numbers) and a hands-off "
        f"counterfactual on the same replications: {seconds:.0f} s on the batched engine "
        "(one process).",
        f"- Gain kept a year after withdrawal: median {np.median(kept):.2f}, quartiles "
        f"{np.quantile(kept, 0.25):.2f} to {np.quantile(kept, 0.75):.2f}; "
        f"{int((kept < REGRESSED_BELOW).sum())} of {experiments} experiments "
        f"({(kept < REGRESSED_BELOW).mean():.0%}) regressed (kept < {REGRESSED_BELOW:g}). "
        f"The gain before the withdrawal (the ratio's denominator) runs from "
        f"{before.min():.2f} to {before.max():.2f} a week (median {np.median(before):.2f}).",
        f"- PRIM box (peel alpha {options.peel_alpha:g}, threshold {options.threshold:g}; "
        f"the densest box of the peeling trajectory covering at least "
        f"{options.min_coverage:g} of the regressed, step {step}): coverage "
        f"{stats['coverage']:.2f}, density {stats['density']:.2f}, mass {stats['mass']:.2f}, "
        f"{int(stats['res_dim'])} restricted factors:",
        "",
        "| factor | in the box | quasi-p |",
        "|---|---|---|",
        *(rows or ["| (none: no box reached the threshold) | | |"]),
        "",
        "Feature scores (extra trees, `get_feature_scores_all`):",
        "",
        "| factor | gain kept | output per member, last quarter |",
        "|---|---|---|",
        *score_rows,
        "",
        "Figures: `prim_tradeoff.png`, `prim_box.png`, `feature_scores.png`, "
        "`gain_kept_scatter.png`, `output_per_member_quarters.png`.",
        ""])
    (out / "summary.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
