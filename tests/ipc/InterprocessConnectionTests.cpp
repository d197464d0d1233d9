/*
  juce-ipc-fork tests: InterprocessConnection with real peer processes: a receive timeout never
  disconnects, both ends agree about the connection, framing never corrupts, concurrent sends stay
  whole, disconnect() is prompt, and both callback modes behave the same.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "../harness/Roles.h"
#include "../harness/NativeProcess.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#if JUCE_WINDOWS
 #include <windows.h>
 #include <psapi.h>
#else
 #include <sys/resource.h>
#endif

using namespace ipctest;
using juce::int64;

namespace
{
    constexpr int connectTimeoutMs = 10000;
    constexpr int eventTimeoutMs = 10000;

    /** The contract: both ends see the connection end within 100 ms. */
    constexpr double lossNoticedWithinMs = 100.0;

    juce::MemoryBlock blockOf (const juce::String& text)
    {
        return { text.toRawUTF8(), text.getNumBytesAsUTF8() };
    }

    //==============================================================================
    /** An InterprocessConnection that records what happens to it. In message-thread mode the
        test must run the message loop (see pump()).
    */
    class RecordingConnection final : public juce::InterprocessConnection
    {
    public:
        explicit RecordingConnection (bool onMessageThread)
            : InterprocessConnection (onMessageThread), messageThreadMode (onMessageThread) {}

        ~RecordingConnection() override     { disconnect(); }

        void connectionMade() override      { record ("made"); }
        void connectionLost() override      { record ("lost"); }

        void messageReceived (const juce::MemoryBlock& message) override
        {
            if (messageThreadMode)
                EXPECT_TRUE (juce::MessageManager::getInstance()->isThisTheMessageThread());

            const std::lock_guard<std::mutex> sl (lock);
            messages.push_back (message);
        }

        juce::StringArray events() const
        {
            const std::lock_guard<std::mutex> sl (lock);
            return eventList;
        }

        int count (const juce::String& event) const
        {
            const std::lock_guard<std::mutex> sl (lock);
            int n = 0;

            for (auto& e : eventList)
                n += e == event ? 1 : 0;

            return n;
        }

        size_t numMessages() const
        {
            const std::lock_guard<std::mutex> sl (lock);
            return messages.size();
        }

        juce::MemoryBlock message (size_t index) const
        {
            const std::lock_guard<std::mutex> sl (lock);
            return messages.at (index);
        }

        double timeOfLast (const juce::String& event) const
        {
            const std::lock_guard<std::mutex> sl (lock);
            return lastTime.count (event) != 0 ? lastTime.at (event) : 0.0;
        }

        /** Waits (running the message loop in message-thread mode) until the condition holds. */
        bool waitUntil (const std::function<bool()>& condition, int timeoutMs = eventTimeoutMs)
        {
            return waitFor ([&]
            {
                if (messageThreadMode)
                    juce::MessageManager::getInstance()->runDispatchLoopUntil (1);

                return condition();
            }, timeoutMs);
        }

        bool waitForEvents (int numMade, int numLost, int timeoutMs = eventTimeoutMs)
        {
            return waitUntil ([&] { return count ("made") >= numMade && count ("lost") >= numLost; }, timeoutMs);
        }

        bool waitForMessages (size_t n, int timeoutMs = eventTimeoutMs)
        {
            return waitUntil ([&] { return numMessages() >= n; }, timeoutMs);
        }

    private:
        void record (const juce::String& event)
        {
            if (messageThreadMode)
                EXPECT_TRUE (juce::MessageManager::getInstance()->isThisTheMessageThread());

            const std::lock_guard<std::mutex> sl (lock);
            eventList.add (event);
            lastTime[event] = nowMs();
        }

        const bool messageThreadMode;
        mutable std::mutex lock;
        juce::StringArray eventList;
        std::map<juce::String, double> lastTime;
        std::vector<juce::MemoryBlock> messages;
    };

    /** made and lost alternate, starting with made. */
    bool alternates (const juce::StringArray& events)
    {
        for (int i = 0; i < events.size(); ++i)
            if (events[i] != (i % 2 == 0 ? "made" : "lost"))
                return false;

        return true;
    }

    bool helperSays (HelperProcess& helper, const juce::String& text, int timeoutMs = eventTimeoutMs)
    {
        return waitFor ([&] { return helper.getOutput().contains (text); }, timeoutMs);
    }

    /** A peer process's connection, which logs its events to the helper's output. */
    class LoggingConnection final : public juce::InterprocessConnection
    {
    public:
        explicit LoggingConnection (bool onMessageThread) : InterprocessConnection (onMessageThread) {}
        ~LoggingConnection() override       { disconnect(); }

        void connectionMade() override      { helperLog ("made"); }

        void connectionLost() override
        {
            helperLog ("lost");
            lost = true;
        }

        void messageReceived (const juce::MemoryBlock& message) override
        {
            const auto text = message.toString();

            if (text == "!disconnect")
            {
                helperLog ("disconnecting");
                disconnect();
                return;
            }

            if (text == "!exit")
                exitImmediately (0);

            if (text.startsWith ("!sleep "))
                juce::Thread::sleep (text.fromFirstOccurrenceOf (" ", false, false).getIntValue());

            if (text == "!silent")
                echo = false;

            if (echo)
                sendMessage (message);
        }

        std::atomic<bool> lost { false };
        std::atomic<bool> echo { true };
    };

    /** Runs the role's event loop until the connection is lost: the message loop in message-thread mode. */
    void stayUntilLost (LoggingConnection& connection, bool onMessageThread)
    {
        while (! connection.lost)
        {
            if (onMessageThread)
                juce::MessageManager::getInstance()->runDispatchLoopUntil (20);
            else
                juce::Thread::sleep (20);
        }

        // Let a posted connectionLost run.
        if (onMessageThread)
            juce::MessageManager::getInstance()->runDispatchLoopUntil (50);
    }

    int64 peakMemoryBytes()
    {
       #if JUCE_WINDOWS
        PROCESS_MEMORY_COUNTERS counters {};
        GetProcessMemoryInfo (GetCurrentProcess(), &counters, sizeof (counters));
        return (int64) counters.PeakWorkingSetSize;
       #else
        rusage usage {};
        getrusage (RUSAGE_SELF, &usage);
        return (int64) usage.ru_maxrss * 1024;
       #endif
    }
}

