"""Dependencies run one way (docs/architecture.md, "Apps"): an app imports only apps below it.

The test reads every module's imports (at the top and inside functions — a lazy import is still a
dependency) and every `apps.get_model("<app>", …)` with a literal label. The few that still go up
are listed with their reason; the list can only shrink: a new upward import fails, and so does an
entry that is no longer needed.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. `amp_platform` (settings, the root URLconf, the API's assembly, infrastructure
# such as the Celery app and the cache) is the project, not a domain app, and is not ranked; nor is
# `tools` (scripts, and the benchmarks' app tools/bench, which may import any app).
LAYERS = ["accounts", "places", "surveys", "partnerships", "safety", "demo"]
RANK = {app: rank for rank, app in enumerate(LAYERS)}

KNOWN_UPWARD: set = set()


def _imported_apps(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value.split(".")[0]


def upward_imports(root: Path = ROOT):
    found = set()
    for app in LAYERS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # a migration names the state of its time, not a dependency
            for target in _imported_apps(path):
                if target in RANK and RANK[target] > RANK[app]:
                    found.add((str(path.relative_to(root)), target))
    return found


def test_apps_import_only_apps_below_them():
    found = upward_imports()
    new = found - KNOWN_UPWARD
    assert not new, f"upward imports (move the code down, or let the higher app register): {new}"


def test_the_known_exceptions_are_still_needed():
    gone = KNOWN_UPWARD - upward_imports()
    assert not gone, f"no longer upward, remove from KNOWN_UPWARD: {gone}"


def test_the_check_sees_a_lazy_upward_import(tmp_path):
    # In a copy of the layout, not in the repository: other test processes read it meanwhile.
    (tmp_path / "places").mkdir()
    (tmp_path / "places" / "probe.py").write_text(
        "def f():\n    from safety.figures import place_figures\n"
    )
    assert upward_imports(tmp_path) == {("places/probe.py", "safety")}


def test_every_app_is_ranked():
    apps = {
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if path.parent.name not in {"amp_platform", "tests", "tools"}
    }
    assert apps == set(LAYERS)


def test_no_app_imports_the_tools():
    # tools/ (and the benchmarks' app in it, not installed in production) sits above every app.
    found = {
        str(path.relative_to(ROOT))
        for app in LAYERS
        for path in (ROOT / app).rglob("*.py")
        if "tools" in set(_imported_apps(path))
    }
    assert not found, f"an app imports tools/: {found}"
