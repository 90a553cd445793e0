"""Intensity of each cascade over the test window (the MIC paper's Figs. 3 and 5): the real events,
the model's simulations from the observed history (mean ± sd over replicas), and the closed-form
expectation E[λ(t)] of Eq. 28 when `mic expect --json` output is given.

Input: the report of `mic evaluate --out E.h5` (with --replicas > 0). Eq. 28: `mic expect --params
P.h5 --times a:b:step --json > E.json` gives E[λ(t)] from an empty history at time 0; its times are
drawn shifted by --expect-offset (the dataset's t_start; 0 for `mic generate` data), so choose a:b as
the test window minus t_start. mic expect refuses supercritical models (ρ(W)·τ ≥ 1): the figure then
says that Eq. 28 is not shown. For Boltzmann mixing (mic, cc) its per-cascade values are Eq. 30's
stationary split of the exact total."""
import json
import sys

import numpy as np

from .common import Hdf5, PlotError, per_time_label, time_label

NAME = "intensity"
HELP = "intensity per cascade: data, simulated mean ± sd, Eq. 28 (Figs. 3, 5)"
EVALUATE = "`mic evaluate --out` with --replicas > 0"


def add_arguments(p):
    p.add_argument("--evaluation", required=True, metavar="E.h5", help="report of mic evaluate --out")
    p.add_argument("--expect", metavar="E.json", help="output of mic expect --json (Eq. 28)")
    p.add_argument("--expect-offset", type=float, default=0.0, metavar="T0",
                   help="add T0 to mic expect's times (the dataset's t_start; default 0)")
    p.add_argument("--cascades", nargs="+", metavar="C",
                   help="cascades to draw, by id or by name (e.g. '#ai'; default: the 8 with the most test events)")


def read_expectation(path, n_cascades):
    try:
        with open(path) as f:
            e = json.load(f)
        times = np.asarray(e["times"], dtype=float)
        per = np.asarray(e["expected_intensity"]["per_cascade"], dtype=float)
        method = e.get("per_cascade_method", "")
    except FileNotFoundError:
        raise PlotError(f"{path}: no such file; write it with mic expect --params P.h5 --times a:b:step --json")
    except (ValueError, KeyError, TypeError) as err:
        raise PlotError(f"{path}: not the JSON of mic expect --json ({type(err).__name__}: {err}); rerun mic expect")
    if per.shape != (n_cascades, times.size):
        raise PlotError(f"{path}: {per.shape[0]} cascades × {per.shape[1] if per.ndim == 2 else '?'} times, "
                        f"but the evaluation has {n_cascades} cascades; use the same params file")
    return times, per, method


def draw(args):
    import matplotlib.pyplot as plt

    h5 = Hdf5(args.evaluation, EVALUATE)
    edges = h5.array("/simulation/bin_edges")
    real = h5.array("/simulation/real_intensity")
    mean = h5.array("/simulation/simulated_intensity")
    sd = h5.array("/simulation/simulated_intensity_sd")
    inverse_l1, pearson = h5.array("/simulation/inverse_l1"), h5.array("/simulation/pearson")
    unit, model = h5.attr("time_unit", ""), h5.attr("model", "model")
    C = real.shape[0]
    labels = h5.cascade_labels(C)
    # By default every cascade, or the 8 with the most test events, in id order.
    cascades = (h5.cascade_ids(args.cascades, C) if args.cascades
                else sorted(int(c) for c in np.argsort(-real.sum(axis=1), kind="stable")[:8]))
    expectation = read_expectation(args.expect, C) if args.expect else None
    centres = 0.5 * (edges[:-1] + edges[1:])

    fig, axes = plt.subplots(len(cascades), 1, figsize=(7.5, 1.2 + 2.0 * len(cascades)), sharex=True, squeeze=False)
    plotted = {"time": centres, "cascades": cascades, "labels": [labels[c] for c in cascades], "real": [],
               "simulated_mean": [], "simulated_sd": [],
               "expected_time": [], "expected": []}
    for ax, c in zip(axes[:, 0], cascades):
        ax.step(centres, real[c], where="mid", color="black", label="test data")
        ax.plot(centres, mean[c], color="tab:blue", label=f"{model}: simulated mean ± sd ({h5.attr('replicas')} runs)")
        ax.fill_between(centres, mean[c] - sd[c], mean[c] + sd[c], color="tab:blue", alpha=0.25, linewidth=0)
        for key, values in (("real", real[c]), ("simulated_mean", mean[c]), ("simulated_sd", sd[c])):
            plotted[key].append(values)
        if expectation:
            times, per, method = expectation
            t = times + args.expect_offset
            keep = (t >= edges[0]) & (t <= edges[-1])
            label = "Eq. 28" + (" (cascade split: Eq. 30)" if method.startswith("Eq. 30") else "")
            ax.plot(t[keep], per[c][keep], color="tab:red", linestyle="--", label=label)
            plotted["expected_time"].append(t[keep])
            plotted["expected"].append(per[c][keep])
        ax.set_ylabel(f"{labels[c]}\n{per_time_label(unit)}")
        top = max(np.max(real[c]), np.max(mean[c] + sd[c]), np.max(plotted["expected"][-1]) if expectation else 0)
        ax.set_ylim(0, 1.3 * top if top > 0 else 1)  # room for the legend
        # Undefined (NaN in the file) for a cascade with at most one held-out bin of activity: say so.
        correlation = f"{pearson[c]:.2f}" if np.isfinite(pearson[c]) else "undefined (no held-out activity to correlate)"
        ax.set_title(f"{labels[c]}: inverse L1 {inverse_l1[c]:.2f}, Pearson {correlation}", loc="right", fontsize=9)
    axes[-1, 0].set_xlabel(time_label(unit))
    axes[0, 0].legend(loc="upper left", fontsize=9, ncol=3, framealpha=0.9)
    note = "" if expectation else "  (Eq. 28 not shown: pass --expect with the JSON of mic expect)"
    shown = ""
    if len(cascades) < C and not args.cascades:
        shown = f"\n{len(cascades)} of {C} cascades: those with the most test events (choose with --cascades)"
        print(f"mic-plot intensity: drawing {len(cascades)} of {C} cascades, those with the most test events; "
              f"--cascades chooses others", file=sys.stderr)
    fig.suptitle(f"Intensity per cascade over the test window{note}{shown}", fontsize=11)
    return fig, plotted
