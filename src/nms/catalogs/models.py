"""Effective practices and methodical materials: submission, expert review, publication,
replication."""
