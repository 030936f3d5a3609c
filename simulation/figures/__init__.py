"""Figures: matplotlib charts drawn from tables. A figure never runs a model and computes
nothing beyond laying out the numbers it is given (the statistics behind them live in
:mod:`simulation.experiments`).
"""
