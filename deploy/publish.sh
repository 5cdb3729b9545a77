#!/usr/bin/env bash
# Self-contained Release builds of every node executable, for the Raspberry Pi (linux-arm64) and for
# x86-64 Linux machines (linux-x64). The target needs no .NET installed: the runtime travels with the
# build. Output: artifacts/publish/<rid>/<node>/ (gitignored), one folder per node, started with
# ./<node> from inside that folder (see deploy/raspberry-pi.md).
#
#   deploy/publish.sh                              every node, linux-arm64 and linux-x64
#   deploy/publish.sh --rid linux-arm64            one runtime
#   deploy/publish.sh --node Acquisition.Node      one node (repeat --rid / --node for more)
#   deploy/publish.sh -- -p:SkipWebBuild=true      anything after -- goes to dotnet publish
#
# Nodes: Acquisition.Node is the all-in-one node (acquisition, recorder, gateway and web UI in one
# process; the one the Pi runs). Processing.Node and Gateway.Node are the roles of the multi-node
# set-up; they are published too, so that a lab can copy them to the machines that will run them.
# The web UI (gateway-web/) is part of every node that serves it; the script checks it is there.
set -euo pipefail
cd "$(dirname "$0")/.."

all_nodes=(Acquisition.Node Processing.Node Gateway.Node)
# Nodes whose output must contain the web UI (they serve it).
web_nodes=" Acquisition.Node Gateway.Node "
rids=()
nodes=()
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) rids+=("${2:?--rid needs a runtime identifier, e.g. linux-arm64}"); shift 2 ;;
    --node) nodes+=("${2:?--node needs a node name, e.g. Acquisition.Node}"); shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "publish.sh: unknown argument '$1' (allowed: --rid RID, --node NAME, -- dotnet-args)" >&2; exit 2 ;;
  esac
done
[ ${#rids[@]} -gt 0 ] || rids=(linux-arm64 linux-x64)
[ ${#nodes[@]} -gt 0 ] || nodes=("${all_nodes[@]}")
for node in "${nodes[@]}"; do
  [ -f "src/$node/$node.csproj" ] || { echo "publish.sh: no project src/$node/$node.csproj (nodes: ${all_nodes[*]})" >&2; exit 2; }
done
command -v dotnet >/dev/null || { echo "publish.sh: dotnet not found: install the .NET 10 SDK on the build machine (the Pi itself needs none)" >&2; exit 2; }

failed=()
for rid in "${rids[@]}"; do
  for node in "${nodes[@]}"; do
    out="artifacts/publish/$rid/$node"
    start=$(date +%s)
    echo "== $node for $rid -> $out"
    # A previous build's files would survive in the folder and could mask a missing one.
    rm -rf "$out"
    # --self-contained: the runtime is in the folder, nothing to install on the Pi.
    # Not single-file and not trimmed: Akka.NET and the stage loader use reflection (actor props,
    # HOCON-named types, plug-in assemblies), which trimming would break.
    # ReadyToRun: our assemblies and Akka's are compiled ahead of time (the runtime's already are), so
    # the first seconds do not stall the reader and DSP threads behind the JIT; hot methods are still
    # re-jitted to full speed by tiered compilation. Measured under qemu on the loaded 2-core build
    # machine (load average 20-40), 8 ch x 1000 SPS, three starts each: JIT only 156, 176 and 1622
    # overruns in the first seconds (max latency 0.9-2.4 s), ReadyToRun 0, 0 and 0 (0.3-0.6 s).
    # Cost: +5 MB (123 instead of 118 MB) and a longer publish (crossgen2 runs on the build machine).
    if ! dotnet publish "src/$node/$node.csproj" -c Release -r "$rid" --self-contained true \
        -p:PublishReadyToRun=true -o "$out" -nologo -v q -clp:ErrorsOnly "${extra[@]}"; then
      echo "FAILED: $node for $rid" >&2
      failed+=("$node/$rid")
      continue
    fi
    if [ ! -x "$out/$node" ]; then
      echo "FAILED: $out/$node (the executable) is missing" >&2
      failed+=("$node/$rid")
      continue
    fi
    if [[ "$web_nodes" == *" $node "* ]] && [ ! -f "$out/gateway-web/index.html" ]; then
      echo "FAILED: $out/gateway-web/index.html is missing: the web UI did not make it into the build" >&2
      failed+=("$node/$rid")
      continue
    fi
    echo "   ok: $(du -sh "$out" | cut -f1), $(find "$out" -type f | wc -l) files, $(( $(date +%s) - start )) s$([[ "$web_nodes" == *" $node "* ]] && echo ", web UI: $(ls "$out/gateway-web" | tr '\n' ' ')")"
  done
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "publish failed for: ${failed[*]}" >&2
  exit 1
fi
echo "published to artifacts/publish/{$(IFS=,; echo "${rids[*]}")}/{$(IFS=,; echo "${nodes[*]}")}"
