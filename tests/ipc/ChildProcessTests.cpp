/*
  juce-ipc-fork tests: juce::ChildProcess with real children. A child holds nothing of the parent but
  the output pipe it was given; the parent sees the end of a child's output as soon as the child has
  gone, even while other children run; exit codes, kill and large outputs arrive complete.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "../harness/Roles.h"
#include "../harness/NativeProcess.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <future>

#if JUCE_WINDOWS
 #include <windows.h>
#else
 #include <csignal>
 #include <spawn.h>
 #include <unistd.h>
 extern char** environ;
#endif

using namespace ipctest;
using juce::int64;

namespace
{
    constexpr int connectTimeoutMs = 10000;

    /** Bounds for calls that should return in milliseconds; a call that does not is hung. */
    constexpr int hungCallMs = 20000;

    /** How long after a child's exit the parent may take to see the end of its output. */
    constexpr double endOfOutputLimitMs = 100.0;

    /** Runs f, which cannot be given a timeout of its own. If it has not returned within timeoutMs
        the test is hung: the process says so and ends, so that ctest fails it at once.
    */
    template <typename Function>
    auto within (int timeoutMs, const char* what, Function&& f) -> decltype (f())
    {
        using Result = decltype (f());
        auto task = std::make_shared<std::packaged_task<Result()>> (std::forward<Function> (f));
        auto result = task->get_future();
        std::thread ([task] { (*task)(); }).detach();

        if (result.wait_for (std::chrono::milliseconds (timeoutMs)) != std::future_status::ready)
        {
            std::fprintf (stderr, "hung: %s did not return within %d ms\n", what, timeoutMs);
            std::fflush (stderr);
            exitImmediately (1);
        }

        return result.get();
    }

    /** A juce::ChildProcess running a role of this test executable, killed at the end of the test.

        Under Wine 8, killing a child started with CREATE_NO_WINDOW while Wine still sets up its
        console can leave the child's conhost.exe running for good, holding this process's standard
        error, and with it ctest's output pipe. A test reads a child's first output before it lets
        this kill the child.
    */
    class Child
    {
    public:
        Child (const juce::String& role, const juce::StringArray& args = {},
               int streamFlags = juce::ChildProcess::wantStdOut | juce::ChildProcess::wantStdErr,
               int lifetimeMs = 60000)
        {
            started = process.start (roleCommandLine (role, args, lifetimeMs), streamFlags);
        }

        ~Child()
        {
            if (started && process.isRunning())
            {
                process.kill();
                process.waitForProcessToFinish (10000);
            }
        }

        juce::String readAll()
        {
            return within (hungCallMs, "readAllProcessOutput", [this] { return process.readAllProcessOutput(); });
        }

        /** Reads until the output contains `text` or ends; returns everything read. */
        juce::String readUntil (const juce::String& text)
        {
            return within (hungCallMs, "readProcessOutput", [this, text]
            {
                juce::MemoryOutputStream received;
                char buffer[256];

                while (! received.toString().contains (text))
                {
                    const auto numRead = process.readProcessOutput (buffer, (int) sizeof (buffer));

                    if (numRead <= 0)
                        break;

                    received.write (buffer, (size_t) numRead);
                }

                return received.toString();
            });
        }

        juce::ChildProcess process;
        bool started = false;
    };

    /** The number after `label` in a helper's output, such as "exiting at 1234.5". */
    double numberAfter (const juce::String& output, const juce::String& label)
    {
        return output.fromFirstOccurrenceOf (label, false, false).trim().getDoubleValue();
    }

    /** A byte stream that can be checked anywhere in the middle: byte i is patternByte (i). */
    char patternByte (int64 index)
    {
        return (char) ((index * 13 + (index >> 9)) & 0xff);
    }

    /** The same for text: lines of 63 letters. */
    char patternText (int64 index)
    {
        return index % 64 == 63 ? '\n' : (char) ('a' + (index * 7 + (index >> 6)) % 26);
    }

    /** Writes to standard output with the system's own call: no C runtime buffering or newline
        translation in between.
    */
    bool writeToStandardOutput (const void* data, size_t numBytes)
    {
       #if JUCE_WINDOWS
        DWORD written = 0;
        return WriteFile (GetStdHandle (STD_OUTPUT_HANDLE), data, (DWORD) numBytes, &written, nullptr) && written == numBytes;
       #else
        auto* source = static_cast<const char*> (data);

        while (numBytes > 0)
        {
            const auto written = ::write (STDOUT_FILENO, source, numBytes);

            if (written < 0 && errno == EINTR)
                continue;

            if (written <= 0)
                return false;

            source += written;
            numBytes -= (size_t) written;
        }

        return true;
       #endif
    }

    /** Starts this test executable in a role with the system's own call, passing on this process's
        standard output and error, as a program that hands its output to its own children does.
        Returns the new process's id, or 0.
    */
    int startInheritingOutput (const juce::StringArray& commandLine)
    {
       #if JUCE_WINDOWS
        juce::String line;

        for (auto& argument : commandLine)
            line << (line.isEmpty() ? "" : " ") << argument.quoted();

        const auto output = GetStdHandle (STD_OUTPUT_HANDLE);
        SetHandleInformation (output, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);

        STARTUPINFOW startup {};
        startup.cb = sizeof (startup);
        startup.dwFlags = STARTF_USESTDHANDLES;
        startup.hStdOutput = output;
        startup.hStdError = output;

        std::wstring writable (line.toWideCharPointer());
        PROCESS_INFORMATION info {};

        if (! CreateProcessW (nullptr, writable.data(), nullptr, nullptr, TRUE, CREATE_NO_WINDOW,
                              nullptr, nullptr, &startup, &info))
            return 0;

        CloseHandle (info.hThread);
        CloseHandle (info.hProcess);
        return (int) info.dwProcessId;
       #else
        std::vector<char*> argv;

        for (auto& argument : commandLine)
            argv.push_back (const_cast<char*> (argument.toRawUTF8()));

        argv.push_back (nullptr);
        pid_t pid = 0;
        return posix_spawn (&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0 ? (int) pid : 0;
       #endif
    }

   #if ! JUCE_WINDOWS
    /** Whether this C library lets posix_spawn close every descriptor above 2 in the child. */
    constexpr bool childClosesForeignDescriptors()
    {
       #if defined (__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
        return true;
       #else
        return false;
       #endif
    }
   #endif
}

