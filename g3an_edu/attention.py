"""Factorized spatio-temporal self-attention (F-SA): temporal attention, then spatial.

SAGAN-style self-attention on a feature map ``x`` with ``C`` channels:

    q = W_q x,  k = W_k x   (C -> C/8),      v = W_v x   (C -> C)
    attn(x) = softmax(q kᵀ) v                (no 1/sqrt(d) scaling, as in SAGAN)
    y = γ · attn(x) + x                      (γ a learnable scalar, initialised to 0)

F-SA applies it twice on a video feature map ``(B, C, T, H, W)``:

- temporal SA (TSA): every pixel ``(h, w)`` is a sequence of ``T`` steps  -> ``B·H·W`` sequences;
- spatial SA (SSA): every frame ``t`` is a sequence of ``H·W`` positions -> ``B·T`` sequences.

Cost ``O(B·H·W·T² + B·T·(H·W)²)`` score entries instead of ``O(B·(T·H·W)²)`` for full 3D
attention. There is no positional encoding, so F-SA is *equivariant*: permuting frames (or
pixels) of the input permutes the output the same way. Every reshape below names its axes,
so the layout bug of the authors' code (``view(b, h, w, -1, t)`` on a ``(b·h·w, t, c)``
tensor) cannot slip in; the tests check equivariance.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F
from einops import rearrange

from .validation import check_tensor
from .weights import sn


def attend_naive(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """``softmax(q kᵀ) v`` written out: ``(N, L, Dk), (N, L, Dk), (N, L, Dv) -> (N, L, Dv)``.

    Materialises the ``(N, L, L)`` score matrix (and its softmax, kept for backward).
    """
    scores = q @ k.transpose(1, 2)  # (N, L, L)
    return torch.softmax(scores, dim=-1) @ v  # (N, L, Dv)


# Up to this many score entries (256 MB in fp32) a CPU computes the scores outright: 1.3x
# faster than the fused kernel there (benchmarks/RESULTS.md, "Training"), for about 0.5 GB
# more peak memory at the default 64x64, ch=16, batch 4 (spatial attention over 32x32
# positions: 64 sequences, 67 M entries). Above it (the `colab` and `paper` sizes), or on a
# GPU, the fused kernel never materialises them.
SCORES_LIMIT = 2**26

# At most this many sequences go into one scaled_dot_product_attention call. The CUDA
# efficient and flash kernels launch one grid row per sequence (and head), and some torch
# releases that `torch>=2.2` admits fail above 65,535 of them (pytorch/pytorch#146704):
# temporal attention at the `paper` preset has B·H·W = 96·32·32 = 98,304 sequences.
MAX_SEQUENCES = 65_535


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """:func:`attend_one_call` over at most :data:`MAX_SEQUENCES` sequences at a time.

    Sequences do not interact, so the chunks' outputs concatenated are the same function
    (``tests/test_attention.py`` forces small chunks and checks it). Shapes as in
    :func:`attend_naive`.
    """
    n = q.shape[0]
    if n <= MAX_SEQUENCES:
        return attend_one_call(q, k, v)
    return torch.cat([attend_one_call(q[i:i + MAX_SEQUENCES], k[i:i + MAX_SEQUENCES],
                                      v[i:i + MAX_SEQUENCES])
                      for i in range(0, n, MAX_SEQUENCES)])  # (N, L, Dv)


def attend_one_call(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """The same function as :func:`attend_naive`: written out on a CPU for score matrices up to
    :data:`SCORES_LIMIT` entries, else through ``scaled_dot_product_attention``.

    ``scale=1.0`` switches off the ``1/sqrt(d)`` scaling. SAGAN's value is wider than its
    query and key (``Dv = 8·Dk``) and the fused kernels need one head size, so for large
    score matrices (or on CUDA) query and key are zero-padded to ``Dv``: the dot products do
    not change, and the ``(N, L, L)`` scores are never stored. On CPU this costs about a third
    more time than computing the scores outright (``benchmarks/bench_model.py``), so problems
    up to ``N·L² ≤ SCORES_LIMIT`` (all of F-SA at the `tiny`, `cpu` and default 64×64, ch=16,
    batch 4 sizes) take the plain path. Shapes as in :func:`attend_naive`.
    """
    n, length, _ = q.shape
    if q.device.type == "cpu" and n * length * length <= SCORES_LIMIT:
        # written out, not SDPA's math path: that one also scans the scores for fully
        # masked rows (isneginf, all, where), 10-20 % of the attention's time here
        return attend_naive(q, k, v)  # (N, L, Dv)
    pad = v.shape[-1] - q.shape[-1]
    if pad > 0:
        q, k = F.pad(q, (0, pad)), F.pad(k, (0, pad))  # (N, L, Dv)
    out = F.scaled_dot_product_attention(
        q.unsqueeze(1), k.unsqueeze(1), v.unsqueeze(1), scale=1.0
    )  # (N, 1, L, Dv)
    return out.squeeze(1)  # (N, L, Dv)


class SelfAttention(nn.Module):
    """SAGAN self-attention over a batch of sequences: ``(N, L, C) -> (N, L, C)``.

    The query/key/value projections are the paper's 1×1×1 convolutions; on a
    ``(N, L, C)`` sequence they are linear maps of the channel vector.
    """

    def __init__(self, channels: int, spectral_norm: bool = True) -> None:
        super().__init__()
        if channels < 8:
            raise ValueError(f"SelfAttention needs at least 8 channels (C/8 ≥ 1), got {channels}.")
        self.channels = channels
        self.query = sn(nn.Linear(channels, channels // 8), spectral_norm)
        self.key = sn(nn.Linear(channels, channels // 8), spectral_norm)
        self.value = sn(nn.Linear(channels, channels), spectral_norm)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor, naive: bool = False) -> torch.Tensor:
        """``x (N, L, C) -> γ·softmax(q kᵀ) v + x``; ``naive=True`` materialises the scores."""
        q, k, v = self.query(x), self.key(x), self.value(x)  # (N, L, C/8), (N, L, C/8), (N, L, C)
        out = attend_naive(q, k, v) if naive else attend(q, k, v)  # (N, L, C)
        return self.gamma * out + x


class FactorizedSelfAttention(nn.Module):
    """F-SA: temporal self-attention, then spatial self-attention, on ``(B, C, T, H, W)``.

    TSA and SSA have their own projections and their own ``gamma``; with both ``gamma = 0``
    (the initial state) the module is the identity.
    """

    def __init__(self, channels: int, spectral_norm: bool = True) -> None:
        super().__init__()
        self.channels = channels
        self.temporal = SelfAttention(channels, spectral_norm)
        self.spatial = SelfAttention(channels, spectral_norm)

    def forward(self, x: torch.Tensor, naive: bool = False) -> torch.Tensor:
        """``(B, C, T, H, W) -> (B, C, T, H, W)``."""
        check_tensor(x, "input of FactorizedSelfAttention", ("B", self.channels, "T", "H", "W"))
        b, _, t, h, w = x.shape
        x = rearrange(x, "b c t h w -> (b h w) t c")  # one sequence of T steps per pixel
        x = self.temporal(x, naive)  # (B·H·W, T, C)
        x = rearrange(x, "(b h w) t c -> (b t) (h w) c", b=b, h=h, w=w)  # one sequence per frame
        x = self.spatial(x, naive)  # (B·T, H·W, C)
        return rearrange(x, "(b t) (h w) c -> b c t h w", b=b, t=t, h=h, w=w)
