/*
  ==============================================================================

   juce-ipc-fork: a drop-in fixed fork of JUCE's inter-process communication.
   Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.

  ==============================================================================
*/

/*  NamedPipe on POSIX systems: a pair of FIFOs, laid out as JUCE's own NamedPipe lays them out.

        <path>_in     the client writes, the master reads
        <path>_out    the master writes, the client reads

    where <path> is the pipe name if it is an absolute path, and /tmp/<legal name> otherwise.
    Every descriptor is non-blocking and close-on-exec; no end ever holds a writing descriptor
    of the FIFO it reads, so a reader sees end-of-file as soon as the other process is gone.
    Waits are poll() calls on the descriptors plus the pipe's wake-up descriptor, which close()
    makes readable, so nothing wakes up periodically and close() never puts a byte in a FIFO.

    A FIFO cannot tell one client from the next, so the ends keep sessions apart with
    byte-range locks on <path>_in (open file description locks: they work between two NamedPipe
    objects of one process as between processes):

        byte 0  read-locked by a master as long as it exists ("this master takes part")
        byte 1  read-locked by a master while it serves a client, and until it has drained what
                that client left ("busy")
        byte 2  write-locked by the connected client ("taken"); two clients never share the pipe

    A client opens <path>_in for writing (which fails while nobody reads it: no master, or a
    dead one), waits while the master is busy, takes byte 2, discards whatever a client that
    went before being accepted left in <path>_in, and opens <path>_out for reading. It is then
    connected, and may write at once, as a client of a Windows pipe may. The master, woken by
    the open of <path>_out (inotify on Linux) the next time it reads, writes or waits for a
    client, opens <path>_out for writing and locks byte 1. When the client goes, the master
    stops writing to <path>_out at once, drains <path>_in until every writer has gone, closes
    it, and only then reopens it and listens: nothing of one session can reach the next, and a
    client can never slip into a session whose end the master has not seen.

    A master or client that does not take part in the locks (JUCE's own NamedPipe) is served as
    JUCE serves it, so that processes using this class and processes using JUCE's can talk.
*/

#include "juce_NamedPipe_shared.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#if JUCE_LINUX || JUCE_ANDROID
 #include <sys/inotify.h>
#endif

namespace juce
{

namespace NamedPipePosix
{
    /** The FIFOs are created readable and writable by their owner only. */
    constexpr mode_t privateMode = S_IRUSR | S_IWUSR;

    /** How long a client waits before trying again while the pipe is missing or busy: from the
        first interval, doubling up to the second.
    */
    constexpr int firstConnectRetryUs = 50;

    /** A read at least this large means data is streaming in (see readFrom()). */
    constexpr int streamingReadBytes = 256;
    constexpr int connectRetryMs = 2;

    /** Without inotify, how often a listening master looks for a new client. */
    constexpr int listenPollMs = 5;

    /** The byte-range locks on <path>_in, see the top of this file. */
    constexpr off_t masterPresentByte = 0;
    constexpr off_t masterBusyByte    = 1;
    constexpr off_t clientByte        = 2;

   #if defined (F_OFD_SETLK)
    /** Open file description locks: owned by a descriptor, not by a process. Where they are
        missing (macOS), the ends do not lock and serve each other as JUCE's own NamedPipe does.
    */
    constexpr bool haveSessionLocks = true;
   #else
    constexpr bool haveSessionLocks = false;
   #endif

    static String describeErrno (int error)
    {
        return String (std::generic_category().message (error)) + " (errno " + String (error) + ")";
    }

    //==============================================================================
    /** A file descriptor, closed in exactly one place. */
    class FileDescriptor
    {
    public:
        FileDescriptor() = default;
        explicit FileDescriptor (int d) noexcept : fd (d) {}
        FileDescriptor (FileDescriptor&& other) noexcept : fd (std::exchange (other.fd, -1)) {}

        FileDescriptor& operator= (FileDescriptor&& other) noexcept
        {
            reset (std::exchange (other.fd, -1));
            return *this;
        }

        ~FileDescriptor()                   { reset(); }

        int get() const noexcept            { return fd; }
        bool isValid() const noexcept       { return fd >= 0; }

        void reset (int newDescriptor = -1) noexcept
        {
            if (fd >= 0)
                ::close (fd);

            fd = newDescriptor;
        }

    private:
        int fd = -1;

        JUCE_DECLARE_NON_COPYABLE (FileDescriptor)
    };

    static FileDescriptor openFifo (const String& path, int accessMode)
    {
        for (;;)
        {
            const auto fd = ::open (path.toRawUTF8(), accessMode | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);

            if (fd >= 0)
            {
               #if JUCE_MAC || JUCE_IOS
                // A write to a FIFO nobody reads fails with EPIPE instead of raising SIGPIPE.
                if (accessMode == O_WRONLY)
                    fcntl (fd, F_SETNOSIGPIPE, 1);
               #endif

                return FileDescriptor (fd);
            }

            if (errno != EINTR)
                return {};
        }
    }

