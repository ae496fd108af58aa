import numpy as np
import pytest

from metrics import recall_at_k


def test_recall_hand_made():
    # 3 images, 2 captions each: caption owners 0,0,1,1,2,2
    owner = np.array([0, 0, 1, 1, 2, 2])
    sim = np.array([
        [0.9, 0.1, 0.8, 0.0, 0.0, 0.0],   # image 0: own caption c0 ranked 1st
        [0.0, 0.0, 0.1, 0.5, 0.9, 0.8],   # image 1: best own caption c3 (0.5) ranked 3rd
        [0.0, 0.0, 0.0, 0.0, 0.1, 0.2],   # image 2: own caption c5 ranked 1st
    ])
    r = recall_at_k(sim, owner, ks=(1, 3))
    assert r["i2t_r1"] == pytest.approx(100 * 2 / 3)
    assert r["i2t_r3"] == pytest.approx(100.0)
    # text->image rank of the own image per caption (columns): c0 0, c1 0, c2 1, c3 0, c4 1, c5 1
    assert r["t2i_r1"] == pytest.approx(100 * 3 / 6)
    assert r["t2i_r3"] == pytest.approx(100.0)
    assert r["rsum"] == pytest.approx(r["i2t_r1"] + r["i2t_r3"] + r["t2i_r1"] + r["t2i_r3"])
