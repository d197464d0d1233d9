/*
  ==============================================================================

   juce-ipc-fork: a drop-in fixed fork of JUCE's inter-process communication.
   Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.

  ==============================================================================
*/

/*  NamedPipe on Windows: an overlapped, byte-mode named pipe \\.\pipe\<legal name>.

    The master creates one instance of the pipe (so no second server can join it), private
    to the current user and SYSTEM and closed to remote clients, and serves one client at a
    time: when the client goes, the master disconnects the instance and listens again. The
    slave opens the pipe with CreateFile, waiting with WaitNamedPipe while the instance is busy.

    Every read, write and connect is overlapped and waits on its own completion event and
    on the pipe's cancel event. An operation that times out or is cancelled is cancelled with
    CancelIoEx and then waited for, because until it completes the kernel may still write into
    its buffer and its OVERLAPPED; both live in the object, never on a stack frame that could
    be gone by then, and bytes that completed in that race are returned, never dropped.
*/

#include "juce_NamedPipe_shared.h"

#include <sddl.h>

namespace juce
{

namespace NamedPipeWindows
{
    /** Each direction's kernel buffer. */
    constexpr DWORD pipeBufferBytes = 64 * 1024;

    /** Writes are issued in chunks of at most this size, so that a write's timeout bounds a
        stall (a chunk that makes no progress), not the time a long message takes to go.
    */
    constexpr DWORD maxWriteChunkBytes = 1024 * 1024;

    /** How long one WaitNamedPipe or retry sleep may last, so that close() interrupts a connect quickly. */
    constexpr int connectSliceMs = 20;

    /** How often a connect retries while no pipe of that name exists. */
    constexpr int absentPipeRetryMs = 2;

    static String describeError (DWORD error)
    {
        WCHAR text[512] = {};
        FormatMessageW (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, error,
                        MAKELANGID (LANG_NEUTRAL, SUBLANG_DEFAULT), text, (DWORD) numElementsInArray (text) - 1, nullptr);

        const auto message = String (text).trim();
        return (message.isEmpty() ? String ("error") : message) + " (Windows error " + String ((int) error) + ")";
    }

    /** The errors that say the other end of the connection is gone. */
    static bool meansDisconnected (DWORD error)
    {
        return error == ERROR_BROKEN_PIPE          // the other end closed its handle
            || error == ERROR_PIPE_NOT_CONNECTED   // the server disconnected this instance
            || error == ERROR_NO_DATA;             // the pipe is being closed
    }

    /** \\.\pipe\ and the name made a legal file name (at most 128 characters), as JUCE's own
        NamedPipe does, or an error.
    */
    static String pipePath (const String& pipeName, String& error)
    {
        const auto legalName = File::createLegalFileName (pipeName);

        if (legalName.isEmpty())
            error = "the pipe name is empty, or has no character that may be used in a file name";

        return "\\\\.\\pipe\\" + legalName;
    }

    //==============================================================================
    /** A security descriptor whose DACL admits only the current user and SYSTEM. */
    class PrivateSecurityDescriptor
    {
    public:
        PrivateSecurityDescriptor()
        {
            HANDLE token = nullptr;

            if (! OpenProcessToken (GetCurrentProcess(), TOKEN_QUERY, &token))
                return;

            DWORD size = 0;
            GetTokenInformation (token, TokenUser, nullptr, 0, &size);
            HeapBlock<char> userInfo (size);
            LPWSTR userSid = nullptr;

            if (GetTokenInformation (token, TokenUser, userInfo, size, &size)
                 && ConvertSidToStringSidW (reinterpret_cast<TOKEN_USER*> (userInfo.get())->User.Sid, &userSid))
            {
                // D:P protects the DACL from inheritance; GA = generic all; SY = SYSTEM.
                const auto sddl = "D:P(A;;GA;;;" + String (userSid) + ")(A;;GA;;;SY)";
                ConvertStringSecurityDescriptorToSecurityDescriptorW (sddl.toWideCharPointer(), SDDL_REVISION_1,
                                                                      &descriptor, nullptr);
                LocalFree (userSid);
            }

            CloseHandle (token);
        }

        ~PrivateSecurityDescriptor()
        {
            if (descriptor != nullptr)
                LocalFree (descriptor);
        }

        PSECURITY_DESCRIPTOR get() const noexcept   { return descriptor; }

    private:
        PSECURITY_DESCRIPTOR descriptor = nullptr;