//==============================================================================
// Helper roles.

/** Connects to the pipe args[0] with receive timeout args[1], callbacks on the message thread if
    args[2] is "message"; echoes messages; obeys "!disconnect", "!exit", "!sleep <ms>", "!silent".
*/
int roles::icEchoClient (const juce::StringArray& args)
{
    const auto onMessageThread = args[2] == "message";

    if (onMessageThread)
        juce::MessageManager::getInstance();   // this thread becomes the message thread

    LoggingConnection connection (onMessageThread);

    if (! connection.connectToPipe (args[0], args[1].getIntValue(), connectTimeoutMs))
    {
        helperLog ("connect failed");
        return 2;
    }

    helperLog ("connected");
    stayUntilLost (connection, onMessageThread);
    connection.disconnect();
    return 0;
}

/** Creates the pipe args[0] and echoes every client's messages; logs made and lost. Runs until killed. */
int roles::icEchoMaster (const juce::StringArray& args)
{
    LoggingConnection connection (false);

    if (! connection.createPipe (args[0], -1, true))
        return 2;

    helperLog ("ready");

    for (;;)
        juce::Thread::sleep (1000);
}

/** Opens the pipe args[0] as a raw NamedPipe and follows a script: "send:<hex>", "sleep:<ms>",
    "wait-end" (reads until the connection ends; logs "ended"), "exit" (leaves at once).
*/
int roles::pipeRawClient (const juce::StringArray& args)
{
    juce::NamedPipe pipe;

    if (! pipe.openExisting (args[0], connectTimeoutMs))
        return 2;

    for (int i = 1; i < args.size(); ++i)
    {
        const auto& step = args[i];

        if (step.startsWith ("send:"))
        {
            juce::MemoryBlock bytes;
            bytes.loadFromHexString (step.fromFirstOccurrenceOf (":", false, false));

            if (pipe.write (bytes.getData(), (int) bytes.getSize(), 5000) != (int) bytes.getSize())
                return 3;
        }
        else if (step.startsWith ("sleep:"))
        {
            juce::Thread::sleep (step.fromFirstOccurrenceOf (":", false, false).getIntValue());
        }
        else if (step == "wait-end")
        {
            char buffer[4096];

            while (pipe.read (buffer, (int) sizeof (buffer), 10000) > 0) {}

            helperLog ("ended");
        }
        else if (step == "exit")
        {
            exitImmediately (0);
        }
    }

    return 0;
}

/** Connects to args[0] and checks messages of the form "<thread> <sequence> <filler>": each thread's
    sequence must count up from 0 without gaps, and every filler byte must be the thread's letter.
    Answers "verified <n>" after args[1] messages, or "corrupt: ..." at the first bad one.
*/
int roles::icVerifier (const juce::StringArray& args)
{
    struct Verifier final : public juce::InterprocessConnection
    {
        Verifier() : InterprocessConnection (false) {}
        ~Verifier() override    { disconnect(); }

        void connectionMade() override {}
        void connectionLost() override { lost = true; }

        void messageReceived (const juce::MemoryBlock& message) override
        {
            const auto text = message.toString();
            const auto thread = text.upToFirstOccurrenceOf (" ", false, false);
            const auto sequence = text.fromFirstOccurrenceOf (" ", false, false).upToFirstOccurrenceOf (" ", false, false).getIntValue();
            const auto filler = text.fromFirstOccurrenceOf (" ", false, false).fromFirstOccurrenceOf (" ", false, false);

            if (thread.length() != 1 || sequence != nextSequence[thread]
                 || filler.removeCharacters (thread).isNotEmpty() || (int) message.getSize() != text.getNumBytesAsUTF8())
            {
                if (! reported)
                    sendMessage (blockOf ("corrupt: '" + text.substring (0, 40) + "...' expected sequence " + juce::String (nextSequence[thread])));

                reported = true;
                return;
            }

            ++nextSequence[thread];

            if (++received == expected && ! reported)
                sendMessage (blockOf ("verified " + juce::String (received)));
        }

        std::map<juce::String, int> nextSequence;
        int received = 0, expected = 0;
        bool reported = false;
        std::atomic<bool> lost { false };
    };

    Verifier verifier;
    verifier.expected = args[1].getIntValue();

    if (! verifier.connectToPipe (args[0], 5, connectTimeoutMs))
        return 2;

    while (! verifier.lost)
        juce::Thread::sleep (20);

    return 0;
}

