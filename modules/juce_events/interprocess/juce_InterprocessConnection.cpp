/*
  ==============================================================================

   juce-ipc-fork: a drop-in fixed fork of JUCE's inter-process communication.
   Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.

  ==============================================================================
*/

/*  InterprocessConnection, in three parts that know little of each other:

    - the wire format (InterprocessConnectionWire): an 8-byte header, then the message;
    - a Transport, which only moves bytes: a NamedPipe or a StreamingSocket;
    - a Session, which owns one transport and the thread that reads it, parses messages out
      of what it reads (one read serves as many messages as it holds), and reports them.

    Callbacks go through a CallbackGate, which outlives the connection object so that messages
    posted to the message thread can find out whether they may still be delivered.
*/

namespace juce
{

namespace InterprocessConnectionWire
{
    /** Every message starts with the magic number and the size of the message, both 32-bit
        little-endian: the format of JUCE's own InterprocessConnection.
    */
    constexpr size_t headerBytes = 8;
    static_assert (headerBytes == 2 * sizeof (uint32), "the header is two 32-bit numbers");

    /** How much a single read asks for: one read serves every small message it holds. */
    constexpr size_t receiveChunkBytes = 64 * 1024;

    /** Messages up to this size are sent with their header in one write, through a reused buffer;
        larger ones as two writes, without copying the message.
    */
    constexpr size_t largestCoalescedMessageBytes = 16 * 1024;

    /** With callbacks on the connection's thread, a received message up to this size leaves its
        block allocated for the next one.
    */
    constexpr size_t largestKeptReceiveBlockBytes = 4 * 1024 * 1024;

    /** With callbacks on the message thread, how much may wait there. At either limit the reading
        thread stops reading until the message thread has caught up with all of it, so that a
        peer that sends faster than the message thread takes messages in is slowed down (its
        writes wait) instead of filling the memory, and the message thread gets back to its other
        work between the batches.
    */
    constexpr size_t maxMessagesWaitingForMessageThread = 1024;
    constexpr size_t maxBytesWaitingForMessageThread = 32 * 1024 * 1024;

    static void writeHeader (char* destination, uint32 magic, uint32 numBytes) noexcept
    {
        const uint32 header[] = { ByteOrder::swapIfBigEndian (magic), ByteOrder::swapIfBigEndian (numBytes) };
        memcpy (destination, header, headerBytes);
    }

    static uint32 readMagic (const char* header) noexcept       { return ByteOrder::littleEndianInt (header); }
    static uint32 readSize (const char* header) noexcept        { return ByteOrder::littleEndianInt (header + sizeof (uint32)); }
}

//==============================================================================
/** Moves bytes to and from the other end. Knows nothing of messages. */
class InterprocessConnection::Transport
{
public:
    virtual ~Transport() = default;

    /** Waits until bytes arrive, then reads up to maxBytes. Returns the number read, or -1 when
        the other end has gone or close() was called.
    */
    virtual int read (void* destBuffer, int maxBytes) = 0;

    /** Writes all of the bytes, or returns false: the connection is then broken, or there was none. */
    virtual bool write (const void* sourceBuffer, int numBytes, int stallLimitMs) = 0;

    /** For the end that created a pipe: waits for a client. Returns false once closed. */
    virtual bool waitForClient()                { return true; }

    /** Ends the current connection (a malformed message arrived): the other end sees it go. */
    virtual void endConnection() = 0;

    /** Unblocks every read, write and wait, now and later. Callable from any thread. */
    virtual void close() = 0;

    virtual NamedPipe* getPipe() noexcept               { return nullptr; }
    virtual StreamingSocket* getSocket() noexcept       { return nullptr; }
};

class InterprocessConnection::PipeTransport final : public Transport
{
public:
    PipeTransport (std::unique_ptr<NamedPipe> p, bool master, int clientWaitMs)
        : pipe (std::move (p)), isMaster (master), waitForClientBeforeSendMs (clientWaitMs)
    {
    }

    int read (void* destBuffer, int maxBytes) override
    {
        // No timeout: close() interrupts the wait, and an idle connection costs nothing.
        for (;;)
        {
            const auto numRead = pipe->read (destBuffer, maxBytes, -1);

            if (numRead != 0)
                return numRead;
        }
    }

