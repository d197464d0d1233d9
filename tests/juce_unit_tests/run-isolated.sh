#!/usr/bin/env bash
# juce-ipc-fork: runs one of JUCE's unit test programs in a temporary folder of its own, and as an
# unprivileged user when called as root (ctest on a CI machine runs as root).
#   tests/juce_unit_tests/run-isolated.sh <program> [args...]
# Why: JUCE's Files test searches the whole temporary folder recursively (anything else in /tmp, such as a
# Wine prefix that links z: to /, makes it walk the disk), and it checks that a read-only file is not
# writable, which root's privileges override. As root, the program is copied into the private folder and
# run as the user "nobody" (setpriv from util-linux) with that folder as HOME and TMPDIR.
set -euo pipefail

program="$1"
shift

work="$(mktemp -d "${TMPDIR:-/tmp}/juce-unit-tests.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home/.config" "$work/tmp"

if [ "$(id -u)" -ne 0 ]; then
    TMPDIR="$work/tmp" "$program" "$@"
    exit $?
fi

if ! command -v setpriv >/dev/null; then
    echo "run-isolated.sh: setpriv (util-linux) is needed to run JUCE's tests unprivileged" >&2
    exit 1
fi

cp "$program" "$work/"
chmod 755 "$work"
chown -R 65534:65534 "$work"

status=0
setpriv --reuid=65534 --regid=65534 --clear-groups \
    env HOME="$work/home" TMPDIR="$work/tmp" "$work/$(basename "$program")" "$@" || status=$?
exit $status