        JUCE_DECLARE_NON_COPYABLE (PrivateSecurityDescriptor)
    };

    //==============================================================================
    /** A manual-reset event, closed in exactly one place. */
    class ManualResetEvent
    {
    public:
        ManualResetEvent() : handle (CreateEventW (nullptr, TRUE, FALSE, nullptr)) {}
        ~ManualResetEvent()                 { if (handle != nullptr) CloseHandle (handle); }

        HANDLE get() const noexcept         { return handle; }

    private:
        HANDLE handle;

        JUCE_DECLARE_NON_COPYABLE (ManualResetEvent)
    };
}

//==============================================================================
/** What the master and the slave share: the pipe handle, the cancel signal, and overlapped
    transfers that can time out or be cancelled without losing a byte.
*/
class NamedPipeInternal : public NamedPipeEnd
{
public:
    explicit NamedPipeInternal (const String& name) : pipeName (name) {}

    ~NamedPipeInternal() override
    {
        if (pipe != INVALID_HANDLE_VALUE)
            CloseHandle (pipe);
    }

    void cancel() override
    {
        cancelled = true;
        SetEvent (cancelEvent.get());
    }

protected:
    enum class Outcome { completed, timedOut, cancelled, failed };

    struct Transfer
    {
        Outcome outcome;
        DWORD bytes;
        DWORD error;
    };

    /** One direction's overlapped operation. It is a member, so it outlives every operation
        issued with it, including those cancelled after a timeout.
    */
    struct Channel
    {
        std::mutex inUse;   // one operation per direction at a time
        NamedPipeWindows::ManualResetEvent done;
        OVERLAPPED overlapped {};
    };

    Transfer transfer (Channel& channel, bool isRead, void* data, DWORD numBytes, const NamedPipeDeadline& deadline)
    {
        zerostruct (channel.overlapped);
        channel.overlapped.hEvent = channel.done.get();
        ResetEvent (channel.done.get());

        const auto started = isRead ? ReadFile (pipe, data, numBytes, nullptr, &channel.overlapped)
                                    : WriteFile (pipe, data, numBytes, nullptr, &channel.overlapped);

        if (! started)
        {
            const auto error = GetLastError();

            if (error != ERROR_IO_PENDING)
                return { Outcome::failed, 0, error };
        }

        auto interruption = Outcome::completed;
        HANDLE events[] = { channel.done.get(), cancelEvent.get() };
        const auto waitResult = WaitForMultipleObjects (2, events, FALSE,
                                                        deadline.isUnlimited() ? INFINITE : (DWORD) deadline.remainingMs());

        if (waitResult != WAIT_OBJECT_0)
        {
            interruption = waitResult == WAIT_OBJECT_0 + 1 ? Outcome::cancelled : Outcome::timedOut;

            // Cancel, then wait below for the operation to finish: until it has, the kernel owns
            // the buffer and the OVERLAPPED.
            CancelIoEx (pipe, &channel.overlapped);
        }

        DWORD bytes = 0;

        if (GetOverlappedResult (pipe, &channel.overlapped, &bytes, TRUE))
            return { Outcome::completed, bytes, ERROR_SUCCESS };   // it completed, perhaps in the race with the cancel

        const auto error = GetLastError();

        // ERROR_OPERATION_ABORTED after CancelIoEx: the operation stopped where it was. A write may
        // have moved some bytes already, which `bytes` reports.
        if (error == ERROR_OPERATION_ABORTED && interruption != Outcome::completed)
            return { interruption, bytes, error };

        return { Outcome::failed, bytes, error };
    }

    /** What read() returns after a transfer: the bytes that arrived (even if the connection broke
        right after), 0 after a timeout, closed() if the pipe was closed, or broken (error).
    */
    template <typename Closed, typename Broken>
    static int readResult (const Transfer& result, Closed&& closed, Broken&& broken)
    {
        if (result.bytes > 0)
            return (int) result.bytes;

        switch (result.outcome)
        {
            case Outcome::completed:    return 0;
            case Outcome::timedOut:     return 0;
            case Outcome::cancelled:    return closed();
            case Outcome::failed:       break;
        }

        return broken (result.error);
    }

