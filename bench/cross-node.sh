#!/usr/bin/env bash
# The numbers of docs/perf.md "Across nodes": the three-node lab (deploy/local-lab.sh, Release build)
# on 127.0.0.1, plain TCP and TLS (lab certificate, deploy/make-lab-certificate.sh) alternately in one
# run, so that their ratio is measured under the same load.
#
#   bench/cross-node.sh [SECONDS] [ROUNDS]     (defaults: 60 s, 1 round = plain then TLS)
#
# Per mode, three lab runs (32 channels, 1-sample frames, the recorder recording BDF), each with the
# CPU the three node processes used (cores: CPU seconds per second):
#   real time     SECONDS at the amplifier's rate: latency from DRDY to the gateway node's scope sink
#                 (through the remote-scope sink) and from DRDY to the fan-out, and what the sinks
#                 dropped. The latency histograms count from the node's start (no reset), so they
#                 include the join and the 10 s warm-up: in a 60 s run the first ~3 s are 4% of the
#                 frames, enough to move a p99 when the start-up is slow.
#   paced-4x      SECONDS/2 at 16000 SPS (4x real time, paced): does each path keep up without the
#                 spool growing and without drops?
#   free-running  SECONDS/3 with the simulated source as fast as it goes: the growth of each remote
#                 sink's framesSent (credit ties it to the consumer's delivery rate), as x real time.
# Needs curl, python3, openssl. Ports 4353-4355 and 5380; folder EEG_BENCH_DIR (default /tmp/eeg-cross-node).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="${1:-60}"
ROUNDS="${2:-1}"
WORK="${EEG_BENCH_DIR:-/tmp/eeg-cross-node}"
HTTP=5380
rm -rf "$WORK"
mkdir -p "$WORK"
if [[ "${EEG_LAB_NO_BUILD:-0}" != 1 ]]; then
  for p in Acquisition.Node Processing.Node Gateway.Node; do dotnet build -c Release -nologo -v q "$ROOT/src/$p" >/dev/null; done
fi
"$ROOT/deploy/make-lab-certificate.sh" "$WORK/certificate" >/dev/null

# CPU seconds (user + system) each node process has used so far, on one line: acquisition processing gateway.
cpu() {
  local out="" node ticks
  ticks=$(getconf CLK_TCK)
  for node in acquisition processing gateway; do
    # A node that ended during the run (downed, crashed) shows as nan; its log says why.
    out+="$(awk -v t="$ticks" '{ printf "%.2f ", ($14 + $15) / t }' "/proc/$(cat "$1/$node.pid" 2>/dev/null)/stat" 2>/dev/null || echo nan) "
  done
  echo "$out"
}

status() { curl -fsS "http://127.0.0.1:$HTTP/status" 2>/dev/null || true; }

# Waits until the three members are Up and both remote sinks have sent frames.
wait_up() {
  for _ in $(seq 1 240); do
    if status | python3 -c '
import json,sys
s=json.load(sys.stdin)
up=[m for m in s["clusterMembers"] if m["state"]=="Up"]
sent=[r for r in s["remoteSinks"] if r["framesSent"]>0]
sys.exit(0 if len(up)==3 and len(sent)==2 else 1)' 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "the lab did not come up; logs in $1" >&2
  return 1
}

