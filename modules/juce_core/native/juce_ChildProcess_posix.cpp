/*
  ==============================================================================

   juce-ipc-fork: a drop-in fixed fork of JUCE's inter-process communication.
   Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.

  ==============================================================================
*/

/*  ChildProcess on POSIX systems.

    posix_spawn starts the child, with its arguments built beforehand: between the fork and the
    exec only the C library's own code runs, so the child never allocates memory or takes a lock
    that another thread of the parent held at the moment of the fork.

    The child holds its standard input (the parent's, as with JUCE's own ChildProcess), its
    standard output and error (the pipe's write end for the streams the caller asked for,
    /dev/null for the others), and nothing else: every descriptor this fork opens is
    close-on-exec from the start, and where the system offers it (glibc 2.34 and later, Apple's
    POSIX_SPAWN_CLOEXEC_DEFAULT) the child also closes every other descriptor above 2 before the
    exec, whoever opened it. The parent closes its copy of the write end at once, so a read ends
    at end-of-file as soon as the child, and whatever it handed its output on to, has gone.

    Android has posix_spawn from API 28; below that JUCE's own implementation stays in place.
*/

#if ! JUCE_WASM && (! JUCE_ANDROID || __ANDROID_API__ >= 28)

#include <spawn.h>

#if JUCE_MAC || JUCE_IOS
 #include <crt_externs.h>
#else
 extern char** environ;
#endif

namespace juce
{

namespace ChildProcessPosix
{
    using FileDescriptor = NamedPipePosix::FileDescriptor;

    /** The environment to pass on. A macOS plug-in (a bundle, not the executable) cannot see `environ`. */
    static char** currentEnvironment()
    {
       #if JUCE_MAC || JUCE_IOS
        return *_NSGetEnviron();
       #else
        return environ;
       #endif
    }

    /** Makes the output pipe, both ends close-on-exec and above the standard descriptors. */
    static bool createOutputPipe (FileDescriptor& readEnd, FileDescriptor& writeEnd)
    {
        int ends[2] = { -1, -1 };

       #if JUCE_MAC || JUCE_IOS
        // No pipe2 on Apple systems. A child spawned by other code between these calls could
        // inherit the ends; children started here close them anyway (POSIX_SPAWN_CLOEXEC_DEFAULT).
        if (pipe (ends) != 0)
            return false;

        fcntl (ends[0], F_SETFD, FD_CLOEXEC);
        fcntl (ends[1], F_SETFD, FD_CLOEXEC);
       #else
        if (pipe2 (ends, O_CLOEXEC) != 0)
            return false;
       #endif

        readEnd.reset (ends[0]);
        writeEnd.reset (ends[1]);

        // In a parent whose stdin, stdout or stderr is closed, a new pipe may get one of those
        // numbers. A dup2 onto the same number in the child would keep close-on-exec set (not every
        // C library clears it there), and the child would lose its output at the exec.
        for (auto* end : { &readEnd, &writeEnd })
        {
            if (end->get() <= STDERR_FILENO)
            {
                const auto moved = fcntl (end->get(), F_DUPFD_CLOEXEC, STDERR_FILENO + 1);

                if (moved < 0)
                    return false;

                end->reset (moved);
            }
        }

        return true;
    }

    //==============================================================================
    /** What the child's descriptors become between the fork and the exec. */
    class SpawnFileActions
    {
    public:
        SpawnFileActions()
        {
            initialised = posix_spawn_file_actions_init (&actions) == 0;
            valid = initialised;
        }

        ~SpawnFileActions()
        {
            if (initialised)
                posix_spawn_file_actions_destroy (&actions);
        }

        /** Makes `target` in the child a copy of `source`, or /dev/null when source is -1. */
        void redirect (int target, int source)
        {
            if (source >= 0)
                keep (posix_spawn_file_actions_adddup2 (&actions, source, target));
            else
                keep (posix_spawn_file_actions_addopen (&actions, target, "/dev/null", O_WRONLY, 0));
        }

        /** Keeps `target` open in the child, as it is in the parent. */
        void inherit (int target)
        {
           #if JUCE_MAC || JUCE_IOS
            // POSIX_SPAWN_CLOEXEC_DEFAULT closes whatever the file actions do not name. A descriptor
            // the parent does not have open (a daemon without stdin) is not named: the spawn would fail.
            if (fcntl (target, F_GETFD) != -1)
                keep (posix_spawn_file_actions_addinherit_np (&actions, target));
           #else
            ignoreUnused (target);
           #endif
        }

        /** Closes every descriptor above the standard ones in the child, where the C library can. */
        void closeTheRest()
        {
           #if defined (__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
            keep (posix_spawn_file_actions_addclosefrom_np (&actions, STDERR_FILENO + 1));
           #endif
        }

        const posix_spawn_file_actions_t* get() const noexcept  { return valid ? &actions : nullptr; }

    private:
        void keep (int result) noexcept    { valid = valid && result == 0; }

        posix_spawn_file_actions_t actions;
        bool initialised = false, valid = false;

        JUCE_DECLARE_NON_COPYABLE (SpawnFileActions)
    };

    /** The flags of the spawn. */
    class SpawnAttributes
    {
    public:
        SpawnAttributes()
        {
            initialised = posix_spawnattr_init (&attributes) == 0;
            valid = initialised;

           #if JUCE_MAC || JUCE_IOS
            valid = valid && posix_spawnattr_setflags (&attributes, POSIX_SPAWN_CLOEXEC_DEFAULT) == 0;
           #endif
        }

