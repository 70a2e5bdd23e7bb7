"""The whole demo region: registry and accounts, then diagnostics, then routes built on them."""

from nms.demo.diagnostics import generate_diagnostics
from nms.demo.generator import generate_region
from nms.demo.routes import generate_routes


def build_demo_region(*, seed: int = 1, **sizes) -> str:
    """Generate everything and return the summary for the console."""
    summary = generate_region(seed=seed, **sizes)
    diagnostics = generate_diagnostics(summary.region, seed=seed)
    routes = generate_routes(summary.region, seed=seed)
    return "\n".join(
        [
            summary.as_text(),
            diagnostics.as_text(),
            f"  индивидуальных образовательных маршрутов: {routes}",
        ]
    )