//==============================================================================
/** The soak's traffic in one direction: message i has a size chosen by a seeded generator, and its
    every 64-bit word is a function of (stream, i, word index), so that any byte can be checked.
*/
struct SoakStream
{
    SoakStream (juce::uint64 streamSeed, int64 totalBytes) : seed (streamSeed), remaining (totalBytes) {}

    static juce::uint64 mix (juce::uint64 x) noexcept
    {
        x += 0x9e3779b97f4a7c15ull;
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
        return x ^ (x >> 31);
    }

    /** The size of the next message (0 once the stream is done), up to 4 MiB, sometimes empty. */
    size_t nextSize() noexcept
    {
        if (remaining <= 0)
            return 0;

        const auto r = mix (seed ^ (juce::uint64) count * 0x51);
        auto size = (size_t) ((r >> 8) % (4 * 1024 * 1024 + 1));

        if ((r & 15) == 0)
            size = (size_t) (r >> 40) % 64;   // plenty of small and empty ones too

        size = (size_t) juce::jmin ((int64) size, remaining);
        return size;
    }

    void fill (juce::MemoryBlock& block, size_t size)
    {
        block.setSize (size, false);
        write (static_cast<char*> (block.getData()), size, count);
        remaining -= (int64) size;
        ++count;
    }

    /** True if `message` is what message number `index` of this stream should be. */
    bool check (const juce::MemoryBlock& message)
    {
        const auto expectedSize = nextSize();

        if (message.getSize() != expectedSize)
            return false;

        juce::HeapBlock<char> expected (expectedSize + 8);
        write (expected, expectedSize, count);
        remaining -= (int64) expectedSize;
        ++count;
        return expectedSize == 0 || memcmp (expected, message.getData(), expectedSize) == 0;
    }

    void write (char* destination, size_t size, int64 index) const noexcept
    {
        const auto base = mix (seed + (juce::uint64) index);
        size_t i = 0;

        for (; i + 8 <= size; i += 8)
        {
            const auto word = base ^ (juce::uint64) i;
            memcpy (destination + i, &word, 8);
        }

        if (i < size)
        {
            const auto tail = base ^ (juce::uint64) i;
            memcpy (destination + i, &tail, size - i);
        }
    }

    bool isDone() const noexcept    { return remaining <= 0; }

    const juce::uint64 seed;
    int64 remaining;
    int64 count = 0;
};

/** One end of the soak: sends stream `sendSeed` and checks stream `receiveSeed`, both at once. */
struct SoakEnd final : public juce::InterprocessConnection
{
    SoakEnd (juce::uint64 sendSeed, juce::uint64 receiveSeed, int64 bytesEachWay)
        : InterprocessConnection (false), sending (sendSeed, bytesEachWay), receiving (receiveSeed, bytesEachWay) {}

    ~SoakEnd() override             { disconnect(); }

    void connectionMade() override  { connected = true; }
    void connectionLost() override  { lost = true; }

    void messageReceived (const juce::MemoryBlock& message) override
    {
        if (! corrupt && ! receiving.check (message))
            corrupt = true;

        bytesReceived += (int64) message.getSize();
        ++messagesReceived;

        if (receiving.isDone())
            allReceived = true;
    }

    /** Sends the whole stream; false if a send failed. */
    bool sendAll()
    {
        juce::MemoryBlock message;

        while (! sending.isDone())
        {
            sending.fill (message, sending.nextSize());

            if (! sendMessage (message))
                return false;
        }

        return true;
    }

    bool receivedAll() const        { return allReceived; }

    SoakStream sending, receiving;   // receiving: used on the connection's thread only
    std::atomic<bool> connected { false }, lost { false }, corrupt { false }, allReceived { false };
    std::atomic<int64> bytesReceived { 0 }, messagesReceived { 0 };
};

/** The soak's peer: connects to args[0] with a 5 ms receive timeout, sends args[1] bytes of stream 2
    while checking stream 1, and reports.
*/
int roles::icSoakPeer (const juce::StringArray& args)
{
    SoakEnd end (2, 1, args[1].getLargeIntValue());

    if (! end.connectToPipe (args[0], 5, connectTimeoutMs))
        return 2;

    const auto sent = end.sendAll();
    helperLog (sent ? "sent all" : "a send failed");

    while (! end.receivedAll() && ! end.lost && ! end.corrupt)
        juce::Thread::sleep (5);

    helperLog ("received " + juce::String (end.messagesReceived.load()) + " messages, " + juce::String (end.bytesReceived.load())
                 + " bytes" + (end.corrupt ? ", CORRUPT" : ", all checked"));

    // Stays until the test has checked its side too.
    while (! end.lost)
        juce::Thread::sleep (5);

    return sent && ! end.corrupt ? 0 : 3;
}

/** Connects to args[0] and sends messages of random sizes as fast as it can until the connection
    ends (or the helper is killed).
*/
int roles::icFlooder (const juce::StringArray& args)
{
    struct Flooder final : public juce::InterprocessConnection
    {
        Flooder() : InterprocessConnection (false) {}
        ~Flooder() override     { disconnect(); }
        void connectionMade() override {}
        void connectionLost() override {}
        void messageReceived (const juce::MemoryBlock&) override {}
    };

    Flooder flooder;

    if (! flooder.connectToPipe (args[0], 5, connectTimeoutMs))
        return 2;

    juce::Random random;
    juce::MemoryBlock message (65536, true);

    while (flooder.sendMessage (juce::MemoryBlock (message.getData(), (size_t) random.nextInt (65536)))) {}

    return 0;
}

