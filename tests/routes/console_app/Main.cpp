/*
  juce-ipc-fork, route 2 test app: prints which juce-ipc-fork it was compiled with, and runs a NamedPipe
  exchange inside the process.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include <juce_core/juce_core.h>
#include <juce_events/juce_events.h>

#include <cstdio>

int main()
{
   #if JUCE_IPC_FORK
    std::printf ("compiled with juce-ipc-fork %s\n", JUCE_IPC_FORK_VERSION_STRING);
   #else
    std::printf ("compiled with unpatched JUCE\n");
   #endif

    const auto name = "forked-console-app-" + juce::String::toHexString (juce::Random::getSystemRandom().nextInt64());
    juce::NamedPipe server, client;

    if (! server.createNewPipe (name, true) || ! client.openExisting (name))
        return 1;

    const int sent = 0x5eed;
    int received = 0;

    if (client.write (&sent, (int) sizeof (sent), 2000) != (int) sizeof (sent)
         || server.read (&received, (int) sizeof (received), 2000) != (int) sizeof (received)
         || received != sent)
        return 2;

    std::printf ("pipe exchange ok\n");
    return 0;
}
