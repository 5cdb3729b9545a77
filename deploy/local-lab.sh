#!/usr/bin/env bash
# The three-node lab on one machine: acquisition, processing and gateway as three processes on
# 127.0.0.1 (Akka.Remote ports 4053, 4054, 4055; web UI on 5080), with hocon/lab-3-nodes/.
#
#   deploy/local-lab.sh start [NODE...]   build (unless EEG_LAB_NO_BUILD=1) and start the nodes (default: all)
#   deploy/local-lab.sh stop [NODE...]    SIGTERM the nodes (clean stop: recordings closed, cluster left)
#   deploy/local-lab.sh kill NODE         SIGKILL a node's process (what a power cut does; tests use it)
#   deploy/local-lab.sh status            which nodes run, their pids and log files, and /status
#
# Each node runs under a small loop that restarts it when it exits with code 1 (the cluster downed
# it), as systemd's Restart=on-failure does on a real lab, so a node that was cut off rejoins.
# Environment: EEG_LAB_DIR (pid and log files, default /tmp/eeg-lab), EEG_LAB_CONFIGURATION
# (Debug or Release, default Release), EEG_LAB_CONFIG_<NODE> (another config file for NODE),
# EEG_LAB_ENV_<NODE> (extra "VAR=value ..." for NODE, e.g. EEG_CLUSTER_PORT=0), plus any EEG_* setting.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAB="${EEG_LAB_DIR:-/tmp/eeg-lab}"
CONFIGURATION="${EEG_LAB_CONFIGURATION:-Release}"
NODES=(acquisition processing gateway)
mkdir -p "$LAB"

project() {
  case "$1" in
    acquisition) echo Acquisition.Node ;;
    processing) echo Processing.Node ;;
    gateway) echo Gateway.Node ;;
    *) echo "unknown node '$1' (acquisition, processing or gateway)" >&2; exit 2 ;;
  esac
}

running() { [[ -f "$LAB/$1.pid" ]] && kill -0 "$(cat "$LAB/$1.pid")" 2>/dev/null; }

start_node() {
  local node="$1" name dll config var_config var_env
  name="$(project "$node")"
  dll="$ROOT/src/$name/bin/$CONFIGURATION/net10.0/$name.dll"
  var_config="EEG_LAB_CONFIG_${node^^}"
  var_env="EEG_LAB_ENV_${node^^}"
  config="${!var_config:-$ROOT/hocon/lab-3-nodes/$node.conf}"
  if running "$node"; then echo "$node already runs (pid $(cat "$LAB/$node.pid"))"; return; fi
  [[ -f "$dll" ]] || { echo "$dll is missing: build first (or unset EEG_LAB_NO_BUILD)" >&2; exit 1; }
  # setsid: the loop and its node form one process group, which stop signals as a whole.
  # shellcheck disable=SC2086
  setsid env ${!var_env:-} bash -c '
    echo $$ > "$0/$1.loop"
    while :; do
      dotnet "$2" --config "$3" &
      echo $! > "$0/$1.pid"
      wait $! && code=0 || code=$?
      [[ $code -eq 1 ]] || exit $code
      echo "$(date -u +%FT%TZ) $1 exited with 1 (downed by the cluster): restarting" >&2
      sleep 2
    done' "$LAB" "$node" "$dll" "$config" >>"$LAB/$node.log" 2>&1 < /dev/null &
  for _ in $(seq 1 100); do [[ -f "$LAB/$node.pid" ]] && running "$node" && break; sleep 0.1; done
  echo "$node started (pid $(cat "$LAB/$node.pid" 2>/dev/null || echo ?), log $LAB/$node.log)"
}

stop_node() {
  local node="$1" loop
  if [[ -f "$LAB/$node.loop" ]]; then
    loop="$(cat "$LAB/$node.loop")"
    kill -TERM -- "-$loop" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 -- "-$loop" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$loop" 2>/dev/null || true
  fi
  rm -f "$LAB/$node.pid" "$LAB/$node.loop"
  echo "$node stopped"
}

cmd="${1:-status}"; shift || true
targets=("$@"); [[ ${#targets[@]} -gt 0 ]] || targets=("${NODES[@]}")
case "$cmd" in
  start)
    if [[ "${EEG_LAB_NO_BUILD:-0}" != 1 ]]; then
      for node in "${targets[@]}"; do dotnet build -c "$CONFIGURATION" -v q "$ROOT/src/$(project "$node")" >/dev/null; done
    fi
    for node in "${targets[@]}"; do start_node "$node"; done ;;
  stop)
    for node in "${targets[@]}"; do stop_node "$node"; done ;;
  kill)
    [[ $# -eq 1 ]] || { echo "usage: local-lab.sh kill NODE" >&2; exit 2; }
    # Only the node's process: its loop sees code 137 and ends, as a powered-off machine stays off.
    if running "$1"; then kill -KILL "$(cat "$LAB/$1.pid")"; echo "$1 killed"; else echo "$1 does not run"; fi ;;
  status)
    for node in "${NODES[@]}"; do
      if running "$node"; then echo "$node: running (pid $(cat "$LAB/$node.pid")), log $LAB/$node.log"; else echo "$node: stopped"; fi
    done
    if running gateway; then curl -fsS "http://127.0.0.1:${EEG_HTTP_PORT:-5080}/status" 2>/dev/null | head -c 4000 || true; echo; fi ;;
  *) echo "usage: local-lab.sh start|stop|kill|status [NODE...]" >&2; exit 2 ;;
esac