        ~SpawnAttributes()
        {
            if (initialised)
                posix_spawnattr_destroy (&attributes);
        }

        const posix_spawnattr_t* get() const noexcept  { return valid ? &attributes : nullptr; }

    private:
        posix_spawnattr_t attributes;
        bool initialised = false, valid = false;

        JUCE_DECLARE_NON_COPYABLE (SpawnAttributes)
    };
}

//==============================================================================
class ChildProcess::ActiveProcess
{
public:
    ActiveProcess (const StringArray& arguments, int streamFlags)
    {
        using namespace ChildProcessPosix;

        const auto executable = arguments[0].unquoted();

        // Looks like you're trying to start a program that does not exist, or a folder (on macOS,
        // perhaps the .app bundle rather than the executable inside it).
        jassert (File::getCurrentWorkingDirectory().getChildFile (executable).existsAsFile()
                  || ! executable.containsChar (File::getSeparatorChar()));

        // Built before the spawn; as in JUCE's own start(), empty arguments are left out.
        Array<char*> argv;

        for (auto& argument : arguments)
            if (argument.isNotEmpty())
                argv.add (const_cast<char*> (argument.toRawUTF8()));

        argv.add (nullptr);

        FileDescriptor childsEnd;

        if ((streamFlags & (wantStdOut | wantStdErr)) != 0 && ! createOutputPipe (output, childsEnd))
            return;

        SpawnFileActions actions;
        actions.inherit (STDIN_FILENO);
        actions.redirect (STDOUT_FILENO, (streamFlags & wantStdOut) != 0 ? childsEnd.get() : -1);
        actions.redirect (STDERR_FILENO, (streamFlags & wantStdErr) != 0 ? childsEnd.get() : -1);
        actions.closeTheRest();

        SpawnAttributes attributes;

        if (actions.get() == nullptr || attributes.get() == nullptr)
            return;

        // posix_spawnp searches the PATH as execvp does. Unlike a fork followed by exec, it reports
        // a program that cannot be run (missing, not executable) here, so start() returns false.
        pid_t pid = 0;
        const auto result = posix_spawnp (&pid, executable.toRawUTF8(), actions.get(), attributes.get(),
                                          argv.getRawDataPointer(), currentEnvironment());

        // The child has its own copy now. Without ours, the output ends when the child's goes.
        childsEnd.reset();

        if (result == 0)
            childPID = pid;
    }

    ~ActiveProcess()
    {
        // A child that has already ended is collected, so that it does not stay a zombie.
        const std::lock_guard<std::mutex> sl (stateLock);
        updateState();
    }

    bool isStarted() const noexcept
    {
        return childPID > 0;
    }

    bool isRunning() noexcept
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        updateState();
        return ! ended;
    }

    /** Waits until some output is there, and returns what is (at most numBytes), or 0 at the
        end of the output: every copy of the pipe's write end has been closed.
    */
    int read (void* dest, int numBytes) noexcept
    {
        const std::lock_guard<std::mutex> sl (readLock);

        if (! output.isValid() || numBytes <= 0)
            return 0;

        for (;;)
        {
            const auto numRead = ::read (output.get(), dest, (size_t) numBytes);

            if (numRead >= 0)
                return (int) numRead;

            if (errno != EINTR)
                return 0;
        }
    }

    bool killProcess() noexcept
    {
        const std::lock_guard<std::mutex> sl (stateLock);

        // Once collected, the process id may belong to another process by now.
        if (ended)
            return false;

        return ::kill (childPID, SIGKILL) == 0;
    }

    uint32 getExitCode() noexcept
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        updateState();
        return (uint32) exitCode;
    }

private:
    /** Collects the child if it has ended. A process's status can be collected only once, so
        it is kept; every waitpid happens under stateLock, so kill() never signals a process id
        that was collected and reused meanwhile. Called with stateLock held.
    */
    void updateState() noexcept
    {
        if (ended || childPID <= 0)
            return;

        int status = 0;
        pid_t result;

        do
        {
            result = waitpid (childPID, &status, WNOHANG);
        }
        while (result < 0 && errno == EINTR);

        if (result == childPID)
        {
            ended = true;

            // A child ended by a signal has no exit code: JUCE reports 0 for it.
            if (WIFEXITED (status))
                exitCode = WEXITSTATUS (status);
        }
        else if (result < 0)
        {
            // ECHILD: something else collected it (SIGCHLD ignored, or a waitpid (-1) elsewhere).
            ended = true;
        }
    }

    pid_t childPID = 0;
    ChildProcessPosix::FileDescriptor output;
    std::mutex stateLock, readLock;
    bool ended = false;
    int exitCode = 0;

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR (ActiveProcess)
};

//==============================================================================
bool ChildProcess::start (const String& command, int streamFlags)
{
    return start (StringArray::fromTokens (command, true), streamFlags);
}

bool ChildProcess::start (const StringArray& args, int streamFlags)
{
    if (args.isEmpty())
        return false;

    activeProcess = std::make_unique<ActiveProcess> (args, streamFlags);

    if (! activeProcess->isStarted())
        activeProcess.reset();

    return activeProcess != nullptr;
}

} // namespace juce

#endif
