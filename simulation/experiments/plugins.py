"""Users' own modules that register strategies, loaded by name or by file path.

A plugin is imported once per process: the command line loads it before reading any
scenario, and every worker process of a sweep loads it again before its first run (so a
strategy registered in a plugin runs on local workers; on a Dask cluster the same path
must exist on the workers).

While a plugin is imported, the strategy registry is told so
(``REGISTRY.registering_from``): each strategy it registers records the plugin's file (its
absolute path) or module name, and messages about the strategy name it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

from simulation.model.scenario_files import MAX_MESSAGE, printable
from simulation.model.strategies import REGISTRY

_loaded: set[str] = set()


class PluginError(Exception):
    """A plugin that cannot be loaded; the message is one line."""


def plugin_id(name: str) -> str:
    """How a plugin is named to other processes: a file as its absolute path."""
    return str(Path(name).resolve()) if name.endswith(".py") else name


def load_plugin(name: str) -> None:
    """Import a user's module (dotted name or .py file) so its registrations take effect."""
    key = plugin_id(name)
    if key in _loaded:
        return
    try:
        with REGISTRY.registering_from(key):
            if name.endswith(".py"):
                _load_file(Path(name), name)
            else:
                importlib.import_module(name)
    except (PluginError, KeyboardInterrupt):
        raise
    except BaseException as error:  # a user's module may fail in any way, even sys.exit()
        message = printable(f"--plugin {name}: {type(error).__name__}: {error}")
        if len(message) > MAX_MESSAGE:  # one line, however much the module said
            message = message[:MAX_MESSAGE - 3] + "..."
        raise PluginError(message) from None
    _loaded.add(key)


def load_plugins(names: tuple[str, ...] | list[str]) -> None:
    """Load several plugins, in order."""
    for name in names:
        load_plugin(name)


def _load_file(path: Path, name: str) -> None:
    if not path.is_file():
        raise PluginError(f"--plugin {name}: no such file")
    # A name of our own, so that a plugin file called numpy.py shadows nothing.
    module_name = f"teamsim_plugin_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise PluginError(f"--plugin {name}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
