#!/usr/bin/env bash
# Whole-fit comparison of mic binaries on the settings of issue 13 (C = 1, τ = 1, one core, model ic,
# the whole window): dense graphs (complete, 100 / 300 / 1000 users) and sparse ones (Erdős–Rényi of
# mean in-degree 10, 10⁴ / 10⁵ / 10⁶ users), each with about 10⁵ and 10⁶ events. Writes one CSV row
# per (binary, case):
#
#   binary,case,users,events,seconds,iterations,loglik,peak_rss_mb,status
#
# `seconds` is the wall time of the whole `mic fit` (reading, every iteration, writing), `iterations`
# and `loglik` come from its --json summary, `peak_rss_mb` is GNU time's max RSS, `status` is the
# fit's stop reason or "timeout" (a run longer than TIMEOUT seconds is killed; its other fields are
# empty). Datasets are generated once (with the first binary) into WORK_DIR and reused, so every
# binary fits the same events. Each run takes /tmp/mic-heavy.lock, so that no other heavy job of
# this machine runs beside it.
#
# Usage: benchmarks/side_by_side.sh WORK_DIR LABEL=MIC_BINARY [LABEL=MIC_BINARY ...]
#   CASES="dense300-1e5 sparse1e5-1e6" to run some cases only (default: all twelve), TIMEOUT=900.
# Example (before/after of a change, measured in the same run):
#   benchmarks/side_by_side.sh /tmp/side before=/tmp/mic-before/build/mic after=build/mic
set -euo pipefail

work=${1:?usage: side_by_side.sh WORK_DIR LABEL=MIC_BINARY ...}
shift
[[ $# -ge 1 ]] || { echo "side_by_side.sh: give at least one LABEL=MIC_BINARY" >&2; exit 2; }
timeout_seconds=${TIMEOUT:-900}
all_cases="dense100-1e5 dense300-1e5 dense1000-1e5 dense100-1e6 dense300-1e6 dense1000-1e6
           sparse1e4-1e5 sparse1e5-1e5 sparse1e6-1e5 sparse1e4-1e6 sparse1e5-1e6 sparse1e6-1e6"
cases=${CASES:-$all_cases}
generator=${1#*=}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$work"
csv="$work/side_by_side.csv"
[[ -f "$csv" ]] || echo "binary,case,users,events,seconds,iterations,loglik,peak_rss_mb,status" > "$csv"

# dense<U>-<E>: complete graph; sparse<U>-<E>: mean in-degree 10. μ ~ U[0, 0.2] and ρ(W)τ = 0.5, so
# about 0.2 events per user and time unit: the horizon is E / (0.2 U).
make_data() {
    local case=$1 kind users events p horizon
    kind=${case%%[0-9]*}
    users=$(python3 -c "print(int(float('${case#$kind}'.split('-')[0])))")
    events=$(python3 -c "print(float('${case#*-}'))")
    if [[ $kind == dense ]]; then p=1; else p=$(python3 -c "print(10 / ($users - 1))"); fi
    horizon=$(python3 -c "print($events / (0.2 * $users))")
    if [[ ! -f "$work/$case.h5" ]]; then
        flock /tmp/mic-heavy.lock "$generator" generate --graph "er:$users:$p" --cascades 1 --model ic --tau 1 \
            --mu-range 0:0.2 --rho-tau 0.5 --horizon "$horizon" --seed 13 \
            --out "$work/$case.h5" --truth "$work/$case-truth.h5" --force --json > "$work/$case-generate.json"
    fi
    echo "$users"
}

for case in $cases; do
    users=$(make_data "$case")
    for spec in "$@"; do
        label=${spec%%=*}
        mic=${spec#*=}
        out="$work/$case-$label"
        status=0
        # GNU time's elapsed time and max RSS of the fit alone (not of the wait for the lock).
        flock /tmp/mic-heavy.lock timeout "$timeout_seconds" /usr/bin/time -f "%e %M" -o "$out.time" \
            "$mic" fit --data "$work/$case.h5" --model ic --tau 1 --out "$out.h5" --force --json \
            > "$out.json" 2> "$out.log" || status=$?
        if [[ $status -eq 124 ]]; then
            echo "$label,$case,$users,,,,,,timeout" >> "$csv"
            continue
        fi
        read -r seconds rss_kb < <(tail -1 "$out.time")
        rss_mb=$(python3 -c "print(round($rss_kb / 1024, 1))")
        python3 - "$out.json" "$label" "$case" "$users" "$seconds" "$rss_mb" >> "$csv" <<'EOF'
import json, sys
path, label, case, users, seconds, rss = sys.argv[1:]
j = json.load(open(path))
print(f"{label},{case},{users},{j['n_events']},{seconds},{j['iterations']},{j['loglik']!r},{rss},{j['stop']}")
EOF
    done
done
cat "$csv"
