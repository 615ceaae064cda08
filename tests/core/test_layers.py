"""The layer contracts (pyproject [tool.importlinter], run by `make lint`) hold, and
they fail the build when a new import crosses a layer: the check runs on a copy of the
code with one forbidden import added."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# Source folder -> the package name it is imported as (pyproject package-dir).
PACKAGES = {
    "platform": "agency_platform",
    "practices": "practices",
    "blog": "blog",
    "demo_requests": "demo_requests",
}


def lint_imports(root: Path, config: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        capture_output=True, text=True, env=env, cwd=root, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def code_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("layers")
    for folder, package in PACKAGES.items():
        shutil.copytree(
            ROOT / folder, copy / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "demo_content"),
        )  # fmt: skip
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    # agency_platform is a namespace package: the editable install adds the checkout's
    # platform/ as a second portion beside the copy's, and which portion's file the
    # linter reads was a matter of process order (the copy's edit went unseen under
    # xdist). A regular package in the copy is found alone.
    (copy / "agency_platform" / "__init__.py").touch()
    return copy


def test_the_code_keeps_every_layer_contract():
    result = lint_imports(ROOT, ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "broken_contract"),
    [
        # The tenancy core reaching into a feature (a cycle: blog imports practices).
        ("practices/team_selectors.py", "from blog.models import BlogPostPage", "tenancy"),
        # platform/ reaching into an app.
        ("agency_platform/media/keys.py", "from practices.models import Practice", "platform"),
    ],
)
def test_a_new_import_across_a_layer_fails_the_lint(
    code_copy, module, forbidden_import, broken_contract
):
    path = code_copy / module
    original = path.read_text()
    path.write_text(f"{original}\n{forbidden_import}  # noqa\n")
    try:
        result = lint_imports(code_copy, code_copy / "pyproject.toml")
    finally:
        path.write_text(original)
    assert result.returncode != 0, result.stdout
    names = {
        "tenancy": "The tenancy core of practices/ imports neither blog nor demo_requests BROKEN",
        "platform": "platform/ imports no app (except its URLconf) BROKEN",
    }
    assert names[broken_contract] in result.stdout
    assert forbidden_import.split()[1] in result.stdout  # the offending import is named
