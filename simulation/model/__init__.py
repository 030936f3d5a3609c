"""The model: what a team and its leader are, and the rules by which a week changes them.

Typed configuration and scenario loading, the state as arrays, the equations (pure
functions over arrays of any leading shape), the interventions and their root causes, the
leader's diagnosis, the strategies and their registry, the leader's week, the calendar's
rules, the run's randomness, the week as one function, and the weekly record with its
quarterly roll-up. Nothing here knows Mesa or SimPy; both engines are built on it.
"""
