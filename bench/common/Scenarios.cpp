/*
  juce-ipc-fork benchmark: the scenario roles every peer program runs, written once against Link.h.

    peer --role=<role> --pipe=<name> [--cpu=N] [--lifetime-ms=N] [role options]

  A measurement is two processes: a master ("serve", or a survivor) and a slave that measures, or one host
  that launches its own workers. Each prints lines the driver reads:

    ready                   the master's pipe exists (the driver then starts the slave)
    connected               the slave has exchanged hellos with the master
    result <key> <value>    a figure; "inf" when what was waited for never happened within the bound
    note <text>             how the variant did something, for the report
    error <text>            why the role failed (it then exits with a non-zero code)

  Every wait is bounded: by the role's own bounds, and by --lifetime-ms, after which the process exits
  whatever it is doing.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "Link.h"
#include "Options.h"
#include "Platform.h"

#include "NativeProcess.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace jifbench
{

namespace
{

//==============================================================================
/** A flag one thread raises and another waits for, with a bound. */
class Event
{
public:
    void signal()
    {
        {
            const std::lock_guard<std::mutex> lock (mutex);
            raised = true;
        }

        condition.notify_all();
    }

    void reset()
    {
        const std::lock_guard<std::mutex> lock (mutex);
        raised = false;
    }

    /** Waits until raised, at most timeoutMs (less than zero: without limit). Returns whether it was raised. */
    bool wait (double timeoutMs)
    {
        std::unique_lock<std::mutex> lock (mutex);

        if (timeoutMs < 0)
        {
            condition.wait (lock, [this] { return raised; });
            return true;
        }

        return condition.wait_for (lock, std::chrono::microseconds ((long long) (timeoutMs * 1000.0)),
                                   [this] { return raised; });
    }

private:
    std::mutex mutex;
    std::condition_variable condition;
    bool raised = false;
};

void say (const std::string& line)
{
    std::printf ("%s\n", line.c_str());
    std::fflush (stdout);
}

void result (const std::string& key, double value)
{
    char text[64];

    if (std::isinf (value))
        std::snprintf (text, sizeof (text), "inf");
    else
        std::snprintf (text, sizeof (text), "%.6g", value);

    say ("result " + key + " " + text);
}

int failure (const std::string& why)
{
    say ("error " + why);
    return 3;
}

void sleepMs (double ms)
{
    std::this_thread::sleep_for (std::chrono::microseconds ((long long) (ms * 1000.0)));
}

/** The value at fraction q of the sorted samples (nearest rank). */
double percentile (std::vector<double> samples, double q)
{
    if (samples.empty())
        return std::nan ("");

    std::sort (samples.begin(), samples.end());
    const auto rank = (size_t) std::ceil (q * (double) samples.size());
    return samples[std::min (samples.size() - 1, rank > 0 ? rank - 1 : 0)];
}

//==============================================================================
/** The listener every role uses: answers or records hellos and records when the connection was lost.
    Roles add what they do with the other messages.
*/
class PeerEnd : public LinkListener
{
public:
    explicit PeerEnd (bool answerHellosToo) : answerHellos (answerHellosToo) {}

    void attach (Link& l)       { link = &l; }

    void linkMessage (const uint8_t* data, size_t size) final
    {
        if (size > 0 && data[0] == (uint8_t) Op::hello)
        {
            peerProcessId = processIdFromHello (data, size);

            if (answerHellos)
            {
                const auto hello = makeHello();
                link->send (hello.data(), hello.size());
            }

            helloArrived.signal();
            return;
        }

        received (data, size);
    }

    void linkLost() final
    {
        lostAtMs = nowMs();
        lost.signal();
    }

    virtual void received (const uint8_t*, size_t) {}

    std::atomic<int> peerProcessId { 0 };
    std::atomic<double> lostAtMs { 0.0 };
    Event helloArrived, lost;

protected:
    Link* link = nullptr;
    const bool answerHellos;
};

/** A slave's end that waits for one kind of answer: signals `arrived` when a message of that kind comes. */
class Awaiting final : public PeerEnd
{
public:
    explicit Awaiting (Op kind) : PeerEnd (false), awaited (kind) {}

    void received (const uint8_t* data, size_t) override
    {
        if ((Op) data[0] == awaited)
            arrived.signal();
    }

    Event arrived;

private:
    const Op awaited;
};

