"""Ten Weizmann-style actions as joint-angle curves, and the 2D skeleton they pose.

A pose is a set of joint angles per frame, a function of the *motion* factors only
(action, speed, phase, direction). The skeleton turns a pose into joint positions in
pixels using the *appearance* factors (body proportions, position, scale): so the same
motion drawn with two appearances has the same angles, and a different skeleton.

Angles are absolute, in radians, measured from "straight down". In the side view (walk,
run, skip, jump, bend) positive means towards the way the figure faces; in the front view
(side, pjump, jack, wave1, wave2) positive means outwards, away from the body's midline.
"""

from __future__ import annotations

import math

import torch

ACTIONS = ("walk", "run", "skip", "side", "jump", "pjump", "jack", "bend", "wave1", "wave2")
SIDE_VIEW = torch.tensor([True, True, True, False, True, False, False, True, False, False])
# Distance travelled per motion cycle, in figure heights (0: the figure stays in place);
# small enough that a 16-frame clip stays in the frame (feet slide a little).
TRAVEL = torch.tensor([0.35, 0.5, 0.45, 0.3, 0.4, 0.0, 0.0, 0.0, 0.0, 0.0])

ANGLES = ("lean", "arm_far", "fore_far", "arm_near", "fore_near",
          "thigh_far", "shin_far", "thigh_near", "shin_near", "lift")

JOINTS = ("pelvis", "neck", "head", "shoulder_far", "elbow_far", "hand_far", "shoulder_near",
          "elbow_near", "hand_near", "hip_far", "knee_far", "ankle_far", "toe_far",
          "hip_near", "knee_near", "ankle_near", "toe_near")
J = {name: i for i, name in enumerate(JOINTS)}

# Body lengths and radii in figure heights, before the per-video proportions.
THIGH, SHIN, TORSO, NECK_TO_HEAD = 0.245, 0.245, 0.29, 0.09
UPPER_ARM, FOREARM, FOOT = 0.16, 0.15, 0.075
SHOULDER_HALF, HIP_HALF = 0.085, 0.045  # front view: shoulder and hip offsets from the midline


def _walk(s, c):
    flex_n, flex_f = 0.1 + 0.7 * c.clamp(min=0), 0.1 + 0.7 * (-c).clamp(min=0)
    return dict(lean=0.05 + 0 * s, arm_far=0.4 * s, fore_far=0.4 * s + 0.4,
                arm_near=-0.4 * s, fore_near=-0.4 * s + 0.4,
                thigh_far=-0.42 * s, shin_far=-0.42 * s - flex_f,
                thigh_near=0.42 * s, shin_near=0.42 * s - flex_n, lift=0 * s)


def _run(s, c):
    flex_n, flex_f = 0.3 + 1.4 * c.clamp(min=0), 0.3 + 1.4 * (-c).clamp(min=0)
    return dict(lean=0.25 + 0 * s, arm_far=0.65 * s, fore_far=0.65 * s + 1.5,
                arm_near=-0.65 * s, fore_near=-0.65 * s + 1.5,
                thigh_far=0.2 - 0.7 * s, shin_far=0.2 - 0.7 * s - flex_f,
                thigh_near=0.2 + 0.7 * s, shin_near=0.2 + 0.7 * s - flex_n, lift=0.07 * c * c)


def _skip(s, c):
    up_n, up_f = s.clamp(min=0), (-s).clamp(min=0)  # high knee on alternate legs
    return dict(lean=0.08 + 0 * s, arm_far=0.9 * s, fore_far=0.9 * s + 0.7,
                arm_near=-0.9 * s, fore_near=-0.9 * s + 0.7,
                thigh_far=-0.25 * s + 1.1 * up_f, shin_far=-0.25 * s - 0.2 * up_f,
                thigh_near=0.25 * s + 1.1 * up_n, shin_near=0.25 * s - 0.2 * up_n,
                lift=0.12 * s * s)


def _side(s, c):
    lead, trail = 0.5 - 0.5 * c, 0.5 - 0.5 * torch.cos(torch.atan2(s, c) - 1.3)
    return dict(lean=0 * s, arm_far=0.35 + 0.15 * lead, fore_far=0.3 + 0.15 * lead,
                arm_near=0.35 + 0.15 * lead, fore_near=0.3 + 0.15 * lead,
                thigh_far=0.04 + 0.35 * trail, shin_far=0.04 + 0.35 * trail,
                thigh_near=0.04 + 0.45 * lead, shin_near=0.04 + 0.45 * lead,
                lift=0.07 * s.clamp(min=0))


