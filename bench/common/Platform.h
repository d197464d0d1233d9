/*
  juce-ipc-fork benchmark: what the benchmark needs from the operating system, behind one portable header
  (Platform_posix.cpp, Platform_windows.cpp). Nothing here uses JUCE, so that the raw variant and the driver
  link nothing of it and the JUCE variants measure JUCE only.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#pragma once

#include <cstdint>
#include <string>

namespace jifbench
{

/** Milliseconds on a clock that every process of the machine shares (steady, sub-microsecond resolution). */
double nowMs();

/** Pins the calling process to one CPU. Call it first thing in main(): threads started later inherit it.
    Returns false if the system refused.
*/
bool pinToCpu (int cpu);

/** The number of CPUs this process may run on. */
int numCpus();

int currentProcessId();

/** Ends another process at once: SIGKILL, or TerminateProcess. Returns false if it could not be asked to. */
bool killProcess (int processId);

/** Makes a write to a pipe whose reader has gone fail with an error instead of ending the process. */
void ignoreBrokenPipeSignal();

//==============================================================================
struct MemoryUse
{
    double residentKiB = -1.0;      // now: VmRSS, or the working set
    double peakResidentKiB = -1.0;  // the high-water mark: VmHWM, or the peak working set
    int threads = -1;
};

/** The calling process's memory and thread count. */
MemoryUse ownMemoryUse();

/** What a process has consumed so far, for measuring an interval. */
struct ProcessActivity
{
    double cpuMs = -1.0;        // user + system time of all its threads
    double wakeUps = -1.0;      // context switches of all its threads (Linux); -1 where the OS does not say
};

bool sampleProcess (int processId, ProcessActivity& result);

//==============================================================================
/** The path of the running executable. */
std::string executablePath();

/** The folder temporary files go in, with a trailing separator. */
std::string temporaryFolder();

/** The POSIX FIFOs of a pipe name as JUCE lays them out (/tmp/<name>_in, _out); removes those that exist.
    Does nothing on Windows, where a named pipe disappears with its last handle.
*/
void removePipeFiles (const std::string& pipeName);

/** One line about the machine and OS, for the report: CPU model, CPUs, kernel or Wine version. */
std::string describeMachine();

} // namespace jifbench
