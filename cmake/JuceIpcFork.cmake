# juce-ipc-fork: the one mechanism behind every route of DESIGN.md.
#
# It reads the JUCE version of a `modules` folder, lays this project's `modules/` files over juce_core and
# juce_events, applies `patches/juce-<version>/*.patch`, and records what it did so that it can be undone
# byte for byte. cmake/PatchJuce.cmake (in-place patching) and the project's CMakeLists.txt (the CMake and
# Projucer routes, which patch a copy in the build tree) both call these functions, so what users apply is
# exactly what CI builds and tests.
#
# Include it, then call:
#   juce_ipc_fork_read_juce_version (<modulesDir> <outVar>)
#   juce_ipc_fork_patch_in_place (<modulesDir> [QUIET])
#   juce_ipc_fork_revert_in_place (<modulesDir> [FORCE])
#   juce_ipc_fork_assemble (<upstreamModulesDir> <destinationDir>)

include_guard (GLOBAL)

get_filename_component (JUCE_IPC_FORK_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

set (_jif_patched_modules juce_core juce_events)
set (_jif_state_folder ".juce-ipc-fork")

#===================================================================================================
function (_jif_fail)
    string (JOIN "" text ${ARGN})

    # A run that stops leaves the JUCE folder as it found it.
    get_property (unfinished GLOBAL PROPERTY _jif_unfinished_state_folder)

    if (unfinished)
        file (REMOVE_RECURSE "${unfinished}")
    endif()

    message (FATAL_ERROR "juce-ipc-fork: ${text}")
endfunction()

function (_jif_say)
    if (NOT _JIF_QUIET)
        string (JOIN "" text ${ARGN})
        message (STATUS "juce-ipc-fork: ${text}")
    endif()
endfunction()

# The fork's version lives in one place: the C++ header that also carries it to applications.
function (juce_ipc_fork_read_own_version outVar)
    set (header "${JUCE_IPC_FORK_ROOT}/modules/juce_core/network/juce_NamedPipe.h")
    file (STRINGS "${header}" line REGEX "^#define JUCE_IPC_FORK_VERSION_STRING ")

    if (NOT line MATCHES "\"([0-9]+\\.[0-9]+\\.[0-9]+)\"")
        _jif_fail ("cannot read JUCE_IPC_FORK_VERSION_STRING from ${header}")
    endif()

    set (${outVar} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

function (juce_ipc_fork_supported_versions outVar)
    file (GLOB folders LIST_DIRECTORIES true "${JUCE_IPC_FORK_ROOT}/patches/juce-*")
    set (versions)

    foreach (folder IN LISTS folders)
        if (IS_DIRECTORY "${folder}")
            get_filename_component (name "${folder}" NAME)
            string (REGEX REPLACE "^juce-" "" version "${name}")
            list (APPEND versions "${version}")
        endif()
    endforeach()

    list (SORT versions COMPARE NATURAL)
    set (${outVar} "${versions}" PARENT_SCOPE)
endfunction()

# file (COPY_FILE) with the destination's folders made first.
function (_jif_copy source destination)
    get_filename_component (folder "${destination}" DIRECTORY)
    file (MAKE_DIRECTORY "${folder}")
    file (COPY_FILE "${source}" "${destination}" ${ARGN})
endfunction()

#===================================================================================================
function (juce_ipc_fork_read_juce_version modulesDir outVar)
    if (modulesDir STREQUAL "")
        _jif_fail ("JUCE_MODULES_DIR is empty. Pass the 'modules' folder of your JUCE, for example "
                   "-D JUCE_MODULES_DIR=/usr/share/juce/modules (Debian: sudo apt-get install juce-modules-source).")
    endif()

    if (NOT IS_DIRECTORY "${modulesDir}")
        _jif_fail ("JUCE_MODULES_DIR '${modulesDir}' does not exist. Point it at the 'modules' folder of a JUCE "
                   "checkout, or install Debian's JUCE (sudo apt-get install juce-modules-source) for /usr/share/juce/modules.")
    endif()

    set (header "${modulesDir}/juce_core/system/juce_StandardHeader.h")

    if (NOT EXISTS "${header}" OR NOT EXISTS "${modulesDir}/juce_events/juce_events.h")
        if (EXISTS "${modulesDir}/modules/juce_core/system/juce_StandardHeader.h")
            _jif_fail ("'${modulesDir}' is a JUCE checkout, not its modules folder: use '${modulesDir}/modules'.")
        endif()

        _jif_fail ("'${modulesDir}' is not a JUCE modules folder: it needs juce_core/system/juce_StandardHeader.h "
                   "and juce_events/juce_events.h.")
    endif()

    file (STRINGS "${header}" defines REGEX "^#define JUCE_(MAJOR_VERSION|MINOR_VERSION|BUILDNUMBER) ")
    set (parts)

    foreach (name MAJOR_VERSION MINOR_VERSION BUILDNUMBER)
        if (NOT defines MATCHES "JUCE_${name} +([0-9]+)")
            _jif_fail ("cannot read JUCE_${name} from ${header}")
        endif()

        list (APPEND parts "${CMAKE_MATCH_1}")
    endforeach()

    list (JOIN parts "." version)
    set (${outVar} "${version}" PARENT_SCOPE)
endfunction()

function (_jif_require_supported version)
    juce_ipc_fork_supported_versions (supported)

    if (NOT "${version}" IN_LIST supported)
        list (JOIN supported ", " supportedText)
        _jif_fail ("JUCE ${version} is not supported. This juce-ipc-fork has patches for JUCE ${supportedText} "
                   "(folders patches/juce-<version>). Use one of those JUCE versions, or a juce-ipc-fork release "
                   "made for JUCE ${version}.")
    endif()
endfunction()

#===================================================================================================
# What this project lays over a JUCE version: the overlay files (paths relative to the modules folder),
# the patches in the order they apply, and a hash of all of it that tells one payload from another.
function (_jif_payload version outOverlay outPatches outHash)
    set (overlay)

    foreach (module IN LISTS _jif_patched_modules)
        file (GLOB_RECURSE files RELATIVE "${JUCE_IPC_FORK_ROOT}/modules" "${JUCE_IPC_FORK_ROOT}/modules/${module}/*")
        list (APPEND overlay ${files})
    endforeach()

    list (SORT overlay)
    file (GLOB patches "${JUCE_IPC_FORK_ROOT}/patches/juce-${version}/*.patch")
    list (SORT patches)

    set (fingerprint "juce-${version}")

    foreach (file IN LISTS overlay)
        file (SHA256 "${JUCE_IPC_FORK_ROOT}/modules/${file}" hash)
        string (APPEND fingerprint " ${file}=${hash}")
    endforeach()

    foreach (patch IN LISTS patches)
        get_filename_component (name "${patch}" NAME)
        file (SHA256 "${patch}" hash)
        string (APPEND fingerprint " ${name}=${hash}")
    endforeach()

    string (SHA256 hash "${fingerprint}")

    set (${outOverlay} "${overlay}" PARENT_SCOPE)
    set (${outPatches} "${patches}" PARENT_SCOPE)
    set (${outHash} "${hash}" PARENT_SCOPE)
endfunction()

#===================================================================================================
# Unified-diff application, in pure CMake so that the in-place route needs nothing but CMake.
#
# A hunk applies where its old text (context and removed lines) occurs at the start of a line, after the
# previous hunk; when it occurs more than once, the occurrence nearest the line the hunk names wins.
# Anything else stops with an error before a single file of the JUCE folder is touched.

# Counts the lines before `position` in `text` (1-based line number of `position`).
function (_jif_line_of text position outVar)
    string (SUBSTRING "${text}" 0 ${position} before)
    string (REGEX MATCHALL "\n" newlines "${before}")
    list (LENGTH newlines count)
    math (EXPR line "${count} + 1")
    set (${outVar} ${line} PARENT_SCOPE)
endfunction()

function (_jif_apply_hunk fileVar oldText newText expectedLine searchFrom outEnd outError)
    if (oldText STREQUAL "")
        set (${outError} "it has no context lines to place it by" PARENT_SCOPE)
        return()
    endif()

    set (content "${${fileVar}}")
    string (LENGTH "${content}" contentLength)
    string (LENGTH "${oldText}" oldLength)
    set (best -1)
    set (bestDistance -1)
    set (offset ${searchFrom})

    while (offset LESS_EQUAL contentLength)
        string (SUBSTRING "${content}" ${offset} -1 rest)
        string (FIND "${rest}" "${oldText}" found)

        if (found EQUAL -1)
            break()
        endif()

        math (EXPR position "${offset} + ${found}")
        set (atLineStart TRUE)

        if (position GREATER 0)
            math (EXPR previous "${position} - 1")
            string (SUBSTRING "${content}" ${previous} 1 previousChar)

            if (NOT previousChar STREQUAL "\n")
                set (atLineStart FALSE)
            endif()
        endif()

        if (atLineStart)
            _jif_line_of ("${content}" ${position} line)
            math (EXPR distance "${line} - ${expectedLine}")

            if (distance LESS 0)
                math (EXPR distance "-${distance}")
            endif()

            if (best EQUAL -1 OR distance LESS bestDistance)
                set (best ${position})
                set (bestDistance ${distance})
            endif()
        endif()

        math (EXPR offset "${position} + 1")
    endwhile()

    if (best EQUAL -1)
        set (${outError} "its lines were not found at or after line ${expectedLine}" PARENT_SCOPE)
        return()
    endif()

    string (SUBSTRING "${content}" 0 ${best} head)
    math (EXPR tailStart "${best} + ${oldLength}")
    string (SUBSTRING "${content}" ${tailStart} -1 tail)
    string (LENGTH "${head}${newText}" end)

    set (${fileVar} "${head}${newText}${tail}" PARENT_SCOPE)
    set (${outEnd} ${end} PARENT_SCOPE)
    set (${outError} "" PARENT_SCOPE)
endfunction()

# "\ No newline at end of file" refers to the line just before it, whose kind was `tag`.
macro (_jif_drop_last_newline tag)
    if ("${tag}" STREQUAL " " OR "${tag}" STREQUAL "-")
        string (REGEX REPLACE "\n$" "" oldText "${oldText}")
    endif()

    if ("${tag}" STREQUAL " " OR "${tag}" STREQUAL "+")
        string (REGEX REPLACE "\n$" "" newText "${newText}")
    endif()
endmacro()

# Applies one patch file to the files below treeDir (its paths are relative to the modules folder, with
# git's a/ and b/ prefixes). Lists the files it changed in outFiles.
function (_jif_apply_patch patchFile treeDir outFiles)
    get_filename_component (patchName "${patchFile}" NAME)
    file (READ "${patchFile}" text)

    # Protect the characters that CMake's list splitting would interpret, then split into lines.
    string (ASCII 1 semicolon)
    string (ASCII 2 openBracket)
    string (ASCII 3 closeBracket)
    string (ASCII 4 backslash)
    string (REPLACE "\r" "" text "${text}")
    string (REPLACE "\\" "${backslash}" text "${text}")
    string (REPLACE ";" "${semicolon}" text "${text}")
    string (REPLACE "[" "${openBracket}" text "${text}")
    string (REPLACE "]" "${closeBracket}" text "${text}")
    string (REPLACE "\n" ";" lines "${text}")

    set (changed)
    set (target "")
    set (oldLeft 0)
    set (newLeft 0)
    set (hunkNumber 0)

    # A sentinel line (it cannot occur in a patch) lets the loop itself flush the last hunk and file.
    list (APPEND lines "${semicolon}end")

    foreach (raw IN LISTS lines)
        string (REPLACE "${backslash}" "\\" line "${raw}")
        string (REPLACE "${semicolon}" ";" line "${line}")
        string (REPLACE "${openBracket}" "[" line "${line}")
        string (REPLACE "${closeBracket}" "]" line "${line}")

        if (oldLeft GREATER 0 OR newLeft GREATER 0)
            # Inside a hunk: an empty line is an empty context line (some editors strip the space).
            if (line STREQUAL "")
                set (tag " ")
                set (body "")
            else()
                string (SUBSTRING "${line}" 0 1 tag)
                string (SUBSTRING "${line}" 1 -1 body)
            endif()

            if (tag STREQUAL " ")
                string (APPEND oldText "${body}\n")
                string (APPEND newText "${body}\n")
                math (EXPR oldLeft "${oldLeft} - 1")
                math (EXPR newLeft "${newLeft} - 1")
            elseif (tag STREQUAL "-")
                string (APPEND oldText "${body}\n")
                math (EXPR oldLeft "${oldLeft} - 1")
            elseif (tag STREQUAL "+")
                string (APPEND newText "${body}\n")
                math (EXPR newLeft "${newLeft} - 1")
            elseif (tag STREQUAL "\\")
                _jif_drop_last_newline ("${lastTag}")
                continue()
            else()
                _jif_fail ("${patchName}: hunk ${hunkNumber} for ${target} ends early (line '${line}'): the patch file is damaged.")
            endif()

            set (lastTag "${tag}")

            if (oldLeft LESS_EQUAL 0 AND newLeft LESS_EQUAL 0)
                set (hunkPending TRUE)
            endif()

            continue()
        endif()

        if (line MATCHES "^\\\\")
            _jif_drop_last_newline ("${lastTag}")
            continue()
        endif()

        if (hunkPending)
            set (hunkPending FALSE)
            _jif_apply_hunk (content "${oldText}" "${newText}" ${hunkLine} ${searchFrom} searchFrom error)

            if (NOT error STREQUAL "")
                _jif_fail ("${patchName} does not apply to ${target} (hunk ${hunkNumber}: ${error}). This file differs "
                           "from the JUCE release the patch was made for. If you changed it, restore the original. If "
                           "another copy of juce-ipc-fork patched this folder, revert that first "
                           "(cmake -D JUCE_MODULES_DIR=<dir> -D REVERT=ON -P cmake/PatchJuce.cmake).")
            endif()
        endif()

        if (line MATCHES "^@@ -([0-9]+)(,([0-9]+))? \\+([0-9]+)(,([0-9]+))? @@")
            if (target STREQUAL "")
                _jif_fail ("${patchName}: a hunk comes before any '+++' file name: the patch file is damaged.")
            endif()

            set (oldLeft 1)
            set (newLeft 1)

            if (NOT CMAKE_MATCH_2 STREQUAL "")
                set (oldLeft ${CMAKE_MATCH_3})
            endif()

            if (NOT CMAKE_MATCH_5 STREQUAL "")
                set (newLeft ${CMAKE_MATCH_6})
            endif()

            set (hunkLine ${CMAKE_MATCH_4})
            set (oldText "")
            set (newText "")
            math (EXPR hunkNumber "${hunkNumber} + 1")
            continue()
        endif()

        if (line MATCHES "^\\+\\+\\+ " OR raw STREQUAL "${semicolon}end")
            if (NOT target STREQUAL "")
                if (crlf)
                    string (REPLACE "\n" "\r\n" content "${content}")
                endif()

                file (WRITE "${treeDir}/${target}" "${content}")
                list (APPEND changed "${target}")
            endif()

            if (raw STREQUAL "${semicolon}end")
                break()
            endif()

            string (REGEX REPLACE "^\\+\\+\\+ (b/)?([^\t]*).*$" "\\2" target "${line}")

            if (target STREQUAL "/dev/null" OR NOT EXISTS "${treeDir}/${target}")
                _jif_fail ("${patchName} changes '${target}', which this JUCE modules folder does not have.")
            endif()

            # file (READ) drops carriage returns, so hunks match whatever the line endings. JUCE's
            # sources use CRLF: when the file shrank in reading, write it back with CRLF.
            file (READ "${treeDir}/${target}" content)
            file (SIZE "${treeDir}/${target}" bytesOnDisk)
            string (LENGTH "${content}" bytesRead)
            set (crlf FALSE)

            if (bytesOnDisk GREATER bytesRead)
                set (crlf TRUE)
            endif()

            set (searchFrom 0)
            set (hunkNumber 0)
        endif()
    endforeach()

    if (oldLeft GREATER 0 OR newLeft GREATER 0)
        _jif_fail ("${patchName}: the last hunk for ${target} is cut short: the patch file is damaged.")
    endif()

    set (${outFiles} "${changed}" PARENT_SCOPE)
endfunction()

#===================================================================================================
function (_jif_write_manifest stateDir state juceVersion hash backedUp added)
    juce_ipc_fork_read_own_version (forkVersion)
    set (text "# Written by juce-ipc-fork: what it changed in this JUCE modules folder. Do not edit.\n")
    string (APPEND text "set (JIF_STATE \"${state}\")\n")
    string (APPEND text "set (JIF_FORK_VERSION \"${forkVersion}\")\n")
    string (APPEND text "set (JIF_JUCE_VERSION \"${juceVersion}\")\n")
    string (APPEND text "set (JIF_PAYLOAD_HASH \"${hash}\")\n")
    string (APPEND text "set (JIF_BACKED_UP \"${backedUp}\")\n")
    string (APPEND text "set (JIF_ADDED \"${added}\")\n")

    foreach (file IN LISTS backedUp added)
        set (hashOfResult "")

        if (state STREQUAL "complete")
            file (SHA256 "${stateDir}/../${file}" hashOfResult)
        endif()

        string (MAKE_C_IDENTIFIER "${file}" id)
        string (APPEND text "set (JIF_RESULT_${id} \"${hashOfResult}\")\n")
    endforeach()

    file (WRITE "${stateDir}/manifest.cmake" "${text}")
endfunction()

function (juce_ipc_fork_revert_in_place modulesDir)
    cmake_parse_arguments (ARG "FORCE;QUIET;INTERNAL" "" "" ${ARGN})
    set (_JIF_QUIET ${ARG_QUIET})
    set (stateDir "${modulesDir}/${_jif_state_folder}")

    if (NOT EXISTS "${stateDir}/manifest.cmake")
        if (NOT ARG_INTERNAL)
            _jif_say ("${modulesDir} is not patched by juce-ipc-fork: nothing to revert.")
        endif()

        return()
    endif()

    include ("${stateDir}/manifest.cmake")

    # Refuse to throw away changes made after patching, unless asked to.
    if (JIF_STATE STREQUAL "complete" AND NOT ARG_FORCE)
        set (modified)

        foreach (file IN LISTS JIF_BACKED_UP JIF_ADDED)
            string (MAKE_C_IDENTIFIER "${file}" id)

            if (EXISTS "${modulesDir}/${file}")
                file (SHA256 "${modulesDir}/${file}" hash)

                if (NOT hash STREQUAL JIF_RESULT_${id})
                    list (APPEND modified "${file}")
                endif()
            endif()
        endforeach()

        if (modified)
            list (JOIN modified ", " modifiedText)
            _jif_fail ("these files changed after juce-ipc-fork patched them: ${modifiedText}. Reverting would lose "
                       "those changes. Save them, then revert with -D FORCE=ON.")
        endif()
    endif()

    foreach (file IN LISTS JIF_BACKED_UP)
        _jif_copy ("${stateDir}/original/${file}" "${modulesDir}/${file}")
        _jif_say ("  restored ${file}")
    endforeach()

    foreach (file IN LISTS JIF_ADDED)
        file (REMOVE "${modulesDir}/${file}")
        _jif_say ("  removed  ${file}")
    endforeach()

    file (REMOVE_RECURSE "${stateDir}")
    _jif_say ("reverted ${modulesDir} to the original JUCE ${JIF_JUCE_VERSION} files.")
endfunction()

function (juce_ipc_fork_patch_in_place modulesDir)
    cmake_parse_arguments (ARG "QUIET" "" "" ${ARGN})
    set (_JIF_QUIET ${ARG_QUIET})

    juce_ipc_fork_read_juce_version ("${modulesDir}" juceVersion)
    _jif_require_supported ("${juceVersion}")
    juce_ipc_fork_read_own_version (forkVersion)
    _jif_payload ("${juceVersion}" overlay patches payloadHash)

    set (stateDir "${modulesDir}/${_jif_state_folder}")

    if (EXISTS "${stateDir}/manifest.cmake")
        include ("${stateDir}/manifest.cmake")

        if (JIF_STATE STREQUAL "complete" AND JIF_PAYLOAD_HASH STREQUAL payloadHash)
            _jif_say ("${modulesDir} is already patched (juce-ipc-fork ${forkVersion}, JUCE ${juceVersion}): nothing changed.")
            return()
        endif()

        if (JIF_STATE STREQUAL "complete")
            _jif_say ("${modulesDir} carries another juce-ipc-fork build (${JIF_FORK_VERSION}): replacing it.")
        else()
            _jif_say ("${modulesDir} holds an interrupted juce-ipc-fork run: restoring the originals first.")
        endif()

        juce_ipc_fork_revert_in_place ("${modulesDir}" INTERNAL ${ARGN})
    endif()

    execute_process (COMMAND "${CMAKE_COMMAND}" -E make_directory "${stateDir}" RESULT_VARIABLE failed OUTPUT_QUIET ERROR_QUIET)

    if (NOT failed)
        execute_process (COMMAND "${CMAKE_COMMAND}" -E touch "${stateDir}/.write-test" RESULT_VARIABLE failed OUTPUT_QUIET ERROR_QUIET)
    endif()

    if (failed)
        _jif_fail ("cannot write to ${modulesDir}. Patch a copy you own instead (cp -r ${modulesDir} <dir>), run this "
                   "as a user who may write there, or use the CMake route, which patches a copy in the build tree.")
    endif()

    file (REMOVE "${stateDir}/.write-test")
    set_property (GLOBAL PROPERTY _jif_unfinished_state_folder "${stateDir}")

    # Build every changed file in a staging folder first: a patch that does not apply stops here,
    # before anything in the JUCE folder has been touched.
    set (staging "${stateDir}/staging")
    file (REMOVE_RECURSE "${staging}")

    foreach (file IN LISTS overlay)
        _jif_copy ("${JUCE_IPC_FORK_ROOT}/modules/${file}" "${staging}/${file}")
    endforeach()

    set (patchedBy)

    foreach (patch IN LISTS patches)
        get_filename_component (patchName "${patch}" NAME)

        # Copy the upstream files this patch touches into the staging folder on first use.
        file (STRINGS "${patch}" targets REGEX "^\\+\\+\\+ ")

        foreach (targetLine IN LISTS targets)
            string (REGEX REPLACE "^\\+\\+\\+ (b/)?([^\t]*).*$" "\\2" target "${targetLine}")

            if (NOT EXISTS "${staging}/${target}" AND EXISTS "${modulesDir}/${target}")
                _jif_copy ("${modulesDir}/${target}" "${staging}/${target}")
            endif()
        endforeach()

        _jif_apply_patch ("${patch}" "${staging}" touched)

        foreach (target IN LISTS touched)
            string (MAKE_C_IDENTIFIER "${target}" id)
            list (APPEND patchedBy_${id} "${patchName}")
        endforeach()
    endforeach()

    file (GLOB_RECURSE changed RELATIVE "${staging}" "${staging}/*")
    list (SORT changed)
    set (backedUp)
    set (added)

    foreach (file IN LISTS changed)
        if (EXISTS "${modulesDir}/${file}")
            list (APPEND backedUp "${file}")
            _jif_copy ("${modulesDir}/${file}" "${stateDir}/original/${file}")
        else()
            list (APPEND added "${file}")
        endif()
    endforeach()

    # From here on the state folder holds the originals: it must survive an interruption.
    set_property (GLOBAL PROPERTY _jif_unfinished_state_folder "")

    # Recorded before the first write, so that an interrupted run can still be undone.
    _jif_write_manifest ("${stateDir}" "committing" "${juceVersion}" "${payloadHash}" "${backedUp}" "${added}")

    _jif_say ("patching JUCE ${juceVersion} in ${modulesDir} (juce-ipc-fork ${forkVersion}):")

    foreach (file IN LISTS changed)
        _jif_copy ("${staging}/${file}" "${modulesDir}/${file}")
        string (MAKE_C_IDENTIFIER "${file}" id)

        if (DEFINED patchedBy_${id})
            list (JOIN patchedBy_${id} ", " names)
            _jif_say ("  patched  ${file} (${names})")
        elseif (file IN_LIST added)
            _jif_say ("  added    ${file}")
        else()
            _jif_say ("  replaced ${file}")
        endif()
    endforeach()

    _jif_write_manifest ("${stateDir}" "complete" "${juceVersion}" "${payloadHash}" "${backedUp}" "${added}")
    file (REMOVE_RECURSE "${staging}")

    list (LENGTH changed count)
    _jif_say ("done: ${count} files changed, the originals are kept in ${stateDir}. Undo with: "
              "cmake -D JUCE_MODULES_DIR=${modulesDir} -D REVERT=ON -P ${JUCE_IPC_FORK_ROOT}/cmake/PatchJuce.cmake")
endfunction()

#===================================================================================================
# The CMake and Projucer routes: a patched copy of juce_core and juce_events in destinationDir. Files
# whose content did not change keep their timestamps, so re-configuring does not rebuild JUCE.
function (juce_ipc_fork_assemble upstreamDir destinationDir)
    juce_ipc_fork_read_juce_version ("${upstreamDir}" juceVersion)
    _jif_require_supported ("${juceVersion}")
    juce_ipc_fork_read_own_version (forkVersion)

    get_filename_component (staging "${destinationDir}/../juce-ipc-fork-staging" ABSOLUTE)
    file (REMOVE_RECURSE "${staging}")
    file (MAKE_DIRECTORY "${staging}")

    foreach (module IN LISTS _jif_patched_modules)
        file (COPY "${upstreamDir}/${module}" DESTINATION "${staging}")
    endforeach()

    juce_ipc_fork_patch_in_place ("${staging}" QUIET)

    foreach (module IN LISTS _jif_patched_modules)
        file (GLOB_RECURSE wanted RELATIVE "${staging}" "${staging}/${module}/*")
        file (GLOB_RECURSE present RELATIVE "${destinationDir}" "${destinationDir}/${module}/*")

        foreach (file IN LISTS wanted)
            _jif_copy ("${staging}/${file}" "${destinationDir}/${file}" ONLY_IF_DIFFERENT)
        endforeach()

        foreach (file IN LISTS present)
            if (NOT file IN_LIST wanted)
                file (REMOVE "${destinationDir}/${file}")
            endif()
        endforeach()
    endforeach()

    file (WRITE "${destinationDir}/JUCE_IPC_FORK.txt"
          "These juce_core and juce_events folders are JUCE ${juceVersion} from ${upstreamDir},\n"
          "patched by juce-ipc-fork ${forkVersion}. Point a Projucer project's module paths (or any\n"
          "build system's include path) at this folder. It is rewritten on every CMake configure.\n")

    file (REMOVE_RECURSE "${staging}")
    _jif_say ("patched JUCE ${juceVersion} modules (juce-ipc-fork ${forkVersion}) in ${destinationDir}")
endfunction()

# The files whose change must re-run the assembly: this project's payload and the upstream files it reads.
function (juce_ipc_fork_assembly_inputs upstreamDir outVar)
    juce_ipc_fork_read_juce_version ("${upstreamDir}" juceVersion)
    _jif_payload ("${juceVersion}" overlay patches hash)
    set (inputs "${upstreamDir}/juce_core/system/juce_StandardHeader.h" ${patches})

    foreach (file IN LISTS overlay)
        list (APPEND inputs "${JUCE_IPC_FORK_ROOT}/modules/${file}")
    endforeach()

    foreach (patch IN LISTS patches)
        file (STRINGS "${patch}" targets REGEX "^\\+\\+\\+ ")

        foreach (targetLine IN LISTS targets)
            string (REGEX REPLACE "^\\+\\+\\+ (b/)?([^\t]*).*$" "\\2" target "${targetLine}")
            list (APPEND inputs "${upstreamDir}/${target}")
        endforeach()
    endforeach()

    list (REMOVE_DUPLICATES inputs)
    set (${outVar} "${inputs}" PARENT_SCOPE)
endfunction()
