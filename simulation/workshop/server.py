"""Serve the workshop page on 127.0.0.1 until Ctrl-C.

Solara's own `solara run` would do, but the workshop needs a few things it does not: it binds
the port itself (so ``--port 0`` picks a free port and the address printed is the real one,
and a port in use is a one-line error), it never reaches out to the network (no telemetry,
no version check; the page's scripts come from the ``solara-assets`` package), and Ctrl-C
closes open browser connections within a couple of seconds and exits 0.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import warnings
from collections.abc import Callable

APP = "simulation.workshop.page"
"""The module Solara serves: its ``Page`` component is the page."""

HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class PortError(Exception):
    """The port cannot be used: reported in one line."""


def bind(port: int, host: str = HOST) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
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


def configure_solara() -> None:
    """Settings for a local, offline, production page. Must run before Solara's server
    module is imported."""
    os.environ["SOLARA_APP"] = APP
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("SOLARA_MODE", "production")
    # Over plain http on localhost a SameSite=None cookie cannot be set; Solara falls back
    # to SameSite=Lax (what a local page needs) and warns about it on every page load.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    logging.getLogger("solara").setLevel(logging.WARNING)


def serve(port: int = DEFAULT_PORT, announce: Callable[[str], None] = print) -> None:
    """Serve the page until interrupted (Ctrl-C or SIGTERM)."""
    sock = bind(port)
    configure_solara()
    import uvicorn

    address = f"http://{HOST}:{sock.getsockname()[1]}/"
    os.environ["SERVER_NAME"] = HOST
    os.environ["SERVER_PORT"] = str(sock.getsockname()[1])
    config = uvicorn.Config("solara.server.starlette:app", log_level="warning",
                            timeout_graceful_shutdown=2, ws_ping_interval=None)
    server = uvicorn.Server(config)
    announce(f"TeamSim workshop: open {address} in a browser (Ctrl-C stops it)")
    try:
        server.run(sockets=[sock])
    finally:
        from simulation.workshop.team_view import SHUTTING_DOWN

        SHUTTING_DOWN.set()
        sock.close()