def _jump(s, c):
    crouch, fly = (-s).clamp(min=0), s.clamp(min=0)
    arm = -0.9 * crouch + 1.7 * fly
    return dict(lean=0.1 + 0.6 * crouch, arm_far=arm + 0.1, fore_far=arm + 0.35,
                arm_near=arm, fore_near=arm + 0.25,
                thigh_far=1.0 * crouch + 0.35 * fly + 0.06, shin_far=-0.9 * crouch + 0.06,
                thigh_near=1.0 * crouch + 0.35 * fly, shin_near=-0.9 * crouch,
                lift=0.2 * fly * fly)


def _pjump(s, c):
    crouch, fly = (-s).clamp(min=0), s.clamp(min=0)
    legs = 0.08 + 0.45 * crouch  # knees splay outwards in the squat
    return dict(lean=0 * s, arm_far=0.3 + 0.5 * fly, fore_far=0.45 + 0.6 * fly,
                arm_near=0.3 + 0.5 * fly, fore_near=0.45 + 0.6 * fly,
                thigh_far=legs, shin_far=legs - 0.9 * crouch,
                thigh_near=legs, shin_near=legs - 0.9 * crouch, lift=0.2 * fly * fly)


def _jack(s, c):
    u = 0.5 - 0.5 * c  # 0: closed, 1: open (hands above the head, legs apart)
    return dict(lean=0 * s, arm_far=0.15 + 2.75 * u, fore_far=0.15 + 2.85 * u,
                arm_near=0.15 + 2.75 * u, fore_near=0.15 + 2.85 * u,
                thigh_far=0.04 + 0.35 * u, shin_far=0.04 + 0.35 * u,
                thigh_near=0.04 + 0.35 * u, shin_near=0.04 + 0.35 * u, lift=0.05 * s * s)


def _bend(s, c):
    u = 0.5 - 0.5 * c  # 0: upright, 1: bent over, hands near the floor
    return dict(lean=1.5 * u, arm_far=0.15 * u + 0.05, fore_far=0.1 * u + 0.1,
                arm_near=0.15 * u, fore_near=0.1 * u + 0.05,
                thigh_far=-0.2 * u, shin_far=0.05 * u, thigh_near=-0.2 * u, shin_near=0.05 * u,
                lift=0 * s)


def _wave1(s, c):
    return dict(lean=0 * s, arm_far=0.12 + 0 * s, fore_far=0.1 + 0 * s,
                arm_near=2.3 + 0.1 * s, fore_near=2.75 + 0.55 * s,
                thigh_far=0.05 + 0 * s, shin_far=0.05 + 0 * s,
                thigh_near=0.05 + 0 * s, shin_near=0.05 + 0 * s, lift=0 * s)


def _wave2(s, c):
    return dict(lean=0 * s, arm_far=2.3 + 0.1 * s, fore_far=2.75 + 0.55 * s,
                arm_near=2.3 + 0.1 * s, fore_near=2.75 + 0.55 * s,
                thigh_far=0.05 + 0 * s, shin_far=0.05 + 0 * s,
                thigh_near=0.05 + 0 * s, shin_near=0.05 + 0 * s, lift=0 * s)


POSE_FUNCTIONS = (_walk, _run, _skip, _side, _jump, _pjump, _jack, _bend, _wave1, _wave2)


def pose_angles(action: torch.Tensor, speed: torch.Tensor, phase: torch.Tensor,
                frames: int) -> torch.Tensor:
    """Joint angles ``(B, T, len(ANGLES))`` of each video's action over ``frames`` frames.

    ``action`` (B,) int indices into :data:`ACTIONS`; ``speed`` (B,) motion cycles per
    frame; ``phase`` (B,) in [0, 1), where in its cycle the clip starts. Every action is
    evaluated (the arrays are tiny) and each video keeps its own.
    """
    t = torch.arange(frames, dtype=speed.dtype, device=speed.device)
    angle = 2 * math.pi * (phase[:, None] + speed[:, None] * t)  # (B, T)
    s, c = torch.sin(angle), torch.cos(angle)
    every = torch.stack([torch.stack([f(s, c)[k] for k in ANGLES], dim=-1)
                         for f in POSE_FUNCTIONS])  # (A, B, T, n_angles)
    return every[action, torch.arange(len(action), device=action.device)]  # (B, T, n_angles)


def _limb(angle: torch.Tensor, length: torch.Tensor, side: torch.Tensor) -> torch.Tensor:
    """Vector ``(..., 2)`` (x, y up) of a limb of ``length`` at ``angle`` from straight down."""
    return torch.stack([side * length * torch.sin(angle), -length * torch.cos(angle)], dim=-1)


