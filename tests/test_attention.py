"""F-SA: identity at gamma = 0, equivariance to frame and pixel permutations, fused = naive."""

import copy

import pytest
import torch
from einops import rearrange

from g3an_edu import FactorizedSelfAttention
from g3an_edu.attention import SelfAttention, attend, attend_naive


def fsa_with_gamma(channels: int, gamma: float) -> FactorizedSelfAttention:
    fsa = FactorizedSelfAttention(channels).eval()
    with torch.no_grad():
        fsa.temporal.gamma.fill_(gamma)
        fsa.spatial.gamma.fill_(gamma)
    return fsa


def permute_frames(x, perm):
    return x[:, :, perm]


def permute_pixels(x, perm):
    b, c, t, h, w = x.shape
    flat = rearrange(x, "b c t h w -> b c t (h w)")[..., perm]
    return rearrange(flat, "b c t (h w) -> b c t h w", h=h, w=w)


def equivariance_errors(module, x):
    """Max error of module(P x) vs P module(x) for a random frame and pixel permutation."""
    g = torch.Generator().manual_seed(1)
    t_perm = torch.randperm(x.shape[2], generator=g)
    p_perm = torch.randperm(x.shape[3] * x.shape[4], generator=g)
    with torch.no_grad():
        y = module(x)
        time_err = (module(permute_frames(x, t_perm)) - permute_frames(y, t_perm)).abs().max()
        space_err = (module(permute_pixels(x, p_perm)) - permute_pixels(y, p_perm)).abs().max()
    return time_err.item(), space_err.item()


def test_fsa_is_the_identity_when_gamma_is_zero():
    x = torch.randn(2, 32, 6, 5, 7)
    fsa = FactorizedSelfAttention(32).eval()  # gamma initialised to 0
    assert fsa.temporal.gamma.item() == 0 and fsa.spatial.gamma.item() == 0
    torch.testing.assert_close(fsa(x), x, rtol=0, atol=0)


def test_fsa_is_equivariant_to_frame_and_pixel_permutations():
    x = torch.randn(2, 32, 6, 5, 7)
    time_err, space_err = equivariance_errors(fsa_with_gamma(32, 1.0), x)
    assert time_err < 1e-4 and space_err < 1e-4


class AuthorsReshapeFSA(torch.nn.Module):
    """The authors' layout bug reproduced on our weights: `.view(b, h, w, -1, t)` after TSA."""

    def __init__(self, fsa: FactorizedSelfAttention):
        super().__init__()
        self.fsa = fsa

    def forward(self, x):
        b, c, t, h, w = x.shape
        seq = rearrange(x, "b c t h w -> (b h w) t c")
        out = self.fsa.temporal(seq)  # (B·H·W, T, C), laid out (b h w) t c
        x = out.reshape(b, h, w, c, t).permute(0, 3, 4, 1, 2)  # the bug: reads it as (.., c, t)
        seq = rearrange(x, "b c t h w -> (b t) (h w) c")
        return rearrange(self.fsa.spatial(seq), "(b t) (h w) c -> b c t h w", b=b, t=t, h=h, w=w)


def test_equivariance_check_catches_the_authors_reshape_bug():
    x = torch.randn(2, 32, 6, 5, 7)
    time_err, _ = equivariance_errors(AuthorsReshapeFSA(fsa_with_gamma(32, 1.0)), x)
    assert time_err > 1e-2


def test_fused_attention_equals_the_naive_score_matrix_version():
    q, k, v = torch.randn(3, 20, 4), torch.randn(3, 20, 4), torch.randn(3, 20, 32)
    torch.testing.assert_close(attend(q, k, v), attend_naive(q, k, v), atol=1e-5, rtol=1e-4)
    fsa = fsa_with_gamma(32, 0.7)
    x = torch.randn(1, 32, 4, 3, 3)
    with torch.no_grad():
        torch.testing.assert_close(fsa(x), fsa(x, naive=True), atol=1e-5, rtol=1e-4)


def test_attention_uses_no_one_over_sqrt_d_scaling():
    """SAGAN's scores are plain dot products: softmax(q·kᵀ), not softmax(q·kᵀ/√d)."""
    q = torch.tensor([[[1.0, 1.0]]])
    k = torch.tensor([[[1.0, 1.0], [0.0, 0.0]]])
    v = torch.tensor([[[1.0] * 16, [0.0] * 16]])
    weight_on_first = attend(q.expand(1, 2, 2), k, v)[0, 0, 0].item()
    assert weight_on_first == pytest.approx(torch.sigmoid(torch.tensor(2.0)).item(), abs=1e-6)


def test_fsa_gradients_reach_projections_and_gammas():
    fsa = fsa_with_gamma(16, 0.5).train()
    fsa(torch.randn(2, 16, 4, 3, 3)).square().mean().backward()
    for name, p in fsa.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_self_attention_projection_sizes_follow_sagan():
    sa = SelfAttention(64, spectral_norm=False)
    assert sa.query.weight.shape == (8, 64) and sa.key.weight.shape == (8, 64)
    assert sa.value.weight.shape == (64, 64)


def test_fsa_rejects_wrong_shapes():
    fsa = FactorizedSelfAttention(32)
    with pytest.raises(ValueError, match="5 dimensions"):
        fsa(torch.randn(2, 32, 4, 4))
    with pytest.raises(ValueError, match="dimension 1 is 16, expected 32"):
        fsa(torch.randn(2, 16, 4, 4, 4))
    with pytest.raises(ValueError, match="at least 8 channels"):
        FactorizedSelfAttention(4)


def test_fused_path_for_large_score_matrices_equals_the_naive_one(monkeypatch):
    import g3an_edu.attention as attention

    monkeypatch.setattr(attention, "SCORES_LIMIT", 0)  # force the padded fused kernel
    q, k, v = torch.randn(2, 50, 4), torch.randn(2, 50, 4), torch.randn(2, 50, 32)
    torch.testing.assert_close(attend(q, k, v), attend_naive(q, k, v), atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("scores_limit", [0, 2**24])  # the padded fused path, the plain one
def test_chunked_sequences_compute_the_same_attention_and_gradients(monkeypatch, scores_limit):
    """More sequences than one kernel launch takes (the paper's TSA: 98,304 > 65,535) are
    attended in chunks; forced here to chunks of 3 on the CPU: the same values and gradients."""
    import g3an_edu.attention as attention

    monkeypatch.setattr(attention, "SCORES_LIMIT", scores_limit)
    fsa = fsa_with_gamma(16, 0.8).train()
    fsa_chunked = copy.deepcopy(fsa)  # the same spectral-norm vectors before their update
    x = torch.randn(2, 16, 5, 3, 4, requires_grad=True)  # TSA: 2·3·4 = 24 sequences, SSA: 10
    y = fsa(x)
    (grad_x,) = torch.autograd.grad(y.square().sum(), x)
    monkeypatch.setattr(attention, "MAX_SEQUENCES", 3)
    y_chunked = fsa_chunked(x)
    (grad_chunked,) = torch.autograd.grad(y_chunked.square().sum(), x)
    torch.testing.assert_close(y_chunked, y, atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(grad_chunked, grad_x, atol=1e-6, rtol=1e-5)
    q, k, v = torch.randn(10, 7, 2), torch.randn(10, 7, 2), torch.randn(10, 7, 16)
    assert torch.equal(attention.attend(q, k, v), attention.attend_one_call(q, k, v))
