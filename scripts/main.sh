#!/usr/bin/env bash
# juce-ipc-fork: the main job. Installs what is missing, patches a copy of JUCE's modules in the build
# tree, builds, and runs the sandboxed host: N worker processes run jobs, some crash on purpose, and
# the host notices each crash within milliseconds, relaunches the worker and carries on.
#   scripts/main.sh [sandbox_host arguments: --workers N --jobs J --crashes C --seed S]
set -euo pipefail

cd "$(dirname "$0")/.."
scripts/install-deps.sh

cmake --preset linux
cmake --build --preset linux --target sandbox_host
build/linux/examples/sandbox_host "$@"
