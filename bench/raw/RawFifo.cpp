/*
  juce-ipc-fork benchmark: RawPipe on POSIX FIFOs, laid out as JUCE lays them out. The master creates
  /tmp/<name>_in (the slave writes it) and /tmp/<name>_out (the master writes it). A slave opens its reading
  end of _out first and then its writing end of _in; the master learns of it when its first bytes arrive and
  only then opens its writing end of _out, which succeeds because the slave already reads it. Waits happen in
  poll() on the descriptor and an eventfd that stop() signals.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "RawPipe.h"
#include "Platform.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace jifbench
{

struct RawPipe::Native
{
    std::string inPath, outPath;
    bool isMaster = false;
    int readFd = -1, writeFd = -1;
    int stopFd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);

    ~Native()
    {
        closeFd (readFd);
        closeFd (writeFd);
        closeFd (stopFd);
    }

    static void closeFd (int& fd)
    {
        if (fd >= 0)
            ::close (fd);

        fd = -1;
    }

    static int openFifo (const std::string& path, int flags)
    {
        return ::open (path.c_str(), flags | O_NONBLOCK | O_CLOEXEC);
    }

    /** Waits for `events` on fd, or stop(). False if stopped. */
    bool waitFor (int fd, short events) const
    {
        pollfd fds[2] = { { fd, events, 0 }, { stopFd, POLLIN, 0 } };

        for (;;)
        {
            if (poll (fds, 2, -1) < 0)
            {
                if (errno == EINTR)
                    continue;

                return false;
            }

            return fds[1].revents == 0;
        }
    }

    /** The master's writing end, opened once the slave reads _out (it opens it before it writes _in). */
    bool openMasterWriteEnd()
    {
        for (int attempt = 0; writeFd < 0 && attempt < 1000; ++attempt)
        {
            writeFd = openFifo (outPath, O_WRONLY);

            if (writeFd < 0)
                std::this_thread::sleep_for (std::chrono::microseconds (50));
        }

        return writeFd >= 0;
    }
};

RawPipe::RawPipe() : native (std::make_unique<Native>()) {}
RawPipe::~RawPipe() { close(); }

bool RawPipe::create (const std::string& name)
{
    auto& n = *native;
    n.isMaster = true;
    n.inPath = "/tmp/" + name + "_in";
    n.outPath = "/tmp/" + name + "_out";
    removePipeFiles (name);

    if (mkfifo (n.inPath.c_str(), 0600) != 0 || mkfifo (n.outPath.c_str(), 0600) != 0)
        return false;

    n.readFd = Native::openFifo (n.inPath, O_RDONLY);
    return n.readFd >= 0;
}

bool RawPipe::open (const std::string& name, int timeoutMs)
{
    auto& n = *native;
    n.inPath = "/tmp/" + name + "_in";
    n.outPath = "/tmp/" + name + "_out";

    const auto deadline = nowMs() + timeoutMs;
    auto retryUs = 50;

    for (;;)
    {
        n.readFd = Native::openFifo (n.outPath, O_RDONLY);

        if (n.readFd >= 0)
        {
            n.writeFd = Native::openFifo (n.inPath, O_WRONLY);

            if (n.writeFd >= 0)
                return true;

            Native::closeFd (n.readFd);
        }

        if (nowMs() >= deadline)
            return false;

        std::this_thread::sleep_for (std::chrono::microseconds (retryUs));
        retryUs = std::min (retryUs * 2, 2000);
    }
}

int RawPipe::read (void* buffer, int maxBytes)
{
    auto& n = *native;

    for (;;)
    {
        if (n.readFd < 0)
            return lostResult;

        // Waiting comes first: a FIFO that no writer has opened yet reads as end-of-file, but polls as
        // nothing to report until a writer has come (and reports a hang-up once it has gone).
        if (! n.waitFor (n.readFd, POLLIN))
            return stoppedResult;

        const auto numRead = ::read (n.readFd, buffer, (size_t) maxBytes);

        if (numRead > 0)
        {
            if (n.isMaster && n.writeFd < 0 && ! n.openMasterWriteEnd())
                return lostResult;

            return (int) numRead;
        }

        if (numRead < 0 && (errno == EINTR || errno == EAGAIN))
            continue;

        // End of file: the other end has gone. A master reopens _in, whose old descriptor would keep
        // reporting the hang-up, and listens for the next slave.
        Native::closeFd (n.writeFd);

        if (! n.isMaster)
            return lostResult;

        Native::closeFd (n.readFd);
        n.readFd = Native::openFifo (n.inPath, O_RDONLY);
        return lostResult;
    }
}

bool RawPipe::write (const void* data, size_t size)
{
    auto& n = *native;
    auto* bytes = static_cast<const char*> (data);

    if (n.writeFd < 0)
        return false;

    while (size > 0)
    {
        const auto numWritten = ::write (n.writeFd, bytes, size);

        if (numWritten > 0)
        {
            bytes += numWritten;
            size -= (size_t) numWritten;
            continue;
        }

        if (numWritten < 0 && errno == EINTR)
            continue;

        if (numWritten < 0 && errno != EAGAIN)
            return false;

        if (! n.waitFor (n.writeFd, POLLOUT))
            return false;
    }

    return true;
}

void RawPipe::stop()
{
    const uint64_t one = 1;
    [[maybe_unused]] const auto ignored = ::write (native->stopFd, &one, sizeof (one));
}

void RawPipe::close()
{
    if (native == nullptr)
        return;

    Native::closeFd (native->readFd);
    Native::closeFd (native->writeFd);

    if (native->isMaster)
    {
        unlink (native->inPath.c_str());
        unlink (native->outPath.c_str());
        native->isMaster = false;
    }
}

} // namespace jifbench
