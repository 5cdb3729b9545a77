#!/usr/bin/env bash
# Smoke run of the Raspberry Pi build (linux-arm64) on this x86-64 machine, under user-mode emulation
# (Debian's qemu-user-static, arm64 libraries from Debian's multi-arch packages). Nothing may reach the
# lab that has never started on arm64 (issue 10). Steps, each timed:
#   1. installs what it needs when missing (root, Debian 12): qemu-user-static, the arm64 architecture,
#      libc6 libstdc++6 libgcc-s1 zlib1g libssl3 for arm64 (libssl: ASP.NET Core loads it at start-up;
#      no ICU: the projects set InvariantGlobalization);
#   2. publishes the all-in-one node for linux-arm64, self-contained (deploy/publish.sh);
#   3. runs the ring stress self-test under emulation (`selftest --events N`, every wait strategy);
#   4. starts the node under emulation on the simulated amplifier (8 channels at 1000 SPS), waits for
#      GET /status, checks over ~15 s that samples flow at the configured rate with no overrun, that
#      the web UI is served, then stops it with SIGTERM and checks it exits with 0 in time;
#   5. starts it again and sends SIGTERM while it is still starting (a `systemctl stop` during a slow
#      start on the Pi): it must exit cleanly (0, or 143 before its handler exists), never with an
#      unhandled exception.
# What emulation does NOT show: qemu runs the arm64 code on x86's stronger memory ordering, so a
# missing barrier cannot show here; that is what `selftest` on the Pi itself is for
# (deploy/raspberry-pi.md). This proves the build starts, loads its native pieces and runs on arm64.
#
# Environment: ARM64_SMOKE_EVENTS (selftest events, default 2000000, as natively), ARM64_SMOKE_SECONDS (measuring
# window, default 15), ARM64_SMOKE_RATE / ARM64_SMOKE_CHANNELS (default 1000 / 8),
# ARM64_SMOKE_RING (ring slots of the emulated node, default 8192: see step 4),
# ARM64_SMOKE_SKIP_PUBLISH=1 (reuse artifacts/publish/linux-arm64/Acquisition.Node).
# Exit 0 when every step passed; one line per failure otherwise. Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

events=${ARM64_SMOKE_EVENTS:-2000000}
window=${ARM64_SMOKE_SECONDS:-15}
rate=${ARM64_SMOKE_RATE:-1000}
channels=${ARM64_SMOKE_CHANNELS:-8}
out="$repo/artifacts/publish/linux-arm64/Acquisition.Node"
python=/usr/bin/python3

script_start=$(date +%s.%N)
step_start=$script_start
timings=()
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
step_done() { local t; t=$(elapsed "$step_start"); timings+=("$1: ${t} s"); echo "   [$1 took ${t} s]"; step_start=$(now); }
fail() { echo "arm64 smoke FAILED: $*" >&2; print_timings >&2; exit 1; }
print_timings() { echo "arm64 smoke timings: $(IFS=';'; echo "${timings[*]:-none}") ; total $(elapsed "$script_start") s"; }

# ---- 1. what the emulation needs --------------------------------------------------------------
echo "== arm64 smoke 1/5: emulator and arm64 libraries"
arm_libs=(libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 zlib1g:arm64 libssl3:arm64)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
need=()
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
[ -x "$python" ] || need+=(python3)
arch_added=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  [ "$(id -u)" -eq 0 ] || fail "the arm64 architecture is not enabled; run as root (dpkg --add-architecture arm64)"
  dpkg --add-architecture arm64
  arch_added=1
fi
for lib in "${arm_libs[@]}"; do installed "$lib" || need+=("$lib"); done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || fail "missing ${need[*]}; run as root or: apt-get install ${need[*]}"
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Other jobs may hold the dpkg lock (test dependencies installing): wait for it, do not fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq || fail "apt-get update failed"
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || fail "apt-get install ${need[*]} failed"
elif [ "$arch_added" -eq 1 ]; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq || true
fi
[ -f /lib/ld-linux-aarch64.so.1 ] || fail "the arm64 dynamic loader /lib/ld-linux-aarch64.so.1 is missing (libc6:arm64)"
echo "   $(qemu-aarch64-static --version | head -1)"
step_done install

