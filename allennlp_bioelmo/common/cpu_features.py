"""
What the CPU computes natively, read at run time (the same wheel runs on Sapphire Rapids with AMX
and on AMD EPYC without it).
"""

import functools
from typing import Set

# Instruction sets with bfloat16 matrix or dot-product instructions, as /proc/cpuinfo names them.
NATIVE_BFLOAT16_FLAGS = ("amx_bf16", "avx512_bf16")


@functools.lru_cache(maxsize=None)
def cpu_flags(cpuinfo: str = "/proc/cpuinfo") -> Set[str]:
    """The feature flags of the first CPU in `cpuinfo`; empty where there is no such file."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def native_bfloat16_flags(cpuinfo: str = "/proc/cpuinfo") -> Set[str]:
    """Which of `NATIVE_BFLOAT16_FLAGS` this CPU has (empty: bfloat16 is emulated, and slow)."""
    return cpu_flags(cpuinfo) & set(NATIVE_BFLOAT16_FLAGS)
