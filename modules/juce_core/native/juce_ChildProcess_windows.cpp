/*
  ==============================================================================

   juce-ipc-fork: a drop-in fixed fork of JUCE's inter-process communication.
   Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.

  ==============================================================================
*/

/*  ChildProcess on Windows.

    The child's standard output and error (those the caller asked for) go into one pipe that
    the parent reads. Nothing else of the parent reaches the child:

    - every handle made here is created non-inheritable;
    - the pipe's write end, the one handle the child must inherit, is named alone in a
      PROC_THREAD_ATTRIBUTE_HANDLE_LIST: CreateProcess (bInheritHandles = TRUE) then hands the
      child that handle and no other, not even handles that other code in this process made
      inheritable;
    - the write end is inheritable only while CreateProcess runs, under a lock that every start
      takes, so that no other child started here can pick it up where a handle list is missing;
    - the parent closes its copy of the write end as soon as CreateProcess returns. The child
      then holds the only copy, and the parent's read ends with ERROR_BROKEN_PIPE (end-of-file)
      the moment the child has gone.

    The read end is an overlapped named pipe, because a read must wait for data and for the
    process at the same time (an anonymous pipe can only be read blocking): it ends at
    end-of-file, or when the process has exited and the pipe is empty, as JUCE's own
    ChildProcess does, so that a process the child started and that inherited its output
    cannot keep the parent reading.

    The pipe's security descriptor and the event wrapper are those of
    juce_NamedPipe_windows.cpp, which juce_core.cpp includes before this file.
*/

namespace juce
{

namespace ChildProcessWindows
{
    /** The kernel buffer of the output pipe. */
    constexpr DWORD outputPipeBufferBytes = 64 * 1024;

    //==============================================================================
    /** A kernel handle, closed in exactly one place. Holds nullptr when empty, whichever of
        nullptr or INVALID_HANDLE_VALUE the call that made it returns for a failure.
    */
    class ScopedHandle
    {
    public:
        ScopedHandle() = default;
        explicit ScopedHandle (HANDLE h) noexcept   { reset (h); }
        ~ScopedHandle()                             { reset(); }

        HANDLE get() const noexcept                 { return handle; }
        bool isValid() const noexcept               { return handle != nullptr; }

        void reset (HANDLE newHandle = nullptr) noexcept
        {
            if (handle != nullptr)
                CloseHandle (handle);

            handle = newHandle == INVALID_HANDLE_VALUE ? nullptr : newHandle;
        }

    private:
        HANDLE handle = nullptr;

        JUCE_DECLARE_NON_COPYABLE (ScopedHandle)
    };

    //==============================================================================
    /** A PROC_THREAD_ATTRIBUTE_LIST that names the one handle a child may inherit. */
    class InheritedHandleList
    {
    public:
        explicit InheritedHandleList (HANDLE handleToInherit) : handles { handleToInherit }
        {
            SIZE_T numBytes = 0;
            InitializeProcThreadAttributeList (nullptr, 1, 0, &numBytes);

            if (numBytes == 0)
                return;

            storage.malloc (numBytes);
            auto* list = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST> (storage.get());

            if (! InitializeProcThreadAttributeList (list, 1, 0, &numBytes))
                return;

            initialised = list;

            // The list keeps a pointer to `handles`, which lives as long as this object.
            if (UpdateProcThreadAttribute (list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST,
                                           handles, sizeof (handles), nullptr, nullptr))
                attributes = list;
        }

        ~InheritedHandleList()
        {
            if (initialised != nullptr)
                DeleteProcThreadAttributeList (initialised);
        }

        /** The list, or nullptr where this Windows could not make one. */
        LPPROC_THREAD_ATTRIBUTE_LIST get() const noexcept  { return attributes; }

    private:
        HANDLE handles[1];
        HeapBlock<char> storage;
        LPPROC_THREAD_ATTRIBUTE_LIST initialised = nullptr, attributes = nullptr;

        JUCE_DECLARE_NON_COPYABLE (InheritedHandleList)
    };

    //==============================================================================
    /** Taken around the moment a child's write end is inheritable, by every start. */
    static CriticalSection& getInheritanceLock()
    {
        static CriticalSection lock;
        return lock;
    }

