"""A layered output: motion draws where each part is, appearance says what colour it is.

A departure from the paper (``layered_output`` in the config, off by default; the
disentanglement study, docs/STUDY.md), in place of the generator's ``to_rgb``. The video
stream's last features ``h_v (B, C_v, T, H, W)`` give ``K + 1`` soft masks (a softmax over
layers at every pixel and frame): ``K`` parts of the figure and the background. The spatial
stream's last features ``h_s (B, C_s, 1, H, W)`` give each part one colour (from their mean
over space) and the background a still image (a 3×3 conv at every pixel)::

    m = softmax_k(conv_{1×3×3}(h_v))                     # (B, K+1, T, H, W), sums to 1
    c_k = tanh(A · mean_HW(h_s))                          # (B, K, 3): a colour per part
    b = tanh(conv_{1×3×3}(h_s))                           # (B, 3, 1, H, W): the background
    video = Σ_k m_k · c_k + m_{K+1} · b                   # (B, 3, T, H, W), in [-1, 1]

A convex mix of colours in ``[-1, 1]`` stays in ``[-1, 1]`` (no final tanh). With
``background="colour"`` the background is one more flat colour, ``b = tanh(A_b · mean_HW(h_s))``:
the still image is a route by which ``z_a`` can draw a figure that stands still in it (the
`layers` screen did: its swap grid's rows, ``z_a``, differed in pose), and without it every
spatial structure, a background texture included, comes from the masks. With the
appearance fused in no G3 block and kept out of the video stream's input (the generator
checks), ``z_m`` decides only where the layers are and ``z_a`` only what they look like: the
partition is built in, as in the foreground/background layers of Vondrick et al. (2016,
"Generating Videos with Scene Dynamics"), not learned. What ``z_m`` can still do to the looks
is give a region to another part (a shirt drawn in the trousers' colour); what ``z_a`` can
do to the motion is nothing, except through a background it draws still.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from .validation import check_choice, check_tensor
from .weights import sn

BACKGROUNDS = ("image", "colour")


class LayeredOutput(nn.Module):
    """``(h_v (B, c_video, T, H, W), h_s (B, c_space, 1, H, W)) -> video (B, 3, T, H, W)``
    with ``parts`` coloured layers and a background layer (see the module docstring)."""

    def __init__(self, c_video: int, c_space: int, parts: int, spectral_norm: bool = True,
                 background: str = "image") -> None:
        super().__init__()
        if not isinstance(parts, int) or parts < 1:
            raise ValueError(f"layered_output needs a positive number of parts, got {parts!r}.")
        check_choice(background, "layered_background", BACKGROUNDS)
        self.c_video, self.c_space, self.parts = c_video, c_space, parts
        self.flat_background = background == "colour"
        self.masks = sn(nn.Conv3d(c_video, parts + 1, (1, 3, 3), 1, (0, 1, 1)), spectral_norm)
        self.colours = sn(nn.Linear(c_space, 3 * (parts + self.flat_background)),
                          spectral_norm)
        self.background = (None if self.flat_background else
                           sn(nn.Conv3d(c_space, 3, (1, 3, 3), 1, (0, 1, 1)), spectral_norm))

    def layers(self, h_v: torch.Tensor, h_s: torch.Tensor
               ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``(masks (B, K+1, T, H, W), colours (B, K, 3), background (B, 3, 1, H, W))``
        (a flat background: ``(B, 3, 1, 1, 1)``)."""
        check_tensor(h_v, "h_v (video features)", ("B", self.c_video, "T", "H", "W"))
        check_tensor(h_s, "h_s (spatial features)", (h_v.shape[0], self.c_space, 1,
                                                     h_v.shape[3], h_v.shape[4]))
        masks = self.masks(h_v).softmax(1)  # (B, K+1, T, H, W)
        colours = torch.tanh(self.colours(h_s.mean((2, 3, 4)))).unflatten(1, (-1, 3))
        if self.flat_background:  # (B, K+1, 3): the last colour is the background's
            return masks, colours[:, :-1], colours[:, -1, :, None, None, None]
        background = torch.tanh(self.background(h_s))  # (B, 3, 1, H, W)
        return masks, colours, background

    def forward(self, h_v: torch.Tensor, h_s: torch.Tensor) -> torch.Tensor:
        """The composite video ``(B, 3, T, H, W)`` in ``[-1, 1]``."""
        masks, colours, background = self.layers(h_v, h_s)
        figure = torch.einsum("bkthw,bkc->bcthw", masks[:, :-1], colours)  # (B, 3, T, H, W)
        return figure + masks[:, -1:] * background  # background broadcast over T
