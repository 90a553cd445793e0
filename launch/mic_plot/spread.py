"""IDM-CTMP's daily spreading size (its paper's Fig. 4): for the top users by predicted coverage and
for some random users, the truth (posts of the user's topics by others) against IDM-CTMP, the
Independent Cascade baseline and, when given, ARIMA, over the test periods after the training cut.

Users: the first N of mic spread's top users (by predicted coverage) and the first N of its random
users that post in some test period (a random user who posts nothing has 0 everywhere: no curve to
compare); the figure says so.

Input: `mic spread --out R.h5`; ARIMA: `benchmarks/arima_baseline.py R-truth.csv --predictions-out
A.csv` (columns set,user,period,predicted_arima)."""
import csv

import numpy as np

from .common import Hdf5, PlotError

NAME = "spread"
HELP = "IDM-CTMP daily spreading size against truth, IC and ARIMA (its Fig. 4)"


def add_arguments(p):
    p.add_argument("--spread", required=True, metavar="R.h5", help="results of mic spread --out")
    p.add_argument("--arima", metavar="A.csv", help="ARIMA predictions (benchmarks/arima_baseline.py --predictions-out)")
    p.add_argument("--users", type=int, default=5, metavar="N", help="users per row: the first N of each set (default 5)")


def read_arima(path):
    """{(set, user): {period: prediction}}."""
    out = {}
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:  # a spreadsheet may add a BOM
            for row in csv.DictReader(f):
                out.setdefault((row["set"], int(row["user"])), {})[int(row["period"])] = float(row["predicted_arima"])
    except FileNotFoundError:
        raise PlotError(f"{path}: no such file; write it with benchmarks/arima_baseline.py R-truth.csv --predictions-out {path}")
    except (KeyError, ValueError) as e:
        raise PlotError(f"{path}: not a CSV of set,user,period,predicted_arima ({type(e).__name__}: {e})")
    return out


def draw(args):
    import matplotlib.pyplot as plt

    if args.users < 1:
        raise PlotError("--users must be at least 1")
    h5 = Hdf5(args.spread, "`mic spread --out`")
    h5.require_attr("mic_spread_format")
    arima = read_arima(args.arima) if args.arima else None
    sets = [s for s in ("top", "random") if h5.has(f"/{s}/users") and h5.array(f"/{s}/users").size > 0]
    if not sets:
        raise PlotError(f"{args.spread}: no evaluated users; rerun mic spread with --top-k or --random-k > 0")
    n = min(args.users, max(h5.array(f"/{s}/users").size for s in sets))
    window, unit = h5.attr("window"), h5.attr("time_unit", "")
    # A thin first row holds the legend; then one row of users per set.
    fig = plt.figure(figsize=(2.9 * n + 0.6, 2.7 * len(sets) + 0.9))
    grid = fig.add_gridspec(len(sets) + 1, n, height_ratios=[0.12] + [1] * len(sets))
    legend_axis = fig.add_subplot(grid[0, :])
    legend_axis.axis("off")
    axes = np.array([[fig.add_subplot(grid[1 + r, c]) for c in range(n)] for r in range(len(sets))])
    plotted = {}
    lowest = {}  # the lowest drawn panel of each column carries the x label
    for row, s in enumerate(sets):
        users = h5.array(f"/{s}/users")
        series = {k: h5.array(f"/{s}/{k}") for k in ("observed", "predicted_ctmp", "predicted_ic")}
        if s == "random":  # those who post in some test period (then the prediction is not 0)
            active = np.flatnonzero((series["predicted_ctmp"] > 0).any(axis=1) | (series["observed"] > 0).any(axis=1))
            users = users[active]
            series = {k: v[active] for k, v in series.items()}
        periods = np.arange(1, series["observed"].shape[1] + 1)
        plotted[s] = {"users": users[:n], "period": periods, **{k: v[:n] for k, v in series.items()}, "predicted_arima": []}
        for col in range(n):
            ax = axes[row, col]
            if col >= users.size:
                ax.axis("off")
                continue
            u = int(users[col])
            ax.plot(periods, series["observed"][col], "o-", color="black", markersize=3, label="truth")
            ax.plot(periods, series["predicted_ctmp"][col], "s-", color="tab:blue", markersize=3, label="IDM-CTMP")
            ax.plot(periods, series["predicted_ic"][col], "^--", color="tab:orange", markersize=3, label="IC")
            if arima is not None:
                if (s, u) not in arima:
                    raise PlotError(f"{args.arima}: no ARIMA rows for {s} user {u}; write it from {args.spread}'s -truth.csv")
                a = [arima[(s, u)].get(int(d) - 1, np.nan) for d in periods]
                ax.plot(periods, a, "d:", color="tab:green", markersize=3, label="ARIMA")
                plotted[s]["predicted_arima"].append(a)
            ax.set_title(f"{'top' if s == 'top' else 'random active'} user {u}", fontsize=10)
            if col == 0:
                ax.set_ylabel("spreading size\n(posts by others)")
            lowest[col] = ax
            ax.set_ylim(bottom=0)
    for ax in lowest.values():
        ax.set_xlabel(f"test period ({window:g} {unit or 'time units'})")
    legend_axis.legend(*axes[0, 0].get_legend_handles_labels(), loc="center", ncol=4, frameon=False)
    note = "" if arima is not None else " (ARIMA not given: benchmarks/arima_baseline.py --predictions-out)"
    fig.suptitle(f"Spreading size per test period after the cut{note}", fontsize=11)
    return fig, plotted
