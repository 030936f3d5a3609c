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
        replace_folder(folder, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def replace_folder(folder: Path, staging: Path) -> None:
    """Put the complete folder ``staging`` in the place of ``folder`` (which may not exist):
    two renames in one file system, and then the old folder is deleted."""
    folder = Path(folder).resolve()
    if folder.exists():
        retired = folder.with_name(f".{folder.name}.old.{os.getpid()}")
        folder.rename(retired)
        staging.rename(folder)
        shutil.rmtree(retired)
    else:
        staging.rename(folder)


def holds_other_files(folder: Path, own: str) -> bool:
    """Whether ``folder`` holds anything and not the file ``own`` that marks it as the
    command's (a sweep's store): such a folder is replaced only with --overwrite."""
    folder = Path(folder)
    return folder.is_dir() and any(folder.iterdir()) and not (folder / own).exists()


def staging_beside(folder: Path) -> Path:
    """A new, empty folder beside ``folder`` for results that will replace it once they
    are complete (one left by an interrupted replacement is discarded first)."""
    folder = Path(folder)
    folder = folder.resolve()
    staging = folder.with_name(f".{folder.name}.replacing")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    staging.chmod(0o777 & ~current_umask())
    return staging


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
