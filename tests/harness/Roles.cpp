/*
  juce-ipc-fork tests: the one table of helper roles. A test launches a role with HelperProcess.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "Roles.h"

namespace ipctest
{

const Role roleTable[] =
{
    { "exit-with",              roles::exitWith },
    { "sleep-forever",          roles::sleepForever },

    { "pipe-echo-client",       roles::pipeEchoClient },
    { "pipe-hello-then-hang",   roles::pipeHelloThenHang },
    { "pipe-stream-writer",     roles::pipeStreamWriter },
    { "pipe-reconnector",       roles::pipeReconnector },
    { "pipe-echo-master",       roles::pipeEchoMaster },
    { "pipe-slow-reader",       roles::pipeSlowReader },
    { "ic-echo-client",         roles::icEchoClient },
    { "ic-echo-master",         roles::icEchoMaster },
    { "pipe-raw-client",        roles::pipeRawClient },
    { "ic-verifier",            roles::icVerifier },
    { "ic-flooder",             roles::icFlooder },
    { "ic-soak-peer",           roles::icSoakPeer },
    { "worker",                 roles::worker },
    { "coordinator-of-two",     roles::coordinatorOfTwo },
    { "pipe-squatter",          roles::pipeSquatter },
    { "list-descriptors",       roles::listDescriptors },

    { "child-print-then-exit",         roles::childPrintThenExit },
    { "child-close-output-then-stay",  roles::childCloseOutputThenStay },
    { "child-report-pid",              roles::childReportPid },
    { "child-write-both-streams",      roles::childWriteBothStreams },
    { "child-echo-arguments",          roles::childEchoArguments },
    { "child-write-pattern",           roles::childWritePattern },
    { "child-keeps-pipe-and-child",    roles::childKeepsPipeAndChild },
    { "child-leaves-grandchild",       roles::childLeavesGrandchild },
    { "child-use-handle",              roles::childUseHandle },
};

const size_t numRoles = sizeof (roleTable) / sizeof (roleTable[0]);

} // namespace ipctest
