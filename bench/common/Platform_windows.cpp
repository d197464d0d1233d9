/*
  juce-ipc-fork benchmark: the operating system on Windows (and under Wine, where it says so).
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "Platform.h"

#include <chrono>
#include <sstream>

#ifndef NOMINMAX
 #define NOMINMAX
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <psapi.h>
#include <tlhelp32.h>

namespace jifbench
{

double nowMs()
{
    using namespace std::chrono;
    return (double) duration_cast<nanoseconds> (steady_clock::now().time_since_epoch()).count() / 1.0e6;
}

bool pinToCpu (int cpu)
{
    return SetProcessAffinityMask (GetCurrentProcess(), (DWORD_PTR) 1 << cpu) != 0;
}

int numCpus()
{
    DWORD_PTR processMask = 0, systemMask = 0;

    if (! GetProcessAffinityMask (GetCurrentProcess(), &processMask, &systemMask))
        return 1;

    int count = 0;

    for (; processMask != 0; processMask &= processMask - 1)
        ++count;

    return count;
}

int currentProcessId()
{
    return (int) GetCurrentProcessId();
}

bool killProcess (int processId)
{
    auto process = OpenProcess (PROCESS_TERMINATE, FALSE, (DWORD) processId);

    if (process == nullptr)
        return false;

    const auto killed = TerminateProcess (process, 137) != 0;
    CloseHandle (process);
    return killed;
}

void ignoreBrokenPipeSignal()
{
    // Windows has no SIGPIPE: a write to a pipe whose reader has gone fails with ERROR_NO_DATA.
}

//==============================================================================
static double fileTimeMs (const FILETIME& time)
{
    return (double) (((uint64_t) time.dwHighDateTime << 32) | time.dwLowDateTime) / 1.0e4;
}

MemoryUse ownMemoryUse()
{
    MemoryUse use;
    PROCESS_MEMORY_COUNTERS counters {};

    if (GetProcessMemoryInfo (GetCurrentProcess(), &counters, sizeof (counters)))
    {
        use.residentKiB = (double) counters.WorkingSetSize / 1024.0;
        use.peakResidentKiB = (double) counters.PeakWorkingSetSize / 1024.0;
    }

    auto snapshot = CreateToolhelp32Snapshot (TH32CS_SNAPTHREAD, 0);

    if (snapshot != INVALID_HANDLE_VALUE)
    {
        THREADENTRY32 entry {};
        entry.dwSize = sizeof (entry);
        use.threads = 0;

        for (auto more = Thread32First (snapshot, &entry); more; more = Thread32Next (snapshot, &entry))
            if (entry.th32OwnerProcessID == GetCurrentProcessId())
                ++use.threads;

        CloseHandle (snapshot);
    }

    return use;
}

bool sampleProcess (int processId, ProcessActivity& result)
{
    auto process = OpenProcess (PROCESS_QUERY_LIMITED_INFORMATION, FALSE, (DWORD) processId);

    if (process == nullptr)
        return false;

    FILETIME created {}, exited {}, kernel {}, user {};
    const auto ok = GetProcessTimes (process, &created, &exited, &kernel, &user) != 0;
    CloseHandle (process);

    if (! ok)
        return false;

    // Context switches per thread need NtQuerySystemInformation, which Wine does not fill in: not reported.
    result.cpuMs = fileTimeMs (kernel) + fileTimeMs (user);
    result.wakeUps = -1.0;
    return true;
}

//==============================================================================
static std::string toUtf8 (const wchar_t* text)
{
    const auto length = WideCharToMultiByte (CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);

    if (length <= 1)
        return {};

    std::string result ((size_t) length - 1, '\0');
    WideCharToMultiByte (CP_UTF8, 0, text, -1, result.data(), length, nullptr, nullptr);
    return result;
}

std::string executablePath()
{
    wchar_t buffer[MAX_PATH * 4] = {};
    GetModuleFileNameW (nullptr, buffer, (DWORD) (sizeof (buffer) / sizeof (buffer[0])));
    return toUtf8 (buffer);
}

std::string temporaryFolder()
{
    wchar_t buffer[MAX_PATH + 1] = {};
    GetTempPathW (MAX_PATH + 1, buffer);
    return toUtf8 (buffer);
}

void removePipeFiles (const std::string&)
{
}

std::string describeMachine()
{
    SYSTEM_INFO info {};
    GetSystemInfo (&info);

    std::string cpuModel = "unknown CPU";
    HKEY key = nullptr;

    if (RegOpenKeyExW (HKEY_LOCAL_MACHINE, L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0", 0, KEY_READ, &key) == ERROR_SUCCESS)
    {
        wchar_t name[256] = {};
        DWORD size = sizeof (name) - sizeof (wchar_t);

        if (RegQueryValueExW (key, L"ProcessorNameString", nullptr, nullptr, (LPBYTE) name, &size) == ERROR_SUCCESS)
            cpuModel = toUtf8 (name);

        RegCloseKey (key);
    }

    std::ostringstream text;
    text << cpuModel << ", " << info.dwNumberOfProcessors << " CPUs, ";

    // Under Wine, ntdll says which Wine and which host system.
    using VersionFunction = const char* (*)();
    using HostFunction = void (*) (const char**, const char**);
    auto ntdll = GetModuleHandleW (L"ntdll.dll");
    auto wineVersion = ntdll != nullptr ? (VersionFunction) (void*) GetProcAddress (ntdll, "wine_get_version") : nullptr;
    auto hostVersion = ntdll != nullptr ? (HostFunction) (void*) GetProcAddress (ntdll, "wine_get_host_version") : nullptr;

    if (wineVersion != nullptr)
    {
        text << "Wine " << wineVersion();

        if (hostVersion != nullptr)
        {
            const char* sysname = nullptr;
            const char* release = nullptr;
            hostVersion (&sysname, &release);
            text << " on " << (sysname != nullptr ? sysname : "?") << " " << (release != nullptr ? release : "?");
        }
    }
    else
    {
        text << "Windows";
    }

    return text.str();
}

} // namespace jifbench
