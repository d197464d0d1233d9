/*
  juce-ipc-fork tests: the helper roles, each a small function defined beside the tests that use it.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#pragma once

#include "Harness.h"

namespace ipctest::roles
{
    int exitWith (const juce::StringArray&);
    int sleepForever (const juce::StringArray&);
    int pipeEchoClient (const juce::StringArray&);
}
