/*
  juce-ipc-fork benchmark: the raw variant's peer program. Messages are framed with a 4-byte little-endian
  length; one thread per link reads, and hands every complete message in its buffer to the listener without
  copying it. A sender builds its message right behind the header, so that a message is one write.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "Link.h"
#include "NativeProcess.h"
#include "Platform.h"
#include "RawPipe.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace jifbench
{

namespace
{

constexpr size_t frameHeaderBytes = 4;
constexpr size_t initialBufferBytes = 64 * 1024;

uint32_t readFrameSize (const uint8_t* header)
{
    return (uint32_t) header[0] | ((uint32_t) header[1] << 8) | ((uint32_t) header[2] << 16) | ((uint32_t) header[3] << 24);
}

void writeFrameSize (uint8_t* header, uint32_t size)
{
    for (int i = 0; i < 4; ++i)
        header[i] = (uint8_t) (size >> (8 * i));
}

//==============================================================================
class RawLink final : public PipeLink
{
public:
    explicit RawLink (LinkListener& l) : listener (l) {}
    ~RawLink() override         { disconnect(); }

    bool listen (const std::string& pipeName) override
    {
        disconnect();
        pipe = std::make_unique<RawPipe>();
        isMaster = true;

        if (! pipe->create (pipeName))
        {
            pipe.reset();
            return false;
        }

        reader = std::thread ([this] { readMessages(); });
        return true;
    }

    bool connect (const std::string& pipeName, int timeoutMs) override
    {
        disconnect();
        pipe = std::make_unique<RawPipe>();
        isMaster = false;

        if (! pipe->open (pipeName, timeoutMs))
        {
            pipe.reset();
            return false;
        }

        connected = true;
        reader = std::thread ([this] { readMessages(); });
        return true;
    }

    uint8_t* outgoing (size_t size) override
    {
        message.resize (frameHeaderBytes + size);
        return message.data() + frameHeaderBytes;
    }

    bool sendOutgoing() override
    {
        writeFrameSize (message.data(), (uint32_t) (message.size() - frameHeaderBytes));
        const std::lock_guard<std::mutex> lock (writeLock);
        return pipe != nullptr && pipe->write (message.data(), message.size());
    }

    bool isConnected() override     { return connected; }

    void disconnect() override
    {
        if (pipe == nullptr)
            return;

        pipe->stop();

        if (reader.joinable())
            reader.join();

        const std::lock_guard<std::mutex> lock (writeLock);
        pipe->close();
        pipe.reset();
        connected = false;
    }

    /** Whether a client has sent something (a master) or the connection is open (a slave). */
    std::atomic<bool> connected { false };

private:
    void readMessages()
    {
        std::vector<uint8_t> buffer (initialBufferBytes);
        size_t start = 0, end = 0;

        for (;;)
        {
            // Every complete message in the buffer, straight from it.
            while (end - start >= frameHeaderBytes)
            {
                const auto size = (size_t) readFrameSize (buffer.data() + start);

                if (end - start - frameHeaderBytes < size)
                {
                    // Incomplete: make room for all of it behind what has arrived.
                    if (frameHeaderBytes + size > buffer.size() - start)
                    {
                        std::copy (buffer.begin() + (long) start, buffer.begin() + (long) end, buffer.begin());
                        end -= start;
                        start = 0;

                        if (frameHeaderBytes + size > buffer.size())
                            buffer.resize (frameHeaderBytes + size);
                    }

                    break;
                }

                listener.linkMessage (buffer.data() + start + frameHeaderBytes, size);
                start += frameHeaderBytes + size;
            }

            if (start == end)
            {
                start = end = 0;
            }
            else if (end == buffer.size())
            {
                std::copy (buffer.begin() + (long) start, buffer.begin() + (long) end, buffer.begin());
                end -= start;
                start = 0;
            }

            const auto numRead = pipe->read (buffer.data() + end, (int) (buffer.size() - end));

            if (numRead == RawPipe::stoppedResult)
                return;

            if (numRead == RawPipe::lostResult)
            {
                start = end = 0;
                connected = false;
                listener.linkLost();

                if (! isMaster)
                    return;

                continue;
            }

            connected = true;
            end += (size_t) numRead;
        }
    }

    LinkListener& listener;
    std::unique_ptr<RawPipe> pipe;
    std::thread reader;
    bool isMaster = false;
    std::vector<uint8_t> message;
    std::mutex writeLock;
};

//==============================================================================
/** A coordinator's link to a worker process that it started: a master link, and the process. */
class WorkerLink final : public Link
{
public:
    explicit WorkerLink (LinkListener& listener) : link (listener) {}
    ~WorkerLink() override                      { disconnect(); }

    bool launch (int timeoutMs)
    {
        static std::atomic<int> counter { 0 };
        const auto name = "jifbench-w-" + std::to_string (currentProcessId()) + "-" + std::to_string (++counter);

        if (! link.listen (name))
            return false;

        process = ipctest::NativeProcess::start ({ executablePath(), "--role=worker", "--pipe=" + name, "--lifetime-ms=120000" },
                                                 temporaryFolder() + name + ".out");
        outputPath = temporaryFolder() + name + ".out";

        for (const auto deadline = nowMs() + timeoutMs; process != nullptr && ! link.connected;)
        {
            int exitCode = 0;

            if (nowMs() >= deadline || process->wait (0, exitCode))
                return false;

            std::this_thread::sleep_for (std::chrono::microseconds (200));
        }

        return process != nullptr;
    }

    uint8_t* outgoing (size_t size) override    { return link.outgoing (size); }
    bool sendOutgoing() override                { return link.sendOutgoing(); }
    bool isConnected() override                 { return link.isConnected(); }

    void disconnect() override
    {
        link.disconnect();

        if (process != nullptr)
        {
            int exitCode = 0;
            process->kill();
            process->wait (5000, exitCode);
            process.reset();
            std::remove (outputPath.c_str());
        }
    }

private:
    RawLink link;
    std::unique_ptr<ipctest::NativeProcess> process;
    std::string outputPath;
};

//==============================================================================
class RawTransport final : public Transport
{
public:
    std::string name() const override   { return "raw"; }

    std::string notes() const override
    {
       #ifdef _WIN32
        return "raw: a Windows named pipe (\\\\.\\pipe\\<name>, byte mode, overlapped I/O), 4-byte length framing, no JUCE";
       #else
        return "raw: POSIX FIFOs (/tmp/<name>_in, _out), poll() with an eventfd to stop, 4-byte length framing, no JUCE";
       #endif
    }

    std::unique_ptr<PipeLink> makePipeLink (LinkListener& listener) override
    {
        return std::make_unique<RawLink> (listener);
    }

    std::unique_ptr<Link> launchWorker (LinkListener& listener, int timeoutMs) override
    {
        auto link = std::make_unique<WorkerLink> (listener);

        if (! link->launch (timeoutMs))
            return nullptr;

        return link;
    }
};

} // namespace
} // namespace jifbench

int main (int argc, char** argv)
{
    jifbench::RawTransport transport;
    return jifbench::peerMain (transport, argc, argv);
}
