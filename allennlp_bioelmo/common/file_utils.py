"""
Writing files so that an interruption never leaves a half-written one: write a temporary file in
the same folder, then rename it over the final name (a rename within a folder is atomic).
"""

import os

import torch


def atomic_torch_save(obj, path, *args, **kwargs) -> None:
    """`torch.save` to `path` through a temporary file in the same folder and a rename."""
    if not isinstance(path, (str, os.PathLike)):
        return torch.save(obj, path, *args, **kwargs)
    temporary = f"{os.fspath(path)}.partial"
    torch.save(obj, temporary, *args, **kwargs)
    os.replace(temporary, path)
