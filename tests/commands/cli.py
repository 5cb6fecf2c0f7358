"""
Running the real `allennlp` console script, from the repository root (where .allennlp_plugins is).
"""

import os
import subprocess
import sys
from typing import Dict, Optional

from tests import REPOSITORY_ROOT

ALLENNLP = os.path.join(os.path.dirname(sys.executable), "allennlp")
NER_CONFIG = os.path.join("training_configs", "ner", "ncbi_disease.jsonnet")


def allennlp(
    *args: str, env: Optional[Dict[str, str]] = None, check: bool = True, timeout: int = 600
):
    result = subprocess.run(
        [ALLENNLP, *args],
        cwd=REPOSITORY_ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"allennlp {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-4000:]}"
        )
    return result


def allennlp_in_process(*args: str) -> None:
    """
    The same entry point (`allennlp.commands.main`, which the console script calls) in this
    process: no interpreter start-up and AllenNLP import per call, for tests that make many calls.
    """
    from allennlp.commands import main

    saved_argv, saved_cwd = sys.argv, os.getcwd()
    sys.argv = ["allennlp", *args]
    os.chdir(REPOSITORY_ROOT)
    try:
        main(prog="allennlp")
    finally:
        sys.argv = saved_argv
        os.chdir(saved_cwd)