//==============================================================================
class InterprocessConnectionTest : public testing::TestWithParam<bool>
{
protected:
    bool onMessageThread() const    { return GetParam(); }
    const char* modeName() const    { return onMessageThread() ? "message" : "ipc"; }

    void TearDown() override
    {
        // Drop whatever a test left for the message loop.
        juce::MessageManager::getInstance()->runDispatchLoopUntil (5);
    }
};

TEST_P (InterprocessConnectionTest, ReceiveTimeoutNeverDisconnects)
{
    const auto name = uniquePipeName ("ic-idle");
    RecordingConnection master (onMessageThread());
    ASSERT_TRUE (master.createPipe (name, 1000, true));

    // The client reads with a 1000 ms receive timeout and then idles for five of them.
    HelperProcess client ("ic-echo-client", { name, "1000", modeName() });
    ASSERT_TRUE (master.waitForEvents (1, 0)) << client.getOutput();
    master.waitUntil ([] { return false; }, 5000);

    EXPECT_FALSE (client.getOutput().contains ("lost")) << client.getOutput();
    EXPECT_EQ (master.count ("lost"), 0);

    ASSERT_TRUE (master.sendMessage (blockOf ("after five seconds")));
    ASSERT_TRUE (master.waitForMessages (1)) << client.getOutput();
    EXPECT_EQ (master.message (0).toString(), "after five seconds");
}

TEST_P (InterprocessConnectionTest, BothEndsSeeTheClientDisconnect)
{
    const auto name = uniquePipeName ("ic-client-leaves");
    RecordingConnection master (onMessageThread());
    ASSERT_TRUE (master.createPipe (name, -1, true));

    HelperProcess client ("ic-echo-client", { name, "-1", modeName() });
    ASSERT_TRUE (master.waitForEvents (1, 0));
    ASSERT_TRUE (helperSays (client, "made"));

    ASSERT_TRUE (master.sendMessage (blockOf ("!disconnect"))) << master.getPipe()->getLastErrorMessage() << " / " << client.getOutput();
    ASSERT_TRUE (helperSays (client, "disconnecting"));
    ASSERT_TRUE (master.waitForEvents (1, 1)) << client.getOutput();
    EXPECT_TRUE (helperSays (client, "lost")) << client.getOutput();
    EXPECT_TRUE (alternates (master.events())) << master.events().joinIntoString (" ");
}

TEST_P (InterprocessConnectionTest, BothEndsSeeTheMasterDisconnectPromptly)
{
    const auto name = uniquePipeName ("ic-master-leaves");
    RecordingConnection master (onMessageThread());
    ASSERT_TRUE (master.createPipe (name, -1, true));

    HelperProcess client ("ic-echo-client", { name, "-1", modeName() });
    ASSERT_TRUE (master.waitForEvents (1, 0));
    ASSERT_TRUE (helperSays (client, "made"));

    const auto disconnectedAtMs = nowMs();
    master.disconnect();
    ASSERT_TRUE (helperSays (client, "lost")) << client.getOutput();
    EXPECT_LT (nowMs() - disconnectedAtMs, lossNoticedWithinMs);
    EXPECT_EQ (client.waitForExit (10000), 0);

    ASSERT_TRUE (master.waitForEvents (1, 1));
    EXPECT_TRUE (alternates (master.events())) << master.events().joinIntoString (" ");
}

TEST_P (InterprocessConnectionTest, KilledClientIsNoticedPromptlyAndTheMasterListensAgain)
{
    const auto name = uniquePipeName ("ic-client-killed");
    RecordingConnection master (onMessageThread());
    ASSERT_TRUE (master.createPipe (name, -1, true));

    for (int round = 1; round <= 3; ++round)
    {
        HelperProcess client ("ic-echo-client", { name, "-1", modeName() });
        ASSERT_TRUE (master.waitForEvents (round, round - 1)) << client.getOutput();
        EXPECT_TRUE (master.isConnected());

        // Round trip first, so that the client is surely past connecting.
        ASSERT_TRUE (master.sendMessage (blockOf ("ping " + juce::String (round))));
        ASSERT_TRUE (master.waitForMessages ((size_t) round));

        const auto killedAtMs = nowMs();
        client.kill();
        ASSERT_TRUE (master.waitForEvents (round, round));
        EXPECT_LT (master.timeOfLast ("lost") - killedAtMs, lossNoticedWithinMs + (onMessageThread() ? 20.0 : 0.0));

        // Still listening: the pipe stays open for the next client.
        EXPECT_TRUE (master.isConnected());
    }

    EXPECT_TRUE (alternates (master.events())) << master.events().joinIntoString (" ");
}

