#!/usr/bin/env bash
# juce-ipc-fork benchmark: installs what is missing, builds the three peer programs (raw OS pipe, pristine
# upstream JUCE, the fork) with optimisation, and prints the ratio table. Linux native is the reference;
# the Windows leg (MinGW-w64 under Wine) runs the same programs and its figures are informative only.
#   scripts/bench.sh [--short | --full] [leg...] [-- ipc_bench options]
#   legs: linux windows-wine (default: linux)
# It asserts nothing: it fails only when the benchmark cannot be built or run.
set -euo pipefail

cd "$(dirname "$0")/.."

mode=--short
legs=()
extra=()

while [ $# -gt 0 ]; do
    case "$1" in
        --short|--full) mode="$1" ;;
        linux|windows-wine) legs+=("$1") ;;
        --) shift; extra=("$@"); break ;;
        *) echo "bench.sh: unknown argument '$1' (usage: scripts/bench.sh [--short | --full] [linux] [windows-wine] [-- ipc_bench options])" >&2
           exit 2 ;;
    esac
    shift
done

[ ${#legs[@]} -gt 0 ] || legs=(linux)

scripts/install-deps.sh

for leg in "${legs[@]}"; do
    if [ "$leg" = linux ]; then
        preset=bench
        run=(build/bench/bench/ipc_bench)
    else
        preset=bench-wine
        run=(cmake/wine-run.sh build/bench-wine/bench/ipc_bench.exe --scale=0.05)
    fi

    echo "=== benchmark, $leg leg ($mode)$([ "$leg" = windows-wine ] && echo ': informative, Wine is not Windows')"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
    "${run[@]}" "$mode" ${extra[@]+"${extra[@]}"}
done
