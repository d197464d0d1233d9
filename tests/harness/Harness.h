/*
  juce-ipc-fork test harness: real helper processes, bounded waits.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.

  A test that needs a second process re-launches this test executable in a named role (see Roles.cpp):
  HelperProcess starts it, can kill it for real (SIGKILL / TerminateProcess), and waits for it with a
  timeout. Every helper also carries a lifetime limit after which it exits by itself, so a test that fails
  half-way never leaves processes behind.
*/

#pragma once

#include <juce_core/juce_core.h>
#include <juce_events/juce_events.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace ipctest
{

//==============================================================================
/** A role: what the test executable does when it is launched with --jif-role=<name>. It receives the
    arguments after the role's options and returns the process's exit code.
*/
using RoleFunction = int (*) (const juce::StringArray& args);

struct Role
{
    const char* name;
    RoleFunction function;
};

/** The table of all roles, defined in Roles.cpp. */
extern const Role roleTable[];
extern const size_t numRoles;

/** Runs the role named on the command line, if there is one. Returns true and sets exitCode if it did. */
bool runRoleIfRequested (int argc, char** argv, int& exitCode);

/** The command-line ids of workers that ChildProcessCoordinator starts from this executable begin
    with this; the rest of the id is the worker's mode, e.g. "jifworkerEcho". They run role "worker"
    with the arguments { mode, id, full command line }.
*/
constexpr const char* workerIdPrefix = "jifworker";

//==============================================================================
/** A helper process: this test executable running one role. */
class HelperProcess
{
public:
    /** Starts the helper. It exits by itself after lifetimeMs even if nobody stops it.
        Its standard output and error are kept in a file, see getOutput().
    */
    HelperProcess (const juce::String& role, const juce::StringArray& args = {}, int lifetimeMs = 60000);

    /** Starts another program (for example one built against unpatched JUCE). It gets no lifetime
        limit of its own; the destructor kills it if it still runs.
    */
    HelperProcess (const juce::File& program, const juce::StringArray& args);

    /** Kills the helper if it is still running. */
    ~HelperProcess();

    bool started() const noexcept           { return processStarted; }
    bool isRunning();

    /** Kills the process at once (SIGKILL, or TerminateProcess on Windows). */
    void kill();

    /** Waits for the process to end. Returns its exit code, or -1 if it still runs after timeoutMs. */
    int waitForExit (int timeoutMs);

    /** The process id, for diagnostics and for /proc inspection. */
    int getProcessId() const noexcept       { return processId; }

    /** What the helper printed so far. */
    juce::String getOutput() const;

private:
    struct Native;
    std::unique_ptr<Native> native;

    void start (const juce::String& name, const std::vector<std::string>& argv);

    juce::File outputFile;
    bool processStarted = false;
    int processId = 0;
    int exitCode = -1;
    bool exited = false;

    JUCE_DECLARE_NON_COPYABLE (HelperProcess)
};

//==============================================================================
/** Polls condition every millisecond until it holds or timeoutMs passes. Returns the last result. */
bool waitFor (const std::function<bool()>& condition, int timeoutMs);

/** A pipe name no other test or run uses. */
juce::String uniquePipeName (const juce::String& tag);

/** Milliseconds since an arbitrary point, with sub-millisecond resolution. */
double nowMs();

/** A scoped stopwatch in milliseconds. */
struct Stopwatch
{
    double start = nowMs();
    double elapsedMs() const    { return nowMs() - start; }
};

/** The current test executable. */
juce::File getTestExecutable();

/** The arguments that start this test executable in a role, for starting it with other means
    than HelperProcess (juce::ChildProcess, for example).
*/
juce::StringArray roleCommandLine (const juce::String& role, const juce::StringArray& args = {}, int lifetimeMs = 60000);

/** Writes a line to the helper's output file (stdout) and flushes it, so tests can read progress. */
void helperLog (const juce::String& text);

#if JUCE_WINDOWS
/** Windows: whether this runs under Wine rather than Windows. */
bool isRunningUnderWine();
#else
/** POSIX: this process's open descriptors (from /proc/self/fd), each number with where it leads. The
    listing itself holds one descriptor, to /proc/<pid>/fd, while it reads.
*/
std::vector<std::pair<int, juce::String>> openDescriptors();

/** Where each of this process's descriptors leads. */
juce::StringArray openDescriptorTargets();
#endif

} // namespace ipctest