TEST_P (InterprocessConnectionTest, KilledMasterIsNoticedPromptlyByTheClient)
{
    const auto name = uniquePipeName ("ic-master-killed");
    HelperProcess masterProcess ("ic-echo-master", { name });
    ASSERT_TRUE (helperSays (masterProcess, "ready"));

    RecordingConnection client (onMessageThread());
    ASSERT_TRUE (client.connectToPipe (name, -1, connectTimeoutMs));
    ASSERT_TRUE (client.waitForEvents (1, 0));
    ASSERT_TRUE (client.sendMessage (blockOf ("ping")));
    ASSERT_TRUE (client.waitForMessages (1));

    const auto killedAtMs = nowMs();
    masterProcess.kill();
    ASSERT_TRUE (client.waitForEvents (1, 1));
    EXPECT_LT (client.timeOfLast ("lost") - killedAtMs, lossNoticedWithinMs + (onMessageThread() ? 20.0 : 0.0));
    EXPECT_FALSE (client.isConnected());
    EXPECT_FALSE (client.sendMessage (blockOf ("anyone?")));
}

TEST_P (InterprocessConnectionTest, ClientReconnectsToTheSameLiveMaster)
{
    const auto name = uniquePipeName ("ic-reconnect");
    HelperProcess masterProcess ("ic-echo-master", { name });
    ASSERT_TRUE (helperSays (masterProcess, "ready"));

    RecordingConnection client (onMessageThread());

    for (int round = 1; round <= 10; ++round)
    {
        // Every other round without disconnect(): connectToPipe() disconnects first by itself.
        if (round % 2 == 0)
            client.disconnect();

        ASSERT_TRUE (client.connectToPipe (name, -1, connectTimeoutMs)) << "round " << round;
        ASSERT_TRUE (client.sendMessage (blockOf ("round " + juce::String (round))));
        ASSERT_TRUE (client.waitForMessages ((size_t) round)) << "round " << round;
        EXPECT_EQ (client.message ((size_t) round - 1).toString(), "round " + juce::String (round));
    }

    client.disconnect();
    ASSERT_TRUE (client.waitForEvents (10, 10));
    EXPECT_TRUE (alternates (client.events())) << client.events().joinIntoString (" ");

    // The master saw each connection come and go, in turn.
    ASSERT_TRUE (waitFor ([&] { return masterProcess.getOutput().upToLastOccurrenceOf ("lost", true, false)
                                                     .retainCharacters ("l").length() >= 10; }, eventTimeoutMs));
}

TEST_P (InterprocessConnectionTest, ZeroLengthMessagesAreDelivered)
{
    const auto name = uniquePipeName ("ic-empty");
    RecordingConnection master (onMessageThread());
    ASSERT_TRUE (master.createPipe (name, -1, true));
    HelperProcess client ("ic-echo-client", { name, "-1", modeName() });
    ASSERT_TRUE (master.waitForEvents (1, 0));

    ASSERT_TRUE (master.sendMessage ({}));
    ASSERT_TRUE (master.sendMessage (blockOf ("after the empty one")));
    ASSERT_TRUE (master.waitForMessages (2));
    EXPECT_EQ (master.message (0).getSize(), 0u);
    EXPECT_EQ (master.message (1).toString(), "after the empty one");
}

TEST_P (InterprocessConnectionTest, ConcurrentSendsArriveWholeAndInOrder)
{
    const auto name = uniquePipeName ("ic-concurrent");
    constexpr int numThreads = 4, perThread = 500;

    RecordingConnection master (onMessageThread());
    ASSERT_TRUE (master.createPipe (name, -1, true));
    HelperProcess verifier ("ic-verifier", { name, juce::String (numThreads * perThread) });
    ASSERT_TRUE (master.waitForEvents (1, 0));

    std::vector<std::thread> senders;
    std::atomic<int> failures { 0 };

    for (int t = 0; t < numThreads; ++t)
    {
        senders.emplace_back ([&, t]
        {
            juce::Random random ((juce::int64) t);
            const juce::String letter = juce::String::charToString ((juce::juce_wchar) ('a' + t));

            for (int i = 0; i < perThread; ++i)
            {
                const auto text = letter + " " + juce::String (i) + " " + juce::String::repeatedString (letter, random.nextInt (70000));

                if (! master.sendMessage (blockOf (text)))
                    ++failures;
            }
        });
    }

    for (auto& sender : senders)
        sender.join();

    EXPECT_EQ (failures.load(), 0);
    ASSERT_TRUE (master.waitForMessages (1, 60000)) << verifier.getOutput();
    EXPECT_EQ (master.message (0).toString(), "verified " + juce::String (numThreads * perThread));
}

TEST_P (InterprocessConnectionTest, ShortReceiveTimeoutNeverMakesASendFail)
{
    const auto name = uniquePipeName ("ic-short-timeout");
    RecordingConnection master (onMessageThread());
    ASSERT_TRUE (master.createPipe (name, 5, true));

    // The client takes 300 ms over one message, while 8 MB more wait to be sent.
    HelperProcess client ("ic-echo-client", { name, "5", modeName() });
    ASSERT_TRUE (master.waitForEvents (1, 0));
    ASSERT_TRUE (master.sendMessage (blockOf ("!silent")));
    ASSERT_TRUE (master.sendMessage (blockOf ("!sleep 300")));

    juce::MemoryBlock big (1024 * 1024, true);

    for (int i = 0; i < 8; ++i)
        EXPECT_TRUE (master.sendMessage (big)) << "message " << i;

    EXPECT_EQ (master.count ("lost"), 0);
}

