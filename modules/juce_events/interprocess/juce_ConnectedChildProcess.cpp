/*
  ==============================================================================

   juce-ipc-fork: a drop-in fixed fork of JUCE's inter-process communication.
   Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.

  ==============================================================================
*/

/*  ChildProcessCoordinator and ChildProcessWorker on top of InterprocessConnection. The
    coordinator creates the pipe before it starts the worker, and reports success only once
    the worker has connected. Each end learns of the other's death from the pipe, which
    closes with the other's process; the pings, one a second each way, are for a peer that
    hangs. The command line, the messages and the magic number are JUCE's, so a coordinator
    built with this fork can drive a worker built with JUCE's own code and the other way round.
*/

#if JUCE_WINDOWS
 #include <bcrypt.h>

 #if JUCE_MSVC
  #pragma comment (lib, "bcrypt.lib")
 #endif
#elif JUCE_LINUX || JUCE_ANDROID
 #include <sys/random.h>
#endif

namespace juce
{

namespace ConnectedChildProcessProtocol
{
    constexpr uint32 magicHeader = 0x712baf04;
    constexpr size_t specialMessageBytes = 8;
    constexpr int defaultTimeoutMs = 8000;
    constexpr int pingIntervalMs = 1000;

    /** How often the coordinator looks at a worker it has started while it waits for it to connect. */
    constexpr int launchPollMs = 5;

    static const char* const startMessage = "__ipc_st";
    static const char* const killMessage  = "__ipc_k_";
    static const char* const pingMessage  = "__ipc_p_";

    static bool isMessageType (const MemoryBlock& message, const char* messageType) noexcept
    {
        return message.matches (messageType, specialMessageBytes);
    }

    static MemoryBlock special (const char* messageType)
    {
        return { messageType, specialMessageBytes };
    }

    static String getCommandLinePrefix (const String& commandLineUniqueID)
    {
        return "--" + commandLineUniqueID + ":";
    }

    /** Fills the buffer from the operating system's cryptographic random source. */
    static bool fillWithSecureRandomBytes (uint8* bytes, size_t numBytes)
    {
       #if JUCE_WINDOWS
        return BCryptGenRandom (nullptr, bytes, (ULONG) numBytes, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0;
       #elif JUCE_LINUX || JUCE_ANDROID
        for (size_t filled = 0; filled < numBytes;)
        {
            const auto result = getrandom (bytes + filled, numBytes - filled, 0);

            if (result < 0 && errno != EINTR)
                return false;

            if (result > 0)
                filled += (size_t) result;
        }

        return true;
       #else
        arc4random_buf (bytes, numBytes);
        return true;
       #endif
    }

    /** A pipe name nobody can guess: 128 bits from the operating system's cryptographic random
        source. Empty if that source fails.
    */
    static String makeUnguessablePipeName()
    {
        uint8 bytes[16] = {};

        if (! fillWithSecureRandomBytes (bytes, sizeof (bytes)))
            return {};

        return "jipc" + String::toHexString (bytes, (int) sizeof (bytes), 0);
    }

    //==============================================================================
    /** The connection of either end: an InterprocessConnection with the pings, reporting the loss
        of the other end once, on the connection's thread, whether the pipe or the pings told of it.
        stopPinging() must run before the connection is disconnected.
    */
    class PingingConnection : public InterprocessConnection,
                              private Thread
    {
    public:
        PingingConnection (int timeout, bool reportLossesFromTheStart)
            : InterprocessConnection (false, magicHeader),
              Thread ("IPC ping"),
              timeoutMs (timeout),
              reportsEnabled (reportLossesFromTheStart)
        {
            pingReceived();
        }

        ~PingingConnection() override
        {
            stopPinging();
        }

        void startPinging()                 { startThread (Thread::Priority::low); }

        void stopPinging()
        {
            signalThreadShouldExit();
            notify();
            stopThread (-1);
        }

        /** Until enabled, a loss is only recorded: the coordinator enables reports once a launch has
            succeeded, and reports a loss that happened meanwhile at once.
        */
        void enableLossReports()
        {
            reportsEnabled = true;

            if (lost)
                reportLoss();
        }

    protected:
        /** Called once, on the connection's thread (or in enableLossReports()). */
        virtual void peerLost() = 0;

        void pingReceived() noexcept        { countdown = timeoutMs / pingIntervalMs + 1; }

        void reportLoss()
        {
            lost = true;

            if (reportsEnabled && ! reported.exchange (true))
                peerLost();
        }

        void connectionLost() override      { reportLoss(); }

        const int timeoutMs;

    private:
        void run() override
        {
            while (! threadShouldExit())
            {
                if (--countdown <= 0 || ! sendMessage (special (pingMessage)))
                {
                    // A peer that has stopped answering (or a send that failed) ends the connection;
                    // the connection's own thread then reports the loss, so that no callback of the
                    // user's ever runs on this thread. (The stop functions never run while this
                    // thread does anything but ping: getPipe() stays valid here.)
                    if (! threadShouldExit())
                        if (auto* pipe = getPipe())
                            pipe->endConnection();

                    return;
                }

                wait (pingIntervalMs);
            }
        }

        std::atomic<int> countdown { 0 };
        std::atomic<bool> lost { false }, reported { false }, reportsEnabled;

        JUCE_DECLARE_NON_COPYABLE (PingingConnection)
    };
}

//==============================================================================
struct ChildProcessCoordinator::Connection final : public ConnectedChildProcessProtocol::PingingConnection
{
    Connection (ChildProcessCoordinator& c, const String& pipeName, int timeout)
        : PingingConnection (timeout, false), owner (c)
    {
        // Nothing is sent before the worker has connected, and once it has gone it never comes back:
        // a send without a worker fails at once instead of waiting for one.
        createPipe (pipeName, 0, true);
    }

