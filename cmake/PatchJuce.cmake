# juce-ipc-fork, route 1: patch a JUCE modules folder in place (a git checkout, a submodule, a copy of
# Debian's package), or undo that.
#
#   cmake -D JUCE_MODULES_DIR=<JUCE>/modules -P cmake/PatchJuce.cmake              patch juce_core, juce_events
#   cmake -D JUCE_MODULES_DIR=<JUCE>/modules -D REVERT=ON -P cmake/PatchJuce.cmake  restore the original bytes
#
# Running it twice changes nothing the second time. Reverting refuses to throw away edits made to the patched
# files after patching unless -D FORCE=ON is given. A folder that is not a JUCE modules folder, or a JUCE
# version this project has no patches for, is refused with a message that names the supported versions.

cmake_minimum_required (VERSION 3.22)

include ("${CMAKE_CURRENT_LIST_DIR}/JuceIpcFork.cmake")

if (NOT DEFINED JUCE_MODULES_DIR)
    juce_ipc_fork_supported_versions (supported)
    list (JOIN supported ", " supportedText)
    message (FATAL_ERROR "juce-ipc-fork: say which JUCE modules folder to patch:\n"
                         "  cmake -D JUCE_MODULES_DIR=<JUCE>/modules -P ${CMAKE_CURRENT_LIST_FILE}\n"
                         "Supported JUCE versions: ${supportedText}.")
endif()

get_filename_component (modulesDir "${JUCE_MODULES_DIR}" ABSOLUTE)

set (flags)

if (FORCE)
    list (APPEND flags FORCE)
endif()

if (REVERT)
    juce_ipc_fork_revert_in_place ("${modulesDir}" ${flags})
else()
    juce_ipc_fork_patch_in_place ("${modulesDir}")
endif()
