#!/usr/bin/env bash
# juce-ipc-fork: writes a patch (unified diff, LF line endings, paths relative to the modules folder)
# from edited copies of upstream JUCE files, for patches/juce-<version>/.
#   scripts/make-patch.sh <JUCE modules dir> <edited copy of modules dir> <relative path>... > NNNN-name.patch
# Example:
#   cp -r /usr/share/juce/modules /tmp/edited   # then edit /tmp/edited/juce_core/juce_core.cpp
#   scripts/make-patch.sh /usr/share/juce/modules /tmp/edited juce_core/juce_core.cpp > patches/juce-7.0.5/0001-x.patch
set -euo pipefail

if [ $# -lt 3 ]; then
    sed -n '2,8p' "$0" >&2
    exit 2
fi

upstream="$1"
edited="$2"
shift 2

for file in "$@"; do
    [ -f "$upstream/$file" ] || { echo "make-patch.sh: no $upstream/$file" >&2; exit 1; }
    [ -f "$edited/$file" ] || { echo "make-patch.sh: no $edited/$file" >&2; exit 1; }
    status=0
    diff -u --label "a/$file" --label "b/$file" <(tr -d '\r' < "$upstream/$file") <(tr -d '\r' < "$edited/$file") || status=$?
    [ $status -le 1 ] || exit $status
done