    ~Connection() override
    {
        stopPinging();
        disconnect (-1, Notify::no);
    }

    /** Waits until the worker has connected. False if it exits, or has not connected by the timeout. */
    bool waitForWorker (ChildProcess& worker, int timeout)
    {
        const auto deadline = Time::getMillisecondCounterHiRes() + timeout;

        while (! workerConnected.wait (ConnectedChildProcessProtocol::launchPollMs))
            if (! worker.isRunning() || Time::getMillisecondCounterHiRes() >= deadline)
                return false;

        return true;
    }

private:
    void connectionMade() override              { workerConnected.signal(); }
    void peerLost() override                    { owner.handleConnectionLost(); }

    void messageReceived (const MemoryBlock& message) override
    {
        using namespace ConnectedChildProcessProtocol;

        pingReceived();

        if (message.getSize() != specialMessageBytes || ! isMessageType (message, pingMessage))
            owner.handleMessageFromWorker (message);
    }

    ChildProcessCoordinator& owner;
    WaitableEvent workerConnected { true };

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR (Connection)
};

//==============================================================================
ChildProcessCoordinator::ChildProcessCoordinator() = default;

ChildProcessCoordinator::~ChildProcessCoordinator()
{
    killWorkerProcess();
}

void ChildProcessCoordinator::handleConnectionLost() {}

void ChildProcessCoordinator::handleMessageFromWorker (const MemoryBlock& mb)
{
    JUCE_BEGIN_IGNORE_WARNINGS_GCC_LIKE ("-Wdeprecated-declarations")
    JUCE_BEGIN_IGNORE_WARNINGS_MSVC (4996)
    handleMessageFromSlave (mb);
    JUCE_END_IGNORE_WARNINGS_GCC_LIKE
    JUCE_END_IGNORE_WARNINGS_MSVC
}

bool ChildProcessCoordinator::sendMessageToWorker (const MemoryBlock& mb)
{
    if (connection != nullptr)
        return connection->sendMessage (mb);

    jassertfalse; // this can only be used when the connection is active!
    return false;
}

bool ChildProcessCoordinator::launchWorkerProcess (const File& executable, const String& commandLineUniqueID,
                                                   int timeoutMs, int streamFlags)
{
    using namespace ConnectedChildProcessProtocol;

    killWorkerProcess();

    if (timeoutMs <= 0)
        timeoutMs = defaultTimeoutMs;

    const auto pipeName = makeUnguessablePipeName();

    if (pipeName.isEmpty())
        return false;

    // The pipe exists before the worker starts, so that the worker can connect at once.
    auto newConnection = std::make_unique<Connection> (*this, pipeName, timeoutMs);

    if (! newConnection->isConnected())
        return false;

    auto process = std::make_unique<ChildProcess>();

    if (! process->start (StringArray { executable.getFullPathName(), getCommandLinePrefix (commandLineUniqueID) + pipeName },
                          streamFlags))
        return false;

    if (! newConnection->waitForWorker (*process, timeoutMs))
    {
        newConnection.reset();

        if (process->isRunning())
            process->kill();

        process->waitForProcessToFinish (killGracePeriodMs);
        return false;
    }

    connection = std::move (newConnection);
    childProcess = std::move (process);
    connection->startPinging();

    if (! sendMessageToWorker (special (startMessage)))
    {
        killWorkerProcess();
        return false;
    }

    // From here on a loss is reported: at once if the worker has already gone.
    connection->enableLossReports();
    return true;
}

void ChildProcessCoordinator::killWorkerProcess()
{
    using namespace ConnectedChildProcessProtocol;

    if (connection != nullptr)
    {
        sendMessageToWorker (special (killMessage));
        connection->stopPinging();
        connection->disconnect();
        connection.reset();
    }

    if (childProcess != nullptr)
    {
        // A worker that obeys the kill message stops on its own; one that does not is ended, so
        // that no orphan is left behind.
        if (! childProcess->waitForProcessToFinish (killGracePeriodMs))
        {
            childProcess->kill();
            childProcess->waitForProcessToFinish (killGracePeriodMs);
        }

        childProcess.reset();
    }
}

//==============================================================================
struct ChildProcessWorker::Connection final : public ConnectedChildProcessProtocol::PingingConnection
{
    Connection (ChildProcessWorker& w, int timeout)
        : PingingConnection (timeout, true), owner (w)
    {
    }

