#!/usr/bin/env bash
# Strong and weak scaling of mic fit, simulate and spread, written as CSV (benchmarks/README.md):
#
#   kind,scaling,ranks,users,events,seconds,iterations,collectives_per_iteration,bytes_per_iteration,peak_rss_mb_max,peak_rss_mb_sum,work_imbalance
#
# strong: the same data on 1, 2 and 4 ranks (4 is oversubscribed on a 2-core machine: its times say
# nothing about speed-up there, but its collectives and memory per rank do); weak: USERS × ranks users
# (events ∝ ranks) on 1, 2, 4 ranks. fit: --max-iter ITER iterations from the default start (--tol 0,
# no beta path); simulate: 8 replicas of the fitted model; spread: IDM-CTMP on a topics dataset.
# Peak RSS per rank from GNU time around each rank. Then model.py fits the performance model and
# writes model.csv (predictions) and scaling.png.
#
# Usage: benchmarks/scaling/run.sh BUILD_DIR [WORK_DIR]     (environment: USERS, HORIZON, ITER, RANKS)
set -euo pipefail
build="$(cd "${1:?usage: run.sh BUILD_DIR [WORK_DIR]}" && pwd)"
work="${2:-/tmp/mic-scaling}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mic="$build/mic"
users=${USERS:-20000}
horizon=${HORIZON:-2000}
iterations=${ITER:-3}
ranks_list=${RANKS:-"1 2 4"}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mkdir -p "$work"
cd "$work"
csv="$work/scaling.csv"
echo "kind,scaling,ranks,users,events,seconds,iterations,collectives_per_iteration,bytes_per_iteration,peak_rss_mb_max,peak_rss_mb_sum,work_imbalance" > "$csv"

# A wrapper that records each rank's peak RSS (KB) in rss.<rank>.
cat > rank-rss <<'WRAP'
#!/usr/bin/env bash
exec /usr/bin/time -f %M -o "rss.${OMPI_COMM_WORLD_RANK:-0}" "$@"
WRAP
chmod +x rank-rss
run() {  # ranks, mic args... → stdout of rank 0; RSS columns in $rss_max $rss_sum (MB)
  local n=$1; shift
  rm -f rss.*
  mpiexec -n "$n" --oversubscribe ./rank-rss "$mic" "$@" 2>/dev/null
  rss_max=$(cat rss.* | sort -n | tail -1 | awk '{printf "%.1f", $1 / 1024}')
  rss_sum=$(cat rss.* | awk '{s += $1} END {printf "%.1f", s / 1024}')
}
json() { /usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
generate() {  # users, output (a failure stops the run with mic's message, not silently)
  [ -f "$2" ] || "$mic" generate --graph "er:$1:$(/usr/bin/python3 -c "print(10/$1)")" --cascades 4 \
    --mu-range 0:0.004 --w-range 0:0.1 --beta 10 --tau 1 --activity-tail 1.5 --horizon "$horizon" --seed 7 \
    --out "$2" --truth "${2%.h5}-truth.h5" >/dev/null 2>generate.err || { cat generate.err >&2; exit 1; }
}
measure() {  # kind, scaling, ranks, users, data
  local kind=$1 scaling=$2 n=$3 u=$4 data=$5 seconds events iters calls bytes imbalance=1
  case "$kind" in
    fit)
      run "$n" fit --data "$data" --model mic --beta 10 --tau 1 --max-iter "$iterations" --tol 0 --beta-path none \
        --out "fit-$scaling-$n.h5" --force --json > out.json
      seconds=$(json out.json "j['seconds']"); events=$(json out.json "j['n_events']"); iters=$(json out.json "j['iterations']")
      calls=$(json out.json "j['collectives'] / max(1, j['iterations'])"); bytes=$(json out.json "j['collective_bytes'] / max(1, j['iterations'])")
      imbalance=$(json out.json "j['work_max_over_mean']") ;;
    simulate)
      run "$n" simulate --params "fit-$scaling-$n.h5" --horizon "$horizon" --replicas 8 --seed 1 --out "sim-$n" --force --json > out.json
      seconds=$(json out.json "j['seconds']"); events=$(json out.json "j['n_events']"); iters=8; calls=0; bytes=0 ;;
    spread)
      run "$n" spread --data topics.h5 --train-until 12 --window 1 --periods 10 --out "spread-$n.h5" --force --json > out.json
      seconds=$(json out.json "j['seconds']"); events=$(json out.json "j['n_transitions']"); iters=1; calls=0; bytes=0 ;;
  esac
  echo "$kind,$scaling,$n,$u,$events,$seconds,$iters,$calls,$bytes,$rss_max,$rss_sum,$imbalance" | tee -a "$csv"
}

generate "$users" strong.h5
"$mic" generate-topics --users 2000 --topics 40000 --days 22 --seed 5 --out topics.h5 --force >/dev/null 2>&1 || true
for n in $ranks_list; do
  measure fit strong "$n" "$users" strong.h5
  measure simulate strong "$n" "$users" strong.h5
  [ -f topics.h5 ] && measure spread strong "$n" 2000 topics.h5
  weak_users=$((users * n))
  generate "$weak_users" "weak-$n.h5"
  measure fit weak "$n" "$weak_users" "weak-$n.h5"
done
/usr/bin/python3 "$here/model.py" "$csv" "$work"
