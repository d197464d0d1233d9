# juce-ipc-fork, route 3 test: the build writes complete patched juce_core and juce_events folders, at the
# documented place, for Projucer projects and other build systems: every upstream file is there, untouched
# unless this project replaces or patches it, and this project's files are there as written.
#   cmake -D FORK_ROOT=<repo> -D UPSTREAM=<JUCE modules> -D OUTPUT=<build>/juce-ipc-fork-modules -P ModulesFolderTest.cmake
cmake_minimum_required (VERSION 3.22)
include ("${CMAKE_CURRENT_LIST_DIR}/RouteTestHelpers.cmake")

foreach (module juce_core juce_events)
    if (NOT EXISTS "${OUTPUT}/${module}/${module}.h")
        route_fail ("${OUTPUT}/${module} is missing or incomplete")
    endif()

    file (STRINGS "${OUTPUT}/${module}/${module}.h" declaration REGEX "BEGIN_JUCE_MODULE_DECLARATION")

    if (NOT declaration)
        route_fail ("${module}.h in ${OUTPUT} has no JUCE module declaration")
    endif()
endforeach()

if (NOT EXISTS "${OUTPUT}/JUCE_IPC_FORK.txt")
    route_fail ("${OUTPUT}/JUCE_IPC_FORK.txt, which says what the folder is, is missing")
endif()

file (GLOB_RECURSE overlay RELATIVE "${FORK_ROOT}/modules" "${FORK_ROOT}/modules/*")
include ("${FORK_ROOT}/cmake/JuceIpcFork.cmake")
juce_ipc_fork_read_juce_version ("${UPSTREAM}" juceVersion)
set (patchTargets)
file (GLOB patches "${FORK_ROOT}/patches/juce-${juceVersion}/*.patch")

foreach (patch IN LISTS patches)
    file (STRINGS "${patch}" targets REGEX "^\\+\\+\\+ ")

    foreach (line IN LISTS targets)
        string (REGEX REPLACE "^\\+\\+\\+ (b/)?([^\t]*).*$" "\\2" target "${line}")
        list (APPEND patchTargets "${target}")
    endforeach()
endforeach()

foreach (module juce_core juce_events)
    file (GLOB_RECURSE upstreamFiles RELATIVE "${UPSTREAM}" "${UPSTREAM}/${module}/*")

    foreach (file IN LISTS upstreamFiles)
        if (NOT EXISTS "${OUTPUT}/${file}")
            route_fail ("${file} is missing from ${OUTPUT}")
        endif()

        if (NOT file IN_LIST overlay AND NOT file IN_LIST patchTargets)
            file (SHA256 "${UPSTREAM}/${file}" expected)
            file (SHA256 "${OUTPUT}/${file}" actual)

            if (NOT expected STREQUAL actual)
                route_fail ("${file} differs from upstream, though this project neither replaces nor patches it")
            endif()
        endif()
    endforeach()
endforeach()

foreach (file IN LISTS overlay)
    file (SHA256 "${FORK_ROOT}/modules/${file}" expected)
    file (SHA256 "${OUTPUT}/${file}" actual)

    if (NOT expected STREQUAL actual)
        route_fail ("${file} in ${OUTPUT} is not this project's file")
    endif()
endforeach()

foreach (file IN LISTS patchTargets)
    file (SHA256 "${UPSTREAM}/${file}" upstreamHash)
    file (SHA256 "${OUTPUT}/${file}" outputHash)

    if (upstreamHash STREQUAL outputHash)
        route_fail ("${file} in ${OUTPUT} is not patched")
    endif()
endforeach()

message ("route 3: ${OUTPUT} holds complete, patched juce_core and juce_events folders")
