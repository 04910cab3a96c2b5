#!/usr/bin/env bash
# The whole suite three times in a row while both cores are busy with another load.
# A test that waits on time instead of events fails here first. Usage: scripts/stress-tests.sh [pytest args]
set -uo pipefail
cd "$(dirname "$0")/.."

busy=()
for _ in 1 2; do
    python3 -c "while True: pass" &
    busy+=($!)
done
trap 'kill "${busy[@]}" 2>/dev/null' EXIT

status=0
for run in 1 2 3; do
    start=$(date +%s)
    if python -m pytest -q -p no:cacheprovider "$@"; then result=passed; else result=FAILED; status=1; fi
    echo "== loaded run $run: $result in $(( $(date +%s) - start )) s"
done
exit $status