//==============================================================================
// Helper roles, started through juce::ChildProcess.

/** Prints args[0], waits args[1] ms, prints the time it exits at, and exits with args[2]. */
int roles::childPrintThenExit (const juce::StringArray& args)
{
    helperLog (args[0]);
    juce::Thread::sleep (args[1].getIntValue());
    helperLog ("exiting at " + juce::String (nowMs(), 3));
    return args[2].getIntValue();
}

/** Prints the time, closes its standard output and error, and stays for args[0] ms. */
int roles::childCloseOutputThenStay (const juce::StringArray& args)
{
    helperLog ("closing at " + juce::String (nowMs(), 3));

   #if JUCE_WINDOWS
    // Both streams are one inherited handle when the parent captures both.
    const auto output = GetStdHandle (STD_OUTPUT_HANDLE), error = GetStdHandle (STD_ERROR_HANDLE);
    CloseHandle (output);

    if (error != output)
        CloseHandle (error);
   #else
    ::close (STDOUT_FILENO);
    ::close (STDERR_FILENO);
   #endif

    juce::Thread::sleep (args[0].getIntValue());
    return 0;
}

/** Prints its process id, then sleeps until killed. */
int roles::childReportPid (const juce::StringArray&)
{
   #if JUCE_WINDOWS
    helperLog ("pid " + juce::String ((int) GetCurrentProcessId()));
   #else
    helperLog ("pid " + juce::String ((int) getpid()));
   #endif

    for (;;)
        juce::Thread::sleep (1000);
}

/** Writes args[0] to standard output and args[1] to standard error. */
int roles::childWriteBothStreams (const juce::StringArray& args)
{
    std::fprintf (stdout, "%s\n", args[0].toRawUTF8());
    std::fflush (stdout);
    std::fprintf (stderr, "%s\n", args[1].toRawUTF8());
    std::fflush (stderr);
    return 0;
}

/** Prints each of its arguments in brackets, one a line. */
int roles::childEchoArguments (const juce::StringArray& args)
{
    for (auto& arg : args)
        helperLog ("[" + arg + "]");

    helperLog ("arguments: " + juce::String (args.size()));
    return 0;
}