    bool write (const void* sourceBuffer, int numBytes, int stallLimitMs) override
    {
        // As in JUCE's own class, a message sent while the pipe has no client waits for one, for
        // as long as the receive timeout given to createPipe().
        if (isMaster && ! pipe->waitForClient (waitForClientBeforeSendMs))
            return false;

        return pipe->write (sourceBuffer, numBytes, stallLimitMs) == numBytes;
    }

    bool waitForClient() override                   { return pipe->waitForClient (-1); }
    void endConnection() override                   { pipe->endConnection(); }
    void close() override                           { pipe->close(); }
    NamedPipe* getPipe() noexcept override          { return pipe.get(); }

private:
    const std::unique_ptr<NamedPipe> pipe;
    const bool isMaster;
    const int waitForClientBeforeSendMs;
};

class InterprocessConnection::SocketTransport final : public Transport
{
public:
    explicit SocketTransport (std::unique_ptr<StreamingSocket> s) : socket (std::move (s)) {}

    int read (void* destBuffer, int maxBytes) override
    {
        for (;;)
        {
            if (closed)
                return -1;

           #if JUCE_MAC || JUCE_IOS
            // On Apple systems, shutdown() does not wake a select() in another thread.
            constexpr int readinessTimeoutMs = 100;
           #else
            constexpr int readinessTimeoutMs = -1;
           #endif

            const auto ready = socket->waitUntilReady (true, readinessTimeoutMs);

            if (ready < 0)
                return -1;

            if (ready == 0)
                continue;

            // Readable but nothing to read: the other end has closed the connection.
            const auto numRead = socket->read (destBuffer, maxBytes, false);
            return numRead > 0 ? numRead : -1;
        }
    }

    bool write (const void* sourceBuffer, int numBytes, int stallLimitMs) override
    {
        auto* source = static_cast<const char*> (sourceBuffer);
        int written = 0;

        while (written < numBytes)
        {
            if (closed)
                return false;

            auto numWritten = socket->write (source + written, numBytes - written);

            if (numWritten <= 0)
            {
                // Nothing went: the socket is full (JUCE's read leaves it non-blocking), or broken.
                // Once it is writable again, a write that still moves nothing means broken.
                if (socket->waitUntilReady (false, stallLimitMs) != 1
                     || (numWritten = socket->write (source + written, numBytes - written)) <= 0)
                {
                    close();
                    return false;
                }
            }

            written += numWritten;
        }

        return true;
    }

    void endConnection() override                   { close(); }

    void close() override
    {
        closed = true;
        socket->close();
    }

    StreamingSocket* getSocket() noexcept override  { return socket.get(); }

private:
    const std::unique_ptr<StreamingSocket> socket;
    std::atomic<bool> closed { false };
};

//==============================================================================
/** Decides which callbacks may still be made. Messages posted to the message thread hold it, so
    it outlives the connection object.

    Each connection with a peer (each client, for a pipe this object created) has a number. A
    callback belongs to one of them; those of a connection ended with Notify::no, and all of them
    once the object is destroyed, are dropped. connectionMade() and connectionLost() alternate.
*/
class InterprocessConnection::CallbackGate
{
public:
    explicit CallbackGate (InterprocessConnection& o) : owner (&o) {}

    enum class Kind { made, lost, data };

    int64 newConnectionNumber() noexcept        { return ++lastConnectionNumber; }

    /** Records that connectionMade() is due for connection `number`. False if one is already due. */
    bool announceMade (int64 number)
    {
        const std::lock_guard<std::mutex> sl (stateLock);

        if (announced)
            return false;

        announced = true;
        announcedNumber = number;
        return true;
    }

    /** Records that connectionLost() is due for connection `number`: only if its connectionMade() was. */
    bool announceLost (int64 number)
    {
        const std::lock_guard<std::mutex> sl (stateLock);

        if (! announced || announcedNumber != number)
            return false;

        announced = false;
        return true;
    }

    /** The connection that connectionMade() was last announced for and that has not been lost, or 0. */
    int64 announcedConnection() const
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        return announced ? announcedNumber : 0;
    }

    /** Drops every callback of the connections so far, including those waiting for the message thread. */
    void silenceAll()
    {
        const std::lock_guard<std::mutex> sl (stateLock);
        silencedUpTo = lastConnectionNumber.load();
        announced = false;
    }

