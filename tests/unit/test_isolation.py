"""Installing dp100 never shadows a real Azure SDK, and only course/ may load Textual."""
import subprocess
import sys

import pytest


def _run(code: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd)


def test_importing_dp100_packages_does_not_make_azure_sdks_importable(tmp_path):
    result = _run(
        "import course, labs, sandbox, quizzes, sandbox.workspace, sandbox.data, sandbox.datasets\n"
        "import importlib.util\n"
        "print([importlib.util.find_spec(m) is None for m in ('azureml', 'mltable')])\n", tmp_path)
    assert result.stdout.strip() == "[True, True]", result.stderr


def test_a_real_sdk_installed_beside_dp100_wins_outside_the_sandbox(tmp_path):
    fake = tmp_path / "site" / "azureml" / "core"
    fake.mkdir(parents=True)
    (fake.parent / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("REAL = True\n")
    result = subprocess.run(
        [sys.executable, "-c", "import sandbox, sandbox.activation, azureml.core; print(azureml.core.REAL)"],
        capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin"})
    assert result.stdout.strip() == "True", result.stderr


@pytest.mark.parametrize("package", ["sandbox", "labs", "quizzes"])
def test_engine_packages_never_import_textual(package, tmp_path):
    import pkgutil
    import importlib

    mod = importlib.import_module(package)
    names = [package] + [f"{package}.{m.name}" for m in pkgutil.walk_packages(mod.__path__)
                         if not m.name.startswith("sdk")]
    code = "import sys, importlib\n" + "".join(f"importlib.import_module({n!r})\n" for n in names) + \
        "print('textual' in sys.modules)\n"
    result = _run(code, tmp_path)
    assert result.stdout.strip() == "False", result.stderr
