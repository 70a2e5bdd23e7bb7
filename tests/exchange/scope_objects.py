"""The exchange app's share of the scope matrix: it has no URL naming an object (the passport
is formed for a region and period given as parameters, refused for other regions)."""

OBJECTS: dict = {}
REGION_OBJECTS: set[str] = set()
METHODIST_REGION: set[str] = set()
