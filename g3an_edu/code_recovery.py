"""InfoGAN-style recovery of a motion category from a video's changes over time (a departure).

With ``motion_classes = k > 0`` the last ``k`` channels of ``z_m`` are a uniform one-hot
category ``c`` (:func:`~g3an_edu.noise.sample_noise`), and a recovery net ``Q`` learns to
read ``c`` back from ``G(z_a, z_m)``. ``G`` and ``Q`` both minimise

    L_info = info_weight · CE(Q(G(z_a, z_m)), c),

a lower bound on the mutual information between ``c`` and the video (InfoGAN, Chen et al.
2016, eq. 5); ``Q`` is trained with the discriminators' optimiser on detached fakes, ``G``
through the fakes. Nothing in the paper's loss ties a code to a factor; this term makes ``c``
decide something ``Q`` can see. ``Q`` sees only the differences between consecutive frames,
so what is easiest to make recoverable is how the figure moves, not a constant colour: the
hope is that ``c`` takes the action, which is discrete too, and ``z_a`` gives it up.
No labels are used.
"""

from __future__ import annotations

import torch
import torch.nn as nn

from .discriminators import VideoDiscriminator
from .validation import check_tensor
from .weights import sn


class MotionCodeRecovery(nn.Module):
    """``Q``: video ``(B, 3, T, R, R) -> (B, k)`` logits of the motion category.

    The input is the frame differences ``x[:, :, 1:] - x[:, :, :-1]`` ``(B, 3, T-1, R, R)``;
    a DV trunk with padded time convs (any ``T ≥ 2``) embeds them in ``(B, C)`` (mean over
    the time positions left), a linear layer gives the logits. ``Q`` is a classifier, not a
    critic: no spectral norm by default and PyTorch's default init, not the discriminators'
    N(0, 0.02). With either, its logits on the small frame differences of an untrained G
    start near 0 and the loss stayed at ``ln k`` for the first 450–600 steps of a
    screening run.
    """

    def __init__(self, classes: int, ch: int = 64, resolution: int = 64,
                 spectral_norm: bool = False) -> None:
        super().__init__()
        if classes < 2:
            raise ValueError(f"a motion category needs ≥ 2 classes, got {classes}.")
        dv = VideoDiscriminator(ch, resolution, spectral_norm, time_padding=True)
        self.trunk = dv.net[:-1]  # (B, 3, T-1, R, R) -> (B, C, T', 1, 1)
        self.head = sn(nn.Linear(dv.net[-1].in_channels, classes), spectral_norm)
        self.resolution, self.classes = resolution, classes
        if not spectral_norm:
            for layer in self.modules():
                if isinstance(layer, (nn.Conv3d, nn.Linear)):
                    layer.reset_parameters()  # PyTorch's default (Kaiming-uniform) init

    def forward(self, video: torch.Tensor) -> torch.Tensor:
        """``(B, 3, T, R, R) -> (B, k)`` logits."""
        r = self.resolution
        check_tensor(video, "video", ("B", 3, "T", r, r))
        if video.shape[2] < 2:
            raise ValueError(f"MotionCodeRecovery needs at least 2 frames (it reads their "
                             f"differences), got video shape {tuple(video.shape)}.")
        changes = video[:, :, 1:] - video[:, :, :-1]  # (B, 3, T-1, R, R)
        return self.head(self.trunk(changes).flatten(2).mean(2))  # (B, C) -> (B, k)
