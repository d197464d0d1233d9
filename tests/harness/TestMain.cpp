/*
  juce-ipc-fork tests: the entry point. Runs GoogleTest, or one helper role when launched with
  --jif-role=<name> by a test (see Roles.cpp).
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "Harness.h"

#include <gtest/gtest.h>

#include <cstdio>

static void shutDownJuce()
{
    juce::DeletedAtShutdown::deleteAll();
    juce::MessageManager::deleteInstance();
}

int main (int argc, char** argv)
{
    int exitCode = 0;

    // A helper role makes a MessageManager itself if it needs one: it opens descriptors that some
    // roles must not have.
    if (ipctest::runRoleIfRequested (argc, argv, exitCode))
    {
        shutDownJuce();
        return exitCode;
    }

    // The main thread is the tests' message thread: messages posted to the message thread before a
    // MessageManager exists are dropped, as in any JUCE program.
    juce::MessageManager::getInstance();

    testing::InitGoogleTest (&argc, argv);
    exitCode = RUN_ALL_TESTS();
    shutDownJuce();

    // ctest runs one test per process by name: a name that matches nothing is a failure, not a pass.
    if (exitCode == 0 && testing::UnitTest::GetInstance()->test_to_run_count() == 0)
    {
        std::fprintf (stderr, "no test matches the filter\n");
        return 1;
    }

    return exitCode;
}
