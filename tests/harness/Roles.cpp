/*
  juce-ipc-fork tests: the one table of helper roles. A test launches a role with HelperProcess.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "Roles.h"

namespace ipctest
{

const Role roleTable[] =
{
    { "exit-with",          roles::exitWith },
    { "sleep-forever",      roles::sleepForever },
    { "pipe-echo-client",   roles::pipeEchoClient },
};

const size_t numRoles = sizeof (roleTable) / sizeof (roleTable[0]);

} // namespace ipctest