/** Writes args[0] bytes of the test pattern (args[1] "text": the text pattern) to standard output,
    in chunks of varying sizes.
*/
int roles::childWritePattern (const juce::StringArray& args)
{
    const auto total = args[0].getLargeIntValue();
    const auto pattern = args[1] == "text" ? patternText : patternByte;
    juce::HeapBlock<char> chunk (70000);
    juce::Random random (1);
    int64 sent = 0;

    while (sent < total)
    {
        const auto size = (int) juce::jmin ((int64) random.nextInt ({ 1, 70000 }), total - sent);

        for (int i = 0; i < size; ++i)
            chunk[i] = pattern (sent + i);

        if (! writeToStandardOutput (chunk, (size_t) size))
            return 3;

        sent += size;
    }

    return 0;
}

/** Connects to the pipe args[0] and says hello, then, with the pipe open, starts a child of its own
    through juce::ChildProcess, reports that child's process id, and waits to be killed.
*/
int roles::childKeepsPipeAndChild (const juce::StringArray& args)
{
    juce::NamedPipe pipe;

    if (! pipe.openExisting (args[0], connectTimeoutMs) || pipe.write ("hello", 5, 10000) != 5)
        return 2;

    juce::ChildProcess child;

    if (! child.start (roleCommandLine ("child-report-pid", {}, 30000), juce::ChildProcess::wantStdOut))
        return 3;

    juce::String output;
    char buffer[64];

    while (! output.fromFirstOccurrenceOf ("pid ", false, false).contains ("\n"))
    {
        const auto numRead = child.readProcessOutput (buffer, (int) sizeof (buffer));

        if (numRead <= 0)
            return 4;

        output += juce::String::fromUTF8 (buffer, numRead);
    }

    helperLog ("grandchild pid " + juce::String ((int) numberAfter (output, "pid ")));

    for (;;)
        juce::Thread::sleep (1000);
}

/** Starts a child of its own that inherits this process's standard output and keeps running for
    args[0] ms, reports its id, and exits at once.
*/
int roles::childLeavesGrandchild (const juce::StringArray& args)
{
    const auto grandchild = startInheritingOutput (roleCommandLine ("child-print-then-exit",
                                                                    { "grandchild started", args[0], "0" }, 30000));

    if (grandchild == 0)
        return 2;

    helperLog ("grandchild pid " + juce::String (grandchild));
    helperLog ("exiting at " + juce::String (nowMs(), 3));
    return 0;
}

/** Windows: writes to the handle whose value is args[0] (a handle of its parent that it was not
    given), reports the result, and stays for args[1] ms.
*/
int roles::childUseHandle (const juce::StringArray& args)
{
   #if JUCE_WINDOWS
    const auto handle = (HANDLE) (juce::pointer_sized_int) args[0].getHexValue64();
    DWORD written = 0;
    const auto wrote = WriteFile (handle, "leak", 4, &written, nullptr);
    helperLog (wrote ? juce::String ("wrote to the handle") : "writing failed: error " + juce::String ((int) GetLastError()));
    helperLog ("holding");
    juce::Thread::sleep (args[1].getIntValue());
    return 0;
   #else
    juce::ignoreUnused (args);
    return 1;   // Windows only
   #endif
}

//==============================================================================
TEST (ChildProcess, OutputEndsWhenTheChildExitsWhileAnotherChildRuns)
{
    Child first ("child-print-then-exit", { "hello", "300", "0" });
    ASSERT_TRUE (first.started);

    // Started while the first child's pipe is open: if it held a copy of the write end, the first
    // child's output could not end before this one does.
    Child second ("sleep-forever");
    ASSERT_TRUE (second.started);

    const auto output = first.readAll();
    const auto endedAtMs = nowMs();
    EXPECT_TRUE (second.readUntil ("sleeping").contains ("sleeping"));

    EXPECT_TRUE (output.contains ("hello")) << output;
    ASSERT_TRUE (output.contains ("exiting at")) << output;
    EXPECT_LT (endedAtMs - numberAfter (output, "exiting at"), endOfOutputLimitMs) << output;
    EXPECT_TRUE (first.process.waitForProcessToFinish (10000));
    EXPECT_TRUE (second.process.isRunning());
}