    /** A data message was posted to the message thread. */
    void messagePosted (size_t numBytes)
    {
        const std::lock_guard<std::mutex> sl (waitingLock);
        ++messagesWaiting;
        bytesWaiting += numBytes;
    }

    /** A posted data message was delivered, or dropped. */
    void messageGone (size_t numBytes)
    {
        {
            const std::lock_guard<std::mutex> sl (waitingLock);
            --messagesWaiting;
            bytesWaiting -= numBytes;

            if (messagesWaiting > 0)
                return;
        }

        waitingChanged.notify_all();
    }

    /** If too much waits for the message thread, waits until all of it has gone or `stopping` is
        set (wakeWaiters() then ends the wait). Returns false if stopping.
    */
    bool waitForMessageThread (const std::atomic<bool>& stopping)
    {
        std::unique_lock<std::mutex> sl (waitingLock);

        if (messagesWaiting < InterprocessConnectionWire::maxMessagesWaitingForMessageThread
             && bytesWaiting < InterprocessConnectionWire::maxBytesWaitingForMessageThread)
            return ! stopping;

        waitingChanged.wait (sl, [&] { return messagesWaiting == 0 || stopping; });
        return ! stopping;
    }

    void wakeWaiters()
    {
        { const std::lock_guard<std::mutex> sl (waitingLock); }
        waitingChanged.notify_all();
    }

    /** The owner is going: from now on nothing is delivered. Waits for a callback in progress. */
    void close()
    {
        const ScopedLock sl (callbackLock);
        owner = nullptr;
    }

    void deliver (Kind kind, int64 number, const MemoryBlock& data)
    {
        const ScopedLock sl (callbackLock);

        if (owner == nullptr)
            return;

        {
            const std::lock_guard<std::mutex> stateSl (stateLock);

            if (number <= silencedUpTo)
                return;
        }

        switch (kind)
        {
            case Kind::made:    owner->connectionMade(); break;
            case Kind::lost:    owner->connectionLost(); break;
            case Kind::data:    owner->messageReceived (data); break;
        }
    }

private:
    CriticalSection callbackLock;   // held while a callback runs; recursive, so a callback may disconnect
    InterprocessConnection* owner;

    mutable std::mutex stateLock;
    std::atomic<int64> lastConnectionNumber { 0 };
    int64 silencedUpTo = 0;
    bool announced = false;
    int64 announcedNumber = 0;

    std::mutex waitingLock;
    std::condition_variable waitingChanged;
    size_t messagesWaiting = 0, bytesWaiting = 0;

    JUCE_DECLARE_NON_COPYABLE (CallbackGate)
};

struct InterprocessConnection::CallbackMessage final : public MessageManager::MessageBase
{
    CallbackMessage (std::shared_ptr<CallbackGate> g, CallbackGate::Kind k, int64 n, MemoryBlock&& d)
        : gate (std::move (g)), kind (k), number (n), data (std::move (d))
    {
        if (kind == CallbackGate::Kind::data)
            gate->messagePosted (data.getSize());
    }

    ~CallbackMessage() override
    {
        if (kind == CallbackGate::Kind::data)
            gate->messageGone (data.getSize());
    }

    void messageCallback() override     { gate->deliver (kind, number, data); }

    const std::shared_ptr<CallbackGate> gate;
    const CallbackGate::Kind kind;
    const int64 number;
    const MemoryBlock data;
};

//==============================================================================
/** One transport and the thread that reads it, from connectTo... or createPipe() until
    disconnect(). The thread holds the session, so a session whose disconnect() came from its
    own thread (a callback) finishes safely after the object has moved on.
*/
class InterprocessConnection::Session final : public std::enable_shared_from_this<Session>
{
public:
    Session (InterprocessConnection& o, std::unique_ptr<Transport> t, bool master)
        : owner (o), gate (o.callbackGate), transport (std::move (t)), isMaster (master)
    {
    }

    ~Session()
    {
        // Only reached once the thread has finished (it holds the session while it runs), or on
        // that thread as it finishes.
        if (thread.joinable())
            thread.detach();
    }

    void start (int64 firstConnection)
    {
        connectionNumber = firstConnection;
        running = true;

        // The thread waits for threadLock before it does anything, so that a join() it makes itself
        // (a callback that disconnects) finds `thread` assigned.
        const std::lock_guard<std::mutex> sl (threadLock);
        thread = std::thread ([self = shared_from_this()] { self->run(); });
    }

