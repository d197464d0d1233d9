/*
  juce-ipc-fork benchmark: the JUCE variants' transport, on InterprocessConnection for pipes and on
  ChildProcessCoordinator/ChildProcessWorker for workers. The same source is built against the patched modules
  (bench_peer_fork) and against the pristine upstream modules (bench_peer_upstream); JUCE_IPC_FORK tells
  them apart where their APIs differ.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include <juce_core/juce_core.h>
#include <juce_events/juce_events.h>

#include "Link.h"
#include "NativeProcess.h"
#include "Platform.h"

#include <atomic>
#include <thread>

namespace jifbench
{

namespace
{

/** What a JUCE worker finds on its command line (JUCE adds the pipe name after it). */
constexpr const char* workerCommandLineId = "jifbench-juce-worker";

constexpr int workerLifetimeMs = 120000;

//==============================================================================
/** A PipeLink on an InterprocessConnection with its callbacks on the connection's own thread. */
class ConnectionLink final : public PipeLink
{
public:
    explicit ConnectionLink (LinkListener& l) : connection (l) {}
    ~ConnectionLink() override                  { connection.disconnect(); }

    uint8_t* outgoing (size_t size) override
    {
        if (message.getSize() != size)
            message.setSize (size, false);

        return static_cast<uint8_t*> (message.getData());
    }

    bool sendOutgoing() override                { return connection.sendMessage (message); }
    bool isConnected() override                 { return connection.isConnected(); }
    void disconnect() override                  { connection.disconnect(); }

    bool listen (const std::string& pipeName) override
    {
        return connection.createPipe (pipeName, -1, true);
    }

    bool connect (const std::string& pipeName, int timeoutMs) override
    {
       #if defined (JUCE_IPC_FORK)
        return connection.connectToPipe (pipeName, -1, timeoutMs);
       #else
        // JUCE's own class has no connection timeout: a failed open returns at once, so try again.
        const auto deadline = juce::Time::getMillisecondCounterHiRes() + timeoutMs;

        while (! connection.connectToPipe (pipeName, -1))
        {
            if (juce::Time::getMillisecondCounterHiRes() >= deadline)
                return false;

            juce::Thread::sleep (1);
        }

        return true;
       #endif
    }

private:
    class Connection final : public juce::InterprocessConnection
    {
    public:
        explicit Connection (LinkListener& l) : InterprocessConnection (false), listener (l) {}
        ~Connection() override                  { disconnect(); }

        void connectionMade() override          {}
        void connectionLost() override          { listener.linkLost(); }

        void messageReceived (const juce::MemoryBlock& m) override
        {
            listener.linkMessage (static_cast<const uint8_t*> (m.getData()), m.getSize());
        }

    private:
        LinkListener& listener;
    };

    Connection connection;
    juce::MemoryBlock message;
};

//==============================================================================
/** A coordinator's end of the connection to a worker process. */
class CoordinatorLink final : public Link,
                              private juce::ChildProcessCoordinator
{
public:
    explicit CoordinatorLink (LinkListener& l) : listener (l) {}
    ~CoordinatorLink() override                 { killWorkerProcess(); }

    bool launch (int timeoutMs)
    {
        return launchWorkerProcess (juce::File::getSpecialLocation (juce::File::currentExecutableFile),
                                    workerCommandLineId, timeoutMs, 0);
    }

    uint8_t* outgoing (size_t size) override
    {
        if (message.getSize() != size)
            message.setSize (size, false);

        return static_cast<uint8_t*> (message.getData());
    }

    bool sendOutgoing() override                { return sendMessageToWorker (message); }
    bool isConnected() override                 { return ! lost; }
    void disconnect() override                  { killWorkerProcess(); }

private:
    void handleMessageFromWorker (const juce::MemoryBlock& m) override
    {
        listener.linkMessage (static_cast<const uint8_t*> (m.getData()), m.getSize());
    }

    void handleConnectionLost() override
    {
        if (! lost.exchange (true))
            listener.linkLost();
    }

    LinkListener& listener;
    juce::MemoryBlock message;
    std::atomic<bool> lost { false };
};

/** The worker process: says hello once the coordinator's start message has arrived, ends with the connection. */
class Worker final : public juce::ChildProcessWorker
{
public:
    void handleMessageFromCoordinator (const juce::MemoryBlock&) override {}

    void handleConnectionMade() override
    {
        const auto hello = makeHello();
        sendMessageToCoordinator (juce::MemoryBlock (hello.data(), hello.size()));
    }

    void handleConnectionLost() override        { ipctest::exitImmediately (0); }
};

int runWorker (const juce::String& commandLine)
{
    std::thread ([]
    {
        std::this_thread::sleep_for (std::chrono::milliseconds (workerLifetimeMs));
        ipctest::exitImmediately (99);
    }).detach();

    juce::MessageManager::getInstance();
    Worker worker;

    if (! worker.initialiseFromCommandLine (commandLine, workerCommandLineId, 10000))
        return 2;

    juce::MessageManager::getInstance()->runDispatchLoop();
    return 0;
}

//==============================================================================
class JuceTransport final : public Transport
{
public:
    std::string name() const override
    {
       #if defined (JUCE_IPC_FORK)
        return "fork";
       #else
        return "upstream";
       #endif
    }

    std::string notes() const override
    {
        return name() + ": " + juce::SystemStats::getJUCEVersion().toStdString()
       #if defined (JUCE_IPC_FORK)
                + " with juce-ipc-fork " JUCE_IPC_FORK_VERSION_STRING
       #endif
                + ", InterprocessConnection with callbacks on its own thread, ChildProcessCoordinator/Worker";
    }

    std::unique_ptr<PipeLink> makePipeLink (LinkListener& listener) override
    {
        return std::make_unique<ConnectionLink> (listener);
    }

    std::unique_ptr<Link> launchWorker (LinkListener& listener, int timeoutMs) override
    {
        auto link = std::make_unique<CoordinatorLink> (listener);

        if (! link->launch (timeoutMs))
            return nullptr;

        return link;
    }

    /** JUCE's coordinators may report a lost worker on the message thread: this thread serves it while
        the body runs on another.
    */
    int runWithEventLoop (const std::function<int()>& body) override
    {
        auto* messageManager = juce::MessageManager::getInstance();
        std::atomic<int> result { 0 };

        std::thread bodyThread ([&]
        {
            result = body();
            messageManager->stopDispatchLoop();
        });

        messageManager->runDispatchLoop();
        bodyThread.join();
        return result;
    }
};

} // namespace
} // namespace jifbench

int main (int argc, char** argv)
{
    juce::StringArray arguments;

    for (int i = 1; i < argc; ++i)
        arguments.add (juce::String::fromUTF8 (argv[i]));

    if (arguments.joinIntoString (" ").contains (jifbench::workerCommandLineId))
        return jifbench::runWorker (arguments.joinIntoString (" "));

    const juce::ScopedJuceInitialiser_GUI noGuiButEvents;
    jifbench::JuceTransport transport;
    return jifbench::peerMain (transport, argc, argv);
}