    /** Called once the worker holds this connection: the coordinator's first messages, which may
        arrive at once, can then be answered. The coordinator created the pipe before it started
        this process.
    */
    bool connect (const String& pipeName)
    {
        return connectToPipe (pipeName, timeoutMs, timeoutMs);
    }

    ~Connection() override
    {
        stopPinging();
        disconnect (-1, Notify::no);
    }

private:
    void connectionMade() override {}
    void peerLost() override                    { owner.handleConnectionLost(); }

    void messageReceived (const MemoryBlock& message) override
    {
        using namespace ConnectedChildProcessProtocol;

        pingReceived();

        if (isMessageType (message, pingMessage))
            return;

        if (isMessageType (message, killMessage))
            return reportLoss();

        if (isMessageType (message, startMessage))
            return owner.handleConnectionMade();

        owner.handleMessageFromCoordinator (message);
    }

    ChildProcessWorker& owner;

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR (Connection)
};

//==============================================================================
ChildProcessWorker::ChildProcessWorker() = default;
ChildProcessWorker::~ChildProcessWorker() = default;

void ChildProcessWorker::handleConnectionMade() {}
void ChildProcessWorker::handleConnectionLost() {}

void ChildProcessWorker::handleMessageFromCoordinator (const MemoryBlock& mb)
{
    JUCE_BEGIN_IGNORE_WARNINGS_GCC_LIKE ("-Wdeprecated-declarations")
    JUCE_BEGIN_IGNORE_WARNINGS_MSVC (4996)
    handleMessageFromMaster (mb);
    JUCE_END_IGNORE_WARNINGS_GCC_LIKE
    JUCE_END_IGNORE_WARNINGS_MSVC
}

bool ChildProcessWorker::sendMessageToCoordinator (const MemoryBlock& mb)
{
    if (connection != nullptr)
        return connection->sendMessage (mb);

    jassertfalse; // this can only be used when the connection is active!
    return false;
}

bool ChildProcessWorker::initialiseFromCommandLine (const String& commandLine,
                                                    const String& commandLineUniqueID,
                                                    int timeoutMs)
{
    using namespace ConnectedChildProcessProtocol;

    const auto prefix = getCommandLinePrefix (commandLineUniqueID);

    if (! commandLine.trim().startsWith (prefix))
        return false;

    const auto pipeName = commandLine.fromFirstOccurrenceOf (prefix, false, false)
                                     .upToFirstOccurrenceOf (" ", false, false).trim();

    if (pipeName.isEmpty())
        return false;

    connection = std::make_unique<Connection> (*this, timeoutMs <= 0 ? defaultTimeoutMs : timeoutMs);

    if (! connection->connect (pipeName))
    {
        connection.reset();
        return false;
    }

    connection->startPinging();
    return true;
}

} // namespace juce
