/*
  ==============================================================================

   juce-ipc-fork: a drop-in fixed fork of JUCE's inter-process communication.
   Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.

  ==============================================================================
*/

namespace juce
{

class InterprocessConnectionServer;
class MemoryBlock;

//==============================================================================
/**
    Manages a simple two-way messaging connection to another process, using either
    a socket or a named pipe as the transport medium.

    To connect to a waiting socket or an open pipe, use the connectToSocket() or
    connectToPipe() methods. If this succeeds, messages can be sent to the other end,
    and incoming messages will result in a callback via the messageReceived()
    method.

    To open a pipe and wait for another client to connect to it, use the createPipe()
    method. The object then serves one client at a time: connectionMade() is called when a
    client connects, connectionLost() when it goes, and the pipe waits for the next client.

    Both ends agree about the connection: connectionMade() is called on each end once the
    two are connected, and connectionLost() on each end when either side disconnects, its
    process dies, or a malformed message arrives. The two calls alternate.

    Messages arrive whole or not at all. Each is sent as a header (the magic number and the
    size, both 32-bit little-endian) followed by the bytes of the message, as JUCE's own
    InterprocessConnection sends them, so the two can talk to each other. A message with a
    wrong magic number, or larger than getMaximumMessageSize(), ends the connection.

    IMPORTANT NOTE: Your derived Connection class *must* call `disconnect` in its destructor
    in order to cancel any pending messages before the class is destroyed.

    @see InterprocessConnectionServer, Socket, NamedPipe

    @tags{Events}
*/
class JUCE_API  InterprocessConnection
{
public:
    //==============================================================================
    /** Creates a connection.

        Connections are created manually, connecting them with the connectToSocket()
        or connectToPipe() methods, or they are created automatically by a InterprocessConnectionServer
        when a client wants to connect.

        @param callbacksOnMessageThread     if true, callbacks to the connectionMade(),
                                            connectionLost() and messageReceived() methods will
                                            always be made using the message thread; if false,
                                            these will be called immediately on the connection's
                                            own thread.
        @param magicMessageHeaderNumber     a magic number to use in the header to check the
                                            validity of the data blocks being sent and received. This
                                            can be any number, but the sender and receiver must obviously
                                            use matching values or they won't recognise each other.
    */
    InterprocessConnection (bool callbacksOnMessageThread = true,
                            uint32 magicMessageHeaderNumber = 0xf2b49e2c);

    /** Destructor. */
    virtual ~InterprocessConnection();

    //==============================================================================
    /** Tries to connect this object to a socket.

        For this to work, the machine on the other end needs to have a InterprocessConnectionServer
        object waiting to receive client connections on this port number.

        @param hostName             the host computer, either a network address or name
        @param portNumber           the socket port number to try to connect to
        @param timeOutMillisecs     how long to keep trying before giving up
        @returns true if the connection is established successfully
        @see Socket
    */
    bool connectToSocket (const String& hostName,
                          int portNumber,
                          int timeOutMillisecs);

    /** Tries to connect the object to an existing named pipe.

        For this to work, another process on the same computer must already have opened
        an InterprocessConnection object and used createPipe() to create a pipe for this
        to connect to. This waits up to NamedPipe::defaultConnectionTimeoutMs for the pipe
        to exist and be free.

        @param pipeName     the name to use for the pipe - this should be unique to your app
        @param pipeReceiveMessageTimeoutMs  kept for compatibility: a receive timeout never ends
                                            the connection, see the other overload
        @returns true if it connects successfully.
        @see createPipe, NamedPipe
    */
    bool connectToPipe (const String& pipeName, int pipeReceiveMessageTimeoutMs);

    /** Tries to connect the object to an existing named pipe, waiting up to connectionTimeoutMs
        (less than zero: no limit) for the pipe to exist and to be free of another client.

        pipeReceiveMessageTimeoutMs is accepted for compatibility with JUCE's own class; it
        never ends the connection: the connection's thread waits for messages for as long as
        the connection lasts. How long a send may wait for the other end to read is set with
        setWriteStallLimit().

        @returns true if it connects successfully. A client that calls this again (with or
                 without disconnect() first) reconnects to the same master.
        @see createPipe, NamedPipe::openExisting
    */
    bool connectToPipe (const String& pipeName, int pipeReceiveMessageTimeoutMs, int connectionTimeoutMs);

    /** Tries to create a new pipe for other processes to connect to.

        This creates a pipe with the given name, so that other processes can use
        connectToPipe() to connect to the other end. Once it returns true, isConnected()
        is true and the object listens for a client: connectionMade() is called when one
        connects, connectionLost() when it goes, and then it listens for the next one.

        @param pipeName       the name to use for the pipe - this should be unique to your app
        @param pipeReceiveMessageTimeoutMs  kept for compatibility: a receive timeout never ends
                                            the connection
        @param mustNotExist   if set to true, the method will fail if the pipe already exists
        @returns true if the pipe was created, or false if it fails (e.g. if another process is
                 already using the pipe)
    */
    bool createPipe (const String& pipeName, int pipeReceiveMessageTimeoutMs, bool mustNotExist = false);

