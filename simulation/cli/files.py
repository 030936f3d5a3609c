"""`teamsim list` and `teamsim check`: the scenario, organisation and experiment files,
shipped or the user's, with each command's arguments next to its handler; `list` names the
shipped files and the registered strategies, `check` validates files without running
them."""

from __future__ import annotations

import argparse
from pathlib import Path

from simulation.analysis.sensitivity import Study, study_of
from simulation.analysis.sensitivity_methods import METHODS
from simulation.cli.common import Subcommands
from simulation.experiments.experiment_files import (
    ExperimentConfig,
    load_experiment,
    resolve_experiment_path,
    shipped_experiments,
)
from simulation.experiments.sweep import settings_of
from simulation.experiments.workload import (
    check_workload,
    experiment_workload,
    organisation_workload,
    run_workload,
)
from simulation.model import strategies
from simulation.model.organisation_files import is_organisation_file, load_organisation
from simulation.model.scenario_files import (
    ConfigError,
    load_scenario,
    read_toml,
    resolve_scenario_path,
    shipped_organisations,
    shipped_scenarios,
)


def add_commands(commands: Subcommands) -> None:
    """Add this family's commands to `teamsim`'s subcommands."""
    add_list(commands)
    add_check(commands)


def add_list(commands: Subcommands) -> None:
    """`teamsim list`'s arguments (none)."""
    commands.add_parser("list", help="list the shipped scenarios, experiments and strategies")


def command_list(args: argparse.Namespace) -> int:
    """`teamsim list`: the shipped scenarios and the registered strategies."""
    for heading, files, load in (("Scenarios", shipped_scenarios(), load_scenario),
                                 ("Organisations", shipped_organisations(), load_organisation),
                                 ("Experiments", shipped_experiments(), load_experiment)):
        print(f"{heading}:")
        for name, path in files.items():
            try:
                title = load(path).title
            except ConfigError as error:
                title = f"(invalid: {error})"
            print(f"  {name:<34} {title}")
    print("Strategies:")
    for name in strategies.REGISTRY.names():
        print(f"  {name:<34} {strategies.REGISTRY.get(name).description}")
    return 0


def add_check(commands: Subcommands) -> None:
    """`teamsim check`'s arguments."""
    check = commands.add_parser("check", help="validate scenario or experiment files")
    check.add_argument("files", nargs="+", help="scenario or experiment files")


def command_check(args: argparse.Namespace) -> int:
    """`teamsim check`: validate scenario (or experiment) files; the first bad one ends it
    with exit 2."""
    for name in args.files:
        if is_experiment_file(name):
            experiment = load_experiment(name, strategies.REGISTRY.__contains__)
            print(f"{name}: ok (experiment {experiment.name}: "
                  f"{'; '.join(experiment_counts(experiment))})")
            continue
        if is_organisation_file(name):
            organisation = load_organisation(name, strategies.REGISTRY.__contains__)
            workload = organisation_workload(organisation, organisation.replications)
            check_workload(workload, str(resolve_scenario_path(name)), "replications",
                           in_memory=True)
            shared = [leader.name for leader in organisation.leaders if len(leader.teams) > 1]
            print(f"{resolve_scenario_path(name)}: ok (organisation {organisation.name}: "
                  f"{len(organisation.teams)} teams, {len(organisation.leaders)} leaders"
                  f"{', ' + ', '.join(shared) + ' leading several' if shared else ''}, "
                  f"{organisation.quarters} quarters; `teamsim run` asks for "
                  f"{workload.describe()})")
            continue
        config = load_scenario(name, strategy_exists=strategies.REGISTRY.__contains__)
        workload = run_workload(config, config.replications)
        check_workload(workload, str(resolve_scenario_path(name)), "replications",
                       in_memory=True)
        print(f"{resolve_scenario_path(name)}: ok ({config.name}: {config.quarters} quarters, "
              f"team of {config.team.size}, strategy {config.leader.strategy}; `teamsim run` "
              f"asks for {workload.describe()})")
    return 0


def experiment_counts(experiment: ExperimentConfig) -> list[str]:
    """What the experiment asks for: a sweep's settings and work, and for a Sobol or Morris
    design over model constants the true number of points `teamsim sensitivity` evaluates
    (a Morris design is for nothing else, so its faults are errors, and it has no sweep)."""
    counts = []
    if experiment.sample is None or experiment.sample.method != "morris":
        settings = settings_of(experiment)
        workload, _ = experiment_workload(experiment)
        counts.append(f"{len(settings)} settings x {experiment.replications} replications; "
                      f"a sweep asks for {workload.describe()}")
    study = sensitivity_study(experiment)
    if study is not None:
        counts.append(f"`teamsim sensitivity` evaluates {study.describe()}: "
                      f"{study.workload.describe()}")
    return counts


def sensitivity_study(experiment: ExperimentConfig) -> Study | None:
    """The sensitivity analysis of an experiment, or None for a design that is only swept
    (one with no Sobol or Morris sample, or a Sobol sample of other keys than parameters.*)."""
    sample = experiment.sample
    if sample is None or sample.method not in METHODS:
        return None
    if sample.method == "morris":
        return study_of(experiment)
    try:
        return study_of(experiment)
    except ConfigError:
        return None


def is_experiment_file(name: str) -> bool:
    """Whether a file is an experiment (it names base scenarios) rather than a scenario."""
    path = resolve_experiment_path(name)
    try:
        return "scenarios" in read_toml(path) and not (Path(name).suffix == ""
                                                       and name in shipped_scenarios())
    except ConfigError:
        return False
