/*
  juce-ipc-fork tests: ChildProcessCoordinator and ChildProcessWorker with real processes, killed for
  real: a dead worker or coordinator is noticed within milliseconds, a hung one through the pings,
  launching is honest, killing leaves no orphan, and pipe names cannot be guessed.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "../harness/Roles.h"
#include "../harness/NativeProcess.h"

#include <gtest/gtest.h>

#include <atomic>

#if JUCE_WINDOWS
 #include <windows.h>
#else
 #include <cstdlib>
#endif

using namespace ipctest;

namespace
{
    constexpr int launchTimeoutMs = 20000;

    /** The contract: a killed worker (or coordinator) is noticed within 100 ms. */
    constexpr double noticedWithinMs = 100.0;

    const char* const workerLogVariable = "JIF_WORKER_LOG_DIR";

    juce::MemoryBlock blockOf (const juce::String& text)
    {
        return { text.toRawUTF8(), text.getNumBytesAsUTF8() };
    }

    void setEnvironmentVariable (const char* name, const juce::String& value)
    {
       #if JUCE_WINDOWS
        SetEnvironmentVariableW (juce::String (name).toWideCharPointer(), value.toWideCharPointer());
       #else
        setenv (name, value.toRawUTF8(), 1);
       #endif
    }

    /** Workers started while this exists write their events to files in a folder of its own. */
    struct WorkerLogs
    {
        // Named after this process: test processes that ctest runs side by side need folders of their own.
        WorkerLogs() : folder (juce::File::getSpecialLocation (juce::File::tempDirectory)
                                   .getNonexistentChildFile ("jif-worker-logs-" + juce::String (currentProcessId()), {}, false))
        {
            folder.createDirectory();
            setEnvironmentVariable (workerLogVariable, folder.getFullPathName());
        }

        ~WorkerLogs()
        {
            setEnvironmentVariable (workerLogVariable, {});
            folder.deleteRecursively();
        }

        /** Every line every worker wrote: "<pid> <event> <milliseconds>". */
        juce::StringArray lines() const
        {
            juce::StringArray all;

            for (auto& file : folder.findChildFiles (juce::File::findFiles, false, "*.log"))
                all.addLines (file.loadFileAsString().trim());

            all.removeEmptyStrings();
            return all;
        }

        /** The time of the first event with this name, of the given worker (0: any), or 0. */
        double timeOf (const juce::String& event, int processId = 0) const
        {
            for (auto& line : lines())
            {
                const auto tokens = juce::StringArray::fromTokens (line, " ", {});

                if (tokens[1] == event && (processId == 0 || tokens[0].getIntValue() == processId))
                    return tokens[2].getDoubleValue();
            }

            return 0.0;
        }

        const juce::File folder;
    };

    //==============================================================================
    /** A coordinator that records what happens to its worker. */
    class TestCoordinator final : public juce::ChildProcessCoordinator
    {
    public:
        ~TestCoordinator() override         { killWorkerProcess(); }

        void handleConnectionLost() override
        {
            lostAtMs = nowMs();
            ++losses;
        }

        void handleMessageFromWorker (const juce::MemoryBlock& message) override
        {
            const std::lock_guard<std::mutex> sl (lock);
            messages.add (message.toString());
        }

        bool launch (const juce::String& mode, int timeoutMs = 5000)
        {
            return launchWorkerProcess (getTestExecutable(), workerIdPrefix + mode, timeoutMs, 0);
        }

        /** Waits for a message from the worker that starts with prefix; returns it, or empty. */
        juce::String waitForMessage (const juce::String& prefix, int timeoutMs = 10000)
        {
            juce::String found;

            waitFor ([&]
            {
                const std::lock_guard<std::mutex> sl (lock);

                for (auto& m : messages)
                    if (m.startsWith (prefix))
                        found = m;

                return found.isNotEmpty();
            }, timeoutMs);

            return found;
        }

        /** Asks the worker for its process id. */
        int workerProcessId()
        {
            sendMessageToWorker (blockOf ("pid?"));
            return waitForMessage ("pid ").fromFirstOccurrenceOf (" ", false, false).getIntValue();
        }

        std::atomic<double> lostAtMs { 0.0 };
        std::atomic<int> losses { 0 };

    private:
        std::mutex lock;
        juce::StringArray messages;
    };

    //==============================================================================
    /** A worker that obeys its coordinator's test commands, and logs its events for the test. */
    class TestWorker final : public juce::ChildProcessWorker
    {
    public:
        explicit TestWorker (juce::String workerMode) : mode (std::move (workerMode))
        {
            const auto folder = juce::SystemStats::getEnvironmentVariable (workerLogVariable, {});

            if (folder.isNotEmpty())
                logFile = juce::File (folder).getChildFile (juce::String (currentProcessId()) + ".log");
        }

        void handleConnectionMade() override
        {
            log ("made");
            sendMessageToCoordinator (blockOf ("ready"));
        }

        void handleConnectionLost() override
        {
            log ("lost");
            lost = true;
        }

        void handleMessageFromCoordinator (const juce::MemoryBlock& message) override
        {
            const auto text = message.toString();

            if (text == "pid?")
                sendMessageToCoordinator (blockOf ("pid " + juce::String (currentProcessId())));
            else if (text == "crash")
                std::abort();
            else
                sendMessageToCoordinator (message);
        }

        void log (const juce::String& event)
        {
            // Events come from the main thread and the connection's thread.
            const std::lock_guard<std::mutex> sl (logLock);

            if (logFile != juce::File())
                logFile.appendText (juce::String (currentProcessId()) + " " + event + " "
                                      + juce::String (nowMs(), 3) + "\n");
        }

        const juce::String mode;
        std::mutex logLock;
        juce::File logFile;
        std::atomic<bool> lost { false };
    };
}

