/*
  juce-ipc-fork tests: NamedPipe behaviour on every platform, with real peer processes.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "../harness/Roles.h"

#include <gtest/gtest.h>

#include <atomic>

using namespace ipctest;
using juce::int64;

namespace
{
    /** Generous bounds for waits that should take milliseconds: tests assert behaviour, not speed. */
    constexpr int connectTimeoutMs = 10000;
    constexpr int helperExitTimeoutMs = 20000;

    /** How long close() from another thread may take to unblock a call (the contract says 100 ms). */
    constexpr double unblockLimitMs = 100.0;

    /** A byte stream that can be checked anywhere in the middle: byte i is patternByte (i). */
    char patternByte (int64 index)
    {
        return (char) ((index * 7 + (index >> 8)) & 0xff);
    }

    /** Reads from the pipe until `text` has arrived, or timeoutMs passes; returns what arrived. */
    juce::String readText (juce::NamedPipe& pipe, int numBytes, int timeoutMs)
    {
        juce::MemoryBlock received;
        char buffer[4096];

        waitFor ([&]
        {
            const auto numRead = pipe.read (buffer, juce::jmin ((int) sizeof (buffer), numBytes - (int) received.getSize()), 50);

            if (numRead > 0)
                received.append (buffer, (size_t) numRead);

            return (int) received.getSize() >= numBytes || numRead < 0;
        }, timeoutMs);

        return received.toString();
    }

    bool writeText (juce::NamedPipe& pipe, const juce::String& text, int timeoutMs = 10000)
    {
        const auto size = (int) text.getNumBytesAsUTF8();
        return pipe.write (text.toRawUTF8(), size, timeoutMs) == size;
    }

    /** Runs f on another thread; join() waits for it and says how long it ran. */
    class Background
    {
    public:
        explicit Background (std::function<void()> f) : thread ([this, f] { f(); finishedMs = nowMs(); }) {}
        ~Background()           { if (thread.joinable()) thread.join(); }

        void join()             { thread.join(); }
        double finishedAtMs() const noexcept { return finishedMs; }

    private:
        std::atomic<double> finishedMs { 0.0 };
        std::thread thread;
    };
}

//==============================================================================
// Helper roles. Each opens or creates the pipe named in args[0].

/** Opens the pipe, then echoes every byte it reads until the connection ends. */
int roles::pipeEchoClient (const juce::StringArray& args)
{
    juce::NamedPipe pipe;

    if (! pipe.openExisting (args[0], connectTimeoutMs))
    {
        helperLog ("open failed: " + pipe.getLastErrorMessage());
        return 2;
    }

    helperLog ("connected");
    char buffer[65536];

    for (;;)
    {
        const auto numRead = pipe.read (buffer, (int) sizeof (buffer), -1);

        if (numRead < 0)
            return 0;

        if (numRead > 0 && pipe.write (buffer, numRead, 10000) != numRead)
            return 3;
    }
}

/** Opens the pipe, writes "hello", and waits to be killed. */
int roles::pipeHelloThenHang (const juce::StringArray& args)
{
    juce::NamedPipe pipe;

    if (! pipe.openExisting (args[0], connectTimeoutMs) || ! writeText (pipe, "hello"))
        return 2;

    helperLog ("said hello");

    for (;;)
        juce::Thread::sleep (1000);
}

/** Opens the pipe and writes args[1] bytes of the test pattern in chunks of random sizes, pausing now
    and then so that the reader's timeouts race the data, then closes.
*/
int roles::pipeStreamWriter (const juce::StringArray& args)
{
    juce::NamedPipe pipe;

    if (! pipe.openExisting (args[0], connectTimeoutMs))
        return 2;

    const auto total = args[1].getLargeIntValue();
    juce::Random random;
    juce::HeapBlock<char> chunk (65536);
    int64 sent = 0;

    while (sent < total)
    {
        const auto size = (int) juce::jmin ((int64) random.nextInt ({ 1, 65536 }), total - sent);

        for (int i = 0; i < size; ++i)
            chunk[i] = patternByte (sent + i);

        if (pipe.write (chunk, size, 20000) != size)
        {
            helperLog ("write failed after " + juce::String (sent) + " bytes: " + pipe.getLastErrorMessage());
            return 3;
        }

        sent += size;

        // Long enough for the reader to empty the pipe's buffer and time out.
        if (random.nextInt (16) == 0)
            juce::Thread::sleep (10);
    }

    helperLog ("sent " + juce::String (sent));
    return 0;
}

