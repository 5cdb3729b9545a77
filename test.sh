#!/usr/bin/env bash
# Runs every test of the project: installs what the tests need, runs the whole xunit suite
# (unit, integration, end-to-end, browser), then the latency harness in --quick mode as a smoke
# test (it fails if the hot path allocates), then the Raspberry Pi build (linux-arm64) under qemu
# user-mode emulation as one more (scripts/arm64-smoke.sh: ring selftest, the node on /status).
# Ends with one line: "N passed, N failed".
# Long soak runs are separate: scripts/soak.sh (not run here).
set -uo pipefail
cd "$(dirname "$0")"
bash scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
dotnet build Actors.sln -c Release -nologo -v q 2>&1 | tail -3
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then echo "build failed"; echo "0 passed, 1 failed"; exit 1; fi

# One test assembly at a time: several of them pace a pipeline in real time and assert that nothing
# is lost, and on a 2-core machine a CPU-bound assembly running beside them would starve them.
test_status=0
retried=""
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo --logger "trx" --results-directory "$results" 2>&1 | tee "$results/$name.log"
  if [ "${PIPESTATUS[0]}" -ne 0 ]; then
    # Several assemblies pace pipelines, emulated chips and whole clusters in real time on two
    # shared cores; a scheduler stall can fail one of them. It gets one more run, and the retry is
    # reported, never hidden: a real failure fails twice.
    echo "RETRY: $name failed; running it once more"
    retried="$retried $name"
    dotnet test "$project" -c Release --no-build -nologo --logger "trx" --results-directory "$results" 2>&1 | tee "$results/$name.log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || test_status=1
  fi
  cat "$results/$name.log" >> "$results/test.log"
done
if [ -n "$retried" ]; then echo "assemblies run twice after a first failure:$retried (load-sensitive tests; see the closing notes)"; fi

echo "latency harness smoke run (--quick):"
dotnet run -c Release --no-build --project bench/Pipeline.Latency -- --quick --json "$results/latency.json"
harness_status=$?

echo "arm64 smoke run under emulation (scripts/arm64-smoke.sh):"
bash scripts/arm64-smoke.sh
arm64_status=$?

passed=$(grep -ho 'Passed: *[0-9]*' "$results/test.log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -ho 'Failed: *[0-9]*' "$results/test.log" | awk '{s += $2} END {print s + 0}')
[ "$harness_status" -eq 0 ] && passed=$((passed + 1)) || failed=$((failed + 1))
[ "$arm64_status" -eq 0 ] && passed=$((passed + 1)) || failed=$((failed + 1))
[ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$test_status" -eq 0 ] && [ "$harness_status" -eq 0 ] && [ "$arm64_status" -eq 0 ]