    /** Makes the output pipe: an overlapped read end for the parent and a synchronous write end
        for the child (programs write their standard output without OVERLAPPED), both private to
        the current user, non-inheritable, and closed to remote clients.
    */
    static bool createOutputPipe (ScopedHandle& readEnd, ScopedHandle& writeEnd)
    {
        static std::atomic<uint32> pipesMade { 0 };

        LARGE_INTEGER ticks {};
        QueryPerformanceCounter (&ticks);

        // Unique on the machine, and hard to guess in advance; FILE_FLAG_FIRST_PIPE_INSTANCE makes
        // the creation fail rather than join a pipe of that name that someone else made.
        const auto name = "\\\\.\\pipe\\juce-child-output-" + String ((int64) GetCurrentProcessId())
                            + "-" + String (++pipesMade) + "-" + String::toHexString (ticks.QuadPart);

        NamedPipeWindows::PrivateSecurityDescriptor descriptor;

        if (descriptor.get() == nullptr)
            return false;

        SECURITY_ATTRIBUTES attributes { sizeof (SECURITY_ATTRIBUTES), descriptor.get(), FALSE };

        readEnd.reset (CreateNamedPipeW (name.toWideCharPointer(),
                                         PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
                                         PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                                         1, 0, outputPipeBufferBytes, 0, &attributes));

        if (! readEnd.isValid())
            return false;

        // Opening the client end connects the pipe's only instance, so nobody else can. The child
        // may query its output handle (GetFileType, pipe state), hence FILE_READ_ATTRIBUTES.
        writeEnd.reset (CreateFileW (name.toWideCharPointer(), GENERIC_WRITE | FILE_READ_ATTRIBUTES, 0,
                                     &attributes, OPEN_EXISTING, 0, nullptr));
        return writeEnd.isValid();
    }

    /** Adds an argument to a command line so that CommandLineToArgvW and the C runtime read it
        back unchanged: backslashes are literal unless they come before a quote, so those are
        doubled, and each quote is escaped.
    */
    static void appendArgument (String& commandLine, const String& argument)
    {
        // As in JUCE's own start(): an empty argument is left out.
        if (argument.isEmpty())
            return;

        if (commandLine.isNotEmpty())
            commandLine << ' ';

        if (! argument.containsAnyOf (" \t\n\v\""))
        {
            commandLine << argument;
            return;
        }

        commandLine << '"';
        int pendingBackslashes = 0;

        for (auto character : argument)
        {
            if (character == '\\')
            {
                ++pendingBackslashes;
                continue;
            }

            const auto escapesQuote = character == '"';
            commandLine << String::repeatedString ("\\", escapesQuote ? pendingBackslashes * 2 + 1 : pendingBackslashes)
                        << String::charToString (character);
            pendingBackslashes = 0;
        }

        // The closing quote follows them, so trailing backslashes are doubled too.
        commandLine << String::repeatedString ("\\", pendingBackslashes * 2) << '"';
    }
}

//==============================================================================
class ChildProcess::ActiveProcess
{
public:
    ActiveProcess (const String& command, int streamFlags)
    {
        using namespace ChildProcessWindows;

        const auto wantsOutput = (streamFlags & (wantStdOut | wantStdErr)) != 0;
        ScopedHandle childsEnd;

        if (wantsOutput && (! readDone.get() || ! createOutputPipe (output, childsEnd)))
            return;

        STARTUPINFOEXW startup {};
        startup.StartupInfo.cb = sizeof (startup.StartupInfo);
        startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
        startup.StartupInfo.hStdInput  = nullptr;
        startup.StartupInfo.hStdOutput = (streamFlags & wantStdOut) != 0 ? childsEnd.get() : nullptr;
        startup.StartupInfo.hStdError  = (streamFlags & wantStdErr) != 0 ? childsEnd.get() : nullptr;

        DWORD creationFlags = CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT;
        std::unique_ptr<InheritedHandleList> inherited;

        if (wantsOutput)
        {
            inherited = std::make_unique<InheritedHandleList> (childsEnd.get());

            if (inherited->get() != nullptr)
            {
                startup.StartupInfo.cb = sizeof (startup);
                startup.lpAttributeList = inherited->get();
                creationFlags |= EXTENDED_STARTUPINFO_PRESENT;
            }
        }

        // CreateProcessW may write to the command line, so it gets a copy of its own.
        const auto* wideCommand = command.toWideCharPointer();
        const auto commandLength = wcslen (wideCommand);
        HeapBlock<WCHAR> commandLine (commandLength + 1, true);
        memcpy (commandLine.get(), wideCommand, commandLength * sizeof (WCHAR));

        PROCESS_INFORMATION info {};

        {
            const ScopedLock sl (getInheritanceLock());

            // The child's end must be inheritable to be passed at all, even when the list names it
            // (Windows refuses a list with a non-inheritable handle; Wine 8 accepts it and passes
            // nothing). It is inheritable only inside this lock, so no other child started here can
            // get it. Where no list could be made, bInheritHandles = TRUE passes every inheritable
            // handle of this process, as JUCE's own ChildProcess does.
            if (wantsOutput && ! SetHandleInformation (childsEnd.get(), HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT))
                return;

            JUCE_BEGIN_IGNORE_WARNINGS_MSVC (6335)
            started = CreateProcessW (nullptr, commandLine.get(), nullptr, nullptr, wantsOutput ? TRUE : FALSE,
                                      creationFlags, nullptr, nullptr, &startup.StartupInfo, &info) != FALSE;
            JUCE_END_IGNORE_WARNINGS_MSVC

            // The child has its own copy now. Without ours, the pipe ends when the child's goes.
            childsEnd.reset();
        }

        if (! started)
            return;

        process.reset (info.hProcess);
        CloseHandle (info.hThread);
    }