//==============================================================================
// Helper roles.

/** A worker started by a ChildProcessCoordinator (see workerIdPrefix). args: mode, id, command line.
    Modes: Echo (serves until its coordinator goes), Exit (leaves before connecting), Silent (never
    connects), Stubborn (ignores the loss of its coordinator and the kill message).
*/
int roles::worker (const juce::StringArray& args)
{
    const auto& mode = args[0];

    if (mode == "Exit")
        return 0;

    if (mode == "Silent")
        for (;;)
            juce::Thread::sleep (1000);

    TestWorker worker (mode);

    if (! worker.initialiseFromCommandLine (args[2], args[1], 2000))
        return 2;

    worker.log ("connected " + args[2].fromFirstOccurrenceOf (":", false, false).replace (" ", "_"));

    while (! worker.lost || mode == "Stubborn")
        juce::Thread::sleep (5);

    return 0;
}

/** A coordinator process: launches two Echo workers one after the other, says so, and waits to be killed. */
int roles::coordinatorOfTwo (const juce::StringArray&)
{
    TestCoordinator first, second;

    if (! first.launch ("Echo", launchTimeoutMs) || ! second.launch ("Echo", launchTimeoutMs))
        return 2;

    helperLog ("launched " + juce::String (first.workerProcessId()) + " " + juce::String (second.workerProcessId()));

    for (;;)
        juce::Thread::sleep (1000);
}

//==============================================================================
TEST (ChildProcessCoordinator, LaunchReturnsOnceTheWorkerIsConnected)
{
    TestCoordinator coordinator;
    ASSERT_TRUE (coordinator.launch ("Echo", launchTimeoutMs));

    // Connected already: the worker's handleConnectionMade runs on the start message.
    EXPECT_EQ (coordinator.waitForMessage ("ready"), "ready");
    ASSERT_TRUE (coordinator.sendMessageToWorker (blockOf ("echo this")));
    EXPECT_EQ (coordinator.waitForMessage ("echo"), "echo this");
    EXPECT_EQ (coordinator.losses.load(), 0);
}

TEST (ChildProcessCoordinator, LaunchFailsAtOnceForAWorkerThatExits)
{
    TestCoordinator coordinator;
    Stopwatch stopwatch;

    EXPECT_FALSE (coordinator.launch ("Exit", launchTimeoutMs));
    EXPECT_LT (stopwatch.elapsedMs(), launchTimeoutMs / 2.0) << "it should not wait out the timeout";
    EXPECT_EQ (coordinator.losses.load(), 0) << "a launch that failed reports no loss";
}

TEST (ChildProcessCoordinator, LaunchFailsWithinItsTimeoutForAWorkerThatNeverConnects)
{
    WorkerLogs logs;
    TestCoordinator coordinator;
    Stopwatch stopwatch;

    EXPECT_FALSE (coordinator.launch ("Silent", 1000));
    EXPECT_GE (stopwatch.elapsedMs(), 990.0);
    EXPECT_LT (stopwatch.elapsedMs(), 1000.0 + juce::ChildProcessCoordinator::killGracePeriodMs + 2000.0);
}

TEST (ChildProcessCoordinator, AKilledWorkerIsNoticedWithin100Milliseconds)
{
    for (int round = 0; round < 5; ++round)
    {
        TestCoordinator coordinator;
        ASSERT_TRUE (coordinator.launch ("Echo", launchTimeoutMs));
        const auto worker = coordinator.workerProcessId();
        ASSERT_GT (worker, 0);

        const auto killedAtMs = nowMs();
        ASSERT_TRUE (killProcess (worker));
        ASSERT_TRUE (waitFor ([&] { return coordinator.losses.load() > 0; }, 10000));

        EXPECT_LT (coordinator.lostAtMs - killedAtMs, noticedWithinMs) << "round " << round;
        juce::Thread::sleep (50);
        EXPECT_EQ (coordinator.losses.load(), 1) << "the loss is reported once";
    }
}

