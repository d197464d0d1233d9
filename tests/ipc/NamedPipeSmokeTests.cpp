/*
  juce-ipc-fork tests: a first exchange between two processes over NamedPipe.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "../harness/Roles.h"

#include <gtest/gtest.h>

using namespace ipctest;

//==============================================================================
// Opens the pipe named in args[0], reads the number of bytes given in args[1] and writes them back.
int roles::pipeEchoClient (const juce::StringArray& args)
{
    juce::NamedPipe pipe;

    if (! waitFor ([&] { return pipe.openExisting (args[0]); }, 10000))
        return 2;

    juce::HeapBlock<char> buffer (args[1].getIntValue());
    int received = 0;

    if (! waitFor ([&]
        {
            const auto numRead = pipe.read (buffer + received, args[1].getIntValue() - received, 100);

            if (numRead > 0)
                received += numRead;

            return received == args[1].getIntValue();
        }, 10000))
    {
        return 3;
    }

    return pipe.write (buffer, received, 10000) == received ? 0 : 4;
}

TEST (NamedPipeSmoke, HelperEchoesWhatTheMasterWrites)
{
    const auto name = uniquePipeName ("smoke");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));

    const juce::String message ("hello from the master");
    HelperProcess helper ("pipe-echo-client", { name, juce::String (message.getNumBytesAsUTF8()) });
    ASSERT_TRUE (helper.started());

    ASSERT_EQ (master.write (message.toRawUTF8(), (int) message.getNumBytesAsUTF8(), 10000), (int) message.getNumBytesAsUTF8());

    // Reads exactly the bytes expected: upstream JUCE's POSIX read drops what it has read when it times
    // out before filling the buffer.
    juce::MemoryBlock received;
    char buffer[256];

    ASSERT_TRUE (waitFor ([&]
    {
        const auto wanted = (int) message.getNumBytesAsUTF8() - (int) received.getSize();
        const auto numRead = master.read (buffer, wanted, 100);

        if (numRead > 0)
            received.append (buffer, (size_t) numRead);

        return received.getSize() >= message.getNumBytesAsUTF8();
    }, 10000)) << "helper exit code " << helper.waitForExit (0) << ", output: " << helper.getOutput();

    EXPECT_EQ (received.toString(), message);
    EXPECT_EQ (helper.waitForExit (10000), 0) << helper.getOutput();
}