    bool isStarted() const noexcept
    {
        return started;
    }

    bool isRunning() const noexcept
    {
        return WaitForSingleObject (process.get(), 0) == WAIT_TIMEOUT;
    }

    /** Waits until some output is there, and returns what is (at most numBytes), or 0 at the
        end of the output: every copy of the pipe's write end has been closed, or the process
        has exited and left nothing more in the pipe.
    */
    int read (void* dest, int numBytes)
    {
        const std::lock_guard<std::mutex> sl (readLock);

        // With neither stream captured there is no output: like JUCE's own, a read waits for the end.
        if (! output.isValid())
        {
            WaitForSingleObject (process.get(), INFINITE);
            return 0;
        }

        if (numBytes <= 0)
            return 0;

        for (;;)
        {
            const auto numRead = readSome (dest, numBytes);

            // 0 comes from an empty write of the child: the output goes on.
            if (numRead != 0)
                return jmax (0, numRead);
        }
    }

    bool killProcess() const noexcept
    {
        return TerminateProcess (process.get(), 0) != FALSE;
    }

    uint32 getExitCode() const noexcept
    {
        DWORD exitCode = 0;
        GetExitCodeProcess (process.get(), &exitCode);
        return (uint32) exitCode;
    }

private:
    /** One overlapped read. Returns the bytes read (0 for an empty write of the child), or -1
        at the end of the output.
    */
    int readSome (void* dest, int numBytes)
    {
        zerostruct (overlapped);
        overlapped.hEvent = readDone.get();

        if (! ReadFile (output.get(), dest, (DWORD) numBytes, nullptr, &overlapped))
        {
            // ERROR_BROKEN_PIPE is the end-of-file: nobody holds the write end any more.
            if (GetLastError() != ERROR_IO_PENDING)
                return -1;

            // The read's event comes first: when both are signalled, the lower index is reported,
            // so data that has arrived is never taken for the end.
            HANDLE events[] = { readDone.get(), process.get() };

            if (WaitForMultipleObjects (2, events, FALSE, INFINITE) != WAIT_OBJECT_0)
            {
                // The process has exited. What it wrote reached the pipe before it ended, so an empty
                // pipe means its output is complete, even if a process it started still holds the
                // write end. Cancelled, the read may still complete with bytes that won the race.
                DWORD available = 0;

                if (! PeekNamedPipe (output.get(), nullptr, 0, nullptr, &available, nullptr) || available == 0)
                    CancelIoEx (output.get(), &overlapped);
            }
        }

        // Waits for the read to finish: until it has, the kernel may write into dest and overlapped.
        DWORD numRead = 0;

        if (GetOverlappedResult (output.get(), &overlapped, &numRead, TRUE))
            return (int) numRead;

        // ERROR_BROKEN_PIPE, or ERROR_OPERATION_ABORTED after the cancel above.
        return numRead > 0 ? (int) numRead : -1;
    }

    ChildProcessWindows::ScopedHandle process, output;
    NamedPipeWindows::ManualResetEvent readDone;
    OVERLAPPED overlapped {};
    std::mutex readLock;
    bool started = false;

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR (ActiveProcess)
};

//==============================================================================
bool ChildProcess::start (const String& command, int streamFlags)
{
    activeProcess = std::make_unique<ActiveProcess> (command, streamFlags);

    if (! activeProcess->isStarted())
        activeProcess.reset();

    return activeProcess != nullptr;
}

bool ChildProcess::start (const StringArray& args, int streamFlags)
{
    String commandLine;

    for (auto& argument : args)
        ChildProcessWindows::appendArgument (commandLine, argument);

    return start (commandLine, streamFlags);
}

} // namespace juce
