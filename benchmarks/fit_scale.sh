#!/usr/bin/env bash
# Scale run of `mic fit` (Alg. 1): generate a synthetic MIC dataset with `mic generate`, then fit it
# with `--model mic --max-iter 3` on 1 and 2 ranks and write a CSV:
#
#   ranks,iteration,seconds,speedup,peak_rss_mb_per_rank,total_seconds
#
# one row per (rank count, outer iteration); `seconds` is the wall time of that iteration (parsed
# from the per-iteration stderr line "iteration N ... X.XXXs ..."), `speedup` is the 1-rank time of the
# same iteration over this one, `peak_rss_mb_per_rank` the largest max-RSS of the ranks of that run
# (GNU time -f %M around each rank: `mpiexec -n N /usr/bin/time -f ... mic fit ...`), and
# `total_seconds` the wall time of the whole `mic fit` run (reading, sharding, all iterations, writing).
# MAX_ITER (default 3) sets --max-iter; MAX_ITER=1 is enough to measure the memory per rank. One fit at
# --beta (--beta-path none): the automatic beta path would refit from beta/1000 when --max-iter stops it.
# FIT_OPTIONS adds options to every fit (e.g. FIT_OPTIONS="--feature-memory 0" measures the memory
# without stored kernel features). DATA=path reuses a dataset made by an earlier run.
#
# Default size: 100 000 users, C = 10, Erdős–Rényi graph with mean in-degree 10 (p = 1e-4),
# τ = 1, μ_u^c ~ U[0, 0.01] (μ_u ≈ 0.05), w ~ U[0, 0.1] (branching ratio ≈ 10 · 0.05 · τ = 0.5, so
# the stationary rate is ≈ μ_u / (1 − 0.5) ≈ 0.1 per user): about 10⁴ events per time unit, so
# T = 1000 gives ≈ 10 M events. Override with environment variables, e.g. a smaller run:
#   USERS=20000 P=5e-4 HORIZON=1000 benchmarks/fit_scale.sh build/mic /tmp/fit-scale
#
# Usage: benchmarks/fit_scale.sh MIC_BINARY [WORK_DIR]   (CSV: WORK_DIR/fit_scale.csv)
set -euo pipefail

mic=${1:?usage: fit_scale.sh MIC_BINARY [WORK_DIR]}
work=${2:-/tmp/mic-fit-scale}
users=${USERS:-100000}
p=${P:-1e-4}
cascades=${CASCADES:-10}
horizon=${HORIZON:-1000}
mu_range=${MU_RANGE:-0:0.01}
w_range=${W_RANGE:-0:0.1}
beta=${BETA:-10}
tau=${TAU:-1}
ranks_list=${RANKS:-"1 2"}
max_iter=${MAX_ITER:-3}
seed=${SEED:-2024}

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$work"
csv="$work/fit_scale.csv"

echo "load before: $(cat /proc/loadavg)" >&2
if [[ -n "${DATA:-}" && ! -e "$work/data.h5" ]]; then ln -s "$(realpath "$DATA")" "$work/data.h5"; fi
if [[ ! -f "$work/data.h5" || -n "${REGENERATE:-}" ]]; then
    rm -f "$work/data.h5" "$work/truth.h5"
    start=$(date +%s.%N)
    "$mic" generate --out "$work/data.h5" --truth "$work/truth.h5" --seed "$seed" --horizon "$horizon" \
        --graph "er:$users:$p" --model mic --beta "$beta" --tau "$tau" --cascades "$cascades" \
        --mu-range "$mu_range" --w-range "$w_range" --json > "$work/generate.json"
    end=$(date +%s.%N)
    echo "generate: $(echo "$end - $start" | bc) s: $(cat "$work/generate.json")" >&2
fi

echo "ranks,iteration,seconds,speedup,peak_rss_mb_per_rank,total_seconds" > "$csv"
for n in $ranks_list; do
    log="$work/fit-$n.log"
    rm -f "$work/fit-$n.h5" "$work"/rss-"$n"-*.txt
    start=$(date +%s.%N)
    # Each rank writes its own max RSS (kB) to rss-N-<pid>.txt.
    mpiexec -n "$n" --oversubscribe sh -c \
        "exec /usr/bin/time -f %M -o $work/rss-$n-\$\$.txt $mic fit --data $work/data.h5 --model mic --beta $beta --tau $tau --train-fraction 0.8 --max-iter $max_iter --beta-path none ${FIT_OPTIONS:-} --out $work/fit-$n.h5" \
        2> "$log"
    end=$(date +%s.%N)
    total=$(echo "$end - $start" | bc)
    rss_kb=$(cat "$work"/rss-"$n"-*.txt | grep -E '^[0-9]+$' | sort -n | tail -1)
    rss_mb=$(echo "scale=1; $rss_kb / 1024" | bc)
    # "iteration   k  loglik ...  12.345s  rank time share ..." → k,seconds
    grep -oE 'iteration +[0-9]+ .* [0-9.]+s  rank' "$log" |
        sed -E 's/iteration +([0-9]+) .* ([0-9.]+)s  rank/\1 \2/' |
        while read -r it secs; do
            if [[ $n == "$(echo $ranks_list | cut -d' ' -f1)" ]]; then echo "$it $secs" >> "$work/base.txt.$$"; fi
            b=$(awk -v k="$it" '$1 == k { print $2 }' "$work/base.txt.$$" 2>/dev/null || true)
            speed=$( [[ -n "$b" ]] && echo "scale=2; $b / $secs" | bc || echo "")
            echo "$n,$it,$secs,$speed,$rss_mb,$total" >> "$csv"
        done
done
rm -f "$work/base.txt.$$"
echo "load after: $(cat /proc/loadavg)" >&2
cat "$csv"
