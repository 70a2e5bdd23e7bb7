def generate(region, *, seed: int, today) -> str:
    """The app's share of the demo region; returns the summary line for the console."""
    return ""
