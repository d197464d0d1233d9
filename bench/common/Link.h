/*
  juce-ipc-fork benchmark: one end of a message connection, as the scenarios see it. Each variant of the
  peer program implements it once: on InterprocessConnection and ChildProcessCoordinator/Worker (the
  upstream and fork variants, compiled from the same source), or on plain OS pipes (the raw variant). The
  scenarios (Scenarios.cpp) are written against this header only, so every variant runs the same code.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

namespace jifbench
{

//==============================================================================
/** What a Link reports. Called on the link's own receiving thread, like InterprocessConnection's callbacks
    with callbacksOnMessageThread = false; for a coordinator, connection loss may also come from the message
    thread, as JUCE's ping thread reports it there.
*/
class LinkListener
{
public:
    virtual ~LinkListener() = default;

    /** A whole message arrived. The bytes are valid during the call only. */
    virtual void linkMessage (const uint8_t* data, size_t size) = 0;

    /** The connection is gone (the peer closed it, died, or sent something malformed). */
    virtual void linkLost() = 0;
};

//==============================================================================
/** One end of a connection: send messages, disconnect. */
class Link
{
public:
    virtual ~Link() = default;

    /** The link's reusable outgoing message, resized to size bytes: fill it, then call sendOutgoing().
        Building messages in place keeps copies the transport would not make out of the measurement.
        Only one thread at a time may use it.
    */
    virtual uint8_t* outgoing (size_t size) = 0;

    /** Sends the outgoing message. True once it was written whole. */
    virtual bool sendOutgoing() = 0;

    virtual bool isConnected() = 0;

    virtual void disconnect() = 0;

    /** Copies a small message into the outgoing one and sends it. */
    bool send (const void* data, size_t size)
    {
        std::memcpy (outgoing (size), data, size);
        return sendOutgoing();
    }
};

/** An end of a named pipe: the master creates the pipe, the slave connects to it. */
class PipeLink : public Link
{
public:
    /** Creates the pipe and listens for a client. */
    virtual bool listen (const std::string& pipeName) = 0;

    /** Connects to a pipe that a master created, trying until timeoutMs has passed. */
    virtual bool connect (const std::string& pipeName, int timeoutMs) = 0;
};

//==============================================================================
/** What one variant of the peer program is made of. */
class Transport
{
public:
    virtual ~Transport() = default;

    /** "raw", "upstream" or "fork". */
    virtual std::string name() const = 0;

    /** Notes for the report about how this variant does things (API used, version): one per line. */
    virtual std::string notes() const = 0;

    virtual std::unique_ptr<PipeLink> makePipeLink (LinkListener&) = 0;

    /** Starts a worker process (this program, in its worker role) and returns the coordinator's end of the
        connection to it, or nullptr if the launch failed. The worker connects, sends a hello message
        (makeHello) and stays until the connection is gone.
    */
    virtual std::unique_ptr<Link> launchWorker (LinkListener&, int timeoutMs) = 0;

    /** Runs body while this thread serves whatever event loop the variant's coordinators need (JUCE's
        message loop delivers the ping thread's connection-lost reports). Returns body's result.
    */
    virtual int runWithEventLoop (const std::function<int()>& body)     { return body(); }
};

//==============================================================================
/** The first byte of every message the scenarios send says what it is. */
enum class Op : uint8_t
{
    hello       = 'H',  // "H<process id>": sent by each end once connected
    ping        = 'P',  // echoed back by the master
    data        = 'D',  // counted by the master
    endOfBatch  = 'E',  // like data; the master answers with an ack
    ack         = 'A',
    bye         = 'B'   // the master's work is done
};

/** A hello message carrying this process's id, so that the other end can kill it. */
std::string makeHello();

/** The process id in a hello message, or 0 if it is not one. */
int processIdFromHello (const uint8_t* data, size_t size);

/** The peer programs' entry point: runs the scenario role named on the command line with this transport.
    Returns the process's exit code. See Scenarios.cpp for the roles and their options.
*/
int peerMain (Transport&, int argc, char** argv);

} // namespace jifbench