    /** A pipe used only as a signal: closing its writing end makes its reading end report a
        hang-up to every poll(), for good. Returns false if no pipe could be made.
    */
    static bool makeSignal (FileDescriptor& readEnd, FileDescriptor& writeEnd)
    {
        int fds[2] = { -1, -1 };

       #if JUCE_LINUX || JUCE_ANDROID || JUCE_BSD
        if (pipe2 (fds, O_CLOEXEC) != 0)
            return false;
       #else
        if (pipe (fds) != 0)
            return false;

        fcntl (fds[0], F_SETFD, FD_CLOEXEC);
        fcntl (fds[1], F_SETFD, FD_CLOEXEC);
       #endif

        readEnd.reset (fds[0]);
        writeEnd.reset (fds[1]);
        return true;
    }

    /** Closes what fd refers to while keeping the number taken: it then refers to /dev/null. A
        thread that is about to use the number meanwhile touches /dev/null, never a file that a
        later open() got the number for.
    */
    static void retireDescriptor (int fd)
    {
        const auto devNull = ::open ("/dev/null", O_WRONLY | O_CLOEXEC);

        if (devNull < 0)
            return;

       #if JUCE_LINUX || JUCE_ANDROID
        dup3 (devNull, fd, O_CLOEXEC);
       #else
        dup2 (devNull, fd);
        fcntl (fd, F_SETFD, FD_CLOEXEC);
       #endif

        ::close (devNull);
    }

    /** Checks that fd is a FIFO of the current user that no other user may use. A client may
        tighten the permissions of a FIFO it owns (JUCE's own NamedPipe creates them 0666 less the
        umask); a master refuses such a FIFO.
    */
    static bool isPrivateFifo (int fd, const String& path, bool mayTighten, String& error)
    {
        struct stat info;

        if (fstat (fd, &info) != 0)
        {
            error = "cannot inspect " + path + ": " + describeErrno (errno);
            return false;
        }

        if (! S_ISFIFO (info.st_mode))
        {
            error = path + " is not a FIFO";
            return false;
        }

        if (info.st_uid != geteuid())
        {
            error = path + " belongs to another user";
            return false;
        }

        if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        {
            if (! mayTighten || fchmod (fd, privateMode) != 0)
            {
                error = path + " is open to other users (mode " + String::toHexString ((int) (info.st_mode & 0777)).paddedLeft ('0', 3)
                          + "): remove it, or create the pipe again";
                return false;
            }
        }

        return true;
    }

    //==============================================================================
    /** A one-byte lock on <path>_in (see the top of this file). */
    struct ByteLock
    {
        static bool set (int fd, off_t byte, short type)
        {
           #if defined (F_OFD_SETLK)
            struct flock lock {};
            lock.l_type = type;
            lock.l_whence = SEEK_SET;
            lock.l_start = byte;
            lock.l_len = 1;
            return fcntl (fd, F_OFD_SETLK, &lock) == 0;
           #else
            ignoreUnused (fd, byte, type);
            return true;
           #endif
        }

        /** Whether another descriptor holds a lock on the byte that conflicts with `type`. */
        static bool isHeldByOther (int fd, off_t byte, short type)
        {
           #if defined (F_OFD_SETLK)
            struct flock lock {};
            lock.l_type = type;
            lock.l_whence = SEEK_SET;
            lock.l_start = byte;
            lock.l_len = 1;
            return fcntl (fd, F_OFD_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
           #else
            ignoreUnused (fd, byte, type);
            return false;
           #endif
        }
    };

    //==============================================================================
    /** write() on a FIFO, with SIGPIPE blocked in the calling thread for the call: a peer that has
        gone makes it fail with EPIPE instead of killing the process, and the SIGPIPE it raised is
        taken off the thread's pending signals. The process's signal handlers are never touched.
        A caller that blocks SIGPIPE itself keeps a SIGPIPE of its own that was already pending.
        In a process that ignores SIGPIPE (as JUCE's own NamedPipe makes every process that uses
        it do) this costs one extra system call, otherwise three.
        (macOS: F_SETNOSIGPIPE on the descriptor.)
    */
    static ssize_t writeWithoutSigpipe (int fd, const void* data, size_t numBytes) noexcept
    {
       #if JUCE_MAC
        return ::write (fd, data, numBytes);
       #else
        struct sigaction disposition {};

        if (sigaction (SIGPIPE, nullptr, &disposition) == 0
             && (disposition.sa_flags & SA_SIGINFO) == 0 && disposition.sa_handler == SIG_IGN)
            return ::write (fd, data, numBytes);

        sigset_t sigpipeOnly, previousMask;
        sigemptyset (&sigpipeOnly);
        sigaddset (&sigpipeOnly, SIGPIPE);
        pthread_sigmask (SIG_BLOCK, &sigpipeOnly, &previousMask);

        const auto callerBlocks = sigismember (&previousMask, SIGPIPE) == 1;
        auto wasPending = false;

        if (callerBlocks)
        {
            sigset_t pending;
            sigpending (&pending);
            wasPending = sigismember (&pending, SIGPIPE) == 1;
        }

        const auto result = ::write (fd, data, numBytes);
        const auto error = errno;

        if (result < 0 && error == EPIPE && ! wasPending)
        {
            const timespec noWait {};
            while (sigtimedwait (&sigpipeOnly, nullptr, &noWait) < 0 && errno == EINTR) {}
        }

        if (! callerBlocks)
            pthread_sigmask (SIG_SETMASK, &previousMask, nullptr);

        errno = error;
        return result;
       #endif
    }

