/*
  juce-ipc-fork benchmark: RawPipe on a Windows named pipe, \\.\pipe\<name>, in byte mode with overlapped
  I/O. Reads and writes have their own OVERLAPPED and event, so that one thread can read while another
  writes; every wait is on the operation's event and the stop event.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "RawPipe.h"
#include "Platform.h"

#ifndef NOMINMAX
 #define NOMINMAX
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

#include <algorithm>

namespace jifbench
{

struct RawPipe::Native
{
    struct Operation
    {
        Operation()     { overlapped.hEvent = CreateEventW (nullptr, TRUE, FALSE, nullptr); }
        ~Operation()    { CloseHandle (overlapped.hEvent); }

        void reset()
        {
            const auto event = overlapped.hEvent;
            overlapped = {};
            overlapped.hEvent = event;
            ResetEvent (event);
        }

        OVERLAPPED overlapped {};
    };

    std::wstring path;
    HANDLE pipe = INVALID_HANDLE_VALUE;
    HANDLE stopEvent = CreateEventW (nullptr, TRUE, FALSE, nullptr);
    bool isMaster = false, clientConnected = false;
    Operation reading, writing;

    ~Native()
    {
        closePipe();
        CloseHandle (stopEvent);
    }

    void closePipe()
    {
        if (pipe != INVALID_HANDLE_VALUE)
            CloseHandle (pipe);

        pipe = INVALID_HANDLE_VALUE;
    }

    /** Waits for a started operation. Returns true with the bytes moved, or false with the error (a stop
        cancels the operation and reports ERROR_OPERATION_ABORTED).
    */
    bool finish (Operation& operation, DWORD& numBytes, DWORD& error)
    {
        const HANDLE events[] = { operation.overlapped.hEvent, stopEvent };

        if (WaitForMultipleObjects (2, events, FALSE, INFINITE) != WAIT_OBJECT_0)
            CancelIoEx (pipe, &operation.overlapped);

        if (GetOverlappedResult (pipe, &operation.overlapped, &numBytes, TRUE))
            return true;

        error = GetLastError();
        return false;
    }

    bool isStopped() const      { return WaitForSingleObject (stopEvent, 0) == WAIT_OBJECT_0; }

    /** A master waits for its next client. */
    int acceptClient()
    {
        reading.reset();

        if (ConnectNamedPipe (pipe, &reading.overlapped) == 0)
        {
            const auto error = GetLastError();

            if (error == ERROR_IO_PENDING)
            {
                DWORD ignored = 0, failure = 0;

                if (! finish (reading, ignored, failure))
                    return isStopped() ? stoppedResult : lostResult;
            }
            else if (error != ERROR_PIPE_CONNECTED)
            {
                return isStopped() ? stoppedResult : lostResult;
            }
        }

        clientConnected = true;
        return 0;
    }
};

RawPipe::RawPipe() : native (std::make_unique<Native>()) {}
RawPipe::~RawPipe() { close(); }

static std::wstring pipePath (const std::string& name)
{
    return L"\\\\.\\pipe\\" + std::wstring (name.begin(), name.end());
}

bool RawPipe::create (const std::string& name)
{
    auto& n = *native;
    n.isMaster = true;
    n.path = pipePath (name);
    n.pipe = CreateNamedPipeW (n.path.c_str(), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
                               PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
                               1, 64 * 1024, 64 * 1024, 0, nullptr);
    return n.pipe != INVALID_HANDLE_VALUE;
}

bool RawPipe::open (const std::string& name, int timeoutMs)
{
    auto& n = *native;
    n.path = pipePath (name);
    const auto deadline = nowMs() + timeoutMs;

    for (;;)
    {
        n.pipe = CreateFileW (n.path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                              FILE_FLAG_OVERLAPPED, nullptr);

        if (n.pipe != INVALID_HANDLE_VALUE)
            return true;

        const auto error = GetLastError();
        const auto remainingMs = deadline - nowMs();

        if (remainingMs <= 0 || (error != ERROR_PIPE_BUSY && error != ERROR_FILE_NOT_FOUND))
            return false;

        if (error == ERROR_PIPE_BUSY)
            WaitNamedPipeW (n.path.c_str(), (DWORD) std::max (1.0, remainingMs));
        else
            Sleep (1);
    }
}

int RawPipe::read (void* buffer, int maxBytes)
{
    auto& n = *native;

    if (n.isStopped())
        return stoppedResult;

    if (n.isMaster && ! n.clientConnected)
        if (const auto result = n.acceptClient(); result != 0)
            return result;

    n.reading.reset();
    DWORD numRead = 0, error = 0;
    auto done = ReadFile (n.pipe, buffer, (DWORD) maxBytes, nullptr, &n.reading.overlapped) != 0;

    if (! done)
    {
        error = GetLastError();

        if (error == ERROR_IO_PENDING)
            done = n.finish (n.reading, numRead, error);
    }
    else
    {
        done = GetOverlappedResult (n.pipe, &n.reading.overlapped, &numRead, FALSE) != 0;
    }

    if (done && numRead > 0)
        return (int) numRead;

    if (n.isStopped())
        return stoppedResult;

    // The client has gone: a master listens again on the next read.
    if (n.isMaster)
    {
        DisconnectNamedPipe (n.pipe);
        n.clientConnected = false;
    }

    return lostResult;
}

bool RawPipe::write (const void* data, size_t size)
{
    auto& n = *native;
    auto* bytes = static_cast<const char*> (data);

    while (size > 0)
    {
        n.writing.reset();
        const auto chunk = (DWORD) std::min (size, (size_t) 1 << 30);
        DWORD numWritten = 0, error = 0;
        auto done = WriteFile (n.pipe, bytes, chunk, nullptr, &n.writing.overlapped) != 0;

        if (done)
            done = GetOverlappedResult (n.pipe, &n.writing.overlapped, &numWritten, FALSE) != 0;
        else if (GetLastError() == ERROR_IO_PENDING)
            done = n.finish (n.writing, numWritten, error);

        if (! done || numWritten == 0)
            return false;

        bytes += numWritten;
        size -= numWritten;
    }

    return true;
}

void RawPipe::stop()
{
    SetEvent (native->stopEvent);
}

void RawPipe::close()
{
    if (native != nullptr)
        native->closePipe();
}

} // namespace jifbench