def skeleton(angles: torch.Tensor, action: torch.Tensor, direction: torch.Tensor,
             speed: torch.Tensor, proportions: torch.Tensor, position: torch.Tensor,
             scale: torch.Tensor, size: int) -> torch.Tensor:
    """Joint positions ``(B, T, len(JOINTS), 2)`` in pixels (x right, y down).

    ``angles`` (B, T, n_angles) from :func:`pose_angles`; ``direction`` (B,) ±1 (which way
    the figure faces or travels); ``proportions`` (B, 3) = (limb length, build, head size)
    multipliers; ``position`` (B, 2) = (x of the body, y of the ground) as fractions of the
    frame; ``scale`` (B,) the figure's height as a fraction of the frame.
    """
    a = {name: angles[..., i] for i, name in enumerate(ANGLES)}  # each (B, T)
    limb = proportions[:, 0, None]  # (B, 1)
    side_view = SIDE_VIEW.to(action.device)[action][:, None]  # (B, 1)
    # Side view: both arms and legs hang from the same point, "outwards" is forwards.
    # Front view: the near limbs are on the right (x > 0), the far ones on the left.
    near = torch.ones_like(limb)
    far = torch.where(side_view, 1.0, -1.0)
    shoulder_dx = torch.where(side_view, 0.0, SHOULDER_HALF * proportions[:, 1, None])
    hip_dx = torch.where(side_view, 0.0, HIP_HALF * proportions[:, 1, None])

    def leg(thigh, shin, sign, dx):
        knee = _limb(thigh, THIGH * limb, sign)  # (B, T, 2) from the hip
        ankle = knee + _limb(shin, SHIN * limb, sign)
        # Side view: the foot points forwards, square to the shin; front view: outwards.
        forwards = _limb(shin + math.pi / 2, FOOT * limb, sign)
        outwards = torch.stack([sign * 0.5 * FOOT * limb * torch.ones_like(shin), 0 * shin], -1)
        foot = torch.where(side_view[..., None], forwards, outwards)  # (B, T, 2)
        hip = torch.stack([sign * dx * torch.ones_like(shin), 0 * shin], dim=-1)
        return hip, hip + knee, hip + ankle, hip + ankle + foot

    hip_f, knee_f, ankle_f, toe_f = leg(a["thigh_far"], a["shin_far"], far, hip_dx)
    hip_n, knee_n, ankle_n, toe_n = leg(a["thigh_near"], a["shin_near"], near, hip_dx)
    # The pelvis sits high enough for the lower ankle to stand on the ground, plus any hop.
    ground = 0.025 * proportions[:, 1, None]  # the foot's half-thickness
    pelvis_y = -torch.minimum(ankle_f[..., 1], ankle_n[..., 1]) + ground + a["lift"]  # (B, T)
    pelvis = torch.stack([0 * pelvis_y, pelvis_y], dim=-1)  # (B, T, 2)
    up = torch.stack([torch.sin(a["lean"]), torch.cos(a["lean"])], dim=-1)  # (B, T, 2)
    neck = pelvis + TORSO * limb[..., None] * up
    head = neck + NECK_TO_HEAD * proportions[:, 2, None, None] * up
    shoulder = pelvis + 0.88 * TORSO * limb[..., None] * up
    offset = torch.stack([shoulder_dx * torch.ones_like(pelvis_y), 0 * pelvis_y], dim=-1)
    shoulder_f, shoulder_n = shoulder - offset, shoulder + offset
    elbow_f = shoulder_f + _limb(a["arm_far"], UPPER_ARM * limb, far)
    hand_f = elbow_f + _limb(a["fore_far"], FOREARM * limb, far)
    elbow_n = shoulder_n + _limb(a["arm_near"], UPPER_ARM * limb, near)
    hand_n = elbow_n + _limb(a["fore_near"], FOREARM * limb, near)
    joints = torch.stack([pelvis, neck, head, shoulder_f, elbow_f, hand_f, shoulder_n, elbow_n,
                          hand_n, pelvis + hip_f, pelvis + knee_f, pelvis + ankle_f,
                          pelvis + toe_f, pelvis + hip_n, pelvis + knee_n, pelvis + ankle_n,
                          pelvis + toe_n], dim=2)  # (B, T, J, 2) in figure heights, y up

    frames = angles.shape[1]
    t = torch.arange(frames, dtype=angles.dtype, device=angles.device) - (frames - 1) / 2
    travel = TRAVEL.to(action.device, angles.dtype)[action][:, None] * speed[:, None] * t  # (B, T)
    pixels = scale[:, None, None] * size  # figure height in pixels, (B, 1, 1)
    x = position[:, 0, None, None] * size + direction[:, None, None] * (
        joints[..., 0] + travel[..., None]) * pixels
    y = position[:, 1, None, None] * size - joints[..., 1] * pixels
    return torch.stack([x, y], dim=-1)  # (B, T, J, 2)