    //==============================================================================
    /** The descriptors of one connection between a master and a client. Transfers hold it by
        shared pointer, so that it stays valid while any of them uses it.
    */
    class Session
    {
    public:
        Session (FileDescriptor&& outFifoEnd, FileDescriptor&& inFifoEnd, bool readsInFifo)
            : outEnd (std::move (outFifoEnd)), inEnd (std::move (inFifoEnd)), readsIn (readsInFifo)
        {
            makeSignal (endedSignal, endedTrigger);
        }

        ~Session()
        {
            // The <path>_in end carries the lock that tells a waiting client the pipe is free, so it
            // closes last: by then the <path>_out end is closed and nothing of this session can
            // reach the next one.
            outEnd.reset();
            inEnd.reset();
        }

        int readEnd() const noexcept        { return readsIn ? inEnd.get() : outEnd.get(); }
        int writeEnd() const noexcept       { return readsIn ? outEnd.get() : inEnd.get(); }
        int inFifoEnd() const noexcept      { return inEnd.get(); }
        int endedEvent() const noexcept     { return endedSignal.get(); }

        bool hasEnded() const noexcept      { return ended; }

        /** Marks the session over and wakes every transfer that waits on it. */
        void end() noexcept
        {
            if (! ended.exchange (true))
                endedTrigger.reset();   // the read end of the signal pipe now reports end-of-file
        }

        /** The master stops writing at once when its client goes, even while a transfer still
            holds the session: the client sees end-of-file, and whatever it did not read goes
            away with the last descriptor.
        */
        void retireOutEnd() noexcept
        {
            const std::lock_guard<std::mutex> sl (outEndLock);
            outEndRetired = true;
            retireDescriptor (outEnd.get());
        }

        /** One non-blocking write to the writing end. Returns -1 with errno EPIPE once the master
            has retired its <path>_out end: a write either reached the FIFO or reports that it did not.
        */
        ssize_t writeSome (const void* data, size_t numBytes) noexcept
        {
            const std::lock_guard<std::mutex> sl (outEndLock);

            if (outEndRetired || writeEnd() < 0)
            {
                errno = EPIPE;
                return -1;
            }

            return writeWithoutSigpipe (writeEnd(), data, numBytes);
        }

    private:
        FileDescriptor outEnd, inEnd;
        const bool readsIn;
        FileDescriptor endedSignal, endedTrigger;
        std::atomic<bool> ended { false };
        std::mutex outEndLock;
        bool outEndRetired = false;

        JUCE_DECLARE_NON_COPYABLE (Session)
    };

    using SessionPtr = std::shared_ptr<Session>;
}

//==============================================================================
/** What the master and the client share: the wake-up descriptor that close() triggers, and
    reads and writes on a session that time out, stop on close(), and notice a peer that has
    gone.
*/
class NamedPipeInternal : public NamedPipeEnd
{
public:
    explicit NamedPipeInternal (const String& name) : pipeName (name)
    {
        NamedPipePosix::makeSignal (cancelSignal, cancelTrigger);

        const auto legalName = File::createLegalFileName (name);
        nameIsUsable = File::isAbsolutePath (name) || legalName.isNotEmpty();

       #if JUCE_IOS
        path = File::getSpecialLocation (File::tempDirectory).getChildFile (legalName).getFullPathName();
       #else
        path = File::isAbsolutePath (name) ? name : "/tmp/" + legalName;
       #endif

        inPath = path + "_in";
        outPath = path + "_out";
    }

    void cancel() override
    {
        if (! cancelled.exchange (true))
            cancelTrigger.reset();   // the wake-up descriptor now reports end-of-file to every poll
    }

    int read (void* destBuffer, int maxBytesToRead, int timeoutMs) final
    {
        const std::lock_guard<std::mutex> sl (readLock);
        const NamedPipeDeadline deadline (timeoutMs);
        const auto session = sessionForTransfer (deadline);

        if (session == nullptr)
            return noSessionResult();

        if (maxBytesToRead <= 0)
            return 0;

        return readFrom (*session, destBuffer, maxBytesToRead, deadline.remainingMs());
    }

