/*
  juce-ipc-fork tests, Windows leg: a small tasklist.exe. Wine 8's tasklist.exe is a stub that prints
  nothing, and JUCE's own ChildProcess test starts "tasklist" and expects output. The build puts this one
  next to the test programs, where CreateProcess finds it first. It lists the running processes with the
  Toolhelp API, in the first two columns of the real tool's output.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <tlhelp32.h>
#include <cstdio>

int main()
{
    auto snapshot = CreateToolhelp32Snapshot (TH32CS_SNAPPROCESS, 0);

    if (snapshot == INVALID_HANDLE_VALUE)
        return 1;

    PROCESSENTRY32W entry {};
    entry.dwSize = sizeof (entry);

    std::printf ("%-28s %8s\n", "Image Name", "PID");
    std::printf ("============================ ========\n");

    for (auto ok = Process32FirstW (snapshot, &entry); ok; ok = Process32NextW (snapshot, &entry))
        std::printf ("%-28ls %8lu\n", entry.szExeFile, (unsigned long) entry.th32ProcessID);

    CloseHandle (snapshot);
    return 0;
}