/** args[1] times: opens the pipe, writes "<i>", closes, reopens at once, writes "again <i>", reads "ok". */
int roles::pipeReconnector (const juce::StringArray& args)
{
    juce::NamedPipe pipe;
    const auto rounds = args[1].getIntValue();

    for (int i = 0; i < rounds; ++i)
    {
        if (! pipe.openExisting (args[0], connectTimeoutMs) || ! writeText (pipe, "first " + juce::String (i).paddedLeft ('0', 4)))
        {
            helperLog ("round " + juce::String (i) + ": first connection failed: " + pipe.getLastErrorMessage());
            return 2;
        }

        pipe.close();

        // The master has not noticed the close yet: this open must still succeed in its timeout.
        if (! pipe.openExisting (args[0], connectTimeoutMs) || ! writeText (pipe, "again " + juce::String (i).paddedLeft ('0', 4)))
        {
            helperLog ("round " + juce::String (i) + ": reconnection failed: " + pipe.getLastErrorMessage());
            return 3;
        }

        const auto reply = readText (pipe, 2, 10000);

        if (reply != "ok")
        {
            helperLog ("round " + juce::String (i) + ": expected 'ok', got '" + reply + "'");
            return 4;
        }

        pipe.close();
    }

    helperLog ("all rounds done");
    return 0;
}

/** Creates the pipe (mustNotExist), says "ready", and serves echo to every client until killed. */
int roles::pipeEchoMaster (const juce::StringArray& args)
{
    juce::NamedPipe pipe;

    if (! pipe.createNewPipe (args[0], true))
    {
        helperLog ("create failed: " + pipe.getLastErrorMessage());
        return 2;
    }

    helperLog ("ready");
    char buffer[65536];

    for (;;)
    {
        const auto numRead = pipe.read (buffer, (int) sizeof (buffer), -1);

        if (numRead > 0)
            pipe.write (buffer, numRead, 10000);
    }
}

/** Opens the pipe, says "connected", reads args[1] bytes, stops reading for args[2] ms, then reads
    until the connection ends and reports how many bytes arrived in all.
*/
int roles::pipeSlowReader (const juce::StringArray& args)
{
    juce::NamedPipe pipe;

    if (! pipe.openExisting (args[0], connectTimeoutMs))
        return 2;

    helperLog ("connected");

    int64 total = 0;
    char buffer[65536];
    const auto readFirst = args[1].getLargeIntValue();

    while (total < readFirst)
    {
        const auto numRead = pipe.read (buffer, (int) juce::jmin ((int64) sizeof (buffer), readFirst - total), 10000);

        if (numRead <= 0)
            return 4;

        total += numRead;
    }

    juce::Thread::sleep (args[2].getIntValue());

    for (;;)
    {
        const auto numRead = pipe.read (buffer, (int) sizeof (buffer), 10000);

        if (numRead < 0)
        {
            helperLog ("connection ended after " + juce::String (total) + " bytes");
            return 0;
        }

        if (numRead == 0)
        {
            helperLog ("no end seen after " + juce::String (total) + " bytes");
            return 3;
        }

        total += numRead;
    }
}

//==============================================================================
TEST (NamedPipe, OpenExistingWaitsForAMasterThatAppearsLater)
{
    const auto name = uniquePipeName ("later");
    juce::NamedPipe slave;
    bool connected = false;
    Stopwatch stopwatch;

    Background connecting ([&] { connected = slave.openExisting (name, connectTimeoutMs); });

    juce::Thread::sleep (300);
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true)) << master.getLastErrorMessage();
    connecting.join();

    EXPECT_TRUE (connected) << slave.getLastErrorMessage();
    EXPECT_GE (stopwatch.elapsedMs(), 250.0);
    EXPECT_LT (stopwatch.elapsedMs(), (double) connectTimeoutMs);
}

