"""`teamsim workshop`: serve the workshop (the what-if page and participatory rooms) on
127.0.0.1, or with ``--host`` on the network, until Ctrl-C, with
its arguments next to its handler; the server module is light, and Solara loads only when
the page is served."""

from __future__ import annotations

import argparse

from simulation.cli.common import Subcommands, UsageError
from simulation.workshop import server as workshop_server  # Solara loads only when serving


def add_commands(commands: Subcommands) -> None:
    """Add this family's commands to `teamsim`'s subcommands."""
    add_workshop(commands)


def add_workshop(commands: Subcommands) -> None:
    """`teamsim workshop`'s arguments."""
    parser = commands.add_parser(
        "workshop", help="serve the what-if page and participatory rooms for workshops on "
                         "127.0.0.1, or --host on the network (Ctrl-C stops it)")
    parser.add_argument("--port", type=int, default=workshop_server.DEFAULT_PORT,
                        help=f"port to serve on (default {workshop_server.DEFAULT_PORT}; 0 "
                             f"picks a free one)")
    parser.add_argument("--host", default=workshop_server.HOST, metavar="ADDRESS",
                        help=f"address to serve on (default {workshop_server.HOST}: this "
                             f"machine only); 0.0.0.0 lets participants' devices on the "
                             f"network join, and then pages need the trainer's key or a "
                             f"room's code")


def command_workshop(args: argparse.Namespace) -> int:
    """`teamsim workshop`: serve the what-if page until Ctrl-C."""
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port: must be from 0 to 65535, got {args.port}")
    try:
        workshop_server.serve(args.port, announce=lambda line: print(line, flush=True),
                              host=args.host)
    except workshop_server.PortError as error:
        raise UsageError(str(error)) from None
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully on Ctrl-C, then raises the signal again.
        pass
    print("TeamSim workshop stopped.", flush=True)
    return 0