# ---- 2. publish --------------------------------------------------------------------------------
echo "== arm64 smoke 2/5: publish Acquisition.Node for linux-arm64 (self-contained, Release)"
if [ "${ARM64_SMOKE_SKIP_PUBLISH:-0}" = 1 ] && [ -x "$out/Acquisition.Node" ]; then
  echo "   reusing $out"
else
  bash deploy/publish.sh --rid linux-arm64 --node Acquisition.Node || fail "publish for linux-arm64 failed"
fi
file_type=$(od -An -tx1 -j18 -N2 "$out/Acquisition.Node" | tr -d ' ')
# ELF e_machine 0xb7 (little-endian b7 00) is AArch64: refuse to "pass" by running an x86 build.
[ "$file_type" = "b700" ] || fail "$out/Acquisition.Node is not an arm64 executable (e_machine $file_type)"
step_done publish

run_arm() { qemu-aarch64-static -L / "$out/Acquisition.Node" "$@"; }

# ---- 3. ring stress self-test under emulation ---------------------------------------------------
echo "== arm64 smoke 3/5: selftest --events $events under qemu-aarch64"
if ! run_arm selftest --events "$events"; then
  fail "selftest under arm64 emulation did not pass"
fi
step_done selftest

# ---- 4. the node under emulation --------------------------------------------------------------
echo "== arm64 smoke 4/5: node under qemu-aarch64, $channels channels at $rate SPS, ${window} s"
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
workdir=$(mktemp -d)
log="$workdir/node.log"
node_pid=""
cleanup() {
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then kill -KILL "$node_pid" 2>/dev/null || true; fi
  rm -rf "$workdir"
}
trap cleanup EXIT

# Runs in a scratch folder (a recording would go to ./recordings). --seconds is a backstop only: the
# script stops the node with SIGTERM long before, and checks that it goes.
# The ring holds 8 s of frames here instead of the default 1 s: under emulation on a shared 2-core
# machine the DSP thread was held off the CPU for over a second in the first seconds (JIT through
# qemu while other jobs build: 1035 overruns at load average 45 with the default ring, none once it
# ran). The Pi keeps the default; this check is about the arm64 build running at rate, not about
# how long a stall the x86 build machine's scheduler can inflict.
(cd "$workdir" && exec env EEG_CHANNELS="$channels" EEG_SAMPLE_RATE="$rate" EEG_HTTP_PORT="$port" EEG_HTTP_HOST=127.0.0.1 \
  EEG_CONFIG_OVERRIDES="pipeline.ring-size = ${ARM64_SMOKE_RING:-8192}" \
  qemu-aarch64-static -L / "$out/Acquisition.Node" --seconds 600) >"$log" 2>&1 &
node_pid=$!