    /** What write() returns after writeChunks(): all the bytes, closed() if the pipe was closed, or
        broken (error) otherwise. A write that timed out may have moved bytes even when it reports none
        (Wine drops the unread rest of a cancelled write and reports 0), so after one the stream cannot
        be trusted: the connection is broken, so that the other end sees it too.
    */
    template <typename Closed, typename Broken>
    static int writeResult (int written, int numBytesToWrite, const Transfer& last, Closed&& closed, Broken&& broken)
    {
        if (written == numBytesToWrite)
            return written;

        if (last.outcome == Outcome::cancelled)
            return closed();

        return broken (last.outcome == Outcome::timedOut ? (DWORD) ERROR_TIMEOUT : last.error);
    }

    /** Writes the whole buffer in chunks; each chunk may stall for at most timeoutMs.
        Returns the bytes written, and in `last` the transfer that stopped it if it stopped early.
    */
    int writeChunks (const void* sourceBuffer, int numBytesToWrite, int timeoutMs, Transfer& last)
    {
        auto* source = static_cast<const char*> (sourceBuffer);
        int written = 0;

        while (written < numBytesToWrite)
        {
            const auto chunk = (DWORD) jmin ((DWORD) (numBytesToWrite - written), NamedPipeWindows::maxWriteChunkBytes);
            last = transfer (writeChannel, false, const_cast<char*> (source + written), chunk, NamedPipeDeadline (timeoutMs));
            written += (int) last.bytes;

            if (last.outcome != Outcome::completed || last.bytes != chunk)
                break;
        }

        return written;
    }

    const String pipeName;
    HANDLE pipe = INVALID_HANDLE_VALUE;
    NamedPipeWindows::ManualResetEvent cancelEvent;
    std::atomic<bool> cancelled { false };
    Channel readChannel, writeChannel;

    JUCE_DECLARE_NON_COPYABLE (NamedPipeInternal)
};

//==============================================================================
/** The end that creates the pipe, serves one client at a time, and listens again when the
    client goes. Its state is one state machine, guarded by stateLock:

        listening --(a client connects)--> connected --(a transfer finds it gone)--> listening

    A listen is one overlapped ConnectNamedPipe that lives in the object; every thread that
    needs a client waits on its event, and whichever wakes first completes the transition.
    Each connection gets a new session number, so that a transfer that fails after its client
    has already been replaced never disconnects the new one.
*/
class NamedPipeMaster final : public NamedPipeInternal
{
public:
    NamedPipeMaster (const String& name, bool mustBeNew) : NamedPipeInternal (name), mustNotExist (mustBeNew) {}

    ~NamedPipeMaster() override
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        stopListening();
    }

    bool open (int) override
    {
        String error;
        const auto path = NamedPipeWindows::pipePath (pipeName, error);

        if (error.isNotEmpty())
        {
            setError (error);
            return false;
        }

        NamedPipeWindows::PrivateSecurityDescriptor descriptor;

        if (descriptor.get() == nullptr)
        {
            setError ("cannot make the pipe's security descriptor: " + NamedPipeWindows::describeError (GetLastError()));
            return false;
        }

        SECURITY_ATTRIBUTES attributes { sizeof (SECURITY_ATTRIBUTES), descriptor.get(), FALSE };

        // FILE_FLAG_FIRST_PIPE_INSTANCE makes the call fail when any instance of the name exists,
        // so nobody can have squatted the name. Without it, the single instance allowed below still
        // keeps a second server from joining a pipe that someone serves.
        const DWORD openMode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED
                                 | (mustNotExist ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
        const DWORD pipeMode = PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS;

        pipe = CreateNamedPipeW (path.toWideCharPointer(), openMode, pipeMode, 1,
                                 NamedPipeWindows::pipeBufferBytes, NamedPipeWindows::pipeBufferBytes, 0, &attributes);

        if (pipe != INVALID_HANDLE_VALUE)
        {
            // Any other instance of the name belongs to someone else. Windows refuses to create ours
            // then; Wine ignores FILE_FLAG_FIRST_PIPE_INSTANCE, so the instances are counted too.
            DWORD instances = 0;

            if (! GetNamedPipeHandleStateW (pipe, nullptr, &instances, nullptr, nullptr, nullptr, 0) || instances <= 1)
                return true;

            CloseHandle (pipe);
            pipe = INVALID_HANDLE_VALUE;
            setError (mustNotExist ? "a pipe named '" + pipeName + "' already exists"
                                   : "a pipe named '" + pipeName + "' is already served by another process");
            return false;
        }

        const auto code = GetLastError();

        switch (code)
        {
            case ERROR_ACCESS_DENIED:
                setError (mustNotExist ? "a pipe named '" + pipeName + "' already exists"
                                       : "a pipe named '" + pipeName + "' exists and this user may not serve it");
                break;

            case ERROR_PIPE_BUSY:
                setError ("a pipe named '" + pipeName + "' is already served by another process or NamedPipe");
                break;

            case ERROR_INVALID_NAME:
            case ERROR_BAD_PATHNAME:
            case ERROR_FILENAME_EXCED_RANGE:
                setError ("'" + pipeName + "' is not a valid pipe name: " + NamedPipeWindows::describeError (code));
                break;

            default:
                setError ("cannot create the pipe '" + pipeName + "': " + NamedPipeWindows::describeError (code));
                break;
        }

        return false;
    }

    bool isConnected() const override
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        return state == State::connected;
    }

