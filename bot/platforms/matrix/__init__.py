"""Matrix: committee rooms in the organisation's space, commands with `!`, reactions."""

from bot.platforms.matrix.platform import MatrixPlatform
from bot.platforms.matrix.port import MatrixPort

__all__ = ["MatrixPlatform", "MatrixPort"]
