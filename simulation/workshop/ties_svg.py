"""The team's ties as a small SVG drawing, inline in the team view's HTML.

One node per member slot, placed on a circle in slot order (so subgroups, which are
contiguous blocks of slots, sit in arcs of their own, and the hub of a hub-and-spoke team,
slot 0, at the top); a vacant slot is a hollow node. One line per pair of members whose
tie is stronger than :data:`TIE_THRESHOLD`, wider and more opaque the stronger it is: a
team of silos shows dense clusters with little between them, a hub a star. It is plain
text built from the ties array (no plotting library), so it redraws every played week.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np

TIE_THRESHOLD = 0.1
"""Ties at or below this strength are not drawn: a weak bridge between silos (a share of
the structure's 0.15) stays out of the picture, so the silos show."""

SIZE = 240
"""Width and height of the drawing, in pixels."""

LINE_COLOUR = "#37474f"

CSS = """
.teamsim-ties { flex: 0 0 auto; }
.teamsim-ties svg { display: block; }
"""


def positions(members: int, size: float = SIZE) -> np.ndarray:
    """Each slot's place ``(members, 2)`` on a circle, slot 0 at the top, clockwise."""
    angle = 2 * math.pi * np.arange(members) / max(members, 1) - math.pi / 2
    radius = 0.5 * size - node_radius(members, size) - 4
    return 0.5 * size + radius * np.stack([np.cos(angle), np.sin(angle)], axis=-1)


def node_radius(members: int, size: float = SIZE) -> float:
    """A node's radius: small enough that neighbours on the circle do not touch, from 3
    to 13 pixels."""
    return float(min(13.0, max(3.0, 0.75 * size / max(members, 1))))


def strong_ties(ties: np.ndarray, filled: Sequence[bool],
                threshold: float = TIE_THRESHOLD) -> list[tuple[int, int, float]]:
    """The pairs ``(i, j, strength)``, ``i < j``, of filled slots whose tie is stronger than
    ``threshold`` (a tie to a vacant slot is not a working relationship)."""
    filled_mask = np.asarray(filled, dtype=bool)
    both = filled_mask[:, None] & filled_mask[None, :]
    upper = np.triu(np.asarray(ties) > threshold, 1) & both
    return [(int(i), int(j), float(ties[i, j])) for i, j in zip(*np.nonzero(upper),
                                                                strict=True)]


def ties_svg(ties: np.ndarray, colours: Sequence[str | None], labels: Sequence[str],
             threshold: float = TIE_THRESHOLD) -> str:
    """The drawing: ``ties`` ``(members, members)``; per slot, the node's fill colour
    (None for a vacant slot) and its label (shown on hover)."""
    members = len(colours)
    at = positions(members)
    radius = node_radius(members)
    filled = [colour is not None for colour in colours]
    lines = [
        f"<line data-from='{i}' data-to='{j}' data-tie='{strength:.4f}' "
        f"x1='{at[i, 0]:.1f}' y1='{at[i, 1]:.1f}' x2='{at[j, 0]:.1f}' y2='{at[j, 1]:.1f}' "
        f"stroke-width='{0.5 + 4.5 * strength:.2f}' "
        f"stroke-opacity='{0.15 + 0.75 * min(strength, 1.0):.2f}'/>"
        for i, j, strength in strong_ties(ties, filled, threshold)]
    nodes = []
    for slot, (colour, label) in enumerate(zip(colours, labels, strict=True)):
        x, y = at[slot]
        look = ("fill='#fff' stroke='#999' stroke-dasharray='3 2' data-vacant='1'"
                if colour is None else f"fill='{colour}' stroke='#0006'")
        nodes.append(f"<circle data-slot='{slot}' cx='{x:.1f}' cy='{y:.1f}' r='{radius:.1f}' "
                     f"{look}><title>{html.escape(label)}</title></circle>")
    return (f"<svg class='teamsim-ties-drawing' width='{SIZE}' height='{SIZE}' "
            f"viewBox='0 0 {SIZE} {SIZE}' role='img' aria-label='the ties between members' "
            f"data-threshold='{threshold:g}'>"
            f"<g stroke='{LINE_COLOUR}' stroke-linecap='round'>{''.join(lines)}</g>"
            f"<g stroke-width='1'>{''.join(nodes)}</g></svg>")
