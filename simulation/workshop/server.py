"""Serve the workshop on 127.0.0.1 (or, with ``--host``, on the network) until Ctrl-C.

Solara's own `solara run` would do, but the workshop needs a few things it does not: it binds
the port itself (so ``--port 0`` picks a free port and the address printed is the real one,
and a port in use is a one-line error), it never reaches out to the network (no telemetry,
no version check; the page's scripts come from the ``solara-assets`` package), and Ctrl-C
closes open browser connections within a couple of seconds and exits 0.
"""

from __future__ import annotations

import errno
import importlib.util
import logging
import os
import socket
import warnings
from collections.abc import Callable
from pathlib import Path

from simulation.workshop import access

APP = "simulation.workshop.app"
"""The module Solara serves: its ``routes`` are the pages (the what-if page, the trainer's
room and a participant's page)."""

HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class PortError(Exception):
    """The port cannot be used: reported in one line."""


def bind(port: int, host: str = HOST) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except socket.gaierror:
        sock.close()
        raise PortError(f"--host {host}: not an address or a name this machine knows"
                        ) from None
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRNOTAVAIL:
            raise PortError(f"--host {host}: not an address of this machine (0.0.0.0 "
                            f"serves on all of them)") from None
        if error.errno == errno.EADDRINUSE:
            raise PortError(f"--port {port}: in use by another program; choose another port"
                            ) from None
        if error.errno == errno.EACCES:
            raise PortError(f"--port {port}: not allowed for this user; choose a port above "
                            f"1023") from None
        raise PortError(f"--port {port}: {error.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def plotly_assets() -> Path:
    """The folder of the installed ``plotly`` package holding Plotly's script (found
    without importing plotly, which would import Solara's settings too early)."""
    spec = importlib.util.find_spec("plotly")  # a dependency: always installed
    return Path(spec.origin if spec and spec.origin else ".").parent / "package_data"


def configure_solara() -> None:
    """Settings for a local, offline, production page. Must run before Solara's server
    module is imported."""
    os.environ["SOLARA_APP"] = APP
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("SOLARA_MODE", "production")
    # Solara's "This website runs on Solara" badge sits over the page's bottom right corner
    # (the team cards, the leaderboard): off.
    os.environ.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    # Plotly's script for the charts the browser draws (simulation.workshop.browser_chart),
    # from the installed plotly package, among Solara's static assets.
    os.environ["SOLARA_ASSETS_EXTRA_LOCATIONS"] = str(plotly_assets())
    # Over plain http on localhost a SameSite=None cookie cannot be set; Solara falls back
    # to SameSite=Lax (what a local page needs) and warns about it on every page load.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    logging.getLogger("solara").setLevel(logging.WARNING)


def serve(port: int = DEFAULT_PORT, announce: Callable[[str], None] = print,
          host: str = HOST) -> None:
    """Serve the pages until interrupted (Ctrl-C or SIGTERM). On an address other machines
    reach (``host`` not a loopback address), the trainer's pages need the key in the
    trainer's link, announced here, and a participant's page a room's code."""
    sock = bind(port, host)
    configure_solara()
    import uvicorn

    bound = sock.getsockname()[1]
    shown = access.reachable_address(host)
    shown = f"[{shown}]" if ":" in shown else shown
    served = access.Access(f"http://{shown}:{bound}",
                           "" if access.is_loopback(host) else access.new_key())
    access.configure(served)
    address = f"{served.base_url}/"
    os.environ["SERVER_NAME"] = shown
    os.environ["SERVER_PORT"] = str(bound)
    config = uvicorn.Config("solara.server.starlette:app", log_level="warning",
                            timeout_graceful_shutdown=2, ws_ping_interval=None)
    server = uvicorn.Server(config)
    if served.public:
        announce(f"TeamSim workshop on the network: trainer's room {served.trainer_url()} "
                 f"and what-if page {served.trainer_url('')} (keep these links to yourself; "
                 f"participants join with the room's link; Ctrl-C stops it)")
    else:
        announce(f"TeamSim workshop: open {address} in a browser, a participatory room at "
                 f"{served.trainer_url()} (Ctrl-C stops it)")
    from simulation.workshop import compute

    compute.start()  # the runs go to worker processes, one per core
    try:
        server.run(sockets=[sock])
    finally:
        from simulation.workshop.team_view import SHUTTING_DOWN

        SHUTTING_DOWN.set()
        sock.close()
        compute.shutdown()
