"""Apps depend downward only (DESIGN.md §3): a test that reads every module's imports.

`common` and `accounts` are at the bottom, `registry` next, the domain apps above it, `dashboard`
on top; `demo` builds a whole region and may use anything. Apps of one layer may use each other
only as listed in SIDEWAYS. The registry's helpers for other apps live in `common`: from
`nms.registry` other apps take only its models, selectors, services, access rules and the filter
sets of its models (the dashboard counts exactly what a list's filter set shows).
"""

import ast
from pathlib import Path

import nms

ROOT = Path(nms.__file__).parent
LAYERS = {
    "common": 0,
    "accounts": 0,
    "formats": 0,
    "registry": 1,
    "itembank": 2,
    "diagnostics": 3,
    "deficits": 4,
    "routes": 5,
    # Activities fill routes; the people who support draw on activities; monitoring counts all.
    "programs": 6,
    "events": 6,
    "mentoring": 6,
    "outcomes": 6,
    "support": 7,
    "staffing": 7,  # retraining of those teaching outside their profile: programmes' completions
    "exchange": 7,
    # The banks' reviewers are the support's experts; a roadmap's activity names its indicator;
    # the portal shows what the apps below publish.
    "monitoring": 8,
    "catalogs": 8,
    "roadmap": 9,
    "portal": 9,
    "dashboard": 10,
    "demo": 11,
}
# Bottom-layer modules that may reach one layer up, and why.
ALLOWED_UP = {
    # Issuing accounts works on the registry's people: the provisioning service reads them.
    ("accounts", "registry"),
}
REGISTRY_PUBLIC = {"models", "selectors", "services", "access", "federal_subjects", "cards"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nms."):
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nms."):
                    yield alias.name, []


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _modules():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if len(relative.parts) > 1 and "migrations" not in relative.parts:
            yield relative.parts[0], path


def test_every_app_is_in_a_layer():
    apps = {app for app, _ in _modules()}
    assert apps <= set(LAYERS), f"put these apps into a layer: {apps - set(LAYERS)}"


def test_apps_depend_downward_only():
    wrong = []
    for app, path in _modules():
        for module, _names in _imports(path):
            target = _app(module)
            if target is None or target == app or target not in LAYERS:
                continue
            if LAYERS[target] > LAYERS[app] and (app, target) not in ALLOWED_UP:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_nothing_imports_the_dashboard():
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for app, path in _modules()
        if app != "dashboard"
        for module, _ in _imports(path)
        if _app(module) == "dashboard"
    ]
    assert not wrong, "\n".join(wrong)


def test_registry_exports_no_helpers():
    wrong = []
    for app, path in _modules():
        if app == "registry":
            continue
        for module, names in _imports(path):
            if module == "nms.registry":
                used = set(names)
            elif module.startswith("nms.registry."):
                used = {module.split(".")[2]}
            else:
                continue
            if module == "nms.registry.filters" and all(n.endswith("FilterSet") for n in names):
                continue
            if used - REGISTRY_PUBLIC:
                wrong.append(f"{path.relative_to(ROOT)} imports {module} {sorted(names)}")
    assert not wrong, "\n".join(wrong)
