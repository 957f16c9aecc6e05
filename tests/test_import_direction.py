"""Imports run one way: both servers import the core, never each other, and the core imports neither.

- pacewise/: the core, no server code (not even Rasa's or the Rasa SDK's)
- actions/: the action server only
- components/, channels/, stores/: the Rasa server only
- pacewise/cli/: the command-line tools, on top of everything (they train and
  load models, so they may use the Rasa server's code); nothing but the tests
  and scripts imports them, so neither server ever loads a tool.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
RASA_SERVER = ("components", "channels", "stores")
TOOLS = "pacewise.cli"
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "pacewise": ("actions", *RASA_SERVER, "rasa", "rasa_sdk", "tests", "scripts", TOOLS),
    "actions": (*RASA_SERVER, "rasa", "tests", "scripts", TOOLS),
    **{package: ("actions", "rasa_sdk", "tests", "scripts", TOOLS) for package in RASA_SERVER},
    TOOLS: ("actions", "rasa_sdk", "tests", "scripts"),
}


def source_files(package: str) -> list[Path]:
    """A package's files; the core's leave out the tools, which have rules of their own."""
    files = sorted((REPO_ROOT / package.replace(".", "/")).rglob("*.py"))
    if package == "pacewise":
        files = [path for path in files if not path.is_relative_to(REPO_ROOT / "pacewise" / "cli")]
    return files


def imported_modules(source: str) -> list[tuple[int, str]]:
    """Every module a source file imports, anywhere in it (functions included), with its line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def violations(package: str, source: str, where: str) -> list[str]:
    return [
        f"{where}:{line} imports {module}"
        for line, module in imported_modules(source)
        if any(module == banned or module.startswith(f"{banned}.") for banned in FORBIDDEN[package])
    ]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_it_must_not(package):
    found = []
    for path in source_files(package):
        found += violations(package, path.read_text(encoding="utf-8"), str(path.relative_to(REPO_ROOT)))
    assert found == [], "\n".join(found)


def test_the_check_catches_an_import_hidden_in_a_function():
    source = "import json\n\ndef later():\n    from components.safety.decision import decide\n    import actions.replies\n"

    assert violations("pacewise", source, "x.py") == ["x.py:4 imports components.safety.decision", "x.py:5 imports actions.replies"]
    assert violations("components", "from pacewise.content import Topic\nimport rasa.core\n", "y.py") == []


def test_no_server_loads_a_command_line_tool():
    assert violations("components", "from pacewise.cli.nlu_report import cross_validate\n", "z.py") == ["z.py:1 imports pacewise.cli.nlu_report"]
    assert violations("actions", "import pacewise.cli\n", "a.py") == ["a.py:1 imports pacewise.cli"]
    assert violations("pacewise", "from pacewise.cli.check_content import main\n", "c.py") == ["c.py:1 imports pacewise.cli.check_content"]
    assert violations(TOOLS, "from components.safety.detector import SafetyDetector\nimport rasa\n", "t.py") == []


def test_the_core_files_leave_out_the_tools():
    assert not any("cli" in path.parts for path in source_files("pacewise"))
    assert any(path.name == "nlu_report.py" for path in source_files(TOOLS))


SOURCE_PACKAGES = ("pacewise", "actions", "components", "channels", "stores")
WHOLE_SYSTEM_TESTS = {"e2e", "security", "nlu", "safety", "stories", "web", "output", "__pycache__"}


def test_the_tests_mirror_the_source_tree():
    """Each test folder is named after a source package (or sub-package), or is one of the whole-system kinds."""
    packages = {
        path.parent.relative_to(REPO_ROOT).as_posix()
        for package in SOURCE_PACKAGES
        for path in (REPO_ROOT / package).rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    strays = []
    for folder in sorted(path for path in (REPO_ROOT / "tests").rglob("*") if path.is_dir()):
        relative = folder.relative_to(REPO_ROOT / "tests")
        if relative.parts[0] in WHOLE_SYSTEM_TESTS or "fixtures" in relative.parts or "__pycache__" in relative.parts:
            continue
        if relative.as_posix() not in packages:
            strays.append(f"tests/{relative.as_posix()} mirrors no package")
    assert strays == [], "\n".join(strays)
