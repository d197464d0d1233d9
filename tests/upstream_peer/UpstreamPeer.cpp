/*
  juce-ipc-fork tests: a peer built against pristine, unpatched JUCE modules, to show that a process
  using the fork and one using JUCE's own NamedPipe understand each other.

    upstream_peer master <pipe name>    creates the pipe, says "ready", reads "hello from the fork",
                                        answers "hello from upstream", reads "bye"
    upstream_peer client <pipe name>    opens the pipe, says "hello from upstream", reads
                                        "hello from the fork", says "bye"

  Exits with 0 when the exchange went as expected. JUCE's own POSIX read waits for the whole buffer,
  so every read here asks for exactly the bytes it expects.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include <juce_core/juce_core.h>

#include <cstdio>

#if JUCE_IPC_FORK
 #error "upstream_peer must be built against unpatched JUCE modules"
#endif

namespace
{
    const juce::String fromFork ("hello from the fork"), fromUpstream ("hello from upstream"), bye ("bye");

    void say (const juce::String& text)
    {
        std::printf ("%s\n", text.toRawUTF8());
        std::fflush (stdout);
    }

    bool send (juce::NamedPipe& pipe, const juce::String& text)
    {
        const auto size = (int) text.getNumBytesAsUTF8();
        return pipe.write (text.toRawUTF8(), size, 10000) == size;
    }

    bool receive (juce::NamedPipe& pipe, const juce::String& expected)
    {
        juce::HeapBlock<char> buffer (expected.getNumBytesAsUTF8() + 1, true);
        const auto size = (int) expected.getNumBytesAsUTF8();

        for (int attempt = 0; attempt < 100; ++attempt)
        {
            if (pipe.read (buffer, size, 100) == size)
            {
                const juce::String received (buffer.get(), (size_t) size);
                say ("received '" + received + "'");
                return received == expected;
            }
        }

        say ("nothing arrived while waiting for '" + expected + "'");
        return false;
    }

    int runMaster (const juce::String& name)
    {
        juce::NamedPipe pipe;

        if (! pipe.createNewPipe (name, true))
            return 2;

        say ("ready");
        return receive (pipe, fromFork) && send (pipe, fromUpstream) && receive (pipe, bye) ? 0 : 3;
    }

    int runClient (const juce::String& name)
    {
        juce::NamedPipe pipe;

        for (int attempt = 0; ! pipe.openExisting (name); ++attempt)
            if (attempt > 50)
                return 2;

        say ("connected");
        return send (pipe, fromUpstream) && receive (pipe, fromFork) && send (pipe, bye) ? 0 : 3;
    }
}

int main (int argc, char** argv)
{
    if (argc != 3)
    {
        std::fprintf (stderr, "usage: upstream_peer master|client <pipe name>\n");
        return 64;
    }

    const juce::String mode (argv[1]), name (argv[2]);
    return mode == "master" ? runMaster (name) : runClient (name);
}