    /** Whether the disconnect call should trigger callbacks. */
    enum class Notify { no, yes };

    /** Disconnects and closes any currently-open sockets or pipes.

        Returns promptly, even while the connection's thread waits for a message without a
        timeout. The other end sees connectionLost(). With Notify::yes, connectionLost() is
        called here too if connectionMade() was; with Notify::no no callback of this
        connection is made any more, including callbacks already queued for the message thread.

        Derived classes *must* call this in their destructors in order to avoid undefined
        behaviour.

        @param timeoutMs      kept for compatibility: the connection's thread always stops
                              promptly once the pipe or socket is closed; if it is inside a
                              callback of yours, this waits for that callback to return
        @param notify         whether or not to call `connectionLost`
    */
    void disconnect (int timeoutMs = -1, Notify notify = Notify::yes);

    /** True if a socket or pipe is currently active: for a pipe created with createPipe(),
        as long as the pipe is open, whether a client is connected or not.
    */
    bool isConnected() const;

    /** Returns the socket that this connection is using (or nullptr if it uses a pipe). */
    StreamingSocket* getSocket() const noexcept;

    /** Returns the pipe that this connection is using (or nullptr if it uses a socket). */
    NamedPipe* getPipe() const noexcept;

    /** Returns the name of the machine at the other end of this connection.
        This may return an empty string if the name is unknown.
    */
    String getConnectedHostName() const;

    //==============================================================================
    /** Tries to send a message to the other end of this connection.

        This will fail if it's not connected, if the message is larger than
        getMaximumMessageSize(), or if there's some kind of write error. If it succeeds, the
        connection object at the other end will receive the message by a callback to its
        messageReceived() method.

        Messages sent from several threads at once are never mixed: each is written whole.
        If the other end does not read for longer than getWriteStallLimit(), the connection is
        broken, and both ends see connectionLost().

        @see messageReceived
    */
    bool sendMessage (const MemoryBlock& message);

    //==============================================================================
    /** Messages larger than this are neither sent nor accepted, unless changed with
        setMaximumMessageSize(). It is the limit Chromium's Mojo uses.
    */
    static constexpr size_t defaultMaximumMessageBytes = (size_t) 128 * 1024 * 1024;

    /** Sets the size of the largest message this connection sends or accepts. A message that
        announces more ends the connection before anything of that size is allocated.
    */
    void setMaximumMessageSize (size_t maximumBytes) noexcept;

    /** Returns the size of the largest message this connection sends or accepts. */
    size_t getMaximumMessageSize() const noexcept;

    /** How long a send may wait for the other end to read, unless changed with setWriteStallLimit(). */
    static constexpr int defaultWriteStallLimitMs = 10000;

    /** Sets how long a sendMessage() may wait, without progress, for the other end to read before
        the connection is considered broken (less than zero: no limit). The receive timeout
        passed to connectToPipe() and createPipe() plays no part in sending.
    */
    void setWriteStallLimit (int milliseconds) noexcept;

    /** Returns how long a sendMessage() may wait for the other end to read. */
    int getWriteStallLimit() const noexcept;

    //==============================================================================
    /** Called when the connection is first connected.

        If the connection was created with the callbacksOnMessageThread flag set, then
        this will be called on the message thread; otherwise it will be called on a server
        thread.
    */
    virtual void connectionMade() = 0;

    /** Called when the connection is broken.

        If the connection was created with the callbacksOnMessageThread flag set, then
        this will be called on the message thread; otherwise it will be called on a server
        thread.
    */
    virtual void connectionLost() = 0;

    /** Called when a message arrives.

        When the object at the other end of this connection sends us a message with sendMessage(),
        this callback is used to deliver it to us.

        If the connection was created with the callbacksOnMessageThread flag set, then
        this will be called on the message thread; otherwise it will be called on a server
        thread.

        @see sendMessage
    */
    virtual void messageReceived (const MemoryBlock& message) = 0;


private:
    //==============================================================================
    class Transport;
    class PipeTransport;
    class SocketTransport;
    class CallbackGate;
    struct CallbackMessage;
    class Session;

    const bool useMessageThread;
    const uint32 magicMessageHeader;
    std::atomic<size_t> maximumMessageBytes { defaultMaximumMessageBytes };
    std::atomic<int> writeStallLimitMs { defaultWriteStallLimitMs };

    mutable std::mutex sessionLock;
    std::shared_ptr<Session> session;
    std::shared_ptr<CallbackGate> callbackGate;

    friend class InterprocessConnectionServer;
    void initialiseWithSocket (std::unique_ptr<StreamingSocket>);
    void start (std::shared_ptr<Session>, bool peerIsConnected);
    std::shared_ptr<Session> currentSession() const;

    void connectionMadeInt (int64 sessionNumber);
    void connectionLostInt (int64 sessionNumber);
    void deliverDataInt (MemoryBlock&, int64 sessionNumber);

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR (InterprocessConnection)
};

} // namespace juce