/** The master's side of every pair: echoes pings, acknowledges batches, stops at bye. */
class Responder final : public PeerEnd
{
public:
    Responder() : PeerEnd (true) {}

    void received (const uint8_t* data, size_t size) override
    {
        switch ((Op) data[0])
        {
            case Op::ping:
                std::memcpy (link->outgoing (size), data, size);
                link->sendOutgoing();
                break;

            case Op::endOfBatch:
            {
                const uint8_t ack = (uint8_t) Op::ack;
                link->send (&ack, 1);
                break;
            }

            case Op::bye:
                byeArrived.signal();
                break;

            default:
                break;
        }
    }

    Event byeArrived;
};

//==============================================================================
struct Context
{
    Transport& transport;
    const Options& options;
    std::string pipeName;

    int connectTimeoutMs() const    { return (int) options.getInt ("connect-ms", 5000); }
    double boundMs() const          { return (double) options.getInt ("bound-ms", 10000); }
    double settleMs() const         { return (double) options.getInt ("settle-ms", 50); }
};

/** Connects a slave, says hello and waits for the master's. */
bool connectAndGreet (Context& context, PipeLink& link, PeerEnd& end, const std::string& pipeName)
{
    end.attach (link);

    if (! link.connect (pipeName, context.connectTimeoutMs()))
        return false;

    const auto hello = makeHello();
    return link.send (hello.data(), hello.size()) && end.helloArrived.wait (context.connectTimeoutMs());
}

void sendBye (Link& link)
{
    const uint8_t bye = (uint8_t) Op::bye;
    link.send (&bye, 1);
}

/** Kills the peer that said hello and measures how long until the connection reports the loss. */
int killPeerAndTimeLoss (Context& context, PeerEnd& end, const std::string& key)
{
    sleepMs (context.settleMs());   // let both ends settle into waiting

    const auto killedAtMs = nowMs();

    if (! killProcess (end.peerProcessId))
        return failure ("could not kill process " + std::to_string (end.peerProcessId.load()));

    const auto noticed = end.lost.wait (context.boundMs());
    result (key, noticed ? end.lostAtMs - killedAtMs : INFINITY);
    return 0;
}

std::string linkName (const std::string& pipeName, int index, int numLinks)
{
    return numLinks == 1 ? pipeName : pipeName + "-" + std::to_string (index);
}

//==============================================================================
/** Master: serves --links pipes (the pipe name, or <name>-0 ...), answering hellos, echoing pings and
    acknowledging batches, until each has received bye. --report-memory prints the growth of the peak
    resident size per link.
*/
int serve (Context& context)
{
    const auto numLinks = (int) context.options.getInt ("links", 1);
    const auto peakBeforeKiB = ownMemoryUse().peakResidentKiB;

    std::vector<std::unique_ptr<Responder>> responders;
    std::vector<std::unique_ptr<PipeLink>> links;

    for (int i = 0; i < numLinks; ++i)
    {
        responders.push_back (std::make_unique<Responder>());
        links.push_back (context.transport.makePipeLink (*responders.back()));
        responders.back()->attach (*links.back());

        if (! links.back()->listen (linkName (context.pipeName, i, numLinks)))
            return failure ("could not create the pipe " + linkName (context.pipeName, i, numLinks));
    }

    say ("ready");

    for (auto& responder : responders)
        responder->byeArrived.wait (-1);    // bounded by the lifetime

    if (context.options.has ("report-memory"))
        result ("peak_rss_per_link_kib", (ownMemoryUse().peakResidentKiB - peakBeforeKiB) / numLinks);

    for (auto& link : links)
        link->disconnect();

    return 0;
}

