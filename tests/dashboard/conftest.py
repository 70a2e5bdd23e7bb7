from tests.routes.conftest import actors  # noqa: F401  (the users of the route workflow)
