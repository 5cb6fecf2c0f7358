"""
The package as users install it: every runtime import is declared, and a wheel installed outside
this repository finds its default biLM (BioELMo-small, package data) and computes vectors with it.
"""

import ast
import glob
import hashlib
import importlib.metadata
import json
import os
import subprocess
import sys
import sysconfig

import pytest

from tests import REPOSITORY_ROOT

# Imported at run time but installed with --no-deps (their pins cannot be met on Python 3.11).
NO_DEPS = {"allennlp", "fairscale"}


def declared_requirements():
    tree = ast.parse(open(os.path.join(REPOSITORY_ROOT, "setup.py"), encoding="utf-8").read())
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and getattr(node.targets[0], "id", None) == "INSTALL_REQUIRES"
        ):
            names = [ast.literal_eval(element) for element in node.value.elts]
            return {name.split(">")[0].split("=")[0].split("<")[0].lower() for name in names}
    raise AssertionError("setup.py has no INSTALL_REQUIRES list")


def imported_distributions():
    modules = set()
    for path in glob.glob(
        os.path.join(REPOSITORY_ROOT, "allennlp_bioelmo", "**", "*.py"), recursive=True
    ):
        for node in ast.walk(ast.parse(open(path, encoding="utf-8").read())):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules.add(node.module.split(".")[0])
    third_party = modules - set(sys.stdlib_module_names) - {"allennlp_bioelmo"}
    distributions = importlib.metadata.packages_distributions()
    return {module: distributions[module][0].lower() for module in third_party}


def test_install_requires_covers_every_runtime_import():
    declared = declared_requirements()
    missing = {
        module: distribution
        for module, distribution in imported_distributions().items()
        if distribution not in declared and distribution not in NO_DEPS
    }
    assert not missing, f"imported but not in setup.py's INSTALL_REQUIRES: {missing}"


WHEEL_CHECK = """
import hashlib, json, os, sys
import allennlp_bioelmo
from allennlp_bioelmo.data.bilm_inputs import batch_to_ids
from allennlp_bioelmo.modules import BioElmo
files = {name: os.environ[name] for name in ("BIOELMO_OPTIONS", "BIOELMO_WEIGHTS", "BIOELMO_VOCAB")}
bioelmo = BioElmo(files["BIOELMO_OPTIONS"], files["BIOELMO_WEIGHTS"], dropout=0.0)
vectors = bioelmo(batch_to_ids([["Germline", "BRCA1", "mutations"]]))["representation"]
print(json.dumps({
    "package": allennlp_bioelmo.__file__,
    "files": files,
    "sha256": {k: hashlib.sha256(open(v, "rb").read()).hexdigest() for k, v in files.items()},
    "shape": list(vectors.shape),
    "finite": bool(vectors.isfinite().all()),
    "data_defaults": sorted(k for k in os.environ if k.endswith("_TRAIN")),
}))
"""


@pytest.mark.slow
def test_wheel_installed_elsewhere_finds_and_loads_the_default_bilm(tmp_path):
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    subprocess.run(
        pip + ["wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), REPOSITORY_ROOT],
        check=True,
        capture_output=True,
    )
    (wheel,) = glob.glob(str(wheels / "allennlp_bioelmo-*.whl"))
    subprocess.run(pip + ["install", "--no-deps", "--target", str(target), wheel], check=True)
    # -S: no site processing, so neither this checkout nor its editable install is importable;
    # only the wheel (first on the path) and the installed dependencies are.
    # a fresh environment: none of the variables this test process's plugin import has set
    ours = ("BIOELMO_", "CUDA_DEVICE", "_TRAIN", "_DEV", "_TEST", "_EPOCHS")
    env = {k: v for k, v in os.environ.items() if not any(part in k for part in ours)}
    env["PYTHONPATH"] = os.pathsep.join([str(target), sysconfig.get_paths()["purelib"]])
    result = subprocess.run(
        [sys.executable, "-S", "-c", WHEEL_CHECK],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(json.dumps(report, indent=2))  # the check's output, for the record (pytest -s)
    assert report["package"].startswith(str(target))
    for name, path in report["files"].items():
        assert path.startswith(str(target)), name
        shipped = os.path.join(REPOSITORY_ROOT, os.path.relpath(path, target))
        with open(shipped, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == report["sha256"][name]
    assert report["shape"][:2] == [1, 3] and report["finite"]
    assert report["data_defaults"] == []  # outside a checkout no fixture corpus is defaulted
