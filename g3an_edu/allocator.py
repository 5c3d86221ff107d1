"""Keep freed memory in the process: glibc's allocator settings for a training loop.

A training step frees and re-allocates the same large tensors every step (activations,
score matrices, gradients). By default glibc serves every block over a threshold (128 KB,
raised dynamically up to 32 MB) with its own ``mmap`` and returns it with ``munmap`` on free,
so each step faults every page of those tensors in again: on the course's 2-core CPU the
`cpu` preset spent 13 s of system time (5 M page faults) in 12 steps, 1.7 s/step instead of
1.2 (``benchmarks/RESULTS.md``). :func:`keep_freed_memory` switches ``mmap`` off for
``malloc`` and stops the heap being trimmed, so freed blocks are reused: the resident memory
stays at its peak (about 30 % higher for `cpu`) instead of shrinking between steps. The
numbers computed do not change.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

# mallopt parameters (glibc <malloc.h>)
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_MAX = -1, -2, -4

_applied: bool | None = None


def keep_freed_memory() -> bool:
    """Tell glibc malloc to keep freed memory for reuse; ``True`` if it took effect.

    A no-op (``False``) off Linux/glibc, or with ``G3AN_MALLOC=default`` in the environment.
    Process-wide and idempotent: call it once before training.
    """
    global _applied
    if _applied is not None:
        return _applied
    _applied = False
    if not sys.platform.startswith("linux") or os.environ.get("G3AN_MALLOC") == "default":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and other libcs have no mallopt
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    ok = mallopt(M_MMAP_MAX, 0)  # big blocks come from the heap, reused after free
    ok &= mallopt(M_TRIM_THRESHOLD, 2**31 - 1)  # never give the heap's top back to the OS
    ok &= mallopt(M_TOP_PAD, 64 << 20)  # grow the heap in 64 MB steps, fewer brk calls
    _applied = bool(ok)
    return _applied