# Waits for the node to exit after a signal; sets exit_code (empty if it is still running after
# stop_limit seconds). Stopping takes 1-7 s under emulation, ~20 s once while other jobs built.
stop_limit=60
wait_for_exit() {
  exit_code=""
  local deadline=$(( $(date +%s) + stop_limit ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ! kill -0 "$node_pid" 2>/dev/null; then
      wait "$node_pid" && exit_code=0 || exit_code=$?
      return
    fi
    sleep 0.25
  done
}

# One GET; prints "samples overruns rate channels" or nothing when the node does not answer yet.
status() {
  "$python" - "$port" <<'EOF'
import json, sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/status", timeout=5) as r:
        d = json.load(r)
    print(d["samples"], d["overruns"], d["sampleRate"], d["channels"])
except Exception:
    pass
EOF
}

# Start-up takes ~5 s under emulation on a quiet machine; 80 s was seen while five other jobs built.
ready=""
ready_deadline=$(( $(date +%s) + 180 ))
while [ "$(date +%s)" -lt "$ready_deadline" ]; do
  kill -0 "$node_pid" 2>/dev/null || { cat "$log" >&2; fail "the node exited before /status answered"; }
  ready=$(status)
  [ -n "$ready" ] && break
  sleep 0.5
done
[ -n "$ready" ] || { cat "$log" >&2; fail "GET /status did not answer within 180 s"; }
startup=$(elapsed "$step_start")
echo "   /status answers after $startup s: samples overruns rate channels = $ready"
read -r _ _ seen_rate seen_channels <<<"$ready"
[ "$seen_rate" = "$rate" ] && [ "$seen_channels" = "$channels" ] \
  || fail "/status reports $seen_channels channels at $seen_rate SPS, expected $channels at $rate"

page=$("$python" -c "import urllib.request,sys; print(urllib.request.urlopen('http://127.0.0.1:$port/', timeout=5).read().decode()[:4000])" 2>/dev/null || true)
[[ "$page" == *"<html"* || "$page" == *"<!doctype html"* || "$page" == *"<!DOCTYPE html"* ]] \
  || fail "GET / did not return the web UI page (gateway-web missing from the arm64 build?)"

read -r samples1 overruns1 _ _ <<<"$(status)"
t1=$(now)
# The measuring window: this waits for the node, it is not a poll of the data path.
sleep "$window"
read -r samples2 overruns2 _ _ <<<"$(status)"
t2=$(now)
[ -n "${samples2:-}" ] || { cat "$log" >&2; fail "/status stopped answering during the run"; }
measured=$(awk -v a="$samples1" -v b="$samples2" -v s="$t1" -v e="$t2" 'BEGIN { printf "%.0f", (b - a) / (e - s) }')
echo "   samples $samples1 -> $samples2 in $(awk -v s="$t1" -v e="$t2" 'BEGIN { printf "%.1f", e - s }') s: $measured SPS measured, overruns $overruns1 -> $overruns2"
[ "$samples2" -gt "$samples1" ] || fail "samples did not increase ($samples1 -> $samples2)"
[ "$overruns2" -eq 0 ] || { tail -20 "$log" >&2; fail "$overruns2 overruns under emulation at $channels ch x $rate SPS"; }
# The simulated source is paced at the configured rate; well below it means the emulated node cannot
# keep up (a late reader catches up, so the count stays near the rate while it keeps up at all).
[ "$measured" -ge $(( rate * 9 / 10 )) ] || fail "samples flow at $measured SPS, below 90 % of $rate"

stop_start=$(now)
kill -TERM "$node_pid"
wait_for_exit
[ -n "$exit_code" ] || { tail -20 "$log" >&2; fail "the node did not exit within $stop_limit s of SIGTERM"; }
node_pid=""
echo "   SIGTERM -> exit code $exit_code after $(elapsed "$stop_start") s; node's last lines:"
grep -E '^totals:|^stopping' "$log" | sed 's/^/     /' || true
[ "$exit_code" -eq 0 ] || { tail -20 "$log" >&2; fail "the node exited with $exit_code after SIGTERM"; }
step_done node

# ---- 5. SIGTERM while starting ------------------------------------------------------------------
echo "== arm64 smoke 5/5: SIGTERM during start-up"
# Start-up under emulation takes seconds (JIT through qemu; step 4 measured it): SIGTERMs at 40 % and
# 70 % of that land before or inside NodeHost.StartAsync. Before the node's own handler exists the
# runtime ends with 143 (128 + SIGTERM); after, the node stops with 0 ("stopped before start-up
# finished", or the normal stop if start-up was already done). Never an unhandled exception.
# Clamped to 1-6 s and 2-10 s: a start slowed by a busy machine must not make this step long.
for delay in $(awk -v t="$startup" 'function clamp(x, lo, hi) { return x < lo ? lo : (x > hi ? hi : x) }
                                    BEGIN { printf "%.1f %.1f", clamp(t * 0.4, 1, 6), clamp(t * 0.7, 2, 10) }'); do
  (cd "$workdir" && exec env EEG_CHANNELS="$channels" EEG_SAMPLE_RATE="$rate" EEG_HTTP_PORT=0 \
    qemu-aarch64-static -L / "$out/Acquisition.Node" --seconds 600) >"$log" 2>&1 &
  node_pid=$!
  sleep "$delay"
  kill -TERM "$node_pid"
  wait_for_exit
  [ -n "$exit_code" ] || { tail -20 "$log" >&2; fail "the node did not exit within $stop_limit s of a SIGTERM ${delay} s after its start"; }
  node_pid=""
  phase=$(grep -E '^stopped before start-up finished|^stopping' "$log" | head -1 || true)
  echo "   SIGTERM ${delay} s after start: exit code $exit_code (${phase:-before the node had its signal handler})"
  if { [ "$exit_code" -ne 0 ] && [ "$exit_code" -ne 143 ]; } || grep -q 'Unhandled exception' "$log"; then
    tail -20 "$log" >&2
    fail "SIGTERM ${delay} s after start: exit code $exit_code, or an unhandled exception"
  fi
done
step_done sigterm-at-start

print_timings
echo "arm64 smoke passed"
