/*
  juce-ipc-fork test harness: processes through the OS's own calls.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "NativeProcess.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#ifdef _WIN32
 #ifndef NOMINMAX
  #define NOMINMAX
 #endif
 #define WIN32_LEAN_AND_MEAN
 #include <windows.h>
 #include <tlhelp32.h>
#else
 #include <cerrno>
 #include <csignal>
 #include <fcntl.h>
 #include <spawn.h>
 #include <sys/wait.h>
 #include <unistd.h>
 extern char** environ;
#endif

namespace ipctest
{

#ifdef _WIN32

static std::wstring toWide (const std::string& utf8)
{
    if (utf8.empty())
        return {};

    const auto length = MultiByteToWideChar (CP_UTF8, 0, utf8.data(), (int) utf8.size(), nullptr, 0);
    std::wstring result ((size_t) length, L'\0');
    MultiByteToWideChar (CP_UTF8, 0, utf8.data(), (int) utf8.size(), result.data(), length);
    return result;
}

// The quoting rules of CommandLineToArgvW: backslashes are literal unless they precede a quote.
static void appendQuoted (std::wstring& commandLine, const std::wstring& argument)
{
    if (! commandLine.empty())
        commandLine += L' ';

    if (! argument.empty() && argument.find_first_of (L" \t\n\v\"") == std::wstring::npos)
    {
        commandLine += argument;
        return;
    }

    commandLine += L'"';

    for (auto it = argument.begin();; ++it)
    {
        size_t backslashes = 0;

        while (it != argument.end() && *it == L'\\')
        {
            ++it;
            ++backslashes;
        }

        if (it == argument.end())
        {
            commandLine.append (backslashes * 2, L'\\');
            break;
        }

        if (*it == L'"')
        {
            commandLine.append (backslashes * 2 + 1, L'\\');
            commandLine += *it;
        }
        else
        {
            commandLine.append (backslashes, L'\\');
            commandLine += *it;
        }
    }

    commandLine += L'"';
}

class WindowsProcess final : public NativeProcess
{
public:
    explicit WindowsProcess (PROCESS_INFORMATION info) : process (info.hProcess), id ((int) info.dwProcessId)
    {
        CloseHandle (info.hThread);
    }

    ~WindowsProcess() override      { CloseHandle (process); }

    int processId() const override  { return id; }

    bool wait (int timeoutMs, int& exitCode) override
    {
        if (WaitForSingleObject (process, (DWORD) timeoutMs) != WAIT_OBJECT_0)
            return false;

        DWORD code = 0;
        GetExitCodeProcess (process, &code);
        exitCode = (int) code;
        return true;
    }

    void kill() override            { TerminateProcess (process, 137); }

private:
    HANDLE process;
    int id;
};

std::unique_ptr<NativeProcess> NativeProcess::start (const std::vector<std::string>& argv, const std::string& outputPath)
{
    std::wstring commandLine;

    for (auto& argument : argv)
        appendQuoted (commandLine, toWide (argument));

    // The output file is the only handle the helper inherits: it is named alone in a handle list, so
    // that no pipe handle of the test process leaks into the helper by accident.
    SECURITY_ATTRIBUTES inheritable { sizeof (SECURITY_ATTRIBUTES), nullptr, TRUE };
    auto output = CreateFileW (toWide (outputPath).c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                               &inheritable, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);

    if (output == INVALID_HANDLE_VALUE)
        return nullptr;

    SIZE_T attributeBytes = 0;
    InitializeProcThreadAttributeList (nullptr, 1, 0, &attributeBytes);
    std::vector<char> attributeStorage (attributeBytes);
    auto attributes = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST> (attributeStorage.data());
    HANDLE inherited[] = { output };

    const bool haveList = InitializeProcThreadAttributeList (attributes, 1, 0, &attributeBytes)
                       && UpdateProcThreadAttribute (attributes, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                                     inherited, sizeof (inherited), nullptr, nullptr);

    STARTUPINFOEXW startup {};
    startup.StartupInfo.cb = sizeof (startup);
    startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
    startup.StartupInfo.hStdInput = nullptr;
    startup.StartupInfo.hStdOutput = output;
    startup.StartupInfo.hStdError = output;

    DWORD flags = CREATE_NO_WINDOW;

    if (haveList)
    {
        startup.lpAttributeList = attributes;
        flags |= EXTENDED_STARTUPINFO_PRESENT;
    }

    PROCESS_INFORMATION info {};
    const auto ok = CreateProcessW (nullptr, commandLine.data(), nullptr, nullptr, TRUE, flags,
                                    nullptr, nullptr, &startup.StartupInfo, &info);

    if (haveList)
        DeleteProcThreadAttributeList (attributes);

    CloseHandle (output);

    if (! ok)
        return nullptr;

    return std::make_unique<WindowsProcess> (info);
}

void exitImmediately (int exitCode)
{
    TerminateProcess (GetCurrentProcess(), (UINT) exitCode);
    std::_Exit (exitCode);
}

int currentProcessId()
{
    return (int) GetCurrentProcessId();
}

bool isProcessAlive (int processId)
{
    const auto process = OpenProcess (PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, (DWORD) processId);

    if (process == nullptr)
        return false;

    const auto running = WaitForSingleObject (process, 0) == WAIT_TIMEOUT;
    CloseHandle (process);
    return running;
}

bool killProcess (int processId)
{
    const auto process = OpenProcess (PROCESS_TERMINATE, FALSE, (DWORD) processId);

    if (process == nullptr)
        return false;

    const auto killed = TerminateProcess (process, 137) != 0;
    CloseHandle (process);
    return killed;
}

static bool forEachThreadOf (int processId, DWORD (WINAPI* action) (HANDLE))
{
    const auto snapshot = CreateToolhelp32Snapshot (TH32CS_SNAPTHREAD, 0);

    if (snapshot == INVALID_HANDLE_VALUE)
        return false;

    THREADENTRY32 entry {};
    entry.dwSize = sizeof (entry);
    int count = 0;

    for (auto ok = Thread32First (snapshot, &entry); ok; ok = Thread32Next (snapshot, &entry))
    {
        if (entry.th32OwnerProcessID != (DWORD) processId)
            continue;

        if (const auto thread = OpenThread (THREAD_SUSPEND_RESUME, FALSE, entry.th32ThreadID))
        {
            action (thread);
            CloseHandle (thread);
            ++count;
        }
    }

    CloseHandle (snapshot);
    return count > 0;
}

bool suspendProcess (int processId)     { return forEachThreadOf (processId, SuspendThread); }
bool resumeProcess (int processId)      { return forEachThreadOf (processId, ResumeThread); }

#else

class PosixProcess final : public NativeProcess
{
public:
    explicit PosixProcess (pid_t p) : pid (p) {}

    ~PosixProcess() override
    {
        // Never leave a zombie or a running helper behind.
        int ignored = 0;

        if (! reaped && ! wait (0, ignored))
        {
            kill();
            wait (5000, ignored);
        }
    }

    int processId() const override  { return (int) pid; }

    bool wait (int timeoutMs, int& exitCode) override
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds (timeoutMs);

        for (;;)
        {
            if (reaped)
            {
                exitCode = status;
                return true;
            }

            int rawStatus = 0;
            const auto result = waitpid (pid, &rawStatus, WNOHANG);

            if (result == pid)
            {
                reaped = true;
                status = WIFEXITED (rawStatus) ? WEXITSTATUS (rawStatus)
                                               : 128 + (WIFSIGNALED (rawStatus) ? WTERMSIG (rawStatus) : 0);
                continue;
            }

            if (result < 0 && errno != EINTR)
                return false;

            if (std::chrono::steady_clock::now() >= deadline)
                return false;

            std::this_thread::sleep_for (std::chrono::microseconds (500));
        }
    }

    void kill() override
    {
        if (! reaped)
            ::kill (pid, SIGKILL);
    }

private:
    pid_t pid;
    bool reaped = false;
    int status = -1;
};

std::unique_ptr<NativeProcess> NativeProcess::start (const std::vector<std::string>& argv, const std::string& outputPath)
{
    std::vector<char*> arguments;

    for (auto& argument : argv)
        arguments.push_back (const_cast<char*> (argument.c_str()));

    arguments.push_back (nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init (&actions);
    posix_spawn_file_actions_addopen (&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen (&actions, 1, outputPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2 (&actions, 1, 2);

    pid_t pid = 0;
    const auto result = posix_spawn (&pid, arguments[0], &actions, nullptr, arguments.data(), environ);
    posix_spawn_file_actions_destroy (&actions);

    if (result != 0)
        return nullptr;

    return std::make_unique<PosixProcess> (pid);
}

void exitImmediately (int exitCode)
{
    std::_Exit (exitCode);
}

int currentProcessId()                  { return (int) getpid(); }
bool isProcessAlive (int processId)
{
    if (::kill ((pid_t) processId, 0) != 0 && errno != EPERM)
        return false;

    // A zombie has ended; only its exit status waits to be collected.
    char path[64];
    std::snprintf (path, sizeof (path), "/proc/%d/stat", processId);

    if (auto* file = std::fopen (path, "r"))
    {
        char state = 0;
        const auto fields = std::fscanf (file, "%*d (%*[^)]) %c", &state);
        std::fclose (file);
        return ! (fields == 1 && state == 'Z');
    }

    return true;
}
bool killProcess (int processId)        { return ::kill ((pid_t) processId, SIGKILL) == 0; }
bool suspendProcess (int processId)     { return ::kill ((pid_t) processId, SIGSTOP) == 0; }
bool resumeProcess (int processId)      { return ::kill ((pid_t) processId, SIGCONT) == 0; }

#endif

} // namespace ipctest
