"""The demo region's share of the outcomes app: generate(region, seed, today) -> a summary line."""


def generate(region, *, seed, today) -> str:
    return ""
