#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages, once per machine:
#   python3-scipy   reference vectors for the filter tests (scipy.signal.butter / iirnotch / sosfilt)
#   python3-mne     reads our BDF+ files back (independent reader)
#   libedf-dev      EDFlib, the second independent BDF reader (a small C checker is compiled against it)
#   chromium        headless browser for the web UI tests (Playwright drives it; it cannot download one)
#   prometheus      promtool, to validate /metrics
#   nodejs, npm     build the web UI (the gateway's build runs npm ci)
set -euo pipefail
need=()
/usr/bin/python3 -c "import scipy" 2>/dev/null || need+=(python3-scipy)
/usr/bin/python3 -c "import mne" 2>/dev/null || need+=(python3-mne)
[ -f /usr/include/edflib.h ] || need+=(libedf-dev)
command -v chromium >/dev/null || need+=(chromium)
command -v promtool >/dev/null || need+=(prometheus)
command -v npm >/dev/null || need+=(npm)
command -v gcc >/dev/null || need+=(gcc)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
