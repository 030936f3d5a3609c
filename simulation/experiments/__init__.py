"""Experiments: many runs, organised, stored and summarised.

Experiment files and their designs (grids, Latin hypercube and Sobol samples), replications
with common random numbers, crash-safe sweeps through interchangeable executors, the SQLite
results store, statistics (intervals, paired differences, effect sizes), comparisons,
reports and the reproduction of the headline results. The statistics and the store do not
import Mesa.
"""