TEST (ChildProcess, OutputEndsWhenTheChildClosesItWhileTheChildStillRuns)
{
   #if JUCE_WINDOWS
    // Wine 8 gives a child started with CREATE_NO_WINDOW a headless conhost.exe that holds copies of
    // the child's standard handles until the child exits; Windows passes them to the child alone.
    if (isRunningUnderWine())
        GTEST_SKIP() << "under Wine, the console host of a child started with CREATE_NO_WINDOW holds its output open";
   #endif

    Child child ("child-close-output-then-stay", { "10000" });
    ASSERT_TRUE (child.started);
    Child other ("sleep-forever");
    ASSERT_TRUE (other.started);

    // Only end-of-file can end this read: the child runs on. It comes only if neither this process
    // nor the other child holds a copy of the pipe's write end.
    const auto output = child.readAll();
    const auto endedAtMs = nowMs();
    EXPECT_TRUE (other.readUntil ("sleeping").contains ("sleeping"));

    ASSERT_TRUE (output.contains ("closing at")) << output;
    EXPECT_LT (endedAtMs - numberAfter (output, "closing at"), endOfOutputLimitMs) << output;
    EXPECT_TRUE (child.process.isRunning());
    EXPECT_TRUE (other.process.isRunning());
}

TEST (ChildProcess, ChildrenStartedAtOnceFromSeveralThreadsDoNotHoldEachOthersOutput)
{
    constexpr int numThreads = 4, numRounds = 5;

    for (int round = 0; round < numRounds; ++round)
    {
        std::atomic<bool> go { false };
        std::vector<double> lateness (numThreads, -1.0);
        std::vector<juce::String> outputs (numThreads);
        std::vector<std::unique_ptr<Child>> sleepers (numThreads);
        std::vector<std::thread> threads;

        // Each thread starts a child that prints and exits, and one that stays: any of the staying
        // children may start while another thread's printing child is being set up.
        for (int i = 0; i < numThreads; ++i)
        {
            threads.emplace_back ([&, i]
            {
                while (! go)
                    std::this_thread::yield();

                Child printer ("child-print-then-exit", { "hello", "200", "0" });
                sleepers[(size_t) i] = std::make_unique<Child> ("sleep-forever");
                outputs[(size_t) i] = printer.readAll();
                sleepers[(size_t) i]->readUntil ("sleeping");

                if (outputs[(size_t) i].contains ("exiting at"))
                    lateness[(size_t) i] = nowMs() - numberAfter (outputs[(size_t) i], "exiting at");
            });
        }

        go = true;

        for (auto& thread : threads)
            thread.join();

        for (size_t i = 0; i < (size_t) numThreads; ++i)
        {
            ASSERT_GE (lateness[i], 0.0) << "round " << round << ", thread " << i << ": " << outputs[i];

            // Generous: a child that holds another's write end delays that output by seconds.
            EXPECT_LT (lateness[i], 1000.0) << "round " << round << ", thread " << i;
        }
    }
}