TEST_P (InterprocessConnectionTest, PeerThatStopsReadingBreaksTheConnectionAfterTheStallLimit)
{
    const auto name = uniquePipeName ("ic-stall");
    RecordingConnection master (onMessageThread());
    master.setWriteStallLimit (300);
    ASSERT_TRUE (master.createPipe (name, -1, true));

    // The client's callbacks run on its connection's thread, so a callback that sleeps stops it
    // reading. (With callbacks on the message thread, its connection would keep reading into
    // the message queue.)
    HelperProcess client ("ic-echo-client", { name, "-1", "ipc" });
    ASSERT_TRUE (master.waitForEvents (1, 0));
    ASSERT_TRUE (master.sendMessage (blockOf ("!silent")));
    ASSERT_TRUE (master.sendMessage (blockOf ("!sleep 5000")));

    juce::MemoryBlock big (4 * 1024 * 1024, true);
    Stopwatch stopwatch;
    bool sent = true;

    for (int i = 0; i < 10 && sent; ++i)
        sent = master.sendMessage (big);

    EXPECT_FALSE (sent);
    EXPECT_LT (stopwatch.elapsedMs(), 4000.0);
    ASSERT_TRUE (master.waitForEvents (1, 1));
    EXPECT_TRUE (helperSays (client, "lost", 15000)) << client.getOutput();
}

TEST_P (InterprocessConnectionTest, DisconnectIsPromptWhileTheReaderWaitsWithoutTimeout)
{
    const auto name = uniquePipeName ("ic-prompt");
    RecordingConnection master (onMessageThread());
    ASSERT_TRUE (master.createPipe (name, -1, true));
    HelperProcess client ("ic-echo-client", { name, "-1", modeName() });
    ASSERT_TRUE (master.waitForEvents (1, 0));
    juce::Thread::sleep (100);

    Stopwatch stopwatch;
    master.disconnect();
    EXPECT_LT (stopwatch.elapsedMs(), 100.0);
    EXPECT_FALSE (master.isConnected());
}

TEST_P (InterprocessConnectionTest, DestroyingAConnectionDuringTrafficIsSafe)
{
    for (int round = 0; round < 10; ++round)
    {
        const auto name = uniquePipeName ("ic-destroy");
        auto master = std::make_unique<RecordingConnection> (onMessageThread());
        ASSERT_TRUE (master->createPipe (name, -1, true));
        HelperProcess flooder ("ic-flooder", { name });
        ASSERT_TRUE (master->waitForMessages (20)) << flooder.getOutput();

        Stopwatch stopwatch;
        master.reset();
        EXPECT_LT (stopwatch.elapsedMs(), 1000.0);
        EXPECT_EQ (flooder.waitForExit (10000), 0) << "the flooder should see the end and stop";
    }
}

TEST_P (InterprocessConnectionTest, OversizedMessagesAreNotSentAndTheConnectionStays)
{
    const auto name = uniquePipeName ("ic-oversized-send");
    RecordingConnection master (onMessageThread());
    master.setMaximumMessageSize (1000);
    ASSERT_TRUE (master.createPipe (name, -1, true));
    HelperProcess client ("ic-echo-client", { name, "-1", modeName() });
    ASSERT_TRUE (master.waitForEvents (1, 0));

    EXPECT_FALSE (master.sendMessage (juce::MemoryBlock (1001, true)));
    ASSERT_TRUE (master.sendMessage (juce::MemoryBlock (1000, true)));
    ASSERT_TRUE (master.waitForMessages (1));
    EXPECT_EQ (master.message (0).getSize(), 1000u);
    EXPECT_EQ (master.count ("lost"), 0);
}

TEST (InterprocessConnectionSoak, TwoGigabytesEachWayAtOnceArriveIntact)
{
    // JIF_SOAK_BYTES makes it shorter or longer: the contract asks for 2 GiB.
    const auto fromEnvironment = juce::SystemStats::getEnvironmentVariable ("JIF_SOAK_BYTES", {}).getLargeIntValue();
    const int64 bytesEachWay = fromEnvironment > 0 ? fromEnvironment : (int64) 2 * 1024 * 1024 * 1024;

    const auto name = uniquePipeName ("ic-soak");
    SoakEnd master (1, 2, bytesEachWay);
    ASSERT_TRUE (master.createPipe (name, 5, true));

    HelperProcess peer ("ic-soak-peer", { name, juce::String (bytesEachWay) }, 170000);
    ASSERT_TRUE (waitFor ([&] { return master.connected.load(); }, connectTimeoutMs));

    Stopwatch stopwatch;
    EXPECT_TRUE (master.sendAll());
    EXPECT_TRUE (waitFor ([&] { return master.receivedAll() || master.lost || master.corrupt; }, 160000));
    EXPECT_TRUE (master.receivedAll()) << master.bytesReceived.load() << " bytes arrived";
    EXPECT_FALSE (master.corrupt.load());
    EXPECT_FALSE (master.lost.load());
    EXPECT_TRUE (helperSays (peer, "all checked", 160000)) << peer.getOutput();

    std::printf ("soak: %s each way in %.1f s\n", juce::File::descriptionOfSizeInBytes (bytesEachWay).toRawUTF8(),
                 stopwatch.elapsedMs() / 1000.0);

    master.disconnect();
    EXPECT_EQ (peer.waitForExit (20000), 0) << peer.getOutput();
}

