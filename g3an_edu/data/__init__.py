"""Data for the course: a synthetic action set with known factors, and a real-video loader.

- :class:`SyntheticActions`: rendered figures doing ten Weizmann-style actions; every item
  carries its appearance and motion labels, and any appearance can be drawn with any motion.
- :class:`VideoFolder`: clips from a folder of video files or of frame-image folders.
"""

from .poses import ACTIONS
from .synthetic import Appearance, Motion, SyntheticActions
from .video_folder import VideoFolder

__all__ = ["ACTIONS", "Appearance", "Motion", "SyntheticActions", "VideoFolder"]
