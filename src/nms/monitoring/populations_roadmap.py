"""Populations over the roadmap app's records (see populations.py)."""
