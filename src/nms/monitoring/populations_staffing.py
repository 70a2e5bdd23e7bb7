"""Populations over the staffing app's records (see populations.py)."""
