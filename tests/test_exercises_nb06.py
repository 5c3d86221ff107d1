"""Exercise checks of notebook 06: reference solutions pass, typical mistakes are named."""

import math

import pytest
import torch
import torch.nn.functional as F

from g3an_edu.exercises import ExerciseFailed
from g3an_edu.exercises.nb06 import (
    check_ex1,
    check_ex2,
    check_ex3,
    reference_constant_d_loss,
)


def hinge_d(real, fake):
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()


def hinge_g(fake):
    return -fake.mean()


def constant_d_loss(c):
    return 2 * (math.log1p(math.exp(-c)) + math.log1p(math.exp(c)))


def pick_frames(videos, generator):
    b, t = videos.shape[0], videos.shape[2]
    return videos[torch.arange(b), :, torch.randint(t, (b,), generator=generator)]


def test_reference_solutions_pass(capsys):
    check_ex1(hinge_d, hinge_g)
    check_ex2(constant_d_loss)
    check_ex3(pick_frames)
    assert capsys.readouterr().out.count("correct") == 2 + 3 + 1


def test_a_discriminator_that_cannot_tell_has_loss_four_log_two():
    assert reference_constant_d_loss(0.0) == pytest.approx(4 * math.log(2), rel=1e-6)


def test_ex1_catches_a_missing_clamp():
    with pytest.raises(ExerciseFailed, match=r"no max\(0, ·\)"):
        check_ex1(lambda r, f: (1 - r).mean() + (1 + f).mean(), hinge_g)


def test_ex1_catches_a_generator_loss_with_the_wrong_sign():
    with pytest.raises(ExerciseFailed, match="wrong sign"):
        check_ex1(hinge_d, lambda f: f.mean())


def test_ex2_catches_counting_one_discriminator():
    with pytest.raises(ExerciseFailed, match="you counted one discriminator"):
        check_ex2(lambda c: constant_d_loss(c) / 2)


def test_ex2_catches_the_wrong_targets():
    with pytest.raises(ExerciseFailed, match="c = 2.0: got"):
        check_ex2(lambda c: 4 * math.log1p(math.exp(-c)))  # every term labelled real


def test_ex3_catches_indexing_time_for_every_video():
    def all_indices(videos, generator):
        t = torch.randint(videos.shape[2], (videos.shape[0],), generator=generator)
        return videos[:, :, t]

    with pytest.raises(ExerciseFailed, match="takes all B indices from every video"):
        check_ex3(all_indices)


def test_ex3_catches_one_index_for_the_whole_batch():
    def one_index(videos, generator):
        return videos[:, :, int(torch.randint(videos.shape[2], (1,), generator=generator))]

    with pytest.raises(ExerciseFailed, match="same frame index"):
        check_ex3(one_index)


def test_ex3_catches_frames_from_the_wrong_videos():
    def shuffled(videos, generator):
        return pick_frames(videos, generator).roll(1, dims=0)

    with pytest.raises(ExerciseFailed, match="output 0 is a frame of video 31"):
        check_ex3(shuffled)


def test_ex3_asks_for_the_package_s_draws():
    def own_seed(videos, generator):
        return pick_frames(videos, torch.Generator().manual_seed(99))

    with pytest.raises(ExerciseFailed, match="not the ones the package draws"):
        check_ex3(own_seed)
