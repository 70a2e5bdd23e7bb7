"""Students' assessment results aggregated per teacher (no student's identity) and the positive
dynamics after a route."""
