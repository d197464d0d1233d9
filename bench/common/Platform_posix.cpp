/*
  juce-ipc-fork benchmark: the operating system on Linux (and other POSIX systems where /proc is missing,
  with fewer figures).
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "Platform.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#if defined (__linux__)
 #include <sched.h>
#endif

namespace jifbench
{

double nowMs()
{
    using namespace std::chrono;
    return (double) duration_cast<nanoseconds> (steady_clock::now().time_since_epoch()).count() / 1.0e6;
}

bool pinToCpu (int cpu)
{
   #if defined (__linux__)
    cpu_set_t set;
    CPU_ZERO (&set);
    CPU_SET (cpu, &set);
    return sched_setaffinity (0, sizeof (set), &set) == 0;
   #else
    (void) cpu;
    return false;
   #endif
}

int numCpus()
{
   #if defined (__linux__)
    cpu_set_t set;

    if (sched_getaffinity (0, sizeof (set), &set) == 0)
        return CPU_COUNT (&set);
   #endif

    return (int) sysconf (_SC_NPROCESSORS_ONLN);
}

int currentProcessId()
{
    return (int) getpid();
}

bool killProcess (int processId)
{
    return processId > 0 && kill ((pid_t) processId, SIGKILL) == 0;
}

void ignoreBrokenPipeSignal()
{
    std::signal (SIGPIPE, SIG_IGN);
}

//==============================================================================
/** The number after "<key>:" in a /proc status file, or -1. */
static double statusField (const std::string& path, const char* key)
{
    std::ifstream file (path);
    std::string line;
    const auto keyLength = std::strlen (key);

    while (std::getline (file, line))
        if (line.compare (0, keyLength, key) == 0 && line.size() > keyLength && line[keyLength] == ':')
            return std::atof (line.c_str() + keyLength + 1);

    return -1.0;
}

MemoryUse ownMemoryUse()
{
    MemoryUse use;
    use.residentKiB = statusField ("/proc/self/status", "VmRSS");
    use.peakResidentKiB = statusField ("/proc/self/status", "VmHWM");
    use.threads = (int) statusField ("/proc/self/status", "Threads");

    if (use.peakResidentKiB < 0)
    {
        rusage usage {};
        getrusage (RUSAGE_SELF, &usage);
        use.peakResidentKiB = (double) usage.ru_maxrss;
    }

    return use;
}

bool sampleProcess (int processId, ProcessActivity& result)
{
    // Every thread counts: the reader threads are where a pipe wakes up.
    const auto taskFolder = "/proc/" + std::to_string (processId) + "/task";
    auto* folder = opendir (taskFolder.c_str());

    if (folder == nullptr)
        return false;

    double cpuNs = 0, switches = 0;

    while (auto* entry = readdir (folder))
    {
        if (entry->d_name[0] == '.')
            continue;

        const auto thread = taskFolder + "/" + entry->d_name;

        // schedstat's first field: nanoseconds on a CPU, far finer than the clock ticks of /proc/<pid>/stat.
        std::ifstream schedstat (thread + "/schedstat");
        double runNs = 0;

        if (schedstat >> runNs)
            cpuNs += runNs;

        // A thread that blocks and is woken again counts one voluntary switch; being preempted, one other.
        switches += std::max (0.0, statusField (thread + "/status", "voluntary_ctxt_switches"))
                  + std::max (0.0, statusField (thread + "/status", "nonvoluntary_ctxt_switches"));
    }

    closedir (folder);
    result.cpuMs = cpuNs / 1.0e6;
    result.wakeUps = switches;
    return true;
}

//==============================================================================
std::string executablePath()
{
    char buffer[4096] = {};
    const auto length = readlink ("/proc/self/exe", buffer, sizeof (buffer) - 1);
    return length > 0 ? std::string (buffer, (size_t) length) : std::string();
}

std::string temporaryFolder()
{
    const char* folder = std::getenv ("TMPDIR");
    std::string result = folder != nullptr && *folder != 0 ? folder : "/tmp";
    return result.back() == '/' ? result : result + "/";
}

void removePipeFiles (const std::string& pipeName)
{
    const auto path = pipeName.front() == '/' ? pipeName : "/tmp/" + pipeName;
    unlink ((path + "_in").c_str());
    unlink ((path + "_out").c_str());
}

std::string describeMachine()
{
    std::string cpuModel = "unknown CPU";
    std::ifstream cpuinfo ("/proc/cpuinfo");
    std::string line;

    while (std::getline (cpuinfo, line))
    {
        if (line.compare (0, 10, "model name") == 0)
        {
            const auto colon = line.find (':');
            cpuModel = line.substr (colon + 2);
            break;
        }
    }

    std::string system = "unknown system";
    std::ifstream osRelease ("/etc/os-release");

    while (std::getline (osRelease, line))
    {
        if (line.compare (0, 12, "PRETTY_NAME=") == 0)
        {
            system = line.substr (12);
            system.erase (std::remove (system.begin(), system.end(), '"'), system.end());
        }
    }

    utsname names {};
    uname (&names);

    std::ostringstream text;
    text << cpuModel << ", " << sysconf (_SC_NPROCESSORS_ONLN) << " CPUs, " << system << ", "
         << names.sysname << " " << names.release;
    return text.str();
}

} // namespace jifbench
