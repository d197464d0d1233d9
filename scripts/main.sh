#!/usr/bin/env bash
# juce-ipc-fork: the main job. Installs what is missing, patches a copy of JUCE's modules in the build
# tree, builds, and runs the example: two processes exchanging messages through the patched
# InterprocessConnection.
#   scripts/main.sh [example arguments...]
set -euo pipefail

cd "$(dirname "$0")/.."
scripts/install-deps.sh

cmake --preset linux
cmake --build --preset linux --target ipc_pair
build/linux/examples/ipc_pair "$@"
