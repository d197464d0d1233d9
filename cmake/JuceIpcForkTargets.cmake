# juce-ipc-fork: the CMake targets.
#
# juce_ipc_fork_retarget_juce (<patchedModulesDir>)
#     Route 2. After find_package (JUCE) or add_subdirectory (JUCE) has made the juce::juce_* targets, points
#     juce_core and juce_events at the patched copy and puts that copy first on every JUCE module's include
#     path, so that each translation unit of an app sees the same (patched) juce_core and juce_events.
#
# juce_ipc_fork_add_library (<target> <patchedModulesDir> [UNIT_TESTS])
#     For this project's own tests, examples and benchmark, and for builds without JUCE's CMake helpers:
#     a static library of the patched juce_core and juce_events, as JUCE's own CMake would compile them.

include_guard (GLOBAL)

function (_jif_replace_in_property target property from to)
    get_target_property (value ${target} ${property})

    if (value)
        string (REPLACE "${from}" "${to}" value "${value}")
        set_target_properties (${target} PROPERTIES ${property} "${value}")
    endif()
endfunction()

function (juce_ipc_fork_retarget_juce patchedDir)
    get_target_property (upstreamDir juce_core INTERFACE_JUCE_MODULE_PATH)

    foreach (module juce_core juce_events)
        if (NOT TARGET ${module})
            message (FATAL_ERROR "juce-ipc-fork: JUCE's CMake defined no '${module}' target. Add juce-ipc-fork after "
                                 "find_package (JUCE) or add_subdirectory (JUCE).")
        endif()

        foreach (property INTERFACE_SOURCES INTERFACE_JUCE_MODULE_SOURCES INTERFACE_JUCE_MODULE_HEADERS)
            _jif_replace_in_property (${module} ${property} "${upstreamDir}/${module}/" "${patchedDir}/${module}/")
        endforeach()

        set_target_properties (${module} PROPERTIES INTERFACE_JUCE_MODULE_PATH "${patchedDir}")
    endforeach()

    # Every JUCE module puts the upstream modules folder on the include path; the patched folder must come
    # first everywhere, or a translation unit could see the unpatched juce_core.h.
    get_property (moduleNames GLOBAL PROPERTY _juce_module_names)

    foreach (module IN LISTS moduleNames)
        if (TARGET ${module})
            get_target_property (includes ${module} INTERFACE_INCLUDE_DIRECTORIES)

            if (NOT includes)
                set (includes)
            endif()

            list (REMOVE_ITEM includes "${patchedDir}")
            set_target_properties (${module} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${patchedDir};${includes}")
        endif()
    endforeach()

    target_compile_definitions (juce_core INTERFACE JUCE_IPC_FORK_PATCHED_BY_CMAKE=1)

    # Pipe names come from BCryptGenRandom. MSVC links bcrypt.lib through a pragma in the code; MinGW
    # needs it named.
    if (MINGW)
        target_link_libraries (juce_events INTERFACE bcrypt)
    endif()
endfunction()

#===================================================================================================
function (juce_ipc_fork_add_library target patchedDir)
    cmake_parse_arguments (ARG "UNIT_TESTS" "" "" ${ARGN})

    set (extension cpp)

    if (APPLE)
        set (extension mm)
    endif()

    add_library (${target} STATIC
        "${patchedDir}/juce_core/juce_core.${extension}"
        "${patchedDir}/juce_events/juce_events.${extension}")

    if (EXISTS "${patchedDir}/juce_core/juce_core_CompilationTime.cpp")
        target_sources (${target} PRIVATE "${patchedDir}/juce_core/juce_core_CompilationTime.cpp")
    endif()

    target_include_directories (${target} PUBLIC "${patchedDir}")
    target_compile_features (${target} PUBLIC cxx_std_17)

    # DEBUG/NDEBUG are public so that every file that includes a JUCE header agrees on the class layouts.
    target_compile_definitions (${target} PUBLIC
        JUCE_GLOBAL_MODULE_SETTINGS_INCLUDED=1
        JUCE_MODULE_AVAILABLE_juce_core=1
        JUCE_MODULE_AVAILABLE_juce_events=1
        JUCE_USE_CURL=0
        JUCE_UNIT_TESTS=$<BOOL:${ARG_UNIT_TESTS}>
        $<IF:$<CONFIG:Debug>,DEBUG=1;_DEBUG=1,NDEBUG=1;_NDEBUG=1>)

    find_package (Threads REQUIRED)
    target_link_libraries (${target} PUBLIC Threads::Threads)

    # JUCE releases carry zlib inside juce_core; Debian's package removes it and links the system's.
    if (NOT EXISTS "${patchedDir}/juce_core/zip/zlib/zlib.h")
        find_package (ZLIB)

        if (NOT ZLIB_FOUND)
            if (WIN32)
                set (zlibPackage "libz-mingw-w64-dev (MinGW) or zlib from vcpkg (MSVC)")
            else()
                set (zlibPackage "zlib1g-dev")
            endif()

            message (FATAL_ERROR "juce-ipc-fork: this JUCE has no bundled zlib (Debian removes it), and no system "
                                 "zlib was found: install ${zlibPackage}.")
        endif()

        target_link_libraries (${target} PUBLIC ZLIB::ZLIB)
    endif()

    if (WIN32)
        target_link_libraries (${target} PUBLIC ws2_32 winmm wininet version shlwapi ole32 oleaut32 uuid imm32
                                                comdlg32 rpcrt4 iphlpapi advapi32 bcrypt)
    elseif (APPLE)
        target_link_libraries (${target} PUBLIC "-framework Foundation" "-framework IOKit" "-framework Security")
    else()
        target_link_libraries (${target} PUBLIC ${CMAKE_DL_LIBS} rt)
        target_compile_definitions (${target} PUBLIC LINUX=1)
    endif()

    if (MINGW)
        # juce_core.cpp is one big translation unit: more sections than the default COFF object allows.
        target_compile_options (${target} PRIVATE -Wa,-mbig-obj)
        target_link_options (${target} PUBLIC -static)
    endif()

    if (MSVC)
        target_compile_options (${target} PRIVATE /bigobj)
    endif()
endfunction()
