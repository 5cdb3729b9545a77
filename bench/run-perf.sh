#!/usr/bin/env bash
# Every measurement docs/perf.md quotes, in one go, on this machine (about 15 minutes).
# Usage: bench/run-perf.sh [OUT_DIR] [--no-micro]
# Run it on a quiet machine: the load average is printed with every latency result.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/perf}
mkdir -p "$out"
# dotnet build takes one project per call.
for p in bench/Pipeline.Latency bench/Pipeline.Benchmarks src/Acquisition.Node; do
  dotnet build -c Release -nologo -v q "$p" >/dev/null || { echo "build of $p failed" >&2; exit 1; }
done
lat() { dotnet run -c Release --no-build --project bench/Pipeline.Latency -- "$@"; }

echo "== 1. ours vs the two baselines, 60 s each" | tee "$out/comparison.md"
lat --seconds 60 --json "$out/comparison.json" | tee -a "$out/comparison.md"

echo "== 2. settings that matter (our pipeline only, 20 s each)" | tee "$out/settings.md"
run() { echo "-- $*" | tee -a "$out/settings.md"; lat --only pipeline --seconds 20 --warm-up 3 "$@" | grep -E '^\| pipeline|load' | tee -a "$out/settings.md"; }
run --wait-strategy blocking
run --wait-strategy yielding
run --wait-strategy busy-spin
run --wait-strategy blocking --scope actor --sink-wait-strategy blocking
run --wait-strategy yielding --scope actor --sink-wait-strategy yielding
run --wait-strategy blocking --frame-samples 4
run --wait-strategy blocking --frame-samples 16
run --wait-strategy blocking --ring-size 256
run --wait-strategy blocking --normal-priority
run --wait-strategy blocking --gc-latency-mode sustained-low-latency
echo "-- server GC" | tee -a "$out/settings.md"
DOTNET_gcServer=1 lat --only pipeline --seconds 20 --warm-up 3 --wait-strategy blocking | grep -E '^\| pipeline|load' | tee -a "$out/settings.md"
echo "-- non-concurrent GC" | tee -a "$out/settings.md"
DOTNET_gcConcurrent=0 lat --only pipeline --seconds 20 --warm-up 3 --wait-strategy blocking | grep -E '^\| pipeline|load' | tee -a "$out/settings.md"

echo "== 3. throughput" | tee "$out/throughput.md"
lat --throughput --wait-strategy yielding | tee -a "$out/throughput.md"

echo "== 3b. timer slack of the simulated amplifier's deadline wait" | tee -a "$out/throughput.md"
lat --timer-slack | tee -a "$out/throughput.md"

echo "== 4. the node as the README runs it: 60 s, 32 ch x 4000 SPS, blocking" | tee "$out/node.md"
dotnet run -c Release --no-build --project src/Acquisition.Node -- --seconds 60 | grep -vE '^\[INFO' | tee -a "$out/node.md"

if [ "${2:-}" != "--no-micro" ]; then
  echo "== 5. micro-benchmarks" | tee "$out/micro.md"
  dotnet run -c Release --no-build --project bench/Pipeline.Benchmarks -- --filter '*RingBenchmarks*' '*QueueBaselineBenchmarks*' '*SlabPoolBenchmarks*' '*DspBenchmarks*' '*BdfEncoderBenchmarks*' '*ScopeEncode*' \
    --artifacts "$out/bdn" | grep -E '^\|' | tee -a "$out/micro.md"
fi
echo "results in $out"