TEST (ChildProcess, AChildInheritsNothingButItsStandardStreams)
{
   #if JUCE_WINDOWS
    // A pipe whose write end other code of this process made inheritable. The child is not given
    // it: with PROC_THREAD_ATTRIBUTE_HANDLE_LIST it must not get it although bInheritHandles is TRUE.
    SECURITY_ATTRIBUTES inheritable { sizeof (SECURITY_ATTRIBUTES), nullptr, TRUE };
    HANDLE readEnd = nullptr, writeEnd = nullptr;
    ASSERT_TRUE (CreatePipe (&readEnd, &writeEnd, &inheritable, 0));

    Child child ("child-use-handle", { juce::String::toHexString ((int64) (juce::pointer_sized_int) writeEnd), "10000" });
    ASSERT_TRUE (child.started);
    const auto report = child.readUntil ("holding");
    ASSERT_TRUE (report.contains ("holding")) << report;

    // With its own copy closed, the pipe has ended at once if the child holds none: nothing the
    // child wrote through the handle's value arrived, and no writer is left.
    CloseHandle (writeEnd);
    DWORD available = 0;
    const auto peeked = PeekNamedPipe (readEnd, nullptr, 0, nullptr, &available, nullptr);
    const auto error = GetLastError();
    CloseHandle (readEnd);

    EXPECT_TRUE (child.process.isRunning());
    EXPECT_FALSE (peeked) << "the pipe is still open, with " << available << " bytes in it: the child holds its write end";
    EXPECT_EQ (error, (DWORD) ERROR_BROKEN_PIPE);

    // Wine 8 reproduces this: it passes only the listed handles, and the pipe ends here. What it
    // does not reproduce: Windows refuses a list that names a non-inheritable handle
    // (ERROR_INVALID_PARAMETER), while Wine accepts it and passes nothing. A handle value the child
    // was not given may also name an object of the child's own there, so the child's report of its
    // write is shown, not asserted: what matters is that nothing reached the parent's pipe.
    std::printf ("child's report: %s\n", report.trim().toRawUTF8());
   #else
    const auto before = openDescriptorTargets();

    // What the child must not hold: a connected NamedPipe's FIFOs and wake-up pipes, another
    // child's output pipe, and a pipe that other code opened without close-on-exec.
    const auto name = uniquePipeName ("child-process-fds");
    juce::NamedPipe master, slave;
    ASSERT_TRUE (master.createNewPipe (name, true));
    ASSERT_TRUE (slave.openExisting (name, connectTimeoutMs));
    ASSERT_TRUE (master.waitForClient (connectTimeoutMs));

    Child other ("sleep-forever");
    ASSERT_TRUE (other.started);

    int foreign[2] = { -1, -1 };
    ASSERT_EQ (pipe (foreign), 0);

    juce::StringArray ours;

    for (auto& target : openDescriptorTargets())
        if (! before.contains (target))
            ours.add (target);

    ASSERT_TRUE (ours.joinIntoString (" ").contains ("/tmp/" + name)) << ours.joinIntoString (", ");

    Child lister ("list-descriptors");
    ASSERT_TRUE (lister.started);
    const auto listing = lister.readAll();
    ::close (foreign[0]);
    ::close (foreign[1]);
    ASSERT_TRUE (listing.contains ("end of list")) << listing;

    juce::StringArray lines;
    lines.addLines (listing);
    juce::String outputPipe;

    for (auto& line : lines)
    {
        if (! line.startsWith ("fd "))
            continue;

        const auto fd = line.fromFirstOccurrenceOf ("fd ", false, false).getIntValue();
        const auto target = line.fromFirstOccurrenceOf (" -> ", false, false);

        if (fd == 1)
            outputPipe = target;

        if (fd <= 2)
            continue;

        // The descriptor the child lists /proc/self/fd with.
        if (target.startsWith ("/proc/") && target.endsWith ("/fd"))
            continue;

        EXPECT_FALSE (ours.contains (target)) << "the child holds fd " << fd << " -> " << target << ":\n" << listing;

        if (childClosesForeignDescriptors())
            ADD_FAILURE() << "the child holds fd " << fd << " -> " << target << " besides 0, 1 and 2:\n" << listing;
    }

    EXPECT_TRUE (outputPipe.startsWith ("pipe:")) << listing;
    EXPECT_TRUE (lines.contains ("fd 2 -> " + outputPipe)) << "stdout and stderr should share the output pipe:\n" << listing;
   #endif
}

TEST (ChildProcess, ANamedPipeOpenWhenAChildStartsIsNotHeldByTheChild)
{
    const auto name = uniquePipeName ("child-process-pipe");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));

    // The helper connects, then starts a child of its own while its end of the pipe is open.
    HelperProcess peer ("child-keeps-pipe-and-child", { name });
    char hello[5] = {};
    ASSERT_TRUE (waitFor ([&] { return master.read (hello, 5, 50) == 5; }, connectTimeoutMs)) << peer.getOutput();
    ASSERT_TRUE (waitFor ([&] { return peer.getOutput().contains ("grandchild pid "); }, connectTimeoutMs)) << peer.getOutput();
    const auto grandchild = (int) numberAfter (peer.getOutput(), "grandchild pid ");
    ASSERT_GT (grandchild, 0) << peer.getOutput();

    // When the peer dies, its end of the pipe closes, unless the child it started holds a copy.
    peer.kill();
    Stopwatch stopwatch;
    char buffer[8];
    const auto result = master.read (buffer, (int) sizeof (buffer), 5000);
    const auto elapsedMs = stopwatch.elapsedMs();
    const auto grandchildRan = isProcessAlive (grandchild);
    killProcess (grandchild);
    waitFor ([&] { return ! isProcessAlive (grandchild); }, 10000);

    EXPECT_EQ (result, -1) << "the master did not see its client go";
    EXPECT_LT (elapsedMs, 1000.0);
    EXPECT_TRUE (grandchildRan) << "the peer's child should still have been running";
}

