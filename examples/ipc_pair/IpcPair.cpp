/*
  juce-ipc-fork example: two processes exchanging messages through the patched InterprocessConnection.

    ipc_pair [--messages N]

  The process creates a pipe, starts a copy of itself as the client, sends it N messages and prints each
  reply as it arrives, then says goodbye and reports how it went. Exits with 0 when every reply arrived.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include <juce_core/juce_core.h>
#include <juce_events/juce_events.h>

#include <cstdio>

namespace
{

constexpr int replyTimeoutMs = 10000;

void say (const juce::String& text)
{
    std::printf ("%s\n", text.toRawUTF8());
    std::fflush (stdout);
}

//==============================================================================
/** One end of the pair. Callbacks arrive on the connection's own thread (no message loop needed). */
class Peer final : public juce::InterprocessConnection
{
public:
    explicit Peer (juce::String roleName) : InterprocessConnection (false), role (std::move (roleName)) {}
    ~Peer() override    { disconnect(); }

    void connectionMade() override
    {
        say (role + ": connected");
        connected.signal();
    }

    void connectionLost() override
    {
        say (role + ": connection closed");
        lost.signal();
    }

    void messageReceived (const juce::MemoryBlock& message) override
    {
        const auto text = message.toString();

        if (role == "client")
        {
            if (text == "bye")
            {
                sendMessage (juce::MemoryBlock ("bye", 3));
                finished.signal();
                return;
            }

            const auto reply = text.replace ("ping", "pong");
            sendMessage (juce::MemoryBlock (reply.toRawUTF8(), reply.getNumBytesAsUTF8()));
            return;
        }

        {
            const juce::ScopedLock sl (lock);
            replies.add (text);
        }

        replyArrived.signal();
    }

    juce::String nextReply (int timeoutMs)
    {
        const auto deadline = juce::Time::getMillisecondCounter() + (juce::uint32) timeoutMs;

        for (;;)
        {
            {
                const juce::ScopedLock sl (lock);

                if (! replies.isEmpty())
                {
                    auto reply = replies[0];
                    replies.remove (0);
                    return reply;
                }
            }

            const auto now = juce::Time::getMillisecondCounter();

            if (now >= deadline || ! replyArrived.wait ((int) (deadline - now)))
                return {};
        }
    }

    const juce::String role;
    juce::WaitableEvent connected, lost, finished, replyArrived;

private:
    juce::CriticalSection lock;
    juce::StringArray replies;
};

//==============================================================================
int runClient (const juce::String& pipeName)
{
    Peer client ("client");

    if (! client.connectToPipe (pipeName, -1))
    {
        say ("client: could not connect to " + pipeName);
        return 1;
    }

    // Stays until the host says goodbye, or goes when the host does.
    while (! client.finished.wait (50))
        if (client.lost.wait (0))
            return 1;

    client.disconnect();
    return 0;
}

int runHost (int numMessages)
{
    const auto pipeName = "ipc-pair-" + juce::String::toHexString (juce::Random::getSystemRandom().nextInt64());
    Peer host ("host");

    if (! host.createPipe (pipeName, -1, true))
    {
        say ("host: could not create the pipe " + pipeName);
        return 1;
    }

    juce::ChildProcess client;
    const auto self = juce::File::getSpecialLocation (juce::File::currentExecutableFile).getFullPathName();

    if (! client.start (juce::StringArray { self, "--client", pipeName }, 0))
    {
        say ("host: could not start the client process");
        return 1;
    }

    say ("host: started the client on pipe " + pipeName);
    int answered = 0;

    for (int i = 1; i <= numMessages; ++i)
    {
        const auto message = "ping " + juce::String (i);
        const auto startMs = juce::Time::getMillisecondCounterHiRes();

        if (! host.sendMessage (juce::MemoryBlock (message.toRawUTF8(), message.getNumBytesAsUTF8())))
        {
            say ("host: sending '" + message + "' failed");
            break;
        }

        const auto reply = host.nextReply (replyTimeoutMs);

        if (reply != "pong " + juce::String (i))
        {
            say ("host: expected 'pong " + juce::String (i) + "', got '" + reply + "'");
            break;
        }

        ++answered;
        say ("host: " + message + " -> " + reply + " in "
               + juce::String (juce::Time::getMillisecondCounterHiRes() - startMs, 3) + " ms");
    }

    host.sendMessage (juce::MemoryBlock ("bye", 3));
    const auto goodbye = host.nextReply (replyTimeoutMs);
    const auto clientExited = client.waitForProcessToFinish (replyTimeoutMs);
    host.disconnect();

    say ("host: " + juce::String (answered) + " of " + juce::String (numMessages) + " replies arrived, goodbye "
           + (goodbye == "bye" ? "answered" : "missing") + ", client "
           + (clientExited ? "exited with " + juce::String ((int) client.getExitCode()) : juce::String ("still running")));

    return answered == numMessages && goodbye == "bye" && clientExited && client.getExitCode() == 0 ? 0 : 1;
}

} // namespace

int main (int argc, char** argv)
{
    juce::StringArray args;

    for (int i = 1; i < argc; ++i)
        args.add (juce::CharPointer_UTF8 (argv[i]));

    int result = 0;

    if (args[0] == "--client")
    {
        result = runClient (args[1]);
    }
    else
    {
        const auto index = args.indexOf ("--messages");
        const auto numMessages = index >= 0 ? args[index + 1].getIntValue() : 10;

        if (numMessages <= 0)
        {
            std::fprintf (stderr, "usage: ipc_pair [--messages N]   (N > 0)\n");
            return 2;
        }

        result = runHost (numMessages);
    }

    juce::DeletedAtShutdown::deleteAll();
    juce::MessageManager::deleteInstance();
    return result;
}