    void endConnection() override
    {
        int64 current = 0;

        {
            const std::lock_guard<std::mutex> sl (stateLock);

            if (state != State::connected)
                return;

            current = sessionNumber;
        }

        clientLost (current, ERROR_PIPE_NOT_CONNECTED);
        setError ("the connection was ended by this end");
    }

    bool waitForClient (int timeoutMs) override
    {
        return waitForSession (NamedPipeDeadline (timeoutMs)) > 0;
    }

    int read (void* destBuffer, int maxBytesToRead, int timeoutMs) override
    {
        const std::lock_guard<std::mutex> sl (readChannel.inUse);
        const NamedPipeDeadline deadline (timeoutMs);
        const auto session = waitForSession (deadline);

        if (session <= 0)
            return (int) session;

        if (maxBytesToRead <= 0)
            return 0;

        return readResult (transfer (readChannel, true, destBuffer, (DWORD) maxBytesToRead, deadline),
                           [this] { return closedResult(); },
                           [this, session] (DWORD error) { return clientLost (session, error); });
    }

    int write (const void* sourceBuffer, int numBytesToWrite, int timeoutMs) override
    {
        const std::lock_guard<std::mutex> sl (writeChannel.inUse);
        const auto session = waitForSession (NamedPipeDeadline (timeoutMs));

        if (session <= 0)
            return (int) session;

        if (numBytesToWrite <= 0)
            return 0;

        Transfer last { Outcome::completed, 0, ERROR_SUCCESS };
        const auto written = writeChunks (sourceBuffer, numBytesToWrite, timeoutMs, last);

        return writeResult (written, numBytesToWrite, last,
                            [this] { return closedResult(); },
                            [this, session] (DWORD error) { return clientLost (session, error); });
    }

private:
    enum class State { listening, connected };

    /** Waits until a client is connected. Returns its session number (> 0), 0 if the deadline
        passed first, or -1 if the pipe was closed.
    */
    int64 waitForSession (const NamedPipeDeadline& deadline)
    {
        for (;;)
        {
            {
                const std::lock_guard<std::mutex> sl (stateLock);

                if (cancelled)
                    return closedResult();

                if (state == State::connected)
                    return sessionNumber;

                if (! listenPending && ! startListening())
                    return -1;

                if (state == State::connected)
                    return sessionNumber;
            }

            HANDLE events[] = { connectOverlapped.hEvent, cancelEvent.get() };
            const auto waitResult = WaitForMultipleObjects (2, events, FALSE,
                                                            deadline.isUnlimited() ? INFINITE : (DWORD) deadline.remainingMs());

            if (waitResult == WAIT_TIMEOUT)
                return 0;

            if (waitResult != WAIT_OBJECT_0)
                continue;   // cancelled: the top of the loop says so

            const std::lock_guard<std::mutex> sl (stateLock);

            if (state == State::connected || ! listenPending)
                continue;

            DWORD ignored = 0;

            if (GetOverlappedResult (pipe, &connectOverlapped, &ignored, FALSE))
            {
                listenPending = false;
                becomeConnected();
                continue;
            }

            const auto error = GetLastError();

            if (error == ERROR_IO_INCOMPLETE)
                continue;

            listenPending = false;

            // A client that connected and left again before we saw it is served all the same: its
            // bytes are read, then its loss is reported.
            if (NamedPipeWindows::meansDisconnected (error))
            {
                becomeConnected();
                continue;
            }

            DisconnectNamedPipe (pipe);
            setError ("waiting for a client failed: " + NamedPipeWindows::describeError (error));
            return -1;
        }
    }

