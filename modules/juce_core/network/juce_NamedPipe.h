/*
  ==============================================================================

   juce-ipc-fork: a drop-in fixed fork of JUCE's inter-process communication.
   Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.

  ==============================================================================
*/

/** Defined when juce_core carries the juce-ipc-fork NamedPipe, InterprocessConnection and
    child-process code. Test it with #if JUCE_IPC_FORK before using the fork's additions.
*/
#define JUCE_IPC_FORK 1

/** The juce-ipc-fork release, as a string and as one number (major << 16 | minor << 8 | patch). */
#define JUCE_IPC_FORK_VERSION_STRING "0.1.0"
#define JUCE_IPC_FORK_VERSION        0x000100

namespace juce
{

//==============================================================================
/**
    A cross-process pipe that can have data written to and read from it.

    Two processes can use NamedPipe objects to exchange blocks of data. One end creates
    the pipe with createNewPipe() and serves one client at a time; the other end connects
    to it with openExisting().

    The end that created the pipe (the master) keeps it for as long as it is open: when its
    client goes away, the next read() or write() that notices returns -1 once, and the pipe
    listens for the next client, which waitForClient(), read() and write() then wait for.
    The end that opened the pipe (the slave) is connected until either end goes away.

    Blocking calls can be interrupted by calling close() from another thread.

    On Windows this is a named pipe, \\.\pipe\<name> (the name made a legal file name),
    that only the current user (and SYSTEM) may open and that refuses remote clients. On
    other platforms it is a pair of FIFOs, <name>_in and <name>_out (in /tmp unless the name
    is an absolute path), readable and writable by the current user only. The names and the
    bytes on the wire are the same as in JUCE's own NamedPipe, so a process using this class
    can talk to one using JUCE's.

    @see InterprocessConnection

    @tags{Core}
*/
class JUCE_API  NamedPipe  final
{
public:
    //==============================================================================
    /** Creates a NamedPipe that is not open. */
    NamedPipe();

    /** Destructor. Closes the pipe. */
    ~NamedPipe();

    //==============================================================================
    /** How long openExisting (pipeName) waits for the pipe to exist and be free. */
    static constexpr int defaultConnectionTimeoutMs = 200;

    /** Tries to connect to a pipe that another NamedPipe created with createNewPipe().

        Waits up to defaultConnectionTimeoutMs for the pipe to exist and to be free.
        Returns true if it connected; otherwise getLastErrorMessage() says why.
    */
    bool openExisting (const String& pipeName);

    /** Tries to connect to a pipe that another NamedPipe created with createNewPipe().

        A pipe that does not exist yet, or whose creator is busy with another client, is
        waited for until connectionTimeoutMs has passed (less than zero: without limit);
        the wait ends early if close() is called from another thread. Returns true if it
        connected; otherwise getLastErrorMessage() says why (for example: timed out, no
        such pipe, the pipe belongs to another user, the name is invalid).
    */
    bool openExisting (const String& pipeName, int connectionTimeoutMs);

    /** Tries to create a new pipe, which other processes can then connect to.

        If mustNotExist is true, this fails if a pipe with that name already exists. If it
        is false, a pipe left behind by a process that has gone is taken over; a pipe that
        another live process serves is never shared.

        Returns true if it succeeds; otherwise getLastErrorMessage() says why.
    */
    bool createNewPipe (const String& pipeName, bool mustNotExist = false);

    /** Closes the pipe, if it's open.

        Any read(), write(), waitForClient() or openExisting() that another thread is
        blocked in returns promptly. Closing the end that opened the pipe ends the
        connection: the creator sees its client go at once.
    */
    void close();

    /** Ends the current connection without closing the pipe. A pipe this object created drops
        its client, which sees the connection end, and listens for the next one; a pipe opened
        with openExisting() is disconnected for good. Any call blocked on the connection returns.
    */
    void endConnection();

    /** True if the pipe is currently open. */
    bool isOpen() const;

    /** True while the two ends are connected: for the creator of the pipe, while a client
        is connected (as far as this end has noticed); for the end that opened it, until
        the connection broke.
    */
    bool isConnected() const;

    /** Returns the last name that was used to try to open this pipe. */
    String getName() const;

    /** Describes why the most recent call that failed (openExisting(), createNewPipe(),
        read(), write() or waitForClient()) failed. Empty when nothing has failed since the
        pipe was last opened.
    */
    String getLastErrorMessage() const;

    //==============================================================================
    /** Waits until a client is connected to a pipe this object created.

        Returns true once a client is connected, or false if none arrived within
        timeOutMilliseconds (less than zero: no limit), or the pipe was closed. For a pipe
        opened with openExisting(), returns isConnected() at once.
    */
    bool waitForClient (int timeOutMilliseconds);

    //==============================================================================
    /** Reads data from the pipe.

        Waits until at least one byte is available, then reads as many as are available, up
        to maxBytesToRead. A pipe this object created first waits for a client to connect.

        If timeOutMilliseconds is less than zero, it waits without limit; otherwise it waits
        at most that long.

        @returns the number of bytes read (more than zero); 0 if the timeout passed with
                 nothing to read while the connection is intact; or -1 if the connection is
                 gone (the other end closed it or died) or this pipe was closed. For a pipe
                 this object created, -1 is returned once for each client that goes; the pipe
                 then listens for the next client. Bytes are never lost: what arrived before a
                 timeout, a cancellation or a disconnection is returned first.
    */
    int read (void* destBuffer, int maxBytesToRead, int timeOutMilliseconds);

    /** Writes data to the pipe.

        A pipe this object created first waits for a client to connect. Then all of the data
        is written. timeOutMilliseconds (less than zero: no limit) bounds how long the write
        may wait without making progress, because the other end does not read.

        @returns numBytesToWrite once all of the data is written; 0 if no client connected
                 to a pipe this object created before the timeout passed; or -1 if the
                 connection is gone, this pipe was closed, or the other end did not take the
                 data in time. A write never leaves part of the data in the pipe: when the other
                 end stops reading for longer than the timeout, the connection is broken, and
                 both ends see it.
    */
    int write (const void* sourceBuffer, int numBytesToWrite, int timeOutMilliseconds);

private:
    //==============================================================================
    JUCE_PUBLIC_IN_DLL_BUILD (class Pimpl)
    std::unique_ptr<Pimpl> pimpl;
    String currentPipeName;
    ReadWriteLock lock;

    mutable CriticalSection errorLock;
    String lastErrorMessage;

    bool openInternal (const String& pipeName, bool createPipe, bool mustNotExist,
                       int connectionTimeoutMs = defaultConnectionTimeoutMs);
    void setLastErrorMessage (const String&);

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR (NamedPipe)
};

} // namespace juce