TEST (NamedPipe, OpenExistingGivesUpAtItsTimeoutWithAReason)
{
    juce::NamedPipe slave;
    Stopwatch stopwatch;

    EXPECT_FALSE (slave.openExisting (uniquePipeName ("absent"), 300));
    EXPECT_GE (stopwatch.elapsedMs(), 290.0);
    EXPECT_LT (stopwatch.elapsedMs(), 2000.0);
    EXPECT_FALSE (slave.isOpen());
    EXPECT_TRUE (slave.getLastErrorMessage().contains ("timed out after 300 ms")) << slave.getLastErrorMessage();
}

TEST (NamedPipe, OneArgumentOpenExistingWaitsTheDocumentedDefault)
{
    juce::NamedPipe slave;
    Stopwatch stopwatch;

    EXPECT_FALSE (slave.openExisting (uniquePipeName ("absent")));
    EXPECT_GE (stopwatch.elapsedMs(), juce::NamedPipe::defaultConnectionTimeoutMs - 10.0);
    EXPECT_LT (stopwatch.elapsedMs(), juce::NamedPipe::defaultConnectionTimeoutMs + 2000.0);
}

TEST (NamedPipe, ReadTimeoutReturnsZeroAndKeepsTheConnection)
{
    const auto name = uniquePipeName ("timeout");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));

    HelperProcess client ("pipe-echo-client", { name });
    ASSERT_TRUE (master.waitForClient (connectTimeoutMs)) << master.getLastErrorMessage();

    char buffer[16];

    for (int i = 0; i < 5; ++i)
        EXPECT_EQ (master.read (buffer, (int) sizeof (buffer), 50), 0);

    EXPECT_TRUE (master.isConnected());
    ASSERT_TRUE (writeText (master, "still here"));
    EXPECT_EQ (readText (master, 10, 10000), "still here");
}

TEST (NamedPipe, SlaveReadTimeoutReturnsZeroAndKeepsTheConnection)
{
    const auto name = uniquePipeName ("slave-timeout");
    HelperProcess master ("pipe-echo-master", { name });
    ASSERT_TRUE (waitFor ([&] { return master.getOutput().contains ("ready"); }, connectTimeoutMs)) << master.getOutput();

    juce::NamedPipe slave;
    ASSERT_TRUE (slave.openExisting (name, connectTimeoutMs)) << slave.getLastErrorMessage();

    char buffer[16];

    for (int i = 0; i < 5; ++i)
        EXPECT_EQ (slave.read (buffer, (int) sizeof (buffer), 50), 0);

    EXPECT_TRUE (slave.isConnected());
    ASSERT_TRUE (writeText (slave, "echo me"));
    EXPECT_EQ (readText (slave, 7, 10000), "echo me");
}

TEST (NamedPipe, StreamReadWithOneMillisecondTimeoutsArrivesCompleteAndInOrder)
{
    const auto name = uniquePipeName ("stream");
    constexpr int64 totalBytes = 8 * 1024 * 1024;

    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));
    HelperProcess writer ("pipe-stream-writer", { name, juce::String (totalBytes) });

    juce::HeapBlock<char> buffer (100000);
    int64 received = 0;
    int timeouts = 0;
    juce::Random random;
    Stopwatch stopwatch;

    while (received < totalBytes && stopwatch.elapsedMs() < 120000)
    {
        const auto numRead = master.read (buffer, random.nextInt ({ 1, 100000 }), 1);

        if (numRead == 0)
        {
            ++timeouts;
            continue;
        }

        ASSERT_GT (numRead, 0) << "after " << received << " bytes: " << master.getLastErrorMessage();

        for (int i = 0; i < numRead; ++i)
            ASSERT_EQ (buffer[i], patternByte (received + i)) << "byte " << (received + i);

        received += numRead;
    }

    EXPECT_EQ (received, totalBytes);
    EXPECT_GT (timeouts, 0) << "the reads never timed out, so the test did not race timeouts with data";
    EXPECT_EQ (writer.waitForExit (helperExitTimeoutMs), 0) << writer.getOutput();
}

