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

    Two processes can use NamedPipe objects to exchange blocks of data.

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
    /** Tries to open a pipe that already exists.
        Returns true if it succeeds.
    */
    bool openExisting (const String& pipeName);

    /** Tries to create a new pipe.
        Returns true if it succeeds.
        If mustNotExist is true then it will fail if a pipe is already
        open with the same name.
    */
    bool createNewPipe (const String& pipeName, bool mustNotExist = false);

    /** Closes the pipe, if it's open. */
    void close();

    /** True if the pipe is currently open. */
    bool isOpen() const;

    /** Returns the last name that was used to try to open this pipe. */
    String getName() const;

    //==============================================================================
    /** Reads data from the pipe.

        If timeOutMilliseconds is less than zero, it waits indefinitely; otherwise it
        waits at most that long.

        @returns the number of bytes read, or -1 if the operation fails.
    */
    int read (void* destBuffer, int maxBytesToRead, int timeOutMilliseconds);

    /** Writes some data to the pipe.
        @returns the number of bytes written, or -1 on failure.
    */
    int write (const void* sourceBuffer, int numBytesToWrite, int timeOutMilliseconds);

private:
    //==============================================================================
    JUCE_PUBLIC_IN_DLL_BUILD (class Pimpl)
    std::unique_ptr<Pimpl> pimpl;
    String currentPipeName;
    ReadWriteLock lock;

    bool openInternal (const String& pipeName, bool createPipe, bool mustNotExist);

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR (NamedPipe)
};

} // namespace juce