    /** Issues the overlapped ConnectNamedPipe. Called with stateLock held. */
    bool startListening()
    {
        zerostruct (connectOverlapped);
        connectOverlapped.hEvent = connectDone.get();
        ResetEvent (connectDone.get());

        if (ConnectNamedPipe (pipe, &connectOverlapped))
        {
            becomeConnected();
            return true;
        }

        const auto error = GetLastError();

        switch (error)
        {
            case ERROR_IO_PENDING:
                listenPending = true;
                return true;

            case ERROR_PIPE_CONNECTED:
                // A client connected between the creation (or the last disconnect) and this call.
                becomeConnected();
                return true;

            case ERROR_NO_DATA:
                // A client connected and has already closed its end. It is served all the same: what
                // it wrote is read, then its loss is reported.
                becomeConnected();
                return true;

            default:
                setError ("cannot listen for clients: " + NamedPipeWindows::describeError (error));
                return false;
        }
    }

    /** Called with stateLock held. */
    void stopListening()
    {
        if (listenPending)
        {
            DWORD ignored = 0;
            CancelIoEx (pipe, &connectOverlapped);
            GetOverlappedResult (pipe, &connectOverlapped, &ignored, TRUE);
            listenPending = false;
        }
    }

    /** Called with stateLock held. */
    void becomeConnected()
    {
        state = State::connected;
        ++sessionNumber;
        setError ({});
    }

    /** A transfer of `lostSession` found its client gone: disconnect it (once) and listen again. */
    int clientLost (int64 lostSession, DWORD error)
    {
        const std::lock_guard<std::mutex> sl (stateLock);

        if (state == State::connected && sessionNumber == lostSession)
        {
            // Drops the client if it is still there (a stalled write), so that it sees the break.
            DisconnectNamedPipe (pipe);
            state = State::listening;
        }

        setError (NamedPipeWindows::meansDisconnected (error) ? String ("the client disconnected")
                                                              : "the connection broke: " + NamedPipeWindows::describeError (error));
        return -1;
    }

    int closedResult()
    {
        setError ("the pipe was closed");
        return -1;
    }

    const bool mustNotExist;
    mutable std::mutex stateLock;
    State state = State::listening;
    int64 sessionNumber = 0;
    bool listenPending = false;
    NamedPipeWindows::ManualResetEvent connectDone;
    OVERLAPPED connectOverlapped {};
};

//==============================================================================
/** The end that opens an existing pipe. When the connection breaks it stays broken: every
    later transfer returns -1, and its handle is closed as soon as no transfer uses it, so that
    the master sees the break even before this end is closed.
*/
class NamedPipeSlave final : public NamedPipeInternal
{
public:
    using NamedPipeInternal::NamedPipeInternal;

    bool open (int connectionTimeoutMs) override
    {
        String error;
        const auto path = NamedPipeWindows::pipePath (pipeName, error);

        if (error.isNotEmpty())
        {
            setError (error);
            return false;
        }

        const NamedPipeDeadline deadline (connectionTimeoutMs);
        String waitingFor = "no pipe named '" + pipeName + "' exists";

        for (;;)
        {
            if (cancelled)
            {
                setError ("the pipe was closed while connecting");
                return false;
            }

            // SQOS: the server may identify this client, never act as it.
            const auto handle = CreateFileW (path.toWideCharPointer(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                                             FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, nullptr);

            if (handle != INVALID_HANDLE_VALUE)
            {
                const std::lock_guard<std::mutex> sl (stateLock);
                pipe = handle;
                setError ({});
                return true;
            }

            const auto code = GetLastError();

            switch (code)
            {
                case ERROR_PIPE_BUSY:
                    // The instance serves another client, or its master has not listened again yet
                    // after its last client left. WaitNamedPipe returns as soon as it listens.
                    waitingFor = "the pipe '" + pipeName + "' stayed busy with another client";

                    if (deadline.hasPassed())
                        return timedOut (connectionTimeoutMs, waitingFor);

                    WaitNamedPipeW (path.toWideCharPointer(), (DWORD) jmax (1, deadline.remainingMsAtMost (NamedPipeWindows::connectSliceMs)));
                    break;

                case ERROR_FILE_NOT_FOUND:
                    // No instance: the master has not created it yet, or has gone.
                    if (deadline.hasPassed())
                        return timedOut (connectionTimeoutMs, waitingFor);

                    WaitForSingleObject (cancelEvent.get(), (DWORD) deadline.remainingMsAtMost (NamedPipeWindows::absentPipeRetryMs));
                    break;

                case ERROR_ACCESS_DENIED:
                    setError ("access to the pipe '" + pipeName + "' is denied: it belongs to another user");
                    return false;

                case ERROR_INVALID_NAME:
                case ERROR_BAD_PATHNAME:
                case ERROR_FILENAME_EXCED_RANGE:
                    setError ("'" + pipeName + "' is not a valid pipe name: " + NamedPipeWindows::describeError (code));
                    return false;

                default:
                    setError ("cannot open the pipe '" + pipeName + "': " + NamedPipeWindows::describeError (code));
                    return false;
            }
        }
    }

    bool isConnected() const override
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        return pipe != INVALID_HANDLE_VALUE && ! broken;
    }