TEST (ChildProcess, ExitCodesArriveAndStay)
{
    for (auto code : { 0, 3, 42 })
    {
        Child child ("exit-with", { juce::String (code) });
        ASSERT_TRUE (child.started);
        ASSERT_TRUE (child.process.waitForProcessToFinish (hungCallMs));

        // JUCE 8's ChildProcessManager polls isRunning() until it is false, then its listeners ask
        // for the exit code: the code must survive any number of such calls.
        for (int i = 0; i < 3; ++i)
            EXPECT_FALSE (child.process.isRunning());

        EXPECT_EQ (child.process.getExitCode(), (juce::uint32) code);
        EXPECT_EQ (child.process.getExitCode(), (juce::uint32) code);
    }
}

TEST (ChildProcess, KillEndsTheChildAndItsOutput)
{
    Child child ("sleep-forever");
    ASSERT_TRUE (child.started);
    ASSERT_TRUE (child.readUntil ("sleeping").contains ("sleeping"));

    EXPECT_TRUE (child.process.isRunning());
    EXPECT_TRUE (child.process.kill());
    EXPECT_TRUE (child.process.waitForProcessToFinish (hungCallMs));
    EXPECT_FALSE (child.process.isRunning());

    // The output ends with the child: a read returns 0 at once, as often as it is called.
    char buffer[64];
    EXPECT_EQ (within (hungCallMs, "readProcessOutput", [&] { return child.process.readProcessOutput (buffer, 64); }), 0);
    EXPECT_EQ (within (hungCallMs, "readProcessOutput", [&] { return child.process.readProcessOutput (buffer, 64); }), 0);
}

TEST (ChildProcess, ReadReturnsWhatIsAvailableWithoutWaitingForMore)
{
    Child child ("child-print-then-exit", { "first line", "10000", "0" }, juce::ChildProcess::wantStdOut);
    ASSERT_TRUE (child.started);

    // The child prints a line and then stays for ten seconds: the read returns the line.
    char buffer[4096];
    Stopwatch stopwatch;
    const auto numRead = within (hungCallMs, "readProcessOutput", [&] { return child.process.readProcessOutput (buffer, (int) sizeof (buffer)); });

    EXPECT_GT (numRead, 0);
    EXPECT_TRUE (juce::String::fromUTF8 (buffer, juce::jmax (0, numRead)).startsWith ("first line"));
    EXPECT_LT (stopwatch.elapsedMs(), 5000.0);
    EXPECT_TRUE (child.process.isRunning());
}

TEST (ChildProcess, SeveralMegabytesOfOutputArriveComplete)
{
    constexpr int64 total = 8 * 1024 * 1024 + 12345;
    Child child ("child-write-pattern", { juce::String (total) }, juce::ChildProcess::wantStdOut);
    ASSERT_TRUE (child.started);

    const auto mismatch = within (60000, "reading the output", [&]
    {
        juce::HeapBlock<char> buffer (100000);
        juce::Random random;
        int64 received = 0;

        for (;;)
        {
            const auto numRead = child.process.readProcessOutput (buffer, random.nextInt ({ 1, 100000 }));

            if (numRead <= 0)
                break;

            for (int i = 0; i < numRead; ++i)
                if (buffer[i] != patternByte (received + i))
                    return "byte " + juce::String (received + i) + " is wrong";

            received += numRead;
        }

        return received == total ? juce::String() : "received " + juce::String (received) + " of " + juce::String (total) + " bytes";
    });

    EXPECT_TRUE (mismatch.isEmpty()) << mismatch;
    EXPECT_TRUE (child.process.waitForProcessToFinish (hungCallMs));
    EXPECT_EQ (child.process.getExitCode(), 0u);
}

