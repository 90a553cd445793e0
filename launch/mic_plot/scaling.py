"""Scaling curves from benchmark CSVs: wall time against MPI ranks for each kind of run, with the
ideal, and the parallel efficiency. Strong scaling (the same problem on more ranks): ideal
t(r₀)·r₀/r, efficiency t(r₀)·r₀ / (r·t(r)). Weak scaling (the problem grows with the ranks): ideal
t(r₀), efficiency t(r₀) / t(r).

CSV schema (a header line, then one row per timed run; repeats of a (kind, scaling, ranks) triple
are averaged, their standard deviation drawn as an error bar; other columns are ignored):
    kind,ranks,seconds[,scaling]
    fit,1,41.2,strong
    fit,2,21.9,strong
`kind` names what was timed (e.g. fit, loglik, simulate), `ranks` the number of MPI ranks, `seconds`
the wall time of the run, `scaling` (optional, default strong) `strong` or `weak`. The CSV of
benchmarks/scaling/run.sh has these columns."""
import csv
from collections import OrderedDict

import numpy as np

from .common import PlotError

NAME = "scaling"
HELP = "scaling curves (seconds and efficiency against ranks) from benchmark CSVs"


def add_arguments(p):
    p.add_argument("--csv", required=True, nargs="+", metavar="S.csv", help="benchmark CSVs with columns kind,ranks,seconds")


def read(paths):
    """{(kind, scaling): {ranks: [seconds, …]}} in order of appearance."""
    runs = OrderedDict()
    for path in paths:
        try:
            with open(path, newline="", encoding="utf-8-sig") as f:  # a spreadsheet may add a BOM
                reader = csv.DictReader(f)
                missing = {"kind", "ranks", "seconds"} - set(reader.fieldnames or [])
                if missing:
                    raise PlotError(f"{path}: line 1: missing column(s) {', '.join(sorted(missing))}; "
                                    "the header must name kind,ranks,seconds")
                for line, row in enumerate(reader, start=2):
                    try:
                        ranks, seconds = int(row["ranks"]), float(row["seconds"])
                    except (TypeError, ValueError):
                        raise PlotError(f"{path}: line {line}: ranks must be an integer and seconds a number")
                    scaling = (row.get("scaling") or "strong").strip()
                    if ranks < 1 or not seconds > 0 or scaling not in ("strong", "weak"):
                        raise PlotError(f"{path}: line {line}: need ranks >= 1, seconds > 0 and scaling strong or weak")
                    runs.setdefault((row["kind"], scaling), {}).setdefault(ranks, []).append(seconds)
        except FileNotFoundError:
            raise PlotError(f"{path}: no such file")
    if not runs:
        raise PlotError(f"{', '.join(paths)}: no rows; add lines kind,ranks,seconds")
    return runs


def draw(args):
    import matplotlib.pyplot as plt

    runs = read(args.csv)
    fig, (times, efficiency) = plt.subplots(1, 2, figsize=(10.5, 4.2))
    plotted = {}
    for i, ((kind, scaling), by_ranks) in enumerate(runs.items()):
        colour = f"C{i % 10}"
        ranks = np.array(sorted(by_ranks))
        mean = np.array([np.mean(by_ranks[r]) for r in ranks])
        sd = np.array([np.std(by_ranks[r], ddof=1) if len(by_ranks[r]) > 1 else 0.0 for r in ranks])
        ideal = mean[0] * ranks[0] / ranks if scaling == "strong" else np.full(ranks.size, mean[0])
        eff = ideal / mean
        label = kind if all(s == "strong" for _, s in runs) else f"{kind} ({scaling})"
        times.errorbar(ranks, mean, yerr=sd, fmt="o-", color=colour, capsize=3, label=label)
        times.plot(ranks, ideal, ":", color=colour, alpha=0.8)
        efficiency.plot(ranks, eff, "o-", color=colour, label=label)
        plotted[label] = {"ranks": ranks, "seconds_mean": mean, "seconds_sd": sd, "efficiency": eff}
    all_ranks = sorted({r for by_ranks in runs.values() for r in by_ranks})
    for ax in (times, efficiency):
        ax.set_xscale("log", base=2)
        ax.set_xticks(all_ranks, [str(r) for r in all_ranks])
        ax.minorticks_off()
    times.set_yscale("log")
    times.set_xlabel("MPI ranks")
    times.set_ylabel("wall time (s)")
    times.set_title("time (dotted: ideal scaling)")
    times.legend()
    efficiency.axhline(1.0, color="0.6", linestyle=":")
    efficiency.set_ylim(0, 1.15)
    efficiency.set_xlabel("MPI ranks")
    efficiency.set_ylabel("parallel efficiency\n(strong: t(r₀)·r₀ / (r·t(r)); weak: t(r₀) / t(r))")
    efficiency.set_title("efficiency")
    return fig, plotted