    bool waitForClient (int) override
    {
        return isConnected();
    }

    void endConnection() override
    {
        InFlight inFlight (*this);

        if (inFlight.started)
        {
            breakConnection (ERROR_PIPE_NOT_CONNECTED);
            setError ("the connection was ended by this end");
        }
    }

    int read (void* destBuffer, int maxBytesToRead, int timeoutMs) override
    {
        const std::lock_guard<std::mutex> sl (readChannel.inUse);
        InFlight inFlight (*this);

        if (! inFlight.started)
            return unusableResult();

        if (maxBytesToRead <= 0)
            return 0;

        return readResult (transfer (readChannel, true, destBuffer, (DWORD) maxBytesToRead, NamedPipeDeadline (timeoutMs)),
                           [this] { return unusableResult(); },
                           [this] (DWORD error) { return breakConnection (error); });
    }

    int write (const void* sourceBuffer, int numBytesToWrite, int timeoutMs) override
    {
        const std::lock_guard<std::mutex> sl (writeChannel.inUse);
        InFlight inFlight (*this);

        if (! inFlight.started)
            return unusableResult();

        if (numBytesToWrite <= 0)
            return 0;

        Transfer last { Outcome::completed, 0, ERROR_SUCCESS };
        const auto written = writeChunks (sourceBuffer, numBytesToWrite, timeoutMs, last);

        return writeResult (written, numBytesToWrite, last,
                            [this] { return unusableResult(); },
                            [this] (DWORD error) { return breakConnection (error); });
    }

private:
    /** Counts a transfer in progress, so that a broken connection's handle is closed only once
        no transfer uses it any more.
    */
    struct InFlight
    {
        explicit InFlight (NamedPipeSlave& s) : slave (s)
        {
            const std::lock_guard<std::mutex> sl (slave.stateLock);
            started = slave.pipe != INVALID_HANDLE_VALUE && ! slave.broken && ! slave.cancelled;

            if (started)
                ++slave.transfersInFlight;
        }

        ~InFlight()
        {
            if (! started)
                return;

            const std::lock_guard<std::mutex> sl (slave.stateLock);

            if (--slave.transfersInFlight == 0 && slave.broken)
                slave.closeHandle();
        }

        NamedPipeSlave& slave;
        bool started = false;
    };

    int breakConnection (DWORD error)
    {
        {
            const std::lock_guard<std::mutex> sl (stateLock);
            broken = true;
        }

        // Wake a transfer in the other direction: it finds the connection broken and returns.
        CancelIoEx (pipe, nullptr);

        setError (NamedPipeWindows::meansDisconnected (error) ? String ("the server closed the connection")
                                                              : "the connection broke: " + NamedPipeWindows::describeError (error));
        return -1;
    }

    int unusableResult()
    {
        if (cancelled)
            setError ("the pipe was closed");
        else if (getError().isEmpty())
            setError ("the connection is broken");

        return -1;
    }

    bool timedOut (int connectionTimeoutMs, const String& reason)
    {
        setError ("timed out after " + String (connectionTimeoutMs) + " ms: " + reason);
        return false;
    }

    /** Called with stateLock held. */
    void closeHandle()
    {
        if (pipe != INVALID_HANDLE_VALUE)
        {
            CloseHandle (pipe);
            pipe = INVALID_HANDLE_VALUE;
        }
    }

    mutable std::mutex stateLock;
    bool broken = false;
    int transfersInFlight = 0;
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
