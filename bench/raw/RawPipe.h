/*
  juce-ipc-fork benchmark: the raw variant's transport, plain OS pipes with nothing of JUCE: POSIX FIFOs laid
  out as JUCE lays them out (/tmp/<name>_in written by the slave, /tmp/<name>_out written by the master), or
  a Windows named pipe \\.\pipe\<name> with overlapped I/O. It only moves bytes; RawLink frames them.
  It stands for the physical limit, so it does what a careful implementation must do and nothing else:
  blocking waits on the descriptor or handle plus a stop signal, no polling, no timeouts.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace jifbench
{

class RawPipe
{
public:
    RawPipe();
    ~RawPipe();

    /** Creates the pipe (the master end) and listens for a client. */
    bool create (const std::string& name);

    /** Connects to a pipe a master created (the slave end), trying until timeoutMs has passed. */
    bool open (const std::string& name, int timeoutMs);

    /** Waits until bytes arrive (a master first waits for a client), then reads what is there, up to
        maxBytes. Returns the bytes read; lostResult once when the other end has gone (a master then listens
        for the next client on the following call); stoppedResult after stop().
    */
    int read (void* buffer, int maxBytes);

    static constexpr int lostResult = -1;
    static constexpr int stoppedResult = -2;

    /** Writes all of the bytes, waiting while the pipe is full. Returns false if the connection is gone. */
    bool write (const void* data, size_t size);

    /** Makes a read() blocked in another thread return stoppedResult. */
    void stop();

    /** Closes the pipe (after the reading thread has stopped). A master removes what it created. */
    void close();

private:
    struct Native;
    std::unique_ptr<Native> native;
};

} // namespace jifbench
