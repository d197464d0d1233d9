/*
  juce-ipc-fork test harness: starting, killing and reaping processes with the OS's own calls, so that the
  harness does not depend on the ChildProcess code it tests.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#pragma once

#include <memory>
#include <string>
#include <vector>

namespace ipctest
{

class NativeProcess
{
public:
    /** Starts argv[0] with the given arguments (UTF-8), standard output and error going to outputPath.
        Returns nullptr if the process could not be started.
    */
    static std::unique_ptr<NativeProcess> start (const std::vector<std::string>& argv, const std::string& outputPath);

    virtual ~NativeProcess() = default;

    virtual int processId() const = 0;

    /** Waits up to timeoutMs (0: just look). Returns true once the process has ended, with its exit code;
        a process killed by a signal reports 128 + the signal number.
    */
    virtual bool wait (int timeoutMs, int& exitCode) = 0;

    /** Ends the process at once: SIGKILL, or TerminateProcess. */
    virtual void kill() = 0;
};

/** Ends the calling process at once with the given code, without running destructors or atexit handlers. */
[[noreturn]] void exitImmediately (int exitCode);

/** The calling process's id. */
int currentProcessId();

/** Whether a process with this id exists (a zombie that nobody reaped counts as gone). */
bool isProcessAlive (int processId);

/** Ends a process by id at once: SIGKILL, or TerminateProcess. */
bool killProcess (int processId);

/** Stops every thread of a process (SIGSTOP, or SuspendThread on each thread), as a hang would. */
bool suspendProcess (int processId);

/** Undoes suspendProcess(). */
bool resumeProcess (int processId);

} // namespace ipctest
