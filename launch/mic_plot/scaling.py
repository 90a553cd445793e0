"""Scaling curves from benchmark CSVs: wall time against MPI ranks for each kind of run (strong
scaling), with the ideal t(r₀)·r₀/r, and the parallel efficiency t(r₀)·r₀ / (r·t(r)).

CSV schema (a header line, then one row per timed run; repeats of a (kind, ranks) pair are averaged,
their standard deviation drawn as an error bar; other columns are ignored):
    kind,ranks,seconds
    fit,1,41.2
    fit,2,21.9
`kind` names what was timed (e.g. fit, loglik, simulate; or fit U=1e5), `ranks` the number of MPI
ranks, `seconds` the wall time of the run."""
import csv
from collections import OrderedDict

import numpy as np

from .common import PlotError

NAME = "scaling"
HELP = "scaling curves (seconds and efficiency against ranks) from benchmark CSVs"


def add_arguments(p):
    p.add_argument("--csv", required=True, nargs="+", metavar="S.csv", help="benchmark CSVs with columns kind,ranks,seconds")


def read(paths):
    """{kind: {ranks: [seconds, …]}} in order of appearance."""
    runs = OrderedDict()
    for path in paths:
        try:
            with open(path, newline="") as f:
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
                    if ranks < 1 or not seconds > 0:
                        raise PlotError(f"{path}: line {line}: need ranks >= 1 and seconds > 0")
                    runs.setdefault(row["kind"], {}).setdefault(ranks, []).append(seconds)
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
    for i, (kind, by_ranks) in enumerate(runs.items()):
        colour = f"C{i % 10}"
        ranks = np.array(sorted(by_ranks))
        mean = np.array([np.mean(by_ranks[r]) for r in ranks])
        sd = np.array([np.std(by_ranks[r], ddof=1) if len(by_ranks[r]) > 1 else 0.0 for r in ranks])
        ideal = mean[0] * ranks[0] / ranks
        eff = ideal / mean
        times.errorbar(ranks, mean, yerr=sd, fmt="o-", color=colour, capsize=3, label=kind)
        times.plot(ranks, ideal, ":", color=colour, alpha=0.8)
        efficiency.plot(ranks, eff, "o-", color=colour, label=kind)
        plotted[kind] = {"ranks": ranks, "seconds_mean": mean, "seconds_sd": sd, "efficiency": eff}
    times.set_xscale("log", base=2)
    times.set_yscale("log")
    times.set_xlabel("MPI ranks")
    times.set_ylabel("wall time (s)")
    times.set_title("time (dotted: ideal scaling)")
    times.legend()
    efficiency.set_xscale("log", base=2)
    efficiency.axhline(1.0, color="0.6", linestyle=":")
    efficiency.set_ylim(0, 1.15)
    efficiency.set_xlabel("MPI ranks")
    efficiency.set_ylabel("parallel efficiency  t(r₀)·r₀ / (r·t(r))")
    efficiency.set_title("efficiency")
    return fig, plotted