/** Slave: 64-byte (--size) ping-pong driven from the receiving callbacks, so that on each side one thread
    receives and answers, as in the raw variant. --warmup round trips, then --count measured ones.
*/
int ping (Context& context)
{
    struct PingPong final : public PeerEnd
    {
        PingPong() : PeerEnd (false) {}

        void sendPing()
        {
            auto* message = link->outgoing (size);
            message[0] = (uint8_t) Op::ping;
            sentAtMs = nowMs();
            link->sendOutgoing();
        }

        void received (const uint8_t* data, size_t) override
        {
            if ((Op) data[0] != Op::ping)
                return;

            const auto arrivedAtMs = nowMs();

            if (index >= warmup)
                latenciesUs[(size_t) (index - warmup)] = (arrivedAtMs - sentAtMs) * 1000.0;

            if (++index == warmup + count)
                done.signal();
            else
                sendPing();
        }

        size_t size = 64;
        int warmup = 0, count = 0, index = 0;
        double sentAtMs = 0;
        std::vector<double> latenciesUs;
        Event done;
    };

    PingPong end;
    end.size = (size_t) context.options.getInt ("size", 64);
    end.warmup = (int) context.options.getInt ("warmup", 100);
    end.count = (int) context.options.getInt ("count", 1000);
    end.latenciesUs.resize ((size_t) end.count);

    auto link = context.transport.makePipeLink (end);

    if (! connectAndGreet (context, *link, end, context.pipeName))
        return failure ("could not connect");

    std::memset (link->outgoing (end.size), 0, end.size);
    end.sendPing();

    if (! end.done.wait (context.boundMs()))
        return failure ("the ping-pong stopped after " + std::to_string (end.index) + " round trips");

    result ("rt_p50_us", percentile (end.latenciesUs, 0.50));
    result ("rt_p99_us", percentile (end.latenciesUs, 0.99));
    sendBye (*link);
    link->disconnect();
    return 0;
}

/** Slave: one-way messages of --size bytes to the master, --warmup of them and then --count timed ones,
    each batch ending with a message the master acknowledges. The time runs from the first send to the ack.
*/
int stream (Context& context)
{
    const auto size = (size_t) context.options.getInt ("size", 64);
    const auto warmup = (int) context.options.getInt ("warmup", 10);
    const auto count = (int) context.options.getInt ("count", 1000);

    Awaiting end (Op::ack);
    auto link = context.transport.makePipeLink (end);

    if (! connectAndGreet (context, *link, end, context.pipeName))
        return failure ("could not connect");

    std::memset (link->outgoing (size), 0, size);

    auto sendBatch = [&] (int numMessages) -> bool
    {
        end.arrived.reset();

        for (int i = 0; i < numMessages; ++i)
        {
            auto* message = link->outgoing (size);
            message[0] = (uint8_t) (i == numMessages - 1 ? Op::endOfBatch : Op::data);

            if (! link->sendOutgoing())
                return false;
        }

        return end.arrived.wait (context.boundMs());
    };

    if (! sendBatch (std::max (1, warmup)))
        return failure ("the warm-up batch was not acknowledged");

    const auto startMs = nowMs();

    if (! sendBatch (count))
        return failure ("the timed batch was not acknowledged");

    const auto elapsedMs = nowMs() - startMs;
    result ("mb_per_s", (double) size * count / elapsedMs / 1000.0);
    result ("msgs_per_s", count / elapsedMs * 1000.0);
    sendBye (*link);
    link->disconnect();
    return 0;
}

/** Slave: --tries times on the same link object: connect, one round trip, disconnect. A reply that does
    not come within --reply-ms, or whose connection reports itself gone first, counts as lost. The first
    try is a first connect; the figures are the medians of the others, the reconnects.
*/
int reconnect (Context& context)
{
    const auto tries = (int) context.options.getInt ("tries", 10);
    const auto replyMs = (double) context.options.getInt ("reply-ms", 500);

    Awaiting end (Op::ping);
    auto link = context.transport.makePipeLink (end);
    end.attach (*link);

    std::vector<double> connectMs, connectRoundTripMs, disconnectMs;
    int lostReplies = 0, failedConnects = 0;

    for (int attempt = 0; attempt < tries; ++attempt)
    {
        end.arrived.reset();
        end.lost.reset();

        const auto startMs = nowMs();

        if (! link->connect (context.pipeName, context.connectTimeoutMs()))
        {
            ++failedConnects;
            continue;
        }

        const auto connectedMs = nowMs();
        auto* message = link->outgoing (64);
        std::memset (message, 0, 64);
        message[0] = (uint8_t) Op::ping;
        auto replied = link->sendOutgoing();

        // Wait for the reply, but give up early when the connection says it is gone (upstream's reader
        // stops at a bad header and the reply can no longer arrive).
        for (auto deadline = nowMs() + replyMs; replied;)
        {
            if (end.arrived.wait (1.0))
                break;

            if (nowMs() >= deadline || ! link->isConnected() || end.lost.wait (0))
                replied = false;
        }

        const auto repliedMs = nowMs();

        if (attempt > 0)
        {
            connectMs.push_back (connectedMs - startMs);

            if (replied)
                connectRoundTripMs.push_back (repliedMs - startMs);
            else
                ++lostReplies;
        }

        if (attempt == tries - 1)
            sendBye (*link);

        const auto disconnectStartMs = nowMs();
        link->disconnect();
        disconnectMs.push_back (nowMs() - disconnectStartMs);
    }

    if (connectMs.empty())
        return failure ("no reconnect succeeded (" + std::to_string (failedConnects) + " failed)");

    result ("reconnect_ms", percentile (connectMs, 0.5));
    result ("connect_rt_ms", connectRoundTripMs.empty() ? INFINITY : percentile (connectRoundTripMs, 0.5));
    result ("disconnect_ms", percentile (disconnectMs, 0.5));
    result ("lost_replies", lostReplies);
    result ("failed_connects", failedConnects);
    return 0;
}

