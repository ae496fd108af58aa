"""Standard Flickr retrieval recall: images x (5 captions per image)."""
import numpy as np


def recall_at_k(sim: np.ndarray, caption_owner: np.ndarray, ks=(1, 5, 10)) -> dict:
    """sim [N_img, N_txt]; caption_owner[j] = index of the image caption j describes.

    image->text: hit when ANY of the image's captions ranks in the top K;
    text->image: rank of the caption's own image among all images. Values in percent.
    """
    n_img = sim.shape[0]
    own = caption_owner[None, :] == np.arange(n_img)[:, None]
    # i2t: best rank of any own caption = number of other captions scoring above the best own one
    best_own = np.where(own, sim, -np.inf).max(1)
    i2t_rank = (np.where(own, -np.inf, sim) > best_own[:, None]).sum(1)
    own_score = sim[caption_owner, np.arange(sim.shape[1])]
    t2i_rank = (sim > own_score[None, :]).sum(0)
    out = {}
    for k in ks:
        out[f"i2t_r{k}"] = 100.0 * float(np.mean(i2t_rank < k))
    for k in ks:
        out[f"t2i_r{k}"] = 100.0 * float(np.mean(t2i_rank < k))
    out["rsum"] = sum(out[f"{d}_r{k}"] for d in ("i2t", "t2i") for k in ks)
    return out
