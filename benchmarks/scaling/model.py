#!/usr/bin/python3
"""The performance model of `mic fit`, fitted to benchmarks/scaling/run.sh's CSV, with predictions for
10^7 users / 10^9 events on 64, 256 and 1024 ranks (assumptions in benchmarks/README.md).

Time of one outer iteration on p ranks:

    T(p) = a * W * I(p) / p          compute: the users' work W (events + in-neighbour events) of the
                                     slowest rank; I(p) >= 1 its imbalance (max over mean)
         + n_c * (alpha + m / n_c / bw) * log2(p)
                                     collectives: n_c per iteration (measured), tree depth log2 p,
                                     latency alpha, payload m bytes per iteration (measured), bandwidth bw
         + s                         serial: rank 0's Newton iterations on Sigma (C^2 unknowns)

a and s are fitted (least squares) to the measured 1- and 2-rank fits, whose communication is
intra-node; alpha and bw are assumptions for an InfiniBand cluster. The imbalance at scale comes
from heavy-tailed activity: one user's work cannot be split, so I(p) >= w_max / (W / p).

Usage: model.py scaling.csv OUT_DIR   (writes OUT_DIR/model.csv and OUT_DIR/scaling.png)
"""
import csv
import math
import sys

ALPHA = 3e-6          # s per collective hop (InfiniBand small-message latency)
BANDWIDTH = 10e9      # bytes/s
NEIGHBOURS = 10       # mean in-degree at scale: work per event = 1 + NEIGHBOURS
TARGET_EVENTS = 1e9
TARGET_USERS = 1e7
PARETO = 1.5          # activity tail (the real-data fixture's): the busiest of U users ~ U^(1/alpha) x mean


def read(path):
    with open(path) as f:
        return [dict(r) for r in csv.DictReader(f)]


def fit_model(rows):
    """a (s per unit of work), s (serial s per iteration) from the fit rows on ranks <= cores (2)."""
    points = []
    for r in rows:
        if r["kind"] != "fit" or int(r["ranks"]) > 2:
            continue
        p = int(r["ranks"])
        per_iteration = float(r["seconds"]) / max(1, int(r["iterations"]))
        work = float(r["events"]) * (1 + NEIGHBOURS) * float(r.get("work_imbalance") or 1) / p
        points.append((work, per_iteration))
    if len(points) < 2:
        raise SystemExit("model.py: need fit rows on 1 and 2 ranks")
    n = len(points)
    mx = sum(w for w, _ in points) / n
    my = sum(t for _, t in points) / n
    sxx = sum((w - mx) ** 2 for w, _ in points)
    a = sum((w - mx) * (t - my) for w, t in points) / sxx if sxx > 0 else my / mx
    s = max(0.0, my - a * mx)
    return max(a, 1e-12), s


def predict(a, s, collectives, payload, ranks):
    work = TARGET_EVENTS * (1 + NEIGHBOURS)
    mean_events = TARGET_EVENTS / TARGET_USERS
    heaviest = mean_events * TARGET_USERS ** (1 / PARETO) * (1 + NEIGHBOURS)
    imbalance = max(1.0, heaviest / (work / ranks))
    compute = a * work * imbalance / ranks
    communication = collectives * (ALPHA + payload / max(1, collectives) / BANDWIDTH) * math.log2(max(2, ranks))
    total = compute + communication + s
    return total, a * work / (ranks * total), imbalance, compute, communication


def main():
    rows = read(sys.argv[1])
    out = sys.argv[2]
    a, s = fit_model(rows)
    fits = [r for r in rows if r["kind"] == "fit"]
    collectives = max(float(r["collectives_per_iteration"]) for r in fits)
    payload = max(float(r["bytes_per_iteration"]) for r in fits)
    with open(f"{out}/model.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ranks", "seconds_per_iteration", "efficiency", "imbalance", "compute_seconds", "communication_seconds",
                    "serial_seconds", "a_seconds_per_work", "collectives_per_iteration", "bytes_per_iteration"])
        for p in (1, 64, 256, 1024):
            total, efficiency, imbalance, compute, communication = predict(a, s, collectives, payload, p)
            w.writerow([p, f"{total:.4g}", f"{efficiency:.3f}", f"{imbalance:.3f}", f"{compute:.4g}", f"{communication:.4g}",
                        f"{s:.4g}", f"{a:.4g}", f"{collectives:.0f}", f"{payload:.0f}"])
    print(f"model: a = {a:.3g} s per unit of work, serial s = {s:.3g} s per iteration, "
          f"{collectives:.0f} collectives and {payload:.0f} bytes per iteration")
    with open(f"{out}/model.csv") as f:
        print(f.read(), end="")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("model.py: matplotlib not installed; no scaling.png")
        return
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for kind in ("fit", "simulate", "spread"):
        for scaling, ax in (("strong", axes[0]), ("weak", axes[1])):
            pts = sorted((int(r["ranks"]), float(r["seconds"])) for r in rows if r["kind"] == kind and r["scaling"] == scaling)
            if pts:
                ax.plot([p for p, _ in pts], [t for _, t in pts], "o-", label=kind)
    axes[0].set(title="Strong scaling (same data)", xlabel="MPI ranks", ylabel="wall time (s)")
    axes[1].set(title="Weak scaling (events ∝ ranks)", xlabel="MPI ranks", ylabel="wall time (s)")
    for ax in axes:
        ax.legend()
        ax.set_xscale("log", base=2)
        ax.grid(alpha=0.3)
    fig.suptitle("mic scaling on this machine (ranks > cores are oversubscribed)")
    fig.tight_layout()
    fig.savefig(f"{out}/scaling.png", dpi=120)
    print(f"wrote {out}/scaling.png")


if __name__ == "__main__":
    main()
