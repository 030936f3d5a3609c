"""Who may open which page of the workshop.

By default the server binds 127.0.0.1: only browsers on the trainer's own machine reach it,
and every page is open to them. ``teamsim workshop --host ADDRESS`` is the explicit opt-in
to serve a room over the network; then:

- the trainer's pages (the what-if page and the room's screen) need the trainer's key, a
  random token printed once in the trainer's terminal as part of the trainer's link;
- a participant's page needs the code of an open room (in the join link, the QR code, or
  typed in); a visitor with neither is refused and sees nothing of any room.

The server sets these once, before it serves (:func:`configure`); the pages read them.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Access:
    """How the server was started: the address participants reach it at, and whether
    pages need the trainer's key."""

    base_url: str = "http://127.0.0.1:8765"
    """The address links and the QR code point to (no trailing slash)."""
    trainer_key: str = ""
    """The key the trainer's pages need ("" when served on the loopback address only)."""

    @property
    def public(self) -> bool:
        """Whether the server is reachable from other machines (pages then need a key or a
        room code)."""
        return bool(self.trainer_key)

    def trainer_url(self, path: str = "trainer") -> str:
        """The trainer's link to a page (with the key, if one is needed)."""
        key = f"?key={self.trainer_key}" if self.public else ""
        return f"{self.base_url}/{path}{key}"

    def join_url(self, code: str) -> str:
        """The link a participant opens to join room ``code``."""
        return f"{self.base_url}/play?room={code}"

    def is_trainer(self, search: str | None) -> bool:
        """Whether a page's query string carries the trainer's key (always, when the
        server is local only)."""
        if not self.public:
            return True
        given = query_value(search, "key")
        return hmac.compare_digest(given.encode(), self.trainer_key.encode())


_ACCESS = Access()


def configure(access: Access) -> None:
    """Set how the server serves (before the first page opens)."""
    global _ACCESS
    _ACCESS = access


def current() -> Access:
    """How the server serves."""
    return _ACCESS


def query_value(search: str | None, name: str) -> str:
    """One parameter of a page's query string ("" if absent)."""
    values = parse_qs(search or "").get(name, [""])
    return values[0]


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def reachable_address(host: str) -> str:
    """The address to put in links for a server bound to ``host``: the host itself, or
    for a wildcard address (0.0.0.0, ::) the machine's address on its network (found by
    asking the system which interface would route outward; nothing is sent)."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # UDP connect: picks a route, sends nothing
        return str(probe.getsockname()[0])
    except OSError:
        return socket.gethostname()
    finally:
        probe.close()


def new_key() -> str:
    """A fresh trainer's key."""
    return secrets.token_urlsafe(12)