    int write (const void* sourceBuffer, int numBytesToWrite, int timeoutMs) final
    {
        const std::lock_guard<std::mutex> sl (writeLock);
        const auto session = sessionForTransfer (NamedPipeDeadline (timeoutMs));

        if (session == nullptr)
            return noSessionResult();

        if (numBytesToWrite <= 0)
            return 0;

        return writeTo (*session, sourceBuffer, numBytesToWrite, timeoutMs);
    }

protected:
    using FileDescriptor = NamedPipePosix::FileDescriptor;
    using SessionPtr = NamedPipePosix::SessionPtr;

    enum class Wait { ready, timedOut, cancelled, sessionEnded, peerGone };

    /** Polls `fd` for `events`, and for the session's end and close(). */
    Wait waitFor (int fd, short events, const NamedPipePosix::Session* session, int timeoutMs)
    {
        pollfd fds[3] = { { fd, events, 0 },
                          { cancelSignal.get(), POLLIN, 0 },
                          { session != nullptr ? session->endedEvent() : -1, POLLIN, 0 } };

        for (;;)
        {
            const auto result = poll (fds, 3, timeoutMs);

            if (result < 0 && errno == EINTR)
                continue;

            if (result == 0)
                return Wait::timedOut;

            if (fds[1].revents != 0 || cancelled)
                return Wait::cancelled;

            if (fds[0].revents & events)
                return Wait::ready;

            if (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL))
                return Wait::peerGone;

            if (fds[2].revents != 0)
                return Wait::sessionEnded;

            return Wait::ready;
        }
    }

    /** Sleeps up to timeoutMs, or until close(). Returns false if closed. */
    bool sleepUnlessCancelled (int timeoutMs)
    {
        pollfd wake { cancelSignal.get(), POLLIN, 0 };
        while (poll (&wake, 1, timeoutMs) < 0 && errno == EINTR) {}
        return ! cancelled;
    }

    /** Sleeps up to the given microseconds (whole milliseconds where ppoll() is missing), or until
        close(). Returns false if closed.
    */
    bool sleepUnlessCancelledUs (int64 microseconds)
    {
       #if JUCE_LINUX || JUCE_ANDROID || JUCE_BSD
        pollfd wake { cancelSignal.get(), POLLIN, 0 };
        const timespec interval { (time_t) (microseconds / 1000000), (long) (microseconds % 1000000) * 1000 };
        while (ppoll (&wake, 1, &interval, nullptr) < 0 && errno == EINTR) {}
        return ! cancelled;
       #else
        return sleepUnlessCancelled ((int) jmax ((int64) 1, (microseconds + 999) / 1000));
       #endif
    }

    /** Reads from the session. Returns the bytes read (> 0), 0 after the timeout, or -1 when the
        peer has gone, the session ended, or the pipe was closed (with the reason set).
        Whatever arrived before the end is returned first.
    */
    int readFrom (NamedPipePosix::Session& session, void* destBuffer, int maxBytesToRead, int timeoutMs)
    {
        const NamedPipeDeadline deadline (timeoutMs);

        // A read that filled the caller's buffer may have left more behind: read again at once.
        // Otherwise wait first, as a read that finds nothing would cost a system call for nothing.
        auto hasYielded = false;

        for (auto readAtOnce = moreMayBeWaiting;; readAtOnce = true)
        {
            if (readAtOnce)
            {
                const auto numRead = ::read (session.readEnd(), destBuffer, (size_t) maxBytesToRead);

                if (numRead > 0)
                {
                    moreMayBeWaiting = numRead == maxBytesToRead;
                    lastReadBytes = (int) numRead;
                    return (int) numRead;
                }

                if (numRead < 0 && errno == EINTR)
                    continue;

                if (numRead < 0 && errno != EAGAIN)
                    return peerGone (session, "reading failed: " + NamedPipePosix::describeErrno (errno));

                if (numRead == 0 && hasHungUp (session.readEnd()))
                    return peerGone (session, describePeerGone());
            }

            // No data. (A read of 0 without a hang-up means no writer has opened the FIFO yet: a peer
            // using JUCE's own NamedPipe opens its writing end only when it first writes.)
            if (session.hasEnded())
                return peerGone (session, describePeerGone());

            // While data streams in, a writer on this CPU gets the chance to add more before this
            // thread sleeps: otherwise every write would wake it for a message or two, and the
            // two would take turns at a context switch per message.
            if (lastReadBytes >= NamedPipePosix::streamingReadBytes && ! hasYielded)
            {
                hasYielded = true;
                std::this_thread::yield();
                continue;
            }

            // The writing end is polled too: with nobody left to read it, the peer has gone.
            pollfd fds[4] = { { session.readEnd(), POLLIN, 0 },
                              { session.writeEnd(), 0, 0 },
                              { cancelSignal.get(), POLLIN, 0 },
                              { session.endedEvent(), POLLIN, 0 } };

            const auto result = poll (fds, 4, deadline.remainingMs());

            if (result < 0 && errno != EINTR)
                return peerGone (session, "waiting for data failed: " + NamedPipePosix::describeErrno (errno));

            if (result == 0)
                return 0;

            if (fds[2].revents != 0 || cancelled)
                return closedResult();

            if (fds[0].revents != 0)
                continue;   // data or end-of-file: the read above tells which

            if (fds[1].revents != 0 || fds[3].revents != 0)
            {
                // Anything still in the FIFO is read first.
                const auto lastRead = ::read (session.readEnd(), destBuffer, (size_t) maxBytesToRead);

                if (lastRead > 0)
                {
                    moreMayBeWaiting = true;
                    return (int) lastRead;
                }

                return peerGone (session, describePeerGone());
            }
        }
    }

