"""g3an_edu: G3AN (Wang et al., CVPR 2020) built piece by piece for a notebook course.

Tensors are ``(B, C, T, H, W)`` throughout.
"""

from .attention import FactorizedSelfAttention, SelfAttention
from .device import pick_device
from .discriminators import ImageDiscriminator, VideoDiscriminator
from .fusion import spatio_temporal_fusion
from .g3 import G3Module
from .generator import Generator, frames_for_length
from .models import load_generator, load_pretrained
from .transposed_conv import FactorizedTransposedConv3d

__version__ = "0.1.0"

__all__ = [
    "FactorizedSelfAttention",
    "FactorizedTransposedConv3d",
    "G3Module",
    "Generator",
    "ImageDiscriminator",
    "SelfAttention",
    "VideoDiscriminator",
    "frames_for_length",
    "load_generator",
    "load_pretrained",
    "pick_device",
    "spatio_temporal_fusion",
]
