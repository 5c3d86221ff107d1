"""Spatio-temporal fusion: how a G3 module's three streams meet.

Given the spatial features ``h_s (B, C, 1, H, W)`` (appearance, no time), the temporal
features ``h_t (B, C, T, 1, 1)`` (motion, no space) and the video features
``h_v (B, C, T, H, W)``:

    h_v <- h_v + replicate_HW(h_t)              # motion added at every pixel
    h_v <- concat_C(replicate_T(h_s), h_v)      # appearance copied to every frame

so the fused video stream has ``2C`` channels. Replication is a broadcast view (``expand``),
not a copy (``repeat``): the same values without writing the two replicated intermediates.
The concatenation still writes its ``(B, 2C, T, H, W)`` result (the replicated ``h_s``
included), and ``h_v + h_t`` a new tensor: notebook 02 logs every allocation.
"""

from __future__ import annotations

import torch


def spatio_temporal_fusion(
    h_s: torch.Tensor, h_t: torch.Tensor, h_v: torch.Tensor
) -> torch.Tensor:
    """Fuse the three streams: ``(B,C,1,H,W), (B,C,T,1,1), (B,C,T,H,W) -> (B,2C,T,H,W)``."""
    b, c, t, h, w = h_v.shape
    if h_s.shape != (b, c, 1, h, w) or h_t.shape != (b, c, t, 1, 1):
        raise ValueError(
            "spatio_temporal_fusion expects h_s (B, C, 1, H, W), h_t (B, C, T, 1, 1) and "
            f"h_v (B, C, T, H, W) with the same B, C, T, H, W; got h_s {tuple(h_s.shape)}, "
            f"h_t {tuple(h_t.shape)}, h_v {tuple(h_v.shape)}."
        )
    h_v = h_v + h_t.expand(b, c, t, h, w)  # (B, C, T, H, W): motion at every pixel
    return torch.cat([h_s.expand(b, c, t, h, w), h_v], dim=1)  # (B, 2C, T, H, W)
