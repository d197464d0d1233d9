# juce-ipc-fork: cross-build for Windows x86-64 with MinGW-w64 (posix thread model, which has std::mutex)
# and run the results under Wine. Used by the "windows-wine" preset:
#   cmake --preset windows-wine && cmake --build --preset windows-wine && ctest --preset windows-wine
# Needs Debian's g++-mingw-w64-x86-64-posix, libz-mingw-w64-dev and wine (scripts/install-deps.sh).

set (CMAKE_SYSTEM_NAME Windows)
set (CMAKE_SYSTEM_PROCESSOR x86_64)

set (_jifTriple x86_64-w64-mingw32)

find_program (_jifMingwCxx NAMES ${_jifTriple}-g++-posix)
find_program (_jifMingwCc NAMES ${_jifTriple}-gcc-posix)
find_program (_jifWine NAMES wine)

if (NOT _jifMingwCxx OR NOT _jifMingwCc)
    message (FATAL_ERROR "juce-ipc-fork: ${_jifTriple}-g++-posix was not found. Install the MinGW-w64 cross compiler "
                         "with the posix thread model: sudo apt-get install g++-mingw-w64-x86-64-posix libz-mingw-w64-dev")
endif()

if (NOT _jifWine)
    message (FATAL_ERROR "juce-ipc-fork: wine was not found; the Windows tests run under Wine. "
                         "Install it: sudo apt-get install wine wine64")
endif()

set (CMAKE_C_COMPILER "${_jifMingwCc}")
set (CMAKE_CXX_COMPILER "${_jifMingwCxx}")
set (CMAKE_RC_COMPILER ${_jifTriple}-windres)

set (CMAKE_FIND_ROOT_PATH /usr/${_jifTriple})
set (CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set (CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set (CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set (CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Link everything statically, so that the programs need no MinGW DLLs next to them under Wine.
set (ZLIB_USE_STATIC_LIBS ON)

# Every test and helper runs through this script, which makes the Wine prefix on first use.
set (CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../wine-run.sh")