TEST (ChildProcess, ReadAllProcessOutputCollectsSeveralMegabytes)
{
    constexpr int total = 4 * 1024 * 1024 + 321;
    Child child ("child-write-pattern", { juce::String (total), "text" }, juce::ChildProcess::wantStdOut);
    ASSERT_TRUE (child.started);

    juce::MemoryBlock expected ((size_t) total);

    for (int i = 0; i < total; ++i)
        expected[i] = patternText (i);

    const auto output = child.readAll();
    EXPECT_EQ (output.getNumBytesAsUTF8(), (size_t) total);
    EXPECT_TRUE (output == expected.toString()) << "the text differs";
    EXPECT_TRUE (child.process.waitForProcessToFinish (hungCallMs));
}

TEST (ChildProcess, StreamFlagsChooseWhatIsCaptured)
{
    using juce::ChildProcess;

    struct Case { int flags; bool out, err; };

    for (auto c : { Case { ChildProcess::wantStdOut | ChildProcess::wantStdErr, true, true },
                    Case { ChildProcess::wantStdOut, true, false },
                    Case { ChildProcess::wantStdErr, false, true },
                    Case { 0, false, false } })
    {
        Child child ("child-write-both-streams", { "to stdout", "to stderr" }, c.flags);
        ASSERT_TRUE (child.started);
        const auto output = child.readAll();

        EXPECT_EQ (output.contains ("to stdout"), c.out) << "flags " << c.flags << ": " << output;
        EXPECT_EQ (output.contains ("to stderr"), c.err) << "flags " << c.flags << ": " << output;
        EXPECT_TRUE (child.process.waitForProcessToFinish (hungCallMs));
        EXPECT_EQ (child.process.getExitCode(), 0u) << "flags " << c.flags;
    }
}

TEST (ChildProcess, ArgumentsArriveUnchanged)
{
    const juce::StringArray arguments { "plain", "with space", "with \"quotes\"", "tab\tinside",
                                        "back\\slash", "trailing backslash\\", "C:\\path with\\ spaces\\",
                                        "\\\"quote after backslash\\\"" };

    Child child ("child-echo-arguments", arguments);
    ASSERT_TRUE (child.started);
    const auto output = child.readAll();

    EXPECT_TRUE (output.contains ("arguments: " + juce::String (arguments.size()))) << output;

    for (auto& argument : arguments)
        EXPECT_TRUE (output.contains ("[" + argument + "]")) << argument << " did not arrive:\n" << output;
}

TEST (ChildProcess, StartingAMissingProgramFails)
{
    juce::ChildProcess process;
    EXPECT_FALSE (process.start (juce::StringArray { "jif-no-such-program-" + juce::String::toHexString (juce::Random().nextInt64()) }));
    EXPECT_FALSE (process.isRunning());
    EXPECT_FALSE (process.start (juce::StringArray()));
}

TEST (ChildProcess, ReadingEndsAsJuceDoesWhenAGrandchildKeepsTheOutputOpen)
{
    // The child starts a process of its own that inherits its output and stays for a second, then
    // exits at once.
    Child child ("child-leaves-grandchild", { "1000" });
    ASSERT_TRUE (child.started);

    const auto output = child.readAll();
    const auto endedAtMs = nowMs();
    const auto grandchild = (int) numberAfter (output, "grandchild pid ");
    ASSERT_GT (grandchild, 0) << output;

   #if JUCE_WINDOWS
    // As with JUCE's own ChildProcess on Windows, the output ends when the child has exited and the
    // pipe is empty, whoever else holds the write end.
    const auto childExitedAtMs = numberAfter (output, "exiting at");
    killProcess (grandchild);
    waitFor ([&] { return ! isProcessAlive (grandchild); }, 10000);

    EXPECT_LT (endedAtMs - childExitedAtMs, 500.0) << output;
   #else
    // As with JUCE's own ChildProcess on POSIX systems, the output ends when every holder of the
    // write end has gone: here the grandchild, which says so as it exits.
    juce::ignoreUnused (endedAtMs);
    juce::StringArray lines;
    lines.addLines (output);
    int exits = 0;

    for (auto& line : lines)
        exits += line.startsWith ("exiting at") ? 1 : 0;

    EXPECT_TRUE (output.contains ("grandchild started")) << output;
    EXPECT_EQ (exits, 2) << "both the child and the grandchild should have said they exit:\n" << output;
   #endif

    EXPECT_TRUE (child.process.waitForProcessToFinish (hungCallMs));
}
