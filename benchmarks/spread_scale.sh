#!/usr/bin/env bash
# Memory and time per rank of `mic spread` (IDM-CTMP): generate a topics dataset with
# `mic generate-topics`, run `mic spread` on it on 1, 2 and 3 ranks, check that the results are the
# same on every rank count, and write a CSV:
#
#   ranks,posts,seconds,peak_rss_mb_max,peak_rss_mb_min,same_results
#
# `seconds` is the wall time of the whole run (reading, network, Q, spreading sizes, IC, writing),
# `peak_rss_mb_max`/`_min` the largest and smallest max-RSS of the ranks (GNU time -f %M around each
# rank), `same_results` whether R.h5 equals the first run's (h5diff) and the truth CSV is identical.
# Ranks beyond the cores run oversubscribed (the time then says little; the memory still holds).
#
# Default size: 50 000 users, 1.6 M topics over 22 days (≈ 9.7 M posts); override with USERS,
# TOPICS, DAYS, RANKS="1 2 3", SEED. Fit on the first 12 days, 10 test periods of one day.
#
# Usage: benchmarks/spread_scale.sh MIC_BINARY [WORK_DIR]   (CSV: WORK_DIR/spread_scale.csv)
set -euo pipefail

mic=${1:?usage: spread_scale.sh MIC_BINARY [WORK_DIR]}
work=${2:-/tmp/mic-spread-scale}
users=${USERS:-50000}
topics=${TOPICS:-1600000}
days=${DAYS:-22}
ranks_list=${RANKS:-"1 2 3"}
seed=${SEED:-5}

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$work"
csv="$work/spread_scale.csv"
if [[ ! -f "$work/topics.h5" || -n "${REGENERATE:-}" ]]; then
    "$mic" generate-topics --users "$users" --topics "$topics" --days "$days" --seed "$seed" --out "$work/topics.h5" --force >&2
fi
posts=$("$mic" info --data "$work/topics.h5" | awk '$1 == "events" && !done { gsub(",", "", $2); print $2; done = 1 }')

echo "ranks,posts,seconds,peak_rss_mb_max,peak_rss_mb_min,same_results" > "$csv"
first=""
for n in $ranks_list; do
    rm -f "$work"/rss-"$n"-*.txt
    start=$(date +%s.%N)
    mpiexec -n "$n" --oversubscribe sh -c \
        "exec /usr/bin/time -f %M -o $work/rss-$n-\$\$.txt $mic spread --data $work/topics.h5 --train-until 12 --window 1 --periods 10 --out $work/r-$n.h5 --force" \
        > "$work/spread-$n.out" 2> "$work/spread-$n.log"
    end=$(date +%s.%N)
    rss=$(cat "$work"/rss-"$n"-*.txt | grep -E '^[0-9]+$' | sort -n)
    max_mb=$(echo "scale=1; $(echo "$rss" | tail -1) / 1024" | bc)
    min_mb=$(echo "scale=1; $(echo "$rss" | head -1) / 1024" | bc)
    same=yes
    if [[ -z "$first" ]]; then
        first=$n
    elif ! h5diff -q "$work/r-$first.h5" "$work/r-$n.h5" || ! cmp -s "$work/r-$first-truth.csv" "$work/r-$n-truth.csv"; then
        same=no
    fi
    echo "$n,$posts,$(echo "$end - $start" | bc),$max_mb,$min_mb,$same" | tee -a "$csv"
done