INSTANTIATE_TEST_SUITE_P (CallbackModes, InterprocessConnectionTest, testing::Values (false, true),
                          [] (const testing::TestParamInfo<bool>& info) { return info.param ? "MessageThread" : "ConnectionThread"; });

//==============================================================================
// Framing: what a peer writes on the wire, byte by byte (a raw NamedPipe), and what is delivered.
namespace
{
    /** A header: JUCE's default magic number and the size, little-endian, as hex. */
    juce::String headerHex (juce::uint32 size, juce::uint32 magic = 0xf2b49e2c)
    {
        juce::MemoryBlock header;
        header.append (&magic, 4);
        header.append (&size, 4);
        return juce::String::toHexString (header.getData(), (int) header.getSize(), 0);
    }

    juce::String hexOf (const juce::String& text)
    {
        return juce::String::toHexString (text.toRawUTF8(), (int) text.getNumBytesAsUTF8(), 0);
    }
}

TEST (InterprocessConnectionFraming, ABadMagicNumberEndsTheConnectionOnBothEndsAndDeliversNothing)
{
    const auto name = uniquePipeName ("frame-magic");
    RecordingConnection master (false);
    ASSERT_TRUE (master.createPipe (name, -1, true));

    HelperProcess peer ("pipe-raw-client", { name, "send:" + headerHex (5, 0x12345678) + hexOf ("hello"), "wait-end" });
    ASSERT_TRUE (master.waitForEvents (1, 1));
    EXPECT_EQ (master.numMessages(), 0u);
    EXPECT_TRUE (helperSays (peer, "ended")) << "the peer should see the connection end";

    // The master listens again.
    EXPECT_TRUE (master.isConnected());
}

TEST (InterprocessConnectionMessageThread, AFloodingPeerWaitsForTheMessageThread)
{
    // Callbacks on the message thread, from a peer that sends faster than they are taken in: what
    // waits for the message thread stays bounded, and the message loop keeps coming back.
    struct Counter final : public juce::InterprocessConnection
    {
        Counter() : InterprocessConnection (true) {}
        ~Counter() override                                 { disconnect(); }
        void connectionMade() override                      {}
        void connectionLost() override                      {}
        void messageReceived (const juce::MemoryBlock&) override
        {
            // Slower than the reading thread: 50 µs of work per message.
            for (Stopwatch work; work.elapsedMs() < 0.05;) {}
            ++received;
        }

        std::atomic<int64> received { 0 };
    };

    const auto name = uniquePipeName ("ic-flood-mt");
    Counter master;
    ASSERT_TRUE (master.createPipe (name, -1, true));
    const auto memoryBefore = peakMemoryBytes();
    HelperProcess flooder ("ic-flooder", { name });

    double longestDispatchMs = 0;

    for (Stopwatch stopwatch; stopwatch.elapsedMs() < 3000;)
    {
        Stopwatch dispatch;
        juce::MessageManager::getInstance()->runDispatchLoopUntil (1);
        longestDispatchMs = juce::jmax (longestDispatchMs, dispatch.elapsedMs());
    }

    // At most 32 MiB wait for the message thread. AddressSanitizer keeps up to 256 MiB of freed blocks in
    // quarantine besides; without the limit the queue grows by gigabytes in these three seconds.
   #if defined (__SANITIZE_ADDRESS__)
    constexpr int64 memoryBoundBytes = (int64) 1024 * 1024 * 1024;
   #else
    constexpr int64 memoryBoundBytes = (int64) 256 * 1024 * 1024;
   #endif

    EXPECT_GT (master.received.load(), 100) << flooder.getOutput();
    EXPECT_LT (longestDispatchMs, 1000.0);
    EXPECT_LT (peakMemoryBytes() - memoryBefore, memoryBoundBytes);
}

TEST (InterprocessConnectionFraming, AnOversizedLengthEndsTheConnectionWithoutAllocatingIt)
{
    const auto name = uniquePipeName ("frame-size");
    RecordingConnection master (false);
    ASSERT_TRUE (master.createPipe (name, -1, true));
    const auto memoryBefore = peakMemoryBytes();

    // 3 GiB: above the default maximum of 128 MiB, and above 2^31 (it must not turn negative).
    HelperProcess peer ("pipe-raw-client", { name, "send:" + headerHex (0xc0000000u) + hexOf ("a few bytes"), "wait-end" });
    ASSERT_TRUE (master.waitForEvents (1, 1));
    EXPECT_EQ (master.numMessages(), 0u);
    EXPECT_LT (peakMemoryBytes() - memoryBefore, (int64) 64 * 1024 * 1024);
    EXPECT_TRUE (helperSays (peer, "ended"));
}

TEST (InterprocessConnectionFraming, TheMaximumSizeIsConfigurable)
{
    const auto name = uniquePipeName ("frame-limit");
    RecordingConnection master (false);
    master.setMaximumMessageSize (100);
    ASSERT_TRUE (master.createPipe (name, -1, true));

    HelperProcess peer ("pipe-raw-client", { name, "send:" + headerHex (100) + juce::String::repeatedString ("ab", 100)
                                                  + headerHex (101) + juce::String::repeatedString ("ab", 101), "wait-end" });
    ASSERT_TRUE (master.waitForEvents (1, 1));
    ASSERT_EQ (master.numMessages(), 1u);
    EXPECT_EQ (master.message (0).getSize(), 100u);
}

