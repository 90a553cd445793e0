"""Events per user and per cascade, ranked in decreasing order (the MIC paper's Figs. 6b and 7): the
real test events beside each model's simulations of the test window (mean ± sd over replicas at
each rank, as error bars). Several `mic evaluate --out` reports of the same data and window (e.g.
one per model) are drawn together; the real curve comes from the first."""
import numpy as np

from .common import Hdf5, PlotError

NAME = "ranked"
HELP = "ranked events per user and per cascade with error bars (Figs. 6b, 7)"
EVALUATE = "`mic evaluate --out` with --replicas > 0"
COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown"]


def add_arguments(p):
    p.add_argument("--evaluation", required=True, nargs="+", metavar="E.h5",
                   help="reports of mic evaluate --out (one per model) of the same data and test window")


def read(path):
    h5 = Hdf5(path, EVALUATE)
    r = {key: h5.array(f"/simulation/{key}") for key in (
        "real_user_ranked", "simulated_user_ranked", "simulated_user_ranked_sd",
        "real_cascade_ranked", "simulated_cascade_ranked", "simulated_cascade_ranked_sd")}
    r["label"] = f"{h5.attr('model', path)} ({h5.attr('replicas')} runs)"
    r["window"] = (h5.attr("test_from"), h5.attr("test_to"), h5.attr("data"))
    return r


def panel(ax, reports, what, log_x):
    first = reports[0]
    real = first[f"real_{what}_ranked"]
    rank = np.arange(1, real.size + 1)
    ax.plot(rank, real, "o-", color="black", markersize=3, label="test data", zorder=5)
    # Error bars at about 25 ranks per curve, so that thousands of users stay readable.
    every = max(1, real.size // 25)
    for i, r in enumerate(reports):
        mean, sd = r[f"simulated_{what}_ranked"], r[f"simulated_{what}_ranked_sd"]
        ax.errorbar(rank, mean, yerr=sd, color=COLOURS[i % len(COLOURS)], errorevery=(i % every, every), capsize=2,
                    elinewidth=1, label=r["label"])
    ax.set_yscale("log", nonpositive="mask")
    if log_x:
        ax.set_xscale("log")
    else:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"{what} rank (1 = most events)")
    ax.set_ylabel(f"events per {what} in the test window")


def draw(args):
    import matplotlib.pyplot as plt

    reports = [read(path) for path in args.evaluation]
    for path, r in zip(args.evaluation[1:], reports[1:]):
        if r["window"] != reports[0]["window"] or r["real_user_ranked"].size != reports[0]["real_user_ranked"].size:
            raise PlotError(f"{path}: another dataset or test window than {args.evaluation[0]}; "
                            "give reports of the same data and window")
    fig, (users, cascades) = plt.subplots(1, 2, figsize=(11, 4.3))
    panel(users, reports, "user", log_x=True)
    panel(cascades, reports, "cascade", log_x=False)
    users.set_title("users (Fig. 7)")
    cascades.set_title("cascades (Fig. 6b)")
    users.legend(loc="lower left", fontsize=9)
    plotted = {"real_user_ranked": reports[0]["real_user_ranked"], "real_cascade_ranked": reports[0]["real_cascade_ranked"],
               "models": [{"label": r["label"], **{k: r[k] for k in (
                   "simulated_user_ranked", "simulated_user_ranked_sd", "simulated_cascade_ranked",
                   "simulated_cascade_ranked_sd")}} for r in reports]}
    return fig, plotted
