"""The cross-validation grid of `mic cv` as heat maps over β × τ, one panel per model: the validation
log-likelihood summed over folds (higher is better), on one colour scale for all panels so that
models compare by colour. The best point (the one `mic cv` refitted into BEST.h5) is starred; a cell
whose folds did not all converge says how many did. Linear models (linmic, ic) have no β: one row."""
import numpy as np

from .common import Hdf5, PlotError

NAME = "cv"
HELP = "the CV heat map over β × τ, one panel per model"
VARIANTS = ["mic", "linmic", "cc", "ic"]  # engine/model/model_variant.hpp's order
LINEAR = {"linmic", "ic"}


def add_arguments(p):
    p.add_argument("--cv", required=True, metavar="BEST.h5", help="the params file written by mic cv --out")


def grid(scores, variant):
    """Rows of one model → (βs, τs, L[β, τ], folds converged[β, τ])."""
    rows = scores[scores[:, 0] == variant]
    betas, taus = np.unique(rows[:, 1]), np.unique(rows[:, 2])
    value = np.full((betas.size, taus.size), np.nan)
    converged = np.zeros_like(value)
    for _, beta, tau, loglik, _, folds_ok in rows:
        i, j = np.searchsorted(betas, beta), np.searchsorted(taus, tau)
        value[i, j], converged[i, j] = loglik, folds_ok
    return betas, taus, value, converged


def draw(args):
    import matplotlib.pyplot as plt

    h5 = Hdf5(args.cv, "`mic cv --out`")
    scores = h5.array("/cv/scores")
    if scores.ndim != 2 or scores.shape[1] != 6 or scores.shape[0] == 0:
        raise PlotError(f"{args.cv}: /cv/scores is not an n × 6 table; rewrite it with mic cv")
    folds = np.unique(h5.array("/cv/rows")[:, 1]).size  # fold ids are 1..K
    variants = [int(v) for v in np.unique(scores[:, 0])]
    finite = scores[np.isfinite(scores[:, 3]), 3]
    vmin, vmax = (finite.min(), finite.max()) if finite.size else (0, 1)
    best = scores[np.nanargmax(np.where(np.isfinite(scores[:, 3]), scores[:, 3], -np.inf))]
    fig, axes = plt.subplots(1, len(variants), figsize=(3.6 * len(variants) + 1.2, 3.8), squeeze=False)
    plotted = {"models": {}, "best": {"model": VARIANTS[int(best[0])], "beta": best[1], "tau": best[2], "loglik": best[3]}}
    image = None
    for ax, v in zip(axes[0], variants):
        name = VARIANTS[v] if 0 <= v < len(VARIANTS) else f"variant {v}"
        betas, taus, value, converged = grid(scores, v)
        image = ax.imshow(value, origin="lower", aspect="auto", cmap="viridis", vmin=vmin, vmax=vmax)
        ax.set_xticks(range(taus.size), [f"{t:g}" for t in taus])
        ax.set_yticks(range(betas.size), ["n/a" if name in LINEAR else f"{b:g}" for b in betas])
        ax.set_xlabel("τ (time units)")
        ax.set_ylabel("β (linear mixing has none)" if name in LINEAR else "β")
        ax.set_title(name)
        for i in range(betas.size):
            for j in range(taus.size):
                text = f"{value[i, j]:.6g}" + ("" if converged[i, j] >= folds else f"\n{converged[i, j]:.0f}/{folds} conv.")
                bright = np.isfinite(value[i, j]) and (value[i, j] - vmin) > 0.6 * (vmax - vmin)
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color="black" if bright else "white")
                if v == best[0] and betas[i] == best[1] and taus[j] == best[2]:
                    ax.plot(j, i + 0.3, marker="*", markersize=14, color="tab:red", markeredgecolor="white")
        plotted["models"][name] = {"beta": betas, "tau": taus, "validation_loglik": value, "folds_converged": converged}
    fig.colorbar(image, ax=axes[0].tolist(), label=f"validation log-likelihood\n(sum over {folds} folds)")
    best_beta = "" if plotted["best"]["model"] in LINEAR else f", β = {best[1]:g}"  # linear mixing has no β
    fig.suptitle(f"Cross-validation: ★ best = {plotted['best']['model']}{best_beta}, τ = {best[2]:g}", fontsize=11)
    return fig, plotted