/** Slave: connects, exchanges hellos, says "connected" and stays until the connection is gone (or the
    lifetime ends). The peer that is killed, or half of an idle pair.
*/
int hold (Context& context)
{
    PeerEnd end (false);
    auto link = context.transport.makePipeLink (end);

    if (! connectAndGreet (context, *link, end, context.pipeName))
        return failure ("could not connect");

    say ("connected");
    end.lost.wait (-1);
    link->disconnect();
    return 0;
}

/** Master: once the slave has said hello, kills it and times until the connection reports the loss. */
int surviveAsMaster (Context& context)
{
    PeerEnd end (true);
    auto link = context.transport.makePipeLink (end);
    end.attach (*link);

    if (! link->listen (context.pipeName))
        return failure ("could not create the pipe");

    say ("ready");

    if (! end.helloArrived.wait (context.connectTimeoutMs()))
        return failure ("no client said hello");

    const auto code = killPeerAndTimeLoss (context, end, "death_ms");
    link->disconnect();
    return code;
}

/** Slave: once connected, kills the master and times until the connection reports the loss. */
int surviveAsSlave (Context& context)
{
    PeerEnd end (false);
    auto link = context.transport.makePipeLink (end);

    if (! connectAndGreet (context, *link, end, context.pipeName))
        return failure ("could not connect");

    const auto code = killPeerAndTimeLoss (context, end, "death_ms");
    link->disconnect();
    return code;
}

/** Host: launches a worker, kills it once it has said hello, and times until the coordinator reports it. */
int surviveAsCoordinator (Context& context)
{
    return context.transport.runWithEventLoop ([&context]
    {
        PeerEnd end (false);
        auto link = context.transport.launchWorker (end, context.connectTimeoutMs());

        if (link == nullptr)
            return failure ("could not launch the worker");

        end.attach (*link);

        if (! end.helloArrived.wait (context.connectTimeoutMs()))
            return failure ("the worker never said hello");

        const auto code = killPeerAndTimeLoss (context, end, "death_ms");
        link->disconnect();
        return code;
    });
}

/** Host: launches --workers workers, waits until each has said hello, and reports its own threads and
    resident memory with all of them connected.
*/
int hostWorkers (Context& context)
{
    return context.transport.runWithEventLoop ([&context]
    {
        const auto numWorkers = (int) context.options.getInt ("workers", 64);
        std::vector<std::unique_ptr<PeerEnd>> ends;
        std::vector<std::unique_ptr<Link>> links;

        for (int i = 0; i < numWorkers; ++i)
        {
            ends.push_back (std::make_unique<PeerEnd> (false));

            if (auto link = context.transport.launchWorker (*ends.back(), context.connectTimeoutMs()))
            {
                ends.back()->attach (*link);
                links.push_back (std::move (link));
            }
        }

        const auto deadline = nowMs() + context.boundMs();
        int connected = 0;

        for (auto& end : ends)
            if (end->helloArrived.wait (std::max (0.0, deadline - nowMs())))
                ++connected;

        sleepMs (context.settleMs());
        const auto use = ownMemoryUse();
        result ("workers_connected", connected);
        result ("host_threads", use.threads);
        result ("host_rss_mib", use.residentKiB / 1024.0);

        for (auto& link : links)
            link->disconnect();

        return 0;
    });
}

