/*
  juce-ipc-fork tests: the helper roles, each a small function defined beside the tests that use it.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#pragma once

#include "Harness.h"

namespace ipctest::roles
{
    // HarnessTests.cpp
    int exitWith (const juce::StringArray&);
    int sleepForever (const juce::StringArray&);

    // NamedPipeTests.cpp
    int pipeEchoClient (const juce::StringArray&);
    int pipeHelloThenHang (const juce::StringArray&);
    int pipeStreamWriter (const juce::StringArray&);
    int pipeReconnector (const juce::StringArray&);
    int pipeEchoMaster (const juce::StringArray&);
    int pipeSlowReader (const juce::StringArray&);

    // InterprocessConnectionTests.cpp
    int icEchoClient (const juce::StringArray&);
    int icEchoMaster (const juce::StringArray&);
    int pipeRawClient (const juce::StringArray&);
    int icVerifier (const juce::StringArray&);
    int icFlooder (const juce::StringArray&);
    int icSoakPeer (const juce::StringArray&);

    // ChildProcessCoordinatorTests.cpp
    int worker (const juce::StringArray&);
    int coordinatorOfTwo (const juce::StringArray&);

    // ChildProcessTests.cpp
    int childPrintThenExit (const juce::StringArray&);
    int childCloseOutputThenStay (const juce::StringArray&);
    int childReportPid (const juce::StringArray&);
    int childWriteBothStreams (const juce::StringArray&);
    int childEchoArguments (const juce::StringArray&);
    int childWritePattern (const juce::StringArray&);
    int childKeepsPipeAndChild (const juce::StringArray&);
    int childLeavesGrandchild (const juce::StringArray&);
    int childUseHandle (const juce::StringArray&);

    // NamedPipeWindowsTests.cpp, NamedPipePosixTests.cpp
    int pipeSquatter (const juce::StringArray&);
    int listDescriptors (const juce::StringArray&);
}
