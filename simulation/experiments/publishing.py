"""Writing what runs produce without losing anything: a results folder replaced all at
once, and the provenance a reader needs (package versions, the git revision).

Nothing here imports Mesa.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("teamsim", "mesa", "numpy", "scipy", "simpy", "pandas", "matplotlib")
"""The packages whose versions a result's manifest records."""


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages a result depends on."""
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_revision() -> str | None:
    """The checkout's git revision, when the package runs from one."""
    here = Path(__file__).resolve().parent
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True,
                              text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def publish(folder: Path, files: Mapping[str, Callable[[Path], None]]) -> None:
    """Write files into ``folder`` all at once: each writer gets its path in a temporary
    folder beside it, and only when all succeed does the folder replace the old one."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} exists and is not a folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        staging.chmod(0o777 & ~current_umask())
        for name, write in files.items():
            write(staging / name)
        if folder.exists():
            retired = folder.with_name(f".{folder.name}.old.{os.getpid()}")
            folder.rename(retired)
            staging.rename(folder)
            shutil.rmtree(retired)
        else:
            staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def current_umask() -> int:
    """The process's file-creation mask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_json(data: Any) -> Callable[[Path], None]:
    """A file writer for ``publish`` that writes JSON."""
    def write(path: Path) -> None:
        path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return write