TEST (NamedPipe, DataWrittenBeforeThePeerLeavesIsReadBeforeTheLoss)
{
    const auto name = uniquePipeName ("last-words");
    constexpr int64 totalBytes = 32000;   // fits in the pipe's buffers: the writer need not wait for us

    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));
    HelperProcess writer ("pipe-stream-writer", { name, juce::String (totalBytes) });
    ASSERT_EQ (writer.waitForExit (helperExitTimeoutMs), 0) << writer.getOutput();

    // The writer has written everything and gone: all of it is read, then -1.
    juce::HeapBlock<char> buffer (65536);
    int64 received = 0;

    for (;;)
    {
        const auto numRead = master.read (buffer, 65536, 5000);

        if (numRead <= 0)
        {
            EXPECT_EQ (numRead, -1);
            break;
        }

        received += numRead;
    }

    EXPECT_EQ (received, totalBytes);
}

TEST (NamedPipe, MasterServesTheNextClientAfterOneIsKilled)
{
    const auto name = uniquePipeName ("relisten");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));

    for (int round = 0; round < 100; ++round)
    {
        SCOPED_TRACE ("round " + std::to_string (round));

        HelperProcess client ("pipe-hello-then-hang", { name });
        ASSERT_EQ (readText (master, 5, connectTimeoutMs), "hello") << client.getOutput();
        EXPECT_TRUE (master.isConnected());

        client.kill();

        // The loss is reported once...
        char buffer[16];
        int result = 0;
        ASSERT_TRUE (waitFor ([&] { return (result = master.read (buffer, (int) sizeof (buffer), 50)) != 0; }, 10000));
        EXPECT_EQ (result, -1) << master.getLastErrorMessage();
        EXPECT_FALSE (master.isConnected());

        // ...and the master is listening again, not failing.
        EXPECT_EQ (master.read (buffer, (int) sizeof (buffer), 20), 0);
        EXPECT_TRUE (master.isOpen());
    }

    // A client that exchanges data with the same master object afterwards.
    HelperProcess echo ("pipe-echo-client", { name });
    ASSERT_TRUE (writeText (master, "after the storm"));
    EXPECT_EQ (readText (master, 15, connectTimeoutMs), "after the storm");
}

TEST (NamedPipe, ClientReconnectsRightAfterClosingBeforeTheMasterNoticed)
{
    const auto name = uniquePipeName ("reconnect");
    constexpr int rounds = 20;

    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));
    HelperProcess client ("pipe-reconnector", { name, juce::String (rounds) });

    int losses = 0;

    for (int i = 0; i < rounds; ++i)
    {
        const auto number = juce::String (i).paddedLeft ('0', 4);

        ASSERT_EQ (readText (master, 10, connectTimeoutMs), "first " + number) << client.getOutput();

        // The first connection ends: reported once, then the second one's data arrives, clean.
        char buffer[16];
        ASSERT_EQ (master.read (buffer, (int) sizeof (buffer), connectTimeoutMs), -1) << master.getLastErrorMessage();
        ++losses;

        ASSERT_EQ (readText (master, 10, connectTimeoutMs), "again " + number) << client.getOutput();
        ASSERT_TRUE (writeText (master, "ok"));

        ASSERT_EQ (master.read (buffer, (int) sizeof (buffer), connectTimeoutMs), -1) << master.getLastErrorMessage();
        ++losses;
    }

    EXPECT_EQ (losses, 2 * rounds);
    EXPECT_EQ (client.waitForExit (helperExitTimeoutMs), 0) << client.getOutput();
}

TEST (NamedPipe, WriteWithNoClientTimesOutWithZero)
{
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (uniquePipeName ("lonely"), true));
    Stopwatch stopwatch;

    EXPECT_EQ (master.write ("x", 1, 100), 0);
    EXPECT_GE (stopwatch.elapsedMs(), 90.0);
    EXPECT_TRUE (master.isOpen());
}

TEST (NamedPipe, StalledWriteBreaksTheConnectionAndBothEndsSeeIt)
{
    const auto name = uniquePipeName ("stall");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));

    // The client reads the first kilobyte, then stops reading for 1.5 s.
    HelperProcess client ("pipe-slow-reader", { name, "1000", "1500" });
    ASSERT_TRUE (master.waitForClient (connectTimeoutMs));

    // Far more than the pipe buffers hold: the write stalls part-way.
    constexpr int size = 8 * 1024 * 1024;
    juce::HeapBlock<char> data (size, true);
    EXPECT_EQ (master.write (data, size, 300), -1);
    EXPECT_FALSE (master.isConnected());

    EXPECT_EQ (client.waitForExit (helperExitTimeoutMs), 0) << client.getOutput();
    EXPECT_TRUE (client.getOutput().contains ("connection ended after")) << client.getOutput();
}

