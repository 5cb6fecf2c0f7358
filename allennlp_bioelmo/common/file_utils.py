"""
Writing files so that an interruption never leaves a half-written one: write a temporary file in
the same folder, then rename it over the final name (a rename within a folder is atomic).
"""

import contextlib
import os
from typing import Iterator, Union

import torch

# Suffix of the temporary file a write goes to before its rename; a kill can leave one behind.
PARTIAL_SUFFIX = ".partial"


@contextlib.contextmanager
def atomic_output_path(path: Union[str, os.PathLike]) -> Iterator[str]:
    """
    Yields a temporary path beside `path`; when the block ends without an error, the temporary
    file is renamed to `path`, so `path` is either absent, its old self, or whole. On an error the
    temporary file is removed and `path` is left as it was.
    """
    temporary = f"{os.fspath(path)}{PARTIAL_SUFFIX}"
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def atomic_torch_save(obj, path, *args, **kwargs) -> None:
    """`torch.save` to `path` through a temporary file in the same folder and a rename."""
    if not isinstance(path, (str, os.PathLike)):
        return torch.save(obj, path, *args, **kwargs)
    with atomic_output_path(path) as temporary:
        torch.save(obj, temporary, *args, **kwargs)


def atomic_write_text(path: Union[str, os.PathLike], text: str) -> None:
    """Write `text` (UTF-8) to `path` through a temporary file and a rename."""
    with atomic_output_path(path) as temporary:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