    /** Writes all of the data to the session, waiting at most timeoutMs without progress.
        Returns numBytesToWrite, or -1 when the peer has gone, the session ended, a stalled
        write broke it, or the pipe was closed.
    */
    int writeTo (NamedPipePosix::Session& session, const void* sourceBuffer, int numBytesToWrite, int timeoutMs)
    {
        auto* source = static_cast<const char*> (sourceBuffer);
        int written = 0;
        NamedPipeDeadline stallDeadline (timeoutMs);

        while (written < numBytesToWrite)
        {
            if (session.hasEnded())
                return peerGone (session, describePeerGone());

            const auto numWritten = session.writeSome (source + written, (size_t) (numBytesToWrite - written));

            if (numWritten > 0)
            {
                written += (int) numWritten;
                stallDeadline = NamedPipeDeadline (timeoutMs);
                continue;
            }

            if (numWritten < 0 && errno == EINTR)
                continue;

            if (numWritten < 0 && errno == EPIPE)
                return peerGone (session, describePeerGone());

            if (numWritten < 0 && errno != EAGAIN)
                return peerGone (session, "writing failed: " + NamedPipePosix::describeErrno (errno));

            switch (waitFor (session.writeEnd(), POLLOUT, &session, stallDeadline.remainingMs()))
            {
                case Wait::ready:           break;
                case Wait::cancelled:       return closedResult();
                case Wait::sessionEnded:
                case Wait::peerGone:        return peerGone (session, describePeerGone());

                case Wait::timedOut:
                    // End the connection rather than leave part of the data in the FIFO (and, as on
                    // Windows, also when none of it went).
                    return peerGone (session, "the other end did not read for " + String (timeoutMs)
                                                + " ms while data waited to be written");
            }
        }

        return written;
    }

    /** Whether a FIFO's reading end has seen its last writer go. */
    static bool hasHungUp (int readEnd)
    {
        pollfd fd { readEnd, POLLIN, 0 };
        return poll (&fd, 1, 0) > 0 && (fd.revents & POLLHUP) != 0 && (fd.revents & POLLIN) == 0;
    }

    int closedResult()
    {
        setError ("the pipe was closed");
        return -1;
    }

    bool failed (const String& message)
    {
        setError (message);
        return false;
    }

    /** Whether the last read filled the caller's buffer. Only the thread that holds the end's read
        lock uses it.
    */
    bool moreMayBeWaiting = true;
    int lastReadBytes = 0;

    /** The session a transfer uses, or nullptr: the master waits for a client up to the deadline. */
    virtual SessionPtr sessionForTransfer (const NamedPipeDeadline&) = 0;

    /** What a transfer returns when there is no session, with the reason set. */
    virtual int noSessionResult() = 0;

    /** Ends the session and sets the reason; returns -1. */
    virtual int peerGone (NamedPipePosix::Session& session, const String& reason) = 0;
    virtual String describePeerGone() const = 0;

    const String pipeName;
    String path, inPath, outPath;
    bool nameIsUsable = false;
    FileDescriptor cancelSignal, cancelTrigger;
    std::atomic<bool> cancelled { false };
    std::mutex readLock, writeLock;   // one transfer per direction at a time

    JUCE_DECLARE_NON_COPYABLE (NamedPipeInternal)
};

//==============================================================================
/** The end that creates the FIFOs and serves one client at a time. Its state is one state
    machine, guarded by stateLock:

        listening --(a client opens <path>_out)--> connected --(the client goes)--> draining
            ^                                                                          |
            +---------(every writer of <path>_in has gone; <path>_in reopened)---------+

    It advances inside read(), write() and waitForClient(), as the Windows pipe's does. Only
    one thread at a time waits for it to advance (becomeTheWaiter()), so that no wake-up is
    lost between two threads that both wait for a client.
*/
class NamedPipeMaster final : public NamedPipeInternal
{
public:
    NamedPipeMaster (const String& name, bool mustBeNew) : NamedPipeInternal (name), mustNotExist (mustBeNew) {}

    ~NamedPipeMaster() override
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        current.reset();
        listener.reset();

        // Only the FIFOs this object created are removed; those it took over stay.
        if (createdIn)   unlink (inPath.toRawUTF8());
        if (createdOut)  unlink (outPath.toRawUTF8());
    }

