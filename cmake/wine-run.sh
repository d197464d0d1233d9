#!/usr/bin/env bash
# juce-ipc-fork: runs a Windows program under Wine, for ctest (CMAKE_CROSSCOMPILING_EMULATOR).
#   cmake/wine-run.sh <program.exe> [args...]
# Uses the prefix $JUCE_IPC_FORK_WINEPREFIX (default: ~/.cache/juce-ipc-fork/wineprefix) and makes it on
# first use without prompts. It keeps one wineserver running, detached from the caller's pipes: a wineserver
# started by a test would hold ctest's output pipe open and make ctest wait for it.
set -euo pipefail

export WINEPREFIX="${JUCE_IPC_FORK_WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/juce-ipc-fork/wineprefix}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
export WINEARCH=win64

if ! command -v wine >/dev/null; then
    echo "wine-run.sh: wine is not installed (sudo apt-get install wine wine64)" >&2
    exit 127
fi

mkdir -p "$(dirname "$WINEPREFIX")"

# Whether the wineserver of this prefix runs: it works in a folder named after the prefix's device and inode.
server_running() {
    [ -d "$WINEPREFIX" ] || return 1
    local id pid
    id="$(printf 'server-%x-%x' "$(stat -c %d "$WINEPREFIX")" "$(stat -c %i "$WINEPREFIX")")"

    for pid in $(pgrep -u "$(id -u)" '^wineserver' || true); do
        case "$(readlink "/proc/$pid/cwd" 2>/dev/null)" in
            */"$id") return 0 ;;
        esac
    done

    return 1
}

# Several tests may start at once: one of them prepares Wine, the others wait for it.
(
    flock -w 300 9 || { echo "wine-run.sh: timed out waiting for the Wine prefix lock" >&2; exit 1; }

    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        echo "wine-run.sh: creating the Wine prefix $WINEPREFIX" >&2
        wineboot -i </dev/null >/dev/null 2>&1 9>&- || true
        wineserver -w 9>&- || true

        if [ ! -f "$WINEPREFIX/system.reg" ]; then
            echo "wine-run.sh: could not create the Wine prefix $WINEPREFIX" >&2
            exit 1
        fi
    fi

    # No X display here: Wine's null graphics driver still gives windows, and so a message queue
    # (JUCE's MessageManager posts to a hidden window), without one.
    if [ ! -f "$WINEPREFIX/.juce-ipc-fork-configured" ]; then
        wine reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f </dev/null >/dev/null 2>&1 9>&- \
            || { echo "wine-run.sh: could not configure the Wine prefix $WINEPREFIX" >&2; exit 1; }
        wineserver -k 9>&- || true
        touch "$WINEPREFIX/.juce-ipc-fork-configured"
    fi

    # Start the wineserver and Wine's own services here, with none of the caller's pipes open: started by
    # a test, they would hold ctest's output pipe open after the test ends, and ctest would wait for them.
    # The server stays for 15 idle minutes; scripts/test.sh stops it when the run ends.
    if ! server_running; then
        setsid wineserver -p 900 </dev/null >/dev/null 2>&1 9>&- || true
        setsid wineboot </dev/null >/dev/null 2>&1 9>&- || true
    fi
) 9>"$WINEPREFIX.lock"

exec wine "$@"