TEST (InterprocessConnectionFraming, AHeaderThatArrivesInPiecesIsWaitedFor)
{
    const auto name = uniquePipeName ("frame-pieces");
    RecordingConnection master (false);
    ASSERT_TRUE (master.createPipe (name, -1, true));

    const auto header = headerHex (11);
    HelperProcess peer ("pipe-raw-client", { name, "send:" + header.substring (0, 6), "sleep:200",
                                             "send:" + header.substring (6) + hexOf ("hello"), "sleep:200",
                                             "send:" + hexOf (" world"), "sleep:500" });

    ASSERT_TRUE (master.waitForMessages (1));
    EXPECT_EQ (master.message (0).toString(), "hello world");
    EXPECT_EQ (master.count ("lost"), 0);
}

TEST (InterprocessConnectionFraming, APartialMessageFromAPeerThatDiesIsNeverDelivered)
{
    const auto name = uniquePipeName ("frame-partial");
    RecordingConnection master (false);
    ASSERT_TRUE (master.createPipe (name, -1, true));

    // 10 of 100 bytes, then the peer is gone.
    HelperProcess peer ("pipe-raw-client", { name, "send:" + headerHex (100) + hexOf ("0123456789"), "exit" });
    ASSERT_TRUE (master.waitForEvents (1, 1));
    EXPECT_EQ (master.numMessages(), 0u);
}

TEST (InterprocessConnectionFraming, ManySmallMessagesInOneWriteAreAllDelivered)
{
    const auto name = uniquePipeName ("frame-batch");
    RecordingConnection master (false);
    ASSERT_TRUE (master.createPipe (name, -1, true));

    juce::String frames;

    for (int i = 0; i < 200; ++i)
        frames << headerHex (3) << hexOf (juce::String (i).paddedLeft ('0', 3));

    HelperProcess peer ("pipe-raw-client", { name, "send:" + frames, "sleep:2000" });
    ASSERT_TRUE (master.waitForMessages (200));

    for (int i = 0; i < 200; ++i)
        EXPECT_EQ (master.message ((size_t) i).toString(), juce::String (i).paddedLeft ('0', 3));
}

//==============================================================================
// Code written for JUCE's own class keeps working.
TEST (InterprocessConnectionCompatibility, ACreatedPipeIsConnectedAtOnceAsWithJuce)
{
    RecordingConnection master (false);
    ASSERT_TRUE (master.createPipe (uniquePipeName ("compat"), 1000));
    EXPECT_TRUE (master.isConnected());
    EXPECT_NE (master.getPipe(), nullptr);
    EXPECT_EQ (master.getSocket(), nullptr);
}

TEST (InterprocessConnectionCompatibility, AMessageSentBeforeTheClientConnectsIsDelivered)
{
    const auto name = uniquePipeName ("compat-early");
    RecordingConnection master (false);
    ASSERT_TRUE (master.createPipe (name, 10000, true));

    // A coordinator sends its first message right after createPipe(), before the child has
    // connected: the send waits for the client, up to the receive timeout, as in JUCE.
    HelperProcess client ("ic-echo-client", { name, "-1", "ipc" });
    ASSERT_TRUE (master.sendMessage (blockOf ("first")));
    ASSERT_TRUE (master.waitForMessages (1));
    EXPECT_EQ (master.message (0).toString(), "first");
}

TEST (InterprocessConnectionCompatibility, TwoArgumentConnectToPipeWorks)
{
    const auto name = uniquePipeName ("compat-connect");
    HelperProcess masterProcess ("ic-echo-master", { name });
    ASSERT_TRUE (helperSays (masterProcess, "ready"));

    RecordingConnection client (false);
    ASSERT_TRUE (client.connectToPipe (name, 1000));
    ASSERT_TRUE (client.sendMessage (blockOf ("two arguments")));
    ASSERT_TRUE (client.waitForMessages (1));
    EXPECT_EQ (client.message (0).toString(), "two arguments");
}

TEST (InterprocessConnectionCompatibility, SocketsStillWork)
{
    struct Server final : public juce::InterprocessConnectionServer
    {
        juce::InterprocessConnection* createConnectionObject() override
        {
            auto* connection = new RecordingConnection (false);
            const juce::ScopedLock sl (lock);
            connections.add (connection);
            return connection;
        }

        RecordingConnection* first()
        {
            const juce::ScopedLock sl (lock);
            return connections[0];
        }

        juce::CriticalSection lock;
        juce::OwnedArray<RecordingConnection> connections;
    };

    Server server;
    ASSERT_TRUE (server.beginWaitingForSocket (0, "127.0.0.1"));

    RecordingConnection client (false);
    ASSERT_TRUE (client.connectToSocket ("127.0.0.1", server.getBoundPort(), 5000));
    ASSERT_TRUE (waitFor ([&] { return server.first() != nullptr; }, eventTimeoutMs));
    auto& accepted = *server.first();

    ASSERT_TRUE (client.sendMessage (blockOf ("over a socket")));
    ASSERT_TRUE (accepted.waitForMessages (1));
    EXPECT_EQ (accepted.message (0).toString(), "over a socket");

    Stopwatch stopwatch;
    client.disconnect();
    EXPECT_LT (stopwatch.elapsedMs(), 1000.0);
    EXPECT_TRUE (accepted.waitForEvents (1, 1));

    server.stop();
    server.connections.clear();
}