one() { # MODE KIND SECONDS
  local mode="$1" kind="$2" seconds="$3" dir="$WORK/$1-$2-$4"
  mkdir -p "$dir"
  local scheme=akka.tcp tls=()
  if [[ "$mode" == tls ]]; then
    scheme=akka.ssl.tcp
    tls=(EEG_CLUSTER_TLS=on "EEG_CLUSTER_CERTIFICATE=$WORK/certificate/lab.pfx" "EEG_CLUSTER_CERTIFICATE_PASSWORD_FILE=$WORK/certificate/lab.password")
  fi
  local free=off rate=4000
  [[ "$kind" == free-running ]] && free=on
  [[ "$kind" == paced-4x ]] && rate=16000
  env "${tls[@]}" EEG_LAB_DIR="$dir" EEG_LAB_NO_BUILD=1 EEG_LAB_CONFIGURATION=Release \
    EEG_FREE_RUNNING="$free" EEG_CHANNELS=32 EEG_SAMPLE_RATE=$rate \
    EEG_CLUSTER_SEEDS="$scheme://eeg@127.0.0.1:4353" EEG_SPOOL_DIRECTORY="$dir/spool" EEG_HTTP_PORT=$HTTP \
    EEG_LAB_ENV_ACQUISITION="EEG_CLUSTER_PORT=4353" \
    EEG_LAB_ENV_PROCESSING="EEG_CLUSTER_PORT=4354 EEG_RECORDING_DIRECTORY=$dir/recordings EEG_CONFIG_OVERRIDES=recorder{auto-start=on,formats=[bdf]}" \
    EEG_LAB_ENV_GATEWAY="EEG_CLUSTER_PORT=4355 EEG_HTTP_PORT=$HTTP" \
    "$ROOT/deploy/local-lab.sh" start >/dev/null
  if wait_up "$dir"; then
    sleep 10
    { cat /proc/loadavg; cpu "$dir"; status; } > "$dir/before.txt"
    sleep "$seconds"
    { cat /proc/loadavg; cpu "$dir"; status; } > "$dir/after.txt"
  fi
  EEG_LAB_DIR="$dir" "$ROOT/deploy/local-lab.sh" stop >/dev/null
  python3 - "$mode" "$kind" "$dir" <<'PY'
import json, sys
mode, kind, d = sys.argv[1:]
def read(name):
    with open(f"{d}/{name}") as f:
        load = f.readline().split()[0]
        cpu = [float(x) for x in f.readline().split()]
        return float(load), cpu, json.loads(f.read())
try:
    (l0, c0, a), (l1, c1, b) = read("before.txt"), read("after.txt")
except (OSError, ValueError):
    print(f"| {mode} | {kind} | (no result: see {d}) |"); sys.exit(0)
if not b["remoteSinks"] or "nan" in str(c1):
    print(f"| {mode} | {kind} | {l0:.1f}-{l1:.1f} | a node ended during the run ({b['source']}; CPU {c1}): see the logs in {d} |"); sys.exit(0)
dt = b["uptimeSeconds"] - a["uptimeSeconds"]
cores = " / ".join(f"{(y - x) / dt:.2f}" for x, y in zip(c0, c1))  # CPU cores used per node
rate = lambda f: f / dt
rs = {r["name"]: r for r in b["remoteSinks"]}
rs0 = {r["name"]: r for r in a["remoteSinks"]}
sent = {n: (rs[n]["framesSent"] - rs0[n]["framesSent"]) for n in rs}
dropped = {n: (rs[n]["droppedFrames"] - rs0[n]["droppedFrames"]) for n in rs}
produced = (b["samples"] - a["samples"]) / dt
scope = b["sinks"].get("scope", {}).get("latencyMicros", {})
fan = b["latencyMicros"]
spooled = rs["remote-recorder"]["spooledFrames"] - rs0["remote-recorder"]["spooledFrames"]
if kind == "real-time":
    print(f"| {mode} | {kind} | {l0:.1f}-{l1:.1f} | {produced/4000:.2f}x | {cores} | "
          f"{scope.get('p50',0)/1000:.2f} | {scope.get('p99',0)/1000:.2f} | {fan['p50']/1000:.2f} | {fan['p99']/1000:.2f} | "
          f"{dropped['remote-recorder']:,} | {dropped['remote-scope']:,} | {b['overruns']} |")
else:
    print(f"| {mode} | {kind} | {l0:.1f}-{l1:.1f} | {produced/4000:.2f}x | {cores} | "
          f"{rate(sent['remote-recorder'])/4000:.2f}x ({rate(sent['remote-recorder']):,.0f} frames/s) | "
          f"{rate(sent['remote-scope'])/4000:.2f}x | {spooled:+,} | {dropped['remote-recorder']:,} / {dropped['remote-scope']:,} | {b['overruns']} |")
PY
}

echo "cross-node, $(date -u +%FT%TZ), $(nproc) cores, Release, 32 ch x 4000 SPS, 1-sample frames"
echo "real time: | mode | run | load (1 min) | source | CPU cores acq / proc / gw | scope p50 ms | scope p99 ms | fan-out p50 ms | fan-out p99 ms | recorder dropped | remote-scope dropped | overruns |"
echo "paced-4x, free-running: | mode | run | load | source | CPU cores acq / proc / gw | lossless path to the recorder | drop-oldest path to the scope | spool growth (frames) | dropped recorder / scope | overruns |"
for r in $(seq 1 "$ROUNDS"); do
  for mode in plain tls; do
    one "$mode" real-time "$RUN" "$r"
    one "$mode" paced-4x "$((RUN / 2))" "$r"
    one "$mode" free-running "$((RUN / 3))" "$r"
  done
done