    bool open (int) override
    {
        using namespace NamedPipePosix;

        if (! nameIsUsable)
            return failed ("the pipe name is empty, or has no character that may be used in a file name");

        if (! cancelSignal.isValid())
            return failed ("cannot make the pipe's wake-up descriptor: " + describeErrno (errno));

        if (! createFifo (inPath, createdIn) || ! createFifo (outPath, createdOut))
            return false;

        // FIFOs that existed are taken over only when nobody reads <path>_in (no master serves them).
        if (! createdIn && openFifo (inPath, O_WRONLY).isValid())
            return failed ("a pipe named '" + pipeName + "' is already served by another process");

        String error;

        {
            FileDescriptor out (openFifo (outPath, O_RDONLY));

            if (! out.isValid())
                return failed ("cannot open " + outPath + ": " + describeErrno (errno));

            if (! isPrivateFifo (out.get(), outPath, false, error))
                return failed (error);
        }

        if (! openListener())
            return false;

       #if JUCE_LINUX || JUCE_ANDROID
        // Told when a client opens <path>_out, so that listening needs no polling.
        clientArrivals.reset (inotify_init1 (IN_NONBLOCK | IN_CLOEXEC));

        if (clientArrivals.isValid() && inotify_add_watch (clientArrivals.get(), outPath.toRawUTF8(), IN_OPEN) < 0)
            clientArrivals.reset();
       #endif

        return true;
    }

    bool isConnected() const override
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        return state == State::connected && ! current->hasEnded();
    }

    bool waitForClient (int timeoutMs) override
    {
        return acquireSession (NamedPipeDeadline (timeoutMs)) != nullptr;
    }

    void endConnection() override
    {
        if (auto session = connectedSession())
            peerGone (*session, "the connection was ended by this end");
    }