TEST (NamedPipe, CloseFromAnotherThreadUnblocksAReadPromptly)
{
    const auto name = uniquePipeName ("close-read");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));
    HelperProcess client ("pipe-echo-client", { name });
    ASSERT_TRUE (master.waitForClient (connectTimeoutMs));

    int result = 0;
    Background reading ([&] { char buffer[16]; result = master.read (buffer, (int) sizeof (buffer), -1); });

    juce::Thread::sleep (100);
    const auto closedAtMs = nowMs();
    master.close();
    reading.join();

    EXPECT_EQ (result, -1);
    EXPECT_LT (reading.finishedAtMs() - closedAtMs, unblockLimitMs);
}

TEST (NamedPipe, CloseFromAnotherThreadUnblocksASlaveReadPromptly)
{
    const auto name = uniquePipeName ("close-slave-read");
    HelperProcess master ("pipe-echo-master", { name });
    ASSERT_TRUE (waitFor ([&] { return master.getOutput().contains ("ready"); }, connectTimeoutMs));

    juce::NamedPipe slave;
    ASSERT_TRUE (slave.openExisting (name, connectTimeoutMs));

    int result = 0;
    Background reading ([&] { char buffer[16]; result = slave.read (buffer, (int) sizeof (buffer), -1); });

    juce::Thread::sleep (100);
    const auto closedAtMs = nowMs();
    slave.close();
    reading.join();

    EXPECT_EQ (result, -1);
    EXPECT_LT (reading.finishedAtMs() - closedAtMs, unblockLimitMs);
}

TEST (NamedPipe, CloseFromAnotherThreadUnblocksAWaitForAClientPromptly)
{
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (uniquePipeName ("close-listen"), true));

    int result = 0;
    Background reading ([&] { char buffer[16]; result = master.read (buffer, (int) sizeof (buffer), -1); });

    juce::Thread::sleep (100);
    const auto closedAtMs = nowMs();
    master.close();
    reading.join();

    EXPECT_EQ (result, -1);
    EXPECT_LT (reading.finishedAtMs() - closedAtMs, unblockLimitMs);
}

TEST (NamedPipe, CloseFromAnotherThreadUnblocksAStalledWritePromptly)
{
    const auto name = uniquePipeName ("close-write");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));
    HelperProcess client ("pipe-slow-reader", { name, "0", "60000" });
    ASSERT_TRUE (master.waitForClient (connectTimeoutMs));

    constexpr int size = 8 * 1024 * 1024;
    juce::HeapBlock<char> data (size, true);
    int result = 0;
    Background writing ([&] { result = master.write (data, size, -1); });

    juce::Thread::sleep (300);
    const auto closedAtMs = nowMs();
    master.close();
    writing.join();

    EXPECT_EQ (result, -1);
    EXPECT_LT (writing.finishedAtMs() - closedAtMs, unblockLimitMs);
}

TEST (NamedPipe, CloseFromAnotherThreadUnblocksAConnectPromptly)
{
    juce::NamedPipe slave;
    bool connected = true;
    Background connecting ([&] { connected = slave.openExisting (uniquePipeName ("never"), -1); });

    juce::Thread::sleep (200);
    const auto closedAtMs = nowMs();
    slave.close();
    connecting.join();

    EXPECT_FALSE (connected);
    EXPECT_LT (connecting.finishedAtMs() - closedAtMs, unblockLimitMs);
    EXPECT_FALSE (slave.isOpen());
}

