#!/usr/bin/env bash
# The sbatch templates on a real SLURM (issue "HPC"): starts munge, slurmctld and slurmd for this
# machine in a private directory with its own configuration, then
#   1. submits launch/slurm/fit.sbatch with 2 tasks and checks the fit it writes;
#   2. submits the same fit with a 1-minute time limit (--signal=B:TERM@58): the warning comes with
#      slurmctld's next time-limit check, which runs every 30 s, so the job is submitted a few seconds
#      before one (found in slurmctld's log) and the warning lands mid-fit; mic checkpoints and exits
#      75, run-mic requeues the job, the job resumes from the checkpoint (possibly more than once),
#      and the result equals the uninterrupted fit of step 1;
# and stops the daemons it started (also on failure). Skipped, with one line and exit code 77, where
# slurmd cannot run (not root, or the SLURM/munge programs are missing).
# Usage: slurm_test.sh BUILD_DIR
set -euo pipefail
build="$(cd "${1:?usage: slurm_test.sh BUILD_DIR}" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
skip() { echo "SKIPPED: the SLURM test needs $1"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "root (slurmd runs jobs as their users)"
for p in munged slurmctld slurmd sbatch scontrol sinfo h5diff; do command -v "$p" >/dev/null || skip "$p (apt-get install slurm-wlm munge hdf5-tools)"; done

dir="$(mktemp -d /tmp/mic-slurm-XXXXXX)"
chmod 755 "$dir"
export SLURM_CONF="$dir/slurm.conf" OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
stop() {
  set +e
  scancel --quiet --user root 2>/dev/null
  for pid in slurmd slurmctld munged; do [ -f "$dir/$pid.pid" ] && kill "$(cat "$dir/$pid.pid")" 2>/dev/null; done
  sleep 1
  rm -rf "$dir"
}
trap stop EXIT

# munge with a key of its own; SLURM on free ports, no cgroups, requeued jobs eligible after ~6 s
# (cred_expire 5, its minimum; the default 120 s would make the test slow) and started within a
# second of that (sched_interval 1: by default the main scheduling loop, the only thing that starts a
# requeued job once it is eligible, runs once a minute); debug2 logging for the time-limit checks.
mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/work"
dd if=/dev/urandom bs=1 count=1024 of="$dir/munge.key" 2>/dev/null
chmod 400 "$dir/munge.key"
munged -f --key-file="$dir/munge.key" --socket="$dir/munge.socket" --log-file="$dir/log/munged.log" \
  --pid-file="$dir/munged.pid" --seed-file="$dir/munge.seed" || skip "munged to start (see $dir/log/munged.log)"
port=$((20000 + RANDOM % 20000))
host="$(hostname)"
cat > "$SLURM_CONF" <<CONF
ClusterName=mictest
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket,cred_expire=5
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
SlurmctldDebug=debug2
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
KillWait=5
MinJobAge=600
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
slurmctld -f "$SLURM_CONF" -c || skip "slurmctld to start (see $dir/log/slurmctld.log)"
slurmd -f "$SLURM_CONF" || skip "slurmd to start (see $dir/log/slurmd.log)"
for _ in $(seq 1 30); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 1; done
[ "$(sinfo -h -o %T)" = idle ] || skip "the node to come up (sinfo: $(sinfo -h -o %T))"
echo "SLURM $(slurmctld -V | cut -d' ' -f2) up on $host (port $port)"

cd "$dir/work"
export MIC="$build/mic" MIC_LAUNCHER=mpirun
fit_args=(--data data.h5 --model mic --beta 500 --tau 6 --train-fraction 0.8 --tol 1e-8 --beta-path none)
state() { scontrol show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }
wait_for() {  # job id: waits until it has ended, returns its state
  for _ in $(seq 1 600); do
    case "$(state "$1")" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) break ;; esac
    sleep 1
  done
  state "$1"
}

