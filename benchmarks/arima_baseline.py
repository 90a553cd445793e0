#!/usr/bin/python3
"""ARIMA baseline for `mic spread` (SPEC §3): reads OUT-truth.csv written by `mic spread`
(columns set,user,split,period,observed,predicted_ctmp,predicted_ic,name), fits for each evaluated user
an ARIMA(p,d,q) on the user's training series (split=train), chosen by AIC over p, q <= 2, d <= 1,
forecasts the test periods, and prints MAE, RMSE, MASE averaged over users for IDM-CTMP, IC
(recomputed from the CSV) and ARIMA, for the top and random users.

MASE uses the same scale as mic: the in-sample MAE of the naive one-step forecast on the training
series; users whose scale is 0 or undefined are left out of the MASE average. A user whose every
ARIMA fit fails (e.g. a constant training series) gets the training mean as its forecast.

Needs python3-statsmodels (Debian package, listed in launch/install-deps), hence the
/usr/bin/python3 shebang (a pyenv or venv python3 on PATH may not see Debian packages).
With --predictions-out A.csv it also writes each user's ARIMA forecast, one row per test period
(set,user,period,predicted_arima), which `mic-plot spread --arima A.csv` draws.

Usage: benchmarks/arima_baseline.py R-truth.csv [--json] [--predictions-out A.csv]
"""
import argparse
import csv
import itertools
import json
import math
import os
import sys
import warnings
from collections import OrderedDict

import numpy as np


def read_series(path):
    """{(set, user): {"train": [...], "test": [...], "ctmp": [...], "ic": [...]}} in file order."""
    series = OrderedDict()
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            s = series.setdefault((row["set"], int(row["user"])), {"train": [], "test": [], "ctmp": [], "ic": []})
            if row["split"] == "train":
                s["train"].append(float(row["observed"]))
            else:
                s["test"].append(float(row["observed"]))
                s["ctmp"].append(float(row["predicted_ctmp"]))
                s["ic"].append(float(row["predicted_ic"]))
    return series


def naive_scale(train):
    if len(train) < 2:
        return math.nan
    s = float(np.mean(np.abs(np.diff(train))))
    return s if s > 0 else math.nan


def arima_forecast(train, steps):
    """Forecast of the AIC-best ARIMA(p,d,q), p, q <= 2, d <= 1; the training mean if none fits."""
    from statsmodels.tsa.arima.model import ARIMA

    y = np.asarray(train, dtype=float)
    best = None
    if len(y) >= 3 and np.ptp(y) > 0:
        for p, d, q in itertools.product(range(3), range(2), range(3)):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fit = ARIMA(y, order=(p, d, q)).fit()
                if np.isfinite(fit.aic) and (best is None or fit.aic < best[0]):
                    best = (fit.aic, fit, (p, d, q))
            except Exception:  # a fit that does not converge or is singular is skipped
                continue
    if best is None:
        return np.full(steps, float(np.mean(y)) if len(y) else 0.0), None
    return np.asarray(best[1].forecast(steps), dtype=float), best[2]


def errors(pred, truth, scale):
    e = np.asarray(pred) - np.asarray(truth)
    mae = float(np.mean(np.abs(e)))
    return mae, float(math.sqrt(np.mean(e * e))), (mae / scale if math.isfinite(scale) else math.nan)


def average(rows):
    mase = [r[2] for r in rows if math.isfinite(r[2])]
    return {"mae": float(np.mean([r[0] for r in rows])), "rmse": float(np.mean([r[1] for r in rows])),
            "mase": float(np.mean(mase)) if mase else None, "n_users": len(rows), "n_users_mase": len(mase)}


def write_predictions(path, rows):
    """The forecasts as CSV, written under a temporary name and renamed (no partial file)."""
    temp = path + ".part"
    with open(temp, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["set", "user", "period", "predicted_arima"])
        out.writerows(rows)
    os.replace(temp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("truth_csv")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--predictions-out", metavar="A.csv", help="write the ARIMA forecasts (set,user,period,predicted_arima)")
    args = ap.parse_args()
    series = read_series(args.truth_csv)
    per = {}  # (method, set) → list of (mae, rmse, mase)
    orders = {}
    predictions = []  # (set, user, period, forecast)
    for (set_name, user), s in series.items():
        scale = naive_scale(s["train"])
        forecast, order = arima_forecast(s["train"], len(s["test"]))
        orders[order] = orders.get(order, 0) + 1
        predictions += [(set_name, user, d, repr(float(x))) for d, x in enumerate(forecast)]
        for method, pred in (("idm_ctmp", s["ctmp"]), ("ic", s["ic"]), ("arima", forecast)):
            per.setdefault((method, set_name), []).append(errors(pred, s["test"], scale))
    if args.predictions_out:
        write_predictions(args.predictions_out, predictions)
    sets = list(OrderedDict.fromkeys(k[1] for k in per))
    table = {m: {s: average(per[(m, s)]) for s in sets} for m in ("idm_ctmp", "ic", "arima")}
    if args.json:
        json.dump({"metrics": table, "arima_orders": {str(k): v for k, v in orders.items()}}, sys.stdout)
        print()
        return
    print(f"{'method':<10}" + "".join(f"   {s + ' MAE':>12} {'RMSE':>8} {'MASE':>8}" for s in sets))
    for m, label in (("idm_ctmp", "IDM-CTMP"), ("ic", "IC"), ("arima", "ARIMA")):
        cells = ""
        for s in sets:
            a = table[m][s]
            mase = f"{a['mase']:8.4f}" if a["mase"] is not None else f"{'-':>8}"
            cells += f"   {a['mae']:12.4f} {a['rmse']:8.4f} {mase}"
        print(f"{label:<10}{cells}")
    print("ARIMA orders chosen (p,d,q): " + ", ".join(f"{k}: {v}" for k, v in sorted(orders.items(), key=str)),
          file=sys.stderr)


if __name__ == "__main__":
    main()
