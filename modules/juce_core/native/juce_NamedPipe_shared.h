/*
  ==============================================================================

   juce-ipc-fork: a drop-in fixed fork of JUCE's inter-process communication.
   Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.

  ==============================================================================
*/

/*  The part of NamedPipe that is the same on every platform. Each platform's NamedPipe file
    includes this first, then defines NamedPipeInternal (what both ends share: the handle,
    I/O with safe cancellation, the close signal), NamedPipeMaster (the end that creates the
    pipe and listens, and listens again) and NamedPipeSlave (the end that opens it), and the
    two factories declared below.
*/

namespace juce
{

//==============================================================================
/** A point in time that calls taking a timeout in milliseconds (less than zero: none) wait until. */
class NamedPipeDeadline
{
public:
    explicit NamedPipeDeadline (int timeoutMs) noexcept
        : endMs (timeoutMs < 0 ? -1.0 : Time::getMillisecondCounterHiRes() + timeoutMs)
    {
    }

    bool isUnlimited() const noexcept       { return endMs < 0; }

    bool hasPassed() const noexcept
    {
        return ! isUnlimited() && Time::getMillisecondCounterHiRes() >= endMs;
    }

    /** Milliseconds left, rounded up so that a wait never ends just before the deadline;
        -1 when there is no limit.
    */
    int remainingMs() const noexcept
    {
        if (isUnlimited())
            return -1;

        const auto left = endMs - Time::getMillisecondCounterHiRes();
        return left <= 0 ? 0 : (int) std::ceil (left);
    }

    /** remainingMs(), but at most sliceMs: for waits that must also look at something else. */
    int remainingMsAtMost (int sliceMs) const noexcept
    {
        const auto left = remainingMs();
        return left < 0 ? sliceMs : jmin (left, sliceMs);
    }

private:
    double endMs;
};

//==============================================================================
/** What NamedPipe needs from either end of a pipe, on any platform. */
class NamedPipeEnd
{
public:
    virtual ~NamedPipeEnd() = default;

    /** Creates the pipe (master) or connects to it (slave, waiting up to connectionTimeoutMs). */
    virtual bool open (int connectionTimeoutMs) = 0;

    virtual int read (void* destBuffer, int maxBytesToRead, int timeoutMs) = 0;
    virtual int write (const void* sourceBuffer, int numBytesToWrite, int timeoutMs) = 0;
    virtual bool waitForClient (int timeoutMs) = 0;
    virtual bool isConnected() const = 0;

    /** Called by close() from any thread: every wait returns at once, now and later. */
    virtual void cancel() = 0;

    /** Ends the current connection: the master drops its client and listens again. */
    virtual void endConnection() = 0;

    String getError() const
    {
        const ScopedLock sl (errorLock);
        return lastError;
    }

protected:
    void setError (const String& message)
    {
        const ScopedLock sl (errorLock);
        lastError = message;
    }

private:
    CriticalSection errorLock;
    String lastError;
};

std::unique_ptr<NamedPipeEnd> makeNamedPipeMaster (const String& pipeName, bool mustNotExist);
std::unique_ptr<NamedPipeEnd> makeNamedPipeSlave (const String& pipeName);

//==============================================================================
class NamedPipe::Pimpl
{
public:
    explicit Pimpl (std::unique_ptr<NamedPipeEnd> e) : end (std::move (e)) {}

    const std::unique_ptr<NamedPipeEnd> end;
};

bool NamedPipe::openExisting (const String& pipeName)
{
    return openExisting (pipeName, defaultConnectionTimeoutMs);
}

bool NamedPipe::openExisting (const String& pipeName, int connectionTimeoutMs)
{
    close();
    setLastErrorMessage ({});

    // The end is published before it connects, so that close() from another thread can
    // interrupt the wait for the pipe.
    {
        const ScopedWriteLock sl (lock);
        currentPipeName = pipeName;
        pimpl = std::make_unique<Pimpl> (makeNamedPipeSlave (pipeName));
    }

    String error = "the pipe was closed while connecting";

    {
        const ScopedReadLock sl (lock);

        if (pimpl != nullptr)
        {
            if (pimpl->end->open (connectionTimeoutMs))
                return true;

            error = pimpl->end->getError();
        }
    }

    setLastErrorMessage (error);

    const ScopedWriteLock sl (lock);
    pimpl.reset();
    return false;
}

bool NamedPipe::openInternal (const String& pipeName, bool createPipe, bool mustNotExist, int connectionTimeoutMs)
{
    auto end = createPipe ? makeNamedPipeMaster (pipeName, mustNotExist)
                          : makeNamedPipeSlave (pipeName);

    if (! end->open (connectionTimeoutMs))
    {
        setLastErrorMessage (end->getError());
        return false;
    }

    setLastErrorMessage ({});
    pimpl = std::make_unique<Pimpl> (std::move (end));
    return true;
}

void NamedPipe::close()
{
    {
        const ScopedReadLock sl (lock);

        if (pimpl != nullptr)
            pimpl->end->cancel();
    }

    const ScopedWriteLock sl (lock);
    pimpl.reset();
}

void NamedPipe::endConnection()
{
    const ScopedReadLock sl (lock);

    if (pimpl != nullptr)
        pimpl->end->endConnection();
}

bool NamedPipe::isConnected() const
{
    const ScopedReadLock sl (lock);
    return pimpl != nullptr && pimpl->end->isConnected();
}

bool NamedPipe::waitForClient (int timeOutMilliseconds)
{
    const ScopedReadLock sl (lock);

    if (pimpl == nullptr)
        return false;

    if (pimpl->end->waitForClient (timeOutMilliseconds))
        return true;

    setLastErrorMessage (pimpl->end->getError());
    return false;
}

int NamedPipe::read (void* destBuffer, int maxBytesToRead, int timeOutMilliseconds)
{
    const ScopedReadLock sl (lock);

    if (pimpl == nullptr)
    {
        setLastErrorMessage ("the pipe is not open");
        return -1;
    }

    const auto result = pimpl->end->read (destBuffer, maxBytesToRead, timeOutMilliseconds);

    if (result < 0)
        setLastErrorMessage (pimpl->end->getError());

    return result;
}

int NamedPipe::write (const void* sourceBuffer, int numBytesToWrite, int timeOutMilliseconds)
{
    const ScopedReadLock sl (lock);

    if (pimpl == nullptr)
    {
        setLastErrorMessage ("the pipe is not open");
        return -1;
    }

    const auto result = pimpl->end->write (sourceBuffer, numBytesToWrite, timeOutMilliseconds);

    if (result < 0)
        setLastErrorMessage (pimpl->end->getError());

    return result;
}

String NamedPipe::getLastErrorMessage() const
{
    const ScopedLock sl (errorLock);
    return lastErrorMessage;
}

void NamedPipe::setLastErrorMessage (const String& message)
{
    const ScopedLock sl (errorLock);
    lastErrorMessage = message;
}

} // namespace juce
