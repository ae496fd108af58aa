import numpy as np
import pytest

from masan.adaptive_scaling import participation_ratio, size_head


def test_participation_ratio_extremes():
    g = np.random.default_rng(0)
    iso = g.standard_normal((20000, 16))
    assert participation_ratio(iso) == pytest.approx(16, rel=0.05)
    one_axis = np.outer(g.standard_normal(5000), np.ones(16))
    assert participation_ratio(one_axis) == pytest.approx(1.0, rel=1e-6)
    # two equal-variance directions -> 2
    two = np.concatenate([g.standard_normal((20000, 2)), np.zeros((20000, 6))], 1)
    assert participation_ratio(two) == pytest.approx(2, rel=0.05)


def test_head_size_grows_with_density():
    small, big = size_head(20, 100), size_head(100, 100)
    assert small["width"] <= big["width"] and small["blocks"] < big["blocks"]
    assert 256 <= small["width"] <= 1024 and 1 <= small["blocks"] <= 3