private:
    enum class State { listening, connected, draining };

    /** A transfer waits for a client, up to its deadline. */
    SessionPtr sessionForTransfer (const NamedPipeDeadline& deadline) override
    {
        return acquireSession (deadline);
    }

    int noSessionResult() override
    {
        if (cancelled)
            return closedResult();

        return fatal ? -1 : 0;
    }

    bool createFifo (const String& fifoPath, bool& created)
    {
        if (mkfifo (fifoPath.toRawUTF8(), NamedPipePosix::privateMode) == 0)
        {
            // mkfifo applies the umask, which may have taken the owner's own rights away.
            chmod (fifoPath.toRawUTF8(), NamedPipePosix::privateMode);
            created = true;
            return true;
        }

        const auto error = errno;

        if (error != EEXIST)
            return failed ("cannot create the FIFO " + fifoPath + ": " + NamedPipePosix::describeErrno (error));

        if (mustNotExist)
            return failed ("a pipe named '" + pipeName + "' already exists (" + fifoPath + "). If no process uses it any "
                           "more, remove its FIFOs or create the pipe with mustNotExist = false");

        return true;
    }

    /** Opens <path>_in for reading, ready for the next client, and marks this master present.
        Called before the pipe is shared, or with stateLock held.
    */
    bool openListener()
    {
        NamedPipePosix::FileDescriptor in (NamedPipePosix::openFifo (inPath, O_RDONLY));
        String error;

        if (! in.isValid())
            return failed ("cannot open " + inPath + ": " + NamedPipePosix::describeErrno (errno));

        if (! NamedPipePosix::isPrivateFifo (in.get(), inPath, false, error))
            return failed (error);

        NamedPipePosix::ByteLock::set (in.get(), NamedPipePosix::masterPresentByte, F_RDLCK);
        listener = std::move (in);
        return true;
    }

    /** Returns the current session once a client is connected; nullptr after the deadline, on
        close(), or after a failure that ends this master.
    */
    SessionPtr acquireSession (const NamedPipeDeadline& deadline)
    {
        if (auto session = connectedSession())
            return session;

        if (! becomeTheWaiter (deadline))
            return connectedSession();

        const ScopedWaiter waiter (*this);

        for (;;)
        {
            std::shared_ptr<NamedPipePosix::Session> draining;

            {
                const std::lock_guard<std::mutex> sl (stateLock);

                if (cancelled || fatal)
                    return nullptr;

                if (state == State::connected && ! current->hasEnded())
                    return current;

                if (state == State::connected)
                    state = State::draining;

                if (state == State::draining && ! finishDraining())
                    draining = current;

                if (state == State::listening && acceptClient())
                    return current;
            }

            if (deadline.hasPassed())
                return nullptr;

            if (draining != nullptr)
            {
                // Wakes with data to discard, or when the last writer goes.
                waitFor (draining->inFifoEnd(), POLLIN, nullptr, deadline.remainingMs());
            }
            else if (clientArrivals.isValid())
            {
                waitFor (clientArrivals.get(), POLLIN, nullptr, deadline.remainingMs());
            }
            else
            {
                sleepUnlessCancelled (deadline.remainingMsAtMost (NamedPipePosix::listenPollMs));
            }
        }
    }

    /** Waits until no other thread waits for the state to advance, and then is that thread.
        Returns false if the deadline passed first.
    */
    bool becomeTheWaiter (const NamedPipeDeadline& deadline)
    {
        std::unique_lock<std::mutex> sl (waiterLock);
        const auto noOtherWaiter = [this] { return ! aThreadWaits || cancelled; };

        if (deadline.isUnlimited())
            waiterChanged.wait (sl, noOtherWaiter);
        else if (! waiterChanged.wait_for (sl, std::chrono::milliseconds (deadline.remainingMs()), noOtherWaiter))
            return false;

        aThreadWaits = true;
        return true;
    }

    struct ScopedWaiter
    {
        explicit ScopedWaiter (NamedPipeMaster& m) : master (m) {}

        ~ScopedWaiter()
        {
            {
                const std::lock_guard<std::mutex> sl (master.waiterLock);
                master.aThreadWaits = false;
            }

            master.waiterChanged.notify_all();
        }

        NamedPipeMaster& master;
    };

    SessionPtr connectedSession() const
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        return state == State::connected && ! current->hasEnded() ? current : nullptr;
    }

    /** Discards what the last client left in <path>_in until its last writer has gone, then
        reopens <path>_in and listens. Returns false while a writer remains. Called with
        stateLock held.
    */
    bool finishDraining()
    {
        char discarded[4096];

        for (;;)
        {
            const auto numRead = ::read (current->inFifoEnd(), discarded, sizeof (discarded));

            if (numRead > 0 || (numRead < 0 && errno == EINTR))
                continue;

            // EAGAIN: a writer is still there; 0: none is.
            if (numRead < 0 && errno == EAGAIN)
                return false;

            break;
        }

        // The session's descriptors close, and release the busy lock, when the last transfer
        // that holds it returns (at once, since the session has ended).
        current.reset();

        if (! openListener())
            fatal = true;

        state = State::listening;
        return true;
    }

    /** Accepts a client that has opened <path>_out, or one that wrote and went before this master
        looked, if there is one. Called with stateLock held.
    */
    bool acceptClient()
    {
        if (clientArrivals.isValid())
        {
            char events[4096];
            while (::read (clientArrivals.get(), events, sizeof (events)) > 0) {}
        }

        NamedPipePosix::FileDescriptor out (NamedPipePosix::openFifo (outPath, O_WRONLY));

        if (! out.isValid())
        {
            // ENXIO: nobody reads <path>_out. Unless a client left bytes behind, nobody is there.
            int waiting = 0;

            if (errno != ENXIO || ioctl (listener.get(), FIONREAD, &waiting) != 0 || waiting <= 0)
                return false;
        }

        // Our own clients hold the client lock before they open <path>_out, and wait for this busy
        // lock; a client of JUCE's own NamedPipe takes no lock and is served as it is.
        NamedPipePosix::ByteLock::set (listener.get(), NamedPipePosix::masterBusyByte, F_RDLCK);

        current = std::make_shared<NamedPipePosix::Session> (std::move (out), std::move (listener), true);
        state = State::connected;
        setError ({});
        return true;
    }

    int peerGone (NamedPipePosix::Session& session, const String& reason) override
    {
        {
            const std::lock_guard<std::mutex> sl (stateLock);

            if (current.get() == &session && state == State::connected)
            {
                session.retireOutEnd();
                state = State::draining;
            }
        }

        session.end();
        setError (reason);
        return -1;
    }

    String describePeerGone() const override    { return "the client disconnected"; }

    const bool mustNotExist;
    bool createdIn = false, createdOut = false;

    mutable std::mutex stateLock;
    State state = State::listening;

    std::mutex waiterLock;
    std::condition_variable waiterChanged;
    bool aThreadWaits = false;

    std::shared_ptr<NamedPipePosix::Session> current;
    NamedPipePosix::FileDescriptor listener, clientArrivals;
    bool fatal = false;
};

//==============================================================================
/** The end that opens an existing pipe. When the connection ends it stays ended: every later
    transfer returns -1, and its descriptors close as soon as no transfer uses them, so that
    the master sees the end even before this end is closed.
*/
class NamedPipeSlave final : public NamedPipeInternal
{
public:
    using NamedPipeInternal::NamedPipeInternal;