    /** Stops the thread: it returns from any wait, and makes no more callbacks of its own. */
    void stop()
    {
        stopping = true;
        gate->wakeWaiters();
        transport->close();
    }

    /** Waits for the thread to finish, unless this is that thread (a callback that disconnects). */
    void join()
    {
        std::thread finishing;

        {
            const std::lock_guard<std::mutex> sl (threadLock);
            finishing = std::move (thread);
        }

        if (! finishing.joinable())
            return;

        if (finishing.get_id() == std::this_thread::get_id())
            finishing.detach();
        else
            finishing.join();
    }

    bool isRunning() const noexcept         { return running && ! stopping; }
    Transport& getTransport() noexcept      { return *transport; }

    bool send (const MemoryBlock& message, uint32 magic, int stallLimitMs)
    {
        using namespace InterprocessConnectionWire;

        const auto numBytes = message.getSize();
        const std::lock_guard<std::mutex> sl (sendLock);

        if (stopping)
            return false;

        if (numBytes <= largestCoalescedMessageBytes)
        {
            outgoing.ensureSize (headerBytes + numBytes);
            writeHeader (static_cast<char*> (outgoing.getData()), magic, (uint32) numBytes);

            if (numBytes > 0)
                memcpy (addBytesToPointer (outgoing.getData(), headerBytes), message.getData(), numBytes);

            return transport->write (outgoing.getData(), (int) (headerBytes + numBytes), stallLimitMs);
        }

        char header[headerBytes];
        writeHeader (header, magic, (uint32) numBytes);

        // A failure after the header breaks the connection: no half message is left behind.
        return transport->write (header, (int) headerBytes, stallLimitMs)
            && transport->write (message.getData(), (int) numBytes, stallLimitMs);
    }

private:
    void run()
    {
        {
            const std::lock_guard<std::mutex> sl (threadLock);   // start() has assigned `thread`
        }

        Thread::setCurrentThreadName ("JUCE IPC");

        if (isMaster)
        {
            while (! stopping && transport->waitForClient())
            {
                if (stopping)
                    break;

                connectionNumber = gate->newConnectionNumber();
                owner.connectionMadeInt (connectionNumber);
                receiveMessages();

                // A disconnect() decides for itself whether connectionLost() is called.
                if (! stopping)
                    owner.connectionLostInt (connectionNumber);
            }
        }
        else
        {
            receiveMessages();

            if (! stopping)
                owner.connectionLostInt (connectionNumber);
        }

        running = false;
    }

    /** Reads and delivers messages until the connection ends. */
    void receiveMessages()
    {
        using namespace InterprocessConnectionWire;

        if (incoming.getSize() == 0)
            incoming.setSize (receiveChunkBytes);

        auto* buffer = static_cast<char*> (incoming.getData());
        size_t start = 0, end = 0;

        for (;;)
        {
            // Deliver every complete message already in the buffer.
            while (end - start >= headerBytes && ! stopping)
            {
                const auto* header = buffer + start;

                if (readMagic (header) != owner.magicMessageHeader)
                    return protocolError();

                const auto numBytes = (size_t) readSize (header);

                if (numBytes > owner.getMaximumMessageSize())
                    return protocolError();

                if (headerBytes + numBytes > incoming.getSize())
                {
                    // Too big for the buffer: read the rest straight into the message's own block.
                    if (! receiveLargeMessage (numBytes, buffer + start + headerBytes, end - start - headerBytes))
                        return;

                    start = end = 0;
                    continue;
                }

                if (end - start < headerBytes + numBytes)
                    break;

                // Callbacks on this thread all get the same block: no allocation per message. A
                // message posted to the message thread takes a block of its own.
                if (owner.useMessageThread)
                {
                    if (! gate->waitForMessageThread (stopping))
                        return;

                    delivered = MemoryBlock (header + headerBytes, numBytes);
                }
                else
                {
                    delivered.replaceAll (header + headerBytes, numBytes);
                }

                owner.deliverDataInt (delivered, connectionNumber);
                start += headerBytes + numBytes;
            }

            if (stopping)
                return;

            // Keep the incomplete message at the front and read more after it.
            if (start > 0)
            {
                memmove (buffer, buffer + start, end - start);
                end -= start;
                start = 0;
            }

            const auto numRead = transport->read (buffer + end, (int) (incoming.getSize() - end));

            if (numRead < 0)
                return;

            end += (size_t) numRead;
        }
    }

