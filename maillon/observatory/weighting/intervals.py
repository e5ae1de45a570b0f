"""95 % intervals for weighted shares."""

from __future__ import annotations

import math

Z_95 = 1.959963984540054


def wilson_interval(share: float, effective_n: float, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval of ``share`` on ``effective_n`` units (Kish's effective
    sample size of the weighted group), as OBSERVATORY.md asks."""
    if effective_n <= 0:
        return (0.0, 1.0)
    p = min(max(share, 0.0), 1.0)
    z2 = z * z
    centre = (p + z2 / (2 * effective_n)) / (1 + z2 / effective_n)
    half = (z / (1 + z2 / effective_n)) * math.sqrt(
        p * (1 - p) / effective_n + z2 / (4 * effective_n * effective_n)
    )
    return (max(0.0, centre - half), min(1.0, centre + half))