/** Slave of the memory measurement: connects to --links pipes, one round trip on each, and reports the
    growth of its peak resident size per link (the master reports its own; the driver adds them).
*/
int memory (Context& context)
{
    const auto numLinks = (int) context.options.getInt ("links", 16);
    const auto peakBeforeKiB = ownMemoryUse().peakResidentKiB;

    std::vector<std::unique_ptr<Awaiting>> ends;
    std::vector<std::unique_ptr<PipeLink>> links;

    for (int i = 0; i < numLinks; ++i)
    {
        ends.push_back (std::make_unique<Awaiting> (Op::ping));
        links.push_back (context.transport.makePipeLink (*ends.back()));

        if (! connectAndGreet (context, *links.back(), *ends.back(), linkName (context.pipeName, i, numLinks)))
            return failure ("could not connect link " + std::to_string (i));

        auto* message = links.back()->outgoing (64);
        std::memset (message, 0, 64);
        message[0] = (uint8_t) Op::ping;

        if (! links.back()->sendOutgoing() || ! ends.back()->arrived.wait (context.boundMs()))
            return failure ("no reply on link " + std::to_string (i));
    }

    result ("peak_rss_per_link_kib", (ownMemoryUse().peakResidentKiB - peakBeforeKiB) / numLinks);

    for (auto& link : links)
    {
        sendBye (*link);
        link->disconnect();
    }

    return 0;
}

/** The worker of a raw coordinator: connects, says hello, stays until the connection is gone. The JUCE
    variants' workers are ChildProcessWorkers, started by JUCE with its own command line (JucePeer.cpp).
*/
int worker (Context& context)
{
    PeerEnd end (false);
    auto link = context.transport.makePipeLink (end);
    end.attach (*link);

    if (! link->connect (context.pipeName, context.connectTimeoutMs()))
        return 2;

    const auto hello = makeHello();
    link->send (hello.data(), hello.size());
    end.lost.wait (-1);
    link->disconnect();
    return 0;
}

//==============================================================================
using RoleFunction = int (*) (Context&);

struct Role
{
    const char* name;
    RoleFunction function;
};

const Role roles[] =
{
    { "serve",               serve },
    { "ping",                ping },
    { "stream",              stream },
    { "reconnect",           reconnect },
    { "hold",                hold },
    { "survive-master",      surviveAsMaster },
    { "survive-slave",       surviveAsSlave },
    { "survive-coordinator", surviveAsCoordinator },
    { "host-workers",        hostWorkers },
    { "memory",              memory },
    { "worker",              worker }
};

/** Ends the process after lifetimeMs whatever it is doing, so that no peer outlives a broken run. */
void limitLifetime (double lifetimeMs, const std::string& role)
{
    std::thread ([lifetimeMs, role]
    {
        sleepMs (lifetimeMs);
        std::fprintf (stderr, "%s: lifetime limit of %.0f ms reached, exiting\n", role.c_str(), lifetimeMs);
        std::fflush (stderr);
        std::fflush (stdout);
        ipctest::exitImmediately (99);
    }).detach();
}

} // namespace

//==============================================================================
std::string makeHello()
{
    return std::string (1, (char) Op::hello) + std::to_string (currentProcessId());
}

int processIdFromHello (const uint8_t* data, size_t size)
{
    if (size < 2 || data[0] != (uint8_t) Op::hello)
        return 0;

    return std::atoi (std::string ((const char*) data + 1, size - 1).c_str());
}

int peerMain (Transport& transport, int argc, char** argv)
{
    const Options options (argc, argv);
    const auto roleName = options.get ("role");

    // Pinned before any thread starts, so that every thread of the process inherits the CPU.
    if (options.has ("cpu") && ! pinToCpu ((int) options.getInt ("cpu", 0)))
        say ("note " + transport.name() + ": could not pin to CPU " + options.get ("cpu"));

    ignoreBrokenPipeSignal();
    limitLifetime ((double) options.getInt ("lifetime-ms", 60000), roleName);

    for (auto& role : roles)
    {
        if (roleName == role.name)
        {
            const auto notes = transport.notes();

            for (size_t start = 0; start < notes.size();)
            {
                const auto end = std::min (notes.find ('\n', start), notes.size());
                say ("note " + notes.substr (start, end - start));
                start = end + 1;
            }

            Context context { transport, options, options.get ("pipe") };
            return role.function (context);
        }
    }

    std::fprintf (stderr, "usage: %s --role=<role> --pipe=<name> [options]; roles:", argc > 0 ? argv[0] : "peer");

    for (auto& role : roles)
        std::fprintf (stderr, " %s", role.name);

    std::fprintf (stderr, "\n");
    return 64;
}

} // namespace jifbench
