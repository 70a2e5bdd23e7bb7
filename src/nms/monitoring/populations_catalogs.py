"""Populations over the catalogs app's records (see populations.py)."""