    bool receiveLargeMessage (size_t numBytes, const char* alreadyRead, size_t numAlreadyRead)
    {
        using namespace InterprocessConnectionWire;

        // Read straight into the block the callback gets: the reused one for callbacks on this
        // thread (which keeps its memory for the next message up to a limit), a new one for a
        // message posted to the message thread.
        auto& message = delivered;

        if (owner.useMessageThread)
            message = MemoryBlock (numBytes, false);
        else
            message.setSize (numBytes, false);

        memcpy (message.getData(), alreadyRead, numAlreadyRead);

        for (auto received = numAlreadyRead; received < numBytes;)
        {
            const auto numRead = transport->read (addBytesToPointer (message.getData(), received),
                                                  (int) jmin (numBytes - received, (size_t) std::numeric_limits<int>::max()));

            if (numRead < 0 || stopping)
                return false;

            received += (size_t) numRead;
        }

        if (owner.useMessageThread && ! gate->waitForMessageThread (stopping))
            return false;

        owner.deliverDataInt (message, connectionNumber);

        if (message.getSize() > largestKeptReceiveBlockBytes)
            message.reset();

        return true;
    }

    /** A wrong magic number or an oversized message: nothing of it is delivered, and the
        connection ends, so that both ends see connectionLost().
    */
    void protocolError()
    {
        transport->endConnection();
    }

    InterprocessConnection& owner;
    const std::shared_ptr<CallbackGate> gate;
    const std::unique_ptr<Transport> transport;
    const bool isMaster;

    std::mutex threadLock;
    std::thread thread;                 // guarded by threadLock
    std::atomic<bool> stopping { false }, running { false };
    int64 connectionNumber = 0;

    MemoryBlock incoming;               // used only by the thread
    MemoryBlock delivered;              // used only by the thread: the block the callbacks get
    std::mutex sendLock;                // one message at a time goes out
    MemoryBlock outgoing;               // guarded by sendLock

    JUCE_DECLARE_NON_COPYABLE (Session)
};

//==============================================================================
InterprocessConnection::InterprocessConnection (bool callbacksOnMessageThread, uint32 magicMessageHeaderNumber)
    : useMessageThread (callbacksOnMessageThread),
      magicMessageHeader (magicMessageHeaderNumber),
      callbackGate (std::make_shared<CallbackGate> (*this))
{
}

InterprocessConnection::~InterprocessConnection()
{
    // You *must* call `disconnect` in the destructor of your derived class to ensure
    // that any pending messages are not delivered. If the messages were delivered after
    // destroying the derived class, we'd end up calling the pure virtual implementations
    // of `messageReceived`, `connectionMade` and `connectionLost` which is definitely
    // not a good idea!
    jassert (currentSession() == nullptr);

    disconnect (-1, Notify::no);
    callbackGate->close();
}

//==============================================================================
bool InterprocessConnection::connectToSocket (const String& hostName, int portNumber, int timeOutMillisecs)
{
    disconnect();

    auto socket = std::make_unique<StreamingSocket>();

    if (! socket->connect (hostName, portNumber, timeOutMillisecs))
        return false;

    initialiseWithSocket (std::move (socket));
    return true;
}

bool InterprocessConnection::connectToPipe (const String& pipeName, int pipeReceiveMessageTimeoutMs)
{
    return connectToPipe (pipeName, pipeReceiveMessageTimeoutMs, NamedPipe::defaultConnectionTimeoutMs);
}

bool InterprocessConnection::connectToPipe (const String& pipeName, int, int connectionTimeoutMs)
{
    disconnect();

    auto pipe = std::make_unique<NamedPipe>();

    if (! pipe->openExisting (pipeName, connectionTimeoutMs))
        return false;

    start (std::make_shared<Session> (*this, std::make_unique<PipeTransport> (std::move (pipe), false, 0), false), true);
    return true;
}

bool InterprocessConnection::createPipe (const String& pipeName, int pipeReceiveMessageTimeoutMs, bool mustNotExist)
{
    disconnect();

    auto pipe = std::make_unique<NamedPipe>();

    if (! pipe->createNewPipe (pipeName, mustNotExist))
        return false;

    // Each client is announced by the connection's thread when it arrives.
    start (std::make_shared<Session> (*this, std::make_unique<PipeTransport> (std::move (pipe), true, pipeReceiveMessageTimeoutMs), true), false);
    return true;
}

