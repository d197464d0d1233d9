# juce-ipc-fork, route 1 test: in-place patching of a JUCE modules folder with exactly the documented call,
#   cmake -D JUCE_MODULES_DIR=<dir> -P cmake/PatchJuce.cmake
# Patches a copy of upstream, checks that a second run changes nothing, reverts and compares every file byte
# for byte, and checks each refusal: not a JUCE folder, no such folder, unsupported version, a patch that
# does not apply, and edits made after patching.
#   cmake -D FORK_ROOT=<repo> -D UPSTREAM=<JUCE modules> -D WORK=<scratch folder> -P PatchInPlaceTest.cmake
cmake_minimum_required (VERSION 3.22)
include ("${CMAKE_CURRENT_LIST_DIR}/RouteTestHelpers.cmake")

set (patchScript "${FORK_ROOT}/cmake/PatchJuce.cmake")
set (modules "${WORK}/modules")
route_copy_upstream ("${UPSTREAM}" "${modules}")
route_snapshot ("${modules}" pristine)

# Patch: says what it changed, and the fork's files are in place.
route_run (patch "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${modules}" -P "${patchScript}")
route_expect_output (patch success "patching JUCE" "juce_core/network/juce_NamedPipe.h" "done:")
route_snapshot ("${modules}" patched)

if ("${patched}" STREQUAL "${pristine}")
    route_fail ("patching changed nothing")
endif()

file (GLOB_RECURSE overlay RELATIVE "${FORK_ROOT}/modules" "${FORK_ROOT}/modules/*")

foreach (file IN LISTS overlay)
    file (SHA256 "${FORK_ROOT}/modules/${file}" expected)
    file (SHA256 "${modules}/${file}" actual)

    if (NOT expected STREQUAL actual)
        route_fail ("${file} in the patched folder is not the fork's file")
    endif()
endforeach()

# Again: "already patched", nothing changes.
route_run (again "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${modules}" -P "${patchScript}")
route_expect_output (again success "already patched")
route_snapshot ("${modules}" patchedAgain)
route_expect_same_snapshot ("${patched}" "${patchedAgain}" "a second patch run")

# Revert: byte-identical originals, no leftovers.
route_run (revert "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${modules}" -D REVERT=ON -P "${patchScript}")
route_expect_output (revert success "reverted")
route_snapshot ("${modules}" reverted)
route_expect_same_snapshot ("${pristine}" "${reverted}" "patch then revert")

route_run (revertAgain "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${modules}" -D REVERT=ON -P "${patchScript}")
route_expect_output (revertAgain success "nothing to revert")

# Edits made after patching are not thrown away by a revert, unless FORCE is given.
route_run (patch2 "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${modules}" -P "${patchScript}")
route_expect_output (patch2 success)
file (APPEND "${modules}/juce_core/network/juce_NamedPipe.h" "// a user's edit\n")
route_run (refused "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${modules}" -D REVERT=ON -P "${patchScript}")
route_expect_output (refused failure "changed after juce-ipc-fork patched them" "juce_core/network/juce_NamedPipe.h" "FORCE=ON")
route_run (forced "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${modules}" -D REVERT=ON -D FORCE=ON -P "${patchScript}")
route_expect_output (forced success "reverted")
route_snapshot ("${modules}" forcedBack)
route_expect_same_snapshot ("${pristine}" "${forcedBack}" "a forced revert")

# Refusals.
file (MAKE_DIRECTORY "${WORK}/not-juce")
route_run (notJuce "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${WORK}/not-juce" -P "${patchScript}")
route_expect_output (notJuce failure "is not a JUCE modules folder")

route_run (missing "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${WORK}/no-such-folder" -P "${patchScript}")
route_expect_output (missing failure "does not exist")

route_run (noArgument "${CMAKE_COMMAND}" -P "${patchScript}")
route_expect_output (noArgument failure "JUCE_MODULES_DIR" "Supported JUCE versions")

set (otherVersion "${WORK}/other-version")
route_copy_upstream ("${UPSTREAM}" "${otherVersion}")
file (READ "${otherVersion}/juce_core/system/juce_StandardHeader.h" header)
string (REGEX REPLACE "#define JUCE_BUILDNUMBER +[0-9]+" "#define JUCE_BUILDNUMBER        99" header "${header}")
file (WRITE "${otherVersion}/juce_core/system/juce_StandardHeader.h" "${header}")
route_snapshot ("${otherVersion}" otherBefore)
route_run (unsupported "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${otherVersion}" -P "${patchScript}")
file (GLOB supportedFolders RELATIVE "${FORK_ROOT}/patches" "${FORK_ROOT}/patches/juce-*")
list (GET supportedFolders 0 firstSupported)
string (REPLACE "juce-" "" firstSupported "${firstSupported}")
route_expect_output (unsupported failure "is not supported" "${firstSupported}")
route_snapshot ("${otherVersion}" otherAfter)
route_expect_same_snapshot ("${otherBefore}" "${otherAfter}" "a refused version")

# A patch that does not apply stops before anything changes.
include ("${FORK_ROOT}/cmake/JuceIpcFork.cmake")
juce_ipc_fork_read_juce_version ("${UPSTREAM}" juceVersion)
file (GLOB patches "${FORK_ROOT}/patches/juce-${juceVersion}/*.patch")

if (patches)
    list (GET patches 0 firstPatch)
    file (STRINGS "${firstPatch}" targets REGEX "^\\+\\+\\+ ")
    list (GET targets 0 target)
    string (REGEX REPLACE "^\\+\\+\\+ (b/)?([^\t]*).*$" "\\2" target "${target}")

    set (edited "${WORK}/edited")
    route_copy_upstream ("${UPSTREAM}" "${edited}")
    file (WRITE "${edited}/${target}" "// this file no longer looks like JUCE's\n")
    route_snapshot ("${edited}" editedBefore)
    route_run (conflict "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${edited}" -P "${patchScript}")
    route_expect_output (conflict failure "does not apply to ${target}")
    route_snapshot ("${edited}" editedAfter)
    route_expect_same_snapshot ("${editedBefore}" "${editedAfter}" "a patch that does not apply")
endif()

# A checkout with LF line endings (JUCE ships CRLF) patches and reverts just the same.
set (lf "${WORK}/lf")
route_copy_upstream ("${UPSTREAM}" "${lf}")
file (GLOB_RECURSE sources "${lf}/*.cpp" "${lf}/*.h")

foreach (source IN LISTS sources)
    file (READ "${source}" text)
    file (WRITE "${source}" "${text}")
endforeach()

route_snapshot ("${lf}" lfBefore)
route_run (lfPatch "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${lf}" -P "${patchScript}")
route_expect_output (lfPatch success "done:")
route_run (lfRevert "${CMAKE_COMMAND}" -D "JUCE_MODULES_DIR=${lf}" -D REVERT=ON -P "${patchScript}")
route_expect_output (lfRevert success "reverted")
route_snapshot ("${lf}" lfAfter)
route_expect_same_snapshot ("${lfBefore}" "${lfAfter}" "an LF checkout, patched and reverted")

file (REMOVE_RECURSE "${WORK}")
message ("route 1: patch, re-patch, revert and every refusal behave as documented")
