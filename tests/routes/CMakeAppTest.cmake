# juce-ipc-fork, route 2 test: a real JUCE console app (find_package (JUCE CONFIG) + juce_add_console_app)
# builds against the patched modules after adding juce-ipc-fork, and runs the patched code.
#   cmake -D FORK_ROOT=<repo> -D WORK=<scratch> -D GENERATOR=<generator> -P CMakeAppTest.cmake
cmake_minimum_required (VERSION 3.22)
include ("${CMAKE_CURRENT_LIST_DIR}/RouteTestHelpers.cmake")

file (REMOVE_RECURSE "${WORK}")
file (READ "${FORK_ROOT}/modules/juce_core/network/juce_NamedPipe.h" header)
string (REGEX MATCH "JUCE_IPC_FORK_VERSION_STRING \"([^\"]+)\"" ignored "${header}")
set (forkVersion "${CMAKE_MATCH_1}")

route_run (configure "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/console_app" -B "${WORK}" -G "${GENERATOR}"
           -D "JUCE_IPC_FORK_DIR=${FORK_ROOT}" -D CMAKE_BUILD_TYPE=Release)
route_expect_output (configure success "juce-ipc-fork: patched JUCE")

route_run (build "${CMAKE_COMMAND}" --build "${WORK}")
route_expect_output (build success)

# Every JUCE source the app compiles comes from the patched copy.
file (GLOB_RECURSE buildFiles "${WORK}/*.ninja" "${WORK}/*.make" "${WORK}/Makefile")
set (buildText "")

foreach (file IN LISTS buildFiles)
    file (READ "${file}" text)
    string (APPEND buildText "${text}")
endforeach()

string (FIND "${buildText}" "juce-ipc-fork-modules/juce_core/juce_core.cpp" patchedCore)
string (FIND "${buildText}" "juce-ipc-fork-modules/juce_events/juce_events.cpp" patchedEvents)

if (patchedCore EQUAL -1 OR patchedEvents EQUAL -1)
    route_fail ("the app does not compile juce_core.cpp and juce_events.cpp from juce-ipc-fork-modules")
endif()

file (GLOB_RECURSE apps "${WORK}/ForkedConsoleApp_artefacts/*ForkedConsoleApp")
list (FILTER apps EXCLUDE REGEX "JuceLibraryCode")

if (NOT apps)
    route_fail ("the app was not built")
endif()

list (GET apps 0 app)
route_run (app "${app}")
route_expect_output (app success "compiled with juce-ipc-fork ${forkVersion}" "pipe exchange ok")

file (REMOVE_RECURSE "${WORK}")
message ("route 2: a juce_add_console_app app runs juce-ipc-fork ${forkVersion}")
