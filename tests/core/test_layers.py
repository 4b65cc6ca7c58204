"""The import layers hold: no module imports an app above its own, nor a sibling of its layer.

    core ← accounts ← governance ← households ← {grievances, disputes, training, deliberation}
         ← {mobile, reports, exports, demo}

Every ``import`` and ``from … import`` of every module of the project apps is read with ``ast``,
function-level imports included. ``sanzhang`` (settings, URLs), ``bench`` and ``tests`` sit outside
the layers: they may import anything, and no project app may import them.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LAYERS = [
    {"core"},
    {"accounts"},
    {"governance"},
    {"households"},
    {"grievances", "disputes", "training", "deliberation"},
    {"mobile", "reports", "exports", "demo"},
]
LAYER_OF = {app: index for index, apps in enumerate(LAYERS) for app in apps}
OUTSIDE = {"sanzhang", "bench", "tests"}
# Sibling imports the code needs, as (importer, imported) pairs. None today: the lifecycle apps
# (grievances, disputes, training) and the page layer (mobile, reports, demo) stay independent.
ALLOWED_SIBLINGS = set()


def imported_apps(source, module):
    """(line, top-level package) of every import in ``source``, relative imports resolved."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: stays inside the importing package
                found.append((node.lineno, module.split(".")[0]))
            elif node.module:
                found.append((node.lineno, node.module.split(".")[0]))
    return found


def violations(source, module):
    """Imports in ``source`` (a module of app ``module.split('.')[0]``) that break the layers."""
    app = module.split(".")[0]
    own = LAYER_OF[app]
    bad = []
    for line, target in imported_apps(source, module):
        if target == app:
            continue
        if target in OUTSIDE:
            bad.append(f"{module}:{line} imports {target} (outside the layers)")
        elif target in LAYER_OF and LAYER_OF[target] > own:
            bad.append(f"{module}:{line} imports {target}, a layer above {app}")
        elif target in LAYER_OF and LAYER_OF[target] == own and (app, target) not in ALLOWED_SIBLINGS:
            bad.append(f"{module}:{line} imports {target}, a sibling of {app} in its layer")
    return bad


def project_modules():
    for app in LAYER_OF:
        folder = ROOT / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield module, path


def test_every_project_app_has_a_layer():
    assert set(settings.PROJECT_APPS) <= set(LAYER_OF)
    for path in ROOT.iterdir():
        if (path / "apps.py").is_file():
            assert path.name in LAYER_OF or path.name in OUTSIDE, f"{path.name} is in no layer"


def test_no_import_breaks_the_layers():
    modules = list(project_modules())
    assert len(modules) > 50  # the walk found the project
    bad = [v for module, path in modules for v in violations(path.read_text(encoding="utf-8"), module)]
    assert bad == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("core.admin", "def f():\n    from accounts.models import AccessLog\n", "a layer above core"),
        ("governance.admin", "import households.models\n", "a layer above governance"),
        ("disputes.models", "from grievances.models import Grievance\n", "a sibling of disputes"),
        ("demo.builder", "from tests.factories import UnitFactory\n", "outside the layers"),
    ],
)
def test_the_check_catches_upward_sibling_and_function_level_imports(module, source, expected):
    [found] = violations(source, module)
    assert expected in found


def test_the_check_allows_downward_and_relative_imports():
    source = "from core.scoping import restrict_queryset\nfrom . import models\nimport governance.models\n"
    assert violations(source, "households.selectors") == []


DOMAIN_LABEL = re.compile(
    r"^(accounts|governance|households|grievances|disputes|training|deliberation|mobile|reports|exports|demo)\.[A-Z]"
)


def test_core_names_no_domain_model_in_its_code():
    """Rules about domain models are declared by the models (audit_exempt, is_minor_record, personal=False)."""
    found = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and DOMAIN_LABEL.match(node.value):
                found.append(f"{path.name}: {node.value}")
    assert found == []
