#!/usr/bin/env bash
# juce-ipc-fork: installs, with apt-get, the Debian 12 packages the build and both test legs need, and only
# those that are missing. Runs apt-get through sudo when not root.
#   scripts/install-deps.sh
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config            # the native build
    juce-modules-source zlib1g-dev              # JUCE 7.0.5 (modules, CMake package, juceaide)
    googletest                                  # GoogleTest sources, built by the project for each leg
    g++-mingw-w64-x86-64-posix libz-mingw-w64-dev   # the Windows leg: MinGW-w64, posix threads
    wine wine64                                 # ... run under Wine
    util-linux procps                           # setpriv and pgrep, used by the test scripts
)

missing=()

for package in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)" != "installed" ]; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: everything needed is installed"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"

run_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        echo "install-deps: these packages are missing and I am not root (and there is no sudo): ${missing[*]}" >&2
        exit 1
    fi
}

run_as_root apt-get update -q
run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