    bool open (int connectionTimeoutMs) override
    {
        if (! nameIsUsable)
            return failed ("the pipe name is empty, or has no character that may be used in a file name");

        if (! cancelSignal.isValid())
            return failed ("cannot make the pipe's wake-up descriptor: " + NamedPipePosix::describeErrno (errno));

        const NamedPipeDeadline deadline (connectionTimeoutMs);
        String waitingFor;

        // A master notices within microseconds that its last client went: the first tries come soon.
        int64 retryUs = NamedPipePosix::firstConnectRetryUs;

        for (;;)
        {
            if (cancelled)
                return failed ("the pipe was closed while connecting");

            switch (tryToConnect (waitingFor))
            {
                case Attempt::connected:    return true;
                case Attempt::failed:       return false;
                case Attempt::retry:        break;
            }

            if (deadline.hasPassed())
                return failed ("timed out after " + String (connectionTimeoutMs) + " ms: " + waitingFor);

            const auto remainingMs = deadline.remainingMs();
            sleepUnlessCancelledUs (remainingMs < 0 ? retryUs : jmin (retryUs, (int64) remainingMs * 1000));
            retryUs = jmin (retryUs * 2, (int64) NamedPipePosix::connectRetryMs * 1000);
        }
    }

    bool isConnected() const override
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        return session != nullptr && ! session->hasEnded();
    }

    bool waitForClient (int) override
    {
        return isConnected();
    }

    void endConnection() override
    {
        if (auto s = currentSession())
            peerGone (*s, "the connection was ended by this end");
    }

private:
    enum class Attempt { connected, retry, failed };

    Attempt failedAttempt (const String& message)
    {
        setError (message);
        return Attempt::failed;
    }

    Attempt tryToConnect (String& waitingFor)
    {
        using namespace NamedPipePosix;

        // Opening the FIFO for writing fails while nobody reads it: no master, or one that died.
        FileDescriptor in (openFifo (inPath, O_WRONLY));

        if (! in.isValid())
        {
            const auto error = errno;

            switch (error)
            {
                case ENOENT:    waitingFor = "no pipe named '" + pipeName + "' exists"; return Attempt::retry;
                case ENXIO:     waitingFor = "no process serves the pipe '" + pipeName + "' (" + inPath + " exists, but nobody reads it)"; return Attempt::retry;
                case ELOOP:     return failedAttempt (inPath + " is a symbolic link");
                case EACCES:    return failedAttempt ("access to " + inPath + " is denied");
                default:        return failedAttempt ("cannot open " + inPath + ": " + describeErrno (error));
            }
        }

        String error;

        if (! isPrivateFifo (in.get(), inPath, true, error))
            return failedAttempt (error);

        const auto masterTakesPart = ByteLock::isHeldByOther (in.get(), masterPresentByte, F_WRLCK);
        const auto busy = [&]
        {
            waitingFor = "the pipe '" + pipeName + "' stayed busy with another client";
            return Attempt::retry;
        };

        if (masterTakesPart && ByteLock::isHeldByOther (in.get(), masterBusyByte, F_WRLCK))
            return busy();

        if (haveSessionLocks && ! ByteLock::set (in.get(), clientByte, F_WRLCK))
            return busy();

        if (masterTakesPart)
        {
            // A client of JUCE's own NamedPipe may have been accepted meanwhile.
            if (ByteLock::isHeldByOther (in.get(), masterBusyByte, F_WRLCK))
                return busy();

            // Bytes in <path>_in with no session in progress come from a client that wrote and went
            // before the master looked: the master still has to serve them, as the instance of a
            // Windows pipe stays busy until its server has seen its client go.
            int waiting = 0;

            if (ioctl (in.get(), FIONREAD, &waiting) == 0 && waiting > 0)
                return busy();
        }

        FileDescriptor out (openFifo (outPath, O_RDONLY));

        if (! out.isValid())
            return failedAttempt ("cannot open " + outPath + ": " + describeErrno (errno));

        if (! isPrivateFifo (out.get(), outPath, true, error))
            return failedAttempt (error);

        const std::lock_guard<std::mutex> sl (stateLock);
        session = std::make_shared<Session> (std::move (out), std::move (in), false);
        setError ({});
        return Attempt::connected;
    }

    SessionPtr currentSession() const
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        return session;
    }

    SessionPtr sessionForTransfer (const NamedPipeDeadline&) override
    {
        return currentSession();
    }

    int noSessionResult() override
    {
        if (cancelled)
            return closedResult();

        if (getError().isEmpty())
            setError ("the connection is broken");

        return -1;
    }

    int peerGone (NamedPipePosix::Session& s, const String& reason) override
    {
        s.end();

        {
            // The descriptors close once the last transfer using them returns.
            const std::lock_guard<std::mutex> sl (stateLock);

            if (session.get() == &s)
                session.reset();
        }

        setError (reason);
        return -1;
    }

    String describePeerGone() const override    { return "the server closed the connection"; }

    mutable std::mutex stateLock;
    SessionPtr session;
};

//==============================================================================
std::unique_ptr<NamedPipeEnd> makeNamedPipeMaster (const String& pipeName, bool mustNotExist)
{
    return std::make_unique<NamedPipeMaster> (pipeName, mustNotExist);
}

std::unique_ptr<NamedPipeEnd> makeNamedPipeSlave (const String& pipeName)
{
    return std::make_unique<NamedPipeSlave> (pipeName);
}

} // namespace juce