TEST (ChildProcessCoordinator, AWorkerThatCrashesIsNoticed)
{
    TestCoordinator coordinator;
    ASSERT_TRUE (coordinator.launch ("Echo", launchTimeoutMs));
    ASSERT_EQ (coordinator.waitForMessage ("ready"), "ready");

    ASSERT_TRUE (coordinator.sendMessageToWorker (blockOf ("crash")));
    EXPECT_TRUE (waitFor ([&] { return coordinator.losses.load() > 0; }, 10000));
}

TEST (ChildProcessCoordinator, AHungWorkerIsCaughtByThePings)
{
    TestCoordinator coordinator;
    ASSERT_TRUE (coordinator.launch ("Echo", 2000));
    const auto worker = coordinator.workerProcessId();
    ASSERT_GT (worker, 0);

    const auto suspendedAtMs = nowMs();
    ASSERT_TRUE (suspendProcess (worker));

    // No answer to the pings for the timeout (2 s, counted in whole seconds): the worker is given up.
    const auto noticed = waitFor ([&] { return coordinator.losses.load() > 0; }, 10000);
    resumeProcess (worker);

    ASSERT_TRUE (noticed);
    EXPECT_GE (coordinator.lostAtMs - suspendedAtMs, 1500.0);
    EXPECT_LT (coordinator.lostAtMs - suspendedAtMs, 5000.0);
}

TEST (ChildProcessCoordinator, KillWorkerProcessLeavesNoOrphan)
{
    TestCoordinator coordinator;
    ASSERT_TRUE (coordinator.launch ("Stubborn", launchTimeoutMs));
    const auto worker = coordinator.workerProcessId();
    ASSERT_GT (worker, 0);

    Stopwatch stopwatch;
    coordinator.killWorkerProcess();

    EXPECT_LT (stopwatch.elapsedMs(), juce::ChildProcessCoordinator::killGracePeriodMs + 2000.0);
    EXPECT_TRUE (waitFor ([&] { return ! isProcessAlive (worker); }, 5000)) << "the worker that ignored the kill message still runs";
    EXPECT_EQ (coordinator.losses.load(), 1);
}

TEST (ChildProcessCoordinator, AnObedientWorkerStopsByItself)
{
    WorkerLogs logs;
    TestCoordinator coordinator;
    ASSERT_TRUE (coordinator.launch ("Echo", launchTimeoutMs));
    const auto worker = coordinator.workerProcessId();

    coordinator.killWorkerProcess();
    EXPECT_FALSE (isProcessAlive (worker));
    EXPECT_GT (logs.timeOf ("lost", worker), 0.0) << logs.lines().joinIntoString ("\n");
}

TEST (ChildProcessCoordinator, PipeNamesCannotBeGuessed)
{
    WorkerLogs logs;
    juce::StringArray names;

    for (int i = 0; i < 2; ++i)
    {
        TestCoordinator coordinator;
        ASSERT_TRUE (coordinator.launch ("Echo", launchTimeoutMs));
        coordinator.waitForMessage ("ready");
    }

    for (auto& line : logs.lines())
        if (line.contains (" connected "))
            names.add (juce::StringArray::fromTokens (line, " ", {})[2]);

    ASSERT_EQ (names.size(), 2) << logs.lines().joinIntoString ("\n");

    for (auto& name : names)
    {
        // 128 random bits as 32 hex digits.
        EXPECT_EQ (name.length(), 4 + 32) << name;
        EXPECT_TRUE (name.substring (4).containsOnly ("0123456789abcdef")) << name;
    }

    EXPECT_NE (names[0], names[1]);
}

TEST (ChildProcessWorker, AKilledCoordinatorIsNoticedWithin100MillisecondsWhileASiblingRuns)
{
    WorkerLogs logs;

    // The coordinator starts worker A, then worker B: B must not hold anything of A's pipe.
    HelperProcess coordinator ("coordinator-of-two");
    ASSERT_TRUE (waitFor ([&] { return coordinator.getOutput().contains ("launched"); }, launchTimeoutMs)) << coordinator.getOutput();

    const auto ids = juce::StringArray::fromTokens (coordinator.getOutput().fromFirstOccurrenceOf ("launched ", false, false).trim(), " ", {});
    const auto firstWorker = ids[0].getIntValue(), secondWorker = ids[1].getIntValue();
    ASSERT_GT (firstWorker, 0);
    ASSERT_GT (secondWorker, 0);

    const auto killedAtMs = nowMs();
    coordinator.kill();

    ASSERT_TRUE (waitFor ([&] { return logs.timeOf ("lost", firstWorker) > 0 && logs.timeOf ("lost", secondWorker) > 0; }, 10000))
        << logs.lines().joinIntoString ("\n");

    EXPECT_LT (logs.timeOf ("lost", firstWorker) - killedAtMs, noticedWithinMs);
    EXPECT_LT (logs.timeOf ("lost", secondWorker) - killedAtMs, noticedWithinMs);

    // And both leave, as workers whose coordinator has gone should.
    EXPECT_TRUE (waitFor ([&] { return ! isProcessAlive (firstWorker) && ! isProcessAlive (secondWorker); }, 10000));
}
