#!/usr/bin/env bash
# Runs the whole test suite (unit, known-answer vectors, and interop against real MIT Kerberos and
# impacket) and ends with one line: "N passed, M failed, K skipped".
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

./scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test KerberosCloudKdc.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum the per-project result lines ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, ...").
read -r passed failed skipped < <(
  grep -E '^(Passed|Failed)! +- +Failed:' "$log" |
    sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
    awk '{ p += $1; f += $2; s += $3 } END { print p + 0, f + 0, s + 0 }')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or the test host failed before any test could report
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
