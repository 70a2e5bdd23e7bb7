"""The demo region's share of the staffing app: generate(region, seed, today) -> a summary line."""


def generate(region, *, seed, today) -> str:
    return ""