TEST (NamedPipe, ConcurrentReaderAndWriterThreadsShareTheConnection)
{
    const auto name = uniquePipeName ("duplex");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));
    HelperProcess client ("pipe-echo-client", { name });

    // A writer thread and a reader thread both start before the client has connected: both wait
    // for it, and exactly one connection results.
    constexpr int64 totalBytes = 2 * 1024 * 1024;
    std::atomic<bool> writeFailed { false };

    Background writing ([&]
    {
        juce::HeapBlock<char> chunk (4096);
        int64 sent = 0;

        while (sent < totalBytes)
        {
            for (int i = 0; i < 4096; ++i)
                chunk[i] = patternByte (sent + i);

            if (master.write (chunk, 4096, 20000) != 4096)
            {
                writeFailed = true;
                return;
            }

            sent += 4096;
        }
    });

    juce::HeapBlock<char> buffer (65536);
    int64 received = 0;
    Stopwatch stopwatch;

    while (received < totalBytes && stopwatch.elapsedMs() < 60000)
    {
        const auto numRead = master.read (buffer, 65536, 100);
        ASSERT_GE (numRead, 0) << master.getLastErrorMessage();

        for (int i = 0; i < numRead; ++i)
            ASSERT_EQ (buffer[i], patternByte (received + i));

        received += numRead;
    }

    writing.join();
    EXPECT_FALSE (writeFailed.load());
    EXPECT_EQ (received, totalBytes);
}

TEST (NamedPipe, SecondMasterForTheSameNameIsRefused)
{
    const auto name = uniquePipeName ("taken");
    HelperProcess owner ("pipe-echo-master", { name });
    ASSERT_TRUE (waitFor ([&] { return owner.getOutput().contains ("ready"); }, connectTimeoutMs)) << owner.getOutput();

    juce::NamedPipe mustBeNew, mayExist;
    EXPECT_FALSE (mustBeNew.createNewPipe (name, true));
    EXPECT_TRUE (mustBeNew.getLastErrorMessage().contains ("already")) << mustBeNew.getLastErrorMessage();

    // Not even when allowed to exist: a pipe that another live process serves is never shared.
    EXPECT_FALSE (mayExist.createNewPipe (name, false));
    EXPECT_TRUE (mayExist.getLastErrorMessage().isNotEmpty());

    // The owner still serves its clients.
    juce::NamedPipe slave;
    ASSERT_TRUE (slave.openExisting (name, connectTimeoutMs)) << slave.getLastErrorMessage();
    ASSERT_TRUE (writeText (slave, "mine"));
    EXPECT_EQ (readText (slave, 4, 10000), "mine");
}

TEST (NamedPipe, InvalidNamesFailWithAReason)
{
    juce::NamedPipe master, slave;

    EXPECT_FALSE (master.createNewPipe ({}, true));
    EXPECT_TRUE (master.getLastErrorMessage().contains ("empty")) << master.getLastErrorMessage();

    EXPECT_FALSE (slave.openExisting ({}, 100));
    EXPECT_TRUE (slave.getLastErrorMessage().contains ("empty")) << slave.getLastErrorMessage();

    // Names are made legal file names, as JUCE's own NamedPipe makes them: nothing may be left.
    EXPECT_FALSE (master.createNewPipe ("<>|?*", true));
    EXPECT_TRUE (master.getLastErrorMessage().contains ("empty")) << master.getLastErrorMessage();

   #if ! JUCE_WINDOWS
    // An absolute path is used as it is, and may be too long for the file system.
    const auto longPath = "/tmp/" + juce::String::repeatedString ("n/", 3000) + "pipe";
    EXPECT_FALSE (master.createNewPipe (longPath, true));
    EXPECT_TRUE (master.getLastErrorMessage().contains ("too long")) << master.getLastErrorMessage();

    Stopwatch stopwatch;
    EXPECT_FALSE (slave.openExisting (longPath, 5000));
    EXPECT_TRUE (slave.getLastErrorMessage().contains ("too long")) << slave.getLastErrorMessage();
    EXPECT_LT (stopwatch.elapsedMs(), 4000.0) << "an invalid name should fail at once, not at the timeout";
   #endif
}

TEST (NamedPipe, ReadsAndWritesOnAClosedPipeFail)
{
    juce::NamedPipe pipe;
    char buffer[4];

    EXPECT_EQ (pipe.read (buffer, 4, 10), -1);
    EXPECT_EQ (pipe.write (buffer, 4, 10), -1);
    EXPECT_FALSE (pipe.waitForClient (10));
    EXPECT_FALSE (pipe.isConnected());
    EXPECT_EQ (pipe.getLastErrorMessage(), "the pipe is not open");
}
