"""The G3 module and the fusion: three streams, broadcasts, factorized transposed convs."""

import pytest
import torch

from g3an_edu import FactorizedTransposedConv3d, G3Module, spatio_temporal_fusion


def test_fusion_adds_temporal_features_at_every_pixel_and_copies_spatial_to_every_frame():
    b, c, t, h, w = 2, 3, 5, 4, 6
    h_s, h_t, h_v = (
        torch.randn(b, c, 1, h, w),
        torch.randn(b, c, t, 1, 1),
        torch.randn(b, c, t, h, w),
    )
    fused = spatio_temporal_fusion(h_s, h_t, h_v)
    assert fused.shape == (b, 2 * c, t, h, w)
    spatial_part, video_part = fused[:, :c], fused[:, c:]
    for frame in range(t):  # the spatial stream carries no time: identical in every frame
        assert torch.equal(spatial_part[:, :, frame], h_s[:, :, 0])
    motion_part = video_part - h_v  # what fusion added: the same at every pixel
    assert torch.allclose(motion_part, h_t.expand(b, c, t, h, w), atol=1e-6)
    assert torch.allclose(motion_part, motion_part[..., :1, :1].expand_as(motion_part), atol=1e-6)


def test_fusion_rejects_mismatched_streams():
    with pytest.raises(ValueError, match="spatio_temporal_fusion expects"):
        spatio_temporal_fusion(
            torch.randn(1, 3, 2, 4, 4), torch.randn(1, 3, 5, 1, 1), torch.randn(1, 3, 5, 4, 4)
        )


def test_g3_module_streams_keep_their_axes():
    m = G3Module(c_s=8, c_v=16, c_t=8, c_out=6, k_s=4, k_t=4, s_s=2, s_t=2, p_s=1, p_t=1).eval()
    h_s, h_v, h_t = (
        torch.randn(2, 8, 1, 4, 4),
        torch.randn(2, 16, 3, 4, 4),
        torch.randn(2, 8, 3, 1, 1),
    )
    with torch.no_grad():
        s, v, t = m(h_s, h_v, h_t)
    assert s.shape == (2, 6, 1, 8, 8)  # space doubled, no time
    assert t.shape == (2, 6, 6, 1, 1)  # time doubled, no space
    assert v.shape == (2, 12, 6, 8, 8)  # both doubled, channels concatenated
    assert torch.equal(v[:, :6], s.expand(2, 6, 6, 8, 8))


def test_spatial_stream_ignores_motion_and_temporal_stream_ignores_appearance():
    m = G3Module(c_s=8, c_v=16, c_t=8, c_out=6).eval()
    h_s, h_v, h_t = (
        torch.randn(1, 8, 1, 1, 1),
        torch.randn(1, 16, 1, 1, 1),
        torch.randn(1, 8, 1, 1, 1),
    )
    with torch.no_grad():
        s1, _, t1 = m(h_s, h_v, h_t)
        s2, _, _ = m(h_s, h_v, torch.randn_like(h_t))  # new motion: spatial stream unchanged
        _, _, t2 = m(torch.randn_like(h_s), h_v, h_t)  # new appearance: temporal unchanged
    assert torch.equal(s1, s2) and torch.equal(t1, t2)


@pytest.mark.parametrize(
    "mode, params",
    [
        # 1p2d: (k_t,1,1) c_in->c_out, then (1,k_s,k_s) c_out->c_out, each with bias + BN.
        ("1p2d", (10 * 6 * 4 + 6 + 12) + (6 * 6 * 16 + 6 + 12)),
        ("2p1d", (10 * 6 * 16 + 6 + 12) + (6 * 6 * 4 + 6 + 12)),
        ("3d", 10 * 6 * 64 + 6 + 12),
    ],
)
def test_factorized_transposed_conv_parameters_and_output_size(mode, params):
    conv = FactorizedTransposedConv3d(10, 6, mode, k_s=4, k_t=4, s_s=2, s_t=2, p_s=1, p_t=1)
    assert sum(p.numel() for p in conv.parameters()) == params
    # transposed-conv size rule: (n - 1)·s - 2p + k
    assert conv(torch.randn(2, 10, 3, 5, 5)).shape == (2, 6, 6, 10, 10)


def test_1p2d_is_time_then_space():
    conv = FactorizedTransposedConv3d(4, 4, "1p2d", spectral_norm=False)
    first, second = conv.layers[0][0], conv.layers[1][0]
    assert first.kernel_size == (4, 1, 1) and second.kernel_size == (1, 4, 4)


def test_factorized_conv_rejects_unknown_mode_and_wrong_channels():
    with pytest.raises(ValueError, match="unknown mode '1d'"):
        FactorizedTransposedConv3d(4, 4, "1d")
    with pytest.raises(ValueError, match="expected 4"):
        FactorizedTransposedConv3d(4, 4)(torch.randn(1, 3, 2, 2, 2))


def test_convs_are_initialised_as_the_paper_intends():
    conv = FactorizedTransposedConv3d(64, 64, "3d", spectral_norm=False).layers[0]
    weight, bn = conv[0].weight, conv[1]
    assert abs(weight.std().item() - 0.02) < 0.002 and abs(weight.mean().item()) < 0.002
    assert abs(bn.weight.mean().item() - 1.0) < 0.01 and torch.all(bn.bias == 0)