void InterprocessConnection::initialiseWithSocket (std::unique_ptr<StreamingSocket> socket)
{
    start (std::make_shared<Session> (*this, std::make_unique<SocketTransport> (std::move (socket)), false), true);
}

void InterprocessConnection::start (std::shared_ptr<Session> newSession, bool peerIsConnected)
{
    {
        const std::lock_guard<std::mutex> sl (sessionLock);
        session = newSession;
    }

    int64 firstConnection = 0;

    if (peerIsConnected)
    {
        firstConnection = callbackGate->newConnectionNumber();
        connectionMadeInt (firstConnection);
    }

    newSession->start (firstConnection);
}

std::shared_ptr<InterprocessConnection::Session> InterprocessConnection::currentSession() const
{
    const std::lock_guard<std::mutex> sl (sessionLock);
    return session;
}

void InterprocessConnection::disconnect (int, Notify notify)
{
    std::shared_ptr<Session> ending;

    {
        const std::lock_guard<std::mutex> sl (sessionLock);
        ending = std::move (session);
    }

    if (ending != nullptr)
    {
        ending->stop();
        ending->join();
    }

    if (notify == Notify::yes)
    {
        if (const auto connection = callbackGate->announcedConnection())
            connectionLostInt (connection);
    }
    else
    {
        callbackGate->silenceAll();
    }
}

bool InterprocessConnection::isConnected() const
{
    const auto s = currentSession();
    return s != nullptr && s->isRunning();
}

StreamingSocket* InterprocessConnection::getSocket() const noexcept
{
    const auto s = currentSession();
    return s != nullptr ? s->getTransport().getSocket() : nullptr;
}

NamedPipe* InterprocessConnection::getPipe() const noexcept
{
    const auto s = currentSession();
    return s != nullptr ? s->getTransport().getPipe() : nullptr;
}

String InterprocessConnection::getConnectedHostName() const
{
    const auto s = currentSession();

    if (s == nullptr)
        return {};

    if (auto* socket = s->getTransport().getSocket())
        if (! socket->isLocal())
            return socket->getHostName();

    return IPAddress::local().toString();
}

//==============================================================================
bool InterprocessConnection::sendMessage (const MemoryBlock& message)
{
    if (message.getSize() > getMaximumMessageSize())
        return false;

    const auto s = currentSession();
    return s != nullptr && s->send (message, magicMessageHeader, getWriteStallLimit());
}

void InterprocessConnection::setMaximumMessageSize (size_t maximumBytes) noexcept
{
    maximumMessageBytes = jmin (maximumBytes, (size_t) std::numeric_limits<uint32>::max());
}

size_t InterprocessConnection::getMaximumMessageSize() const noexcept    { return maximumMessageBytes; }
void InterprocessConnection::setWriteStallLimit (int milliseconds) noexcept  { writeStallLimitMs = milliseconds; }
int InterprocessConnection::getWriteStallLimit() const noexcept          { return writeStallLimitMs; }

//==============================================================================
void InterprocessConnection::connectionMadeInt (int64 connection)
{
    if (! callbackGate->announceMade (connection))
        return;

    if (useMessageThread)
        (new CallbackMessage (callbackGate, CallbackGate::Kind::made, connection, {}))->post();
    else
        callbackGate->deliver (CallbackGate::Kind::made, connection, {});
}

void InterprocessConnection::connectionLostInt (int64 connection)
{
    if (! callbackGate->announceLost (connection))
        return;

    if (useMessageThread)
        (new CallbackMessage (callbackGate, CallbackGate::Kind::lost, connection, {}))->post();
    else
        callbackGate->deliver (CallbackGate::Kind::lost, connection, {});
}

/** With callbacks on the message thread, the posted message takes the block's data (it is left empty);
    otherwise the callback is made at once and the block is left as it was.
*/
void InterprocessConnection::deliverDataInt (MemoryBlock& data, int64 connection)
{
    if (useMessageThread)
        (new CallbackMessage (callbackGate, CallbackGate::Kind::data, connection, std::move (data)))->post();
    else
        callbackGate->deliver (CallbackGate::Kind::data, connection, data);
}

} // namespace juce
