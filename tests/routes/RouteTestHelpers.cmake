# juce-ipc-fork route tests: small assertions for the CMake-script tests of the three drop-in routes.
include_guard (GLOBAL)

function (route_fail)
    string (JOIN "" text ${ARGN})
    message (FATAL_ERROR "FAILED: ${text}")
endfunction()

# Runs a command; stores its exit code and combined output in <prefix>_CODE and <prefix>_OUTPUT.
function (route_run prefix)
    execute_process (COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
    list (JOIN ARGN " " commandLine)
    message ("$ ${commandLine}\n${out}${err}")
    set (${prefix}_CODE "${code}" PARENT_SCOPE)
    set (${prefix}_OUTPUT "${out}${err}" PARENT_SCOPE)
endfunction()

function (route_expect_output prefix expectedCode)
    if (expectedCode STREQUAL "success" AND NOT ${prefix}_CODE EQUAL 0)
        route_fail ("expected success, got exit code ${${prefix}_CODE}")
    endif()

    if (expectedCode STREQUAL "failure" AND ${prefix}_CODE EQUAL 0)
        route_fail ("expected a failure, but the command succeeded")
    endif()

    # CMake wraps and indents its messages: compare with runs of white space made single spaces.
    string (REGEX REPLACE "[ \t\r\n]+" " " output "${${prefix}_OUTPUT}")

    foreach (needle IN LISTS ARGN)
        string (FIND "${output}" "${needle}" at)

        if (at EQUAL -1)
            route_fail ("the output does not say '${needle}'")
        endif()
    endforeach()
endfunction()

# Every file below folder (hidden ones too) with its SHA256: "<path>=<hash>" entries, sorted.
function (route_snapshot folder outVar)
    file (GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE "${folder}" "${folder}/*")
    list (SORT files)
    set (entries)

    foreach (file IN LISTS files)
        file (SHA256 "${folder}/${file}" hash)
        list (APPEND entries "${file}=${hash}")
    endforeach()

    set (${outVar} "${entries}" PARENT_SCOPE)
endfunction()

function (route_expect_same_snapshot before after what)
    if (NOT "${before}" STREQUAL "${after}")
        set (onlyBefore ${before})
        set (onlyAfter ${after})
        list (REMOVE_ITEM onlyBefore ${after})
        list (REMOVE_ITEM onlyAfter ${before})
        route_fail ("${what}: the folder differs. Before only: ${onlyBefore}. After only: ${onlyAfter}")
    endif()
endfunction()

function (route_copy_upstream upstream destination)
    file (REMOVE_RECURSE "${destination}")
    file (MAKE_DIRECTORY "${destination}")
    file (COPY "${upstream}/juce_core" "${upstream}/juce_events" DESTINATION "${destination}")
endfunction()