# 1. The template with 2 tasks. The fit must last long enough (at least 18 s: the warning of step 2
# comes 6–9 s into it) for the 1-minute limit below to interrupt it. Too fast: more events, again.
horizon=55000
for attempt in 1 2 3; do
  "$MIC" generate --graph ba:2000:4 --cascades 4 --sigma "1,0,0,0;.6,.4,0,0;0,0,1,0;0,.3,0,.7" --beta 500 --tau 6 \
    --mu-range 0:0.002 --activity-tail 1.5 --baseline-density 0.3 --rho-tau 0.9 --horizon $horizon --seed 3 \
    --out data.h5 --truth truth.h5 --force >/dev/null 2>&1
  rm -f whole.h5 whole.h5.ckpt.h5
  start=$(date +%s)
  job=$(sbatch --parsable --ntasks=2 --time=30 "$here/launch/slurm/fit.sbatch" "${fit_args[@]}" --out whole.h5)
  result=$(wait_for "$job")
  seconds=$(( $(date +%s) - start ))
  [ "$result" = COMPLETED ] && [ -f whole.h5 ] || { echo "FAILED: the fit job ended $result"; cat mic-fit-"$job".log; exit 1; }
  echo "job $job (fit template, 2 tasks): $result in ${seconds} s; $(grep -c 'iteration' mic-fit-"$job".log) iteration lines"
  [ "$seconds" -ge 18 ] && break
  horizon=$(( horizon * 24 / (seconds + 1) ))  # too fast for the warning 6–9 s into step 2: more events
done

# 2. The same fit under a 1-minute limit: interrupted, requeued, resumed, the same result.
# With --time=1 and --signal=B:TERM@58 the warning is due 2 s into the job; slurmctld sends it at its
# first time-limit test after that, and it tests every 30 s (PERIODIC_TIMEOUT, not configurable;
# the tests are in its debug2 log). So the job is submitted when the next test is 6 s (the job has
# started, and mic has installed its handler) to 9 s away, at most half the fit's length: the
# warning lands mid-fit.
next_check() {  # epoch seconds of slurmctld's next time-limit test (or a second or two later)
  local last
  last=$(grep -E 'Testing job time limits|slurmctld version .* started' "$dir/log/slurmctld.log" | tail -1 | sed -E 's/^\[([^].]*).*/\1/')
  echo $(( $(date -d "$last" +%s) + 30 ))
}
lead_max=$(( seconds / 2 )); [ "$lead_max" -le 9 ] || lead_max=9; [ "$lead_max" -ge 6 ] || lead_max=6
for _ in $(seq 1 70); do
  left=$(( $(next_check) - $(date +%s) ))
  [ "$left" -ge 6 ] && [ "$left" -le "$lead_max" ] && break
  sleep 0.5
done
echo "submitting the 1-minute job ${left} s before slurmctld's next time-limit test"
job=$(sbatch --parsable --ntasks=2 --time=1 --signal=B:TERM@58 "$here/launch/slurm/fit.sbatch" "${fit_args[@]}" --out resumed.h5)
result=$(wait_for "$job")
log="mic-fit-$job.log"
requeues=$(grep -c 'requeueing job' "$log" || true)
echo "job $job (1-minute limit): $result after $requeues requeue(s)"
grep -E 'interrupted|requeueing|resuming' "$log" | sed 's/^/  /'
[ "$result" = COMPLETED ] && [ -f resumed.h5 ] || { echo "FAILED: the time-limited job ended $result"; cat "$log"; exit 1; }
[ "$requeues" -ge 1 ] || { echo "FAILED: the time limit never interrupted the fit"; cat "$log"; exit 1; }
for object in /mu /sigma /W/weight; do
  h5diff --relative=1e-9 whole.h5 resumed.h5 "$object" "$object" >/dev/null ||
    { echo "FAILED: $object of the requeued fit differs from the uninterrupted one"; exit 1; }
done
ls -a | grep -q '\.tmp' && { echo "FAILED: a temporary file was left behind: $(ls -a | grep '\.tmp')"; exit 1; }
echo "PASSED: requeued fit equals the uninterrupted one (relative 1e-9); no temporary file left"
