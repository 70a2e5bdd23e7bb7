"""Populations over the outcomes app's records (see populations.py)."""
