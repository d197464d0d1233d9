#!/usr/bin/env bash
# juce-ipc-fork: the whole test suite. Installs what is missing, then configures, builds and runs ctest for
# every leg: Linux native, Windows (MinGW-w64) under Wine, and Linux again under AddressSanitizer with
# UndefinedBehaviorSanitizer and under ThreadSanitizer. A leg that cannot build or run fails the run; none
# is skipped. CI (.ci/run) runs exactly this.
#   scripts/test.sh [leg...]        legs: linux windows-wine linux-asan linux-tsan (default: all)
set -euo pipefail

cd "$(dirname "$0")/.."
scripts/install-deps.sh

all_legs=(linux windows-wine linux-asan linux-tsan)
legs=("$@")
[ ${#legs[@]} -gt 0 ] || legs=("${all_legs[@]}")

stop_wine() {
    local prefix="${JUCE_IPC_FORK_WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/juce-ipc-fork/wineprefix}"
    [ -d "$prefix" ] && WINEPREFIX="$prefix" wineserver -k 2>/dev/null || true
}
trap stop_wine EXIT

failed=()
summary=()

for leg in "${legs[@]}"; do
    if [[ ! " ${all_legs[*]} " == *" $leg "* ]]; then
        echo "test.sh: unknown leg '$leg' (legs: ${all_legs[*]})" >&2
        exit 2
    fi

    echo "=== $leg: configure, build, test"
    start=$SECONDS

    if cmake --workflow --preset "$leg"; then
        summary+=("$leg: passed in $((SECONDS - start)) s")
    else
        summary+=("$leg: FAILED after $((SECONDS - start)) s")
        failed+=("$leg")
    fi
done

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"

[ ${#failed[@]} -eq 0 ]
