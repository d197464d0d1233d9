/*
  juce-ipc-fork tests: the harness itself, and that the build runs the patched modules.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "../harness/Roles.h"

#include <gtest/gtest.h>

using namespace ipctest;

//==============================================================================
int roles::exitWith (const juce::StringArray& args)
{
    return args[0].getIntValue();
}

int roles::sleepForever (const juce::StringArray&)
{
    helperLog ("sleeping");

    for (;;)
        juce::Thread::sleep (1000);
}

//==============================================================================
TEST (ForkBuild, TestsRunThePatchedModules)
{
   #if ! JUCE_IPC_FORK
    FAIL() << "juce_core was built without juce-ipc-fork";
   #endif

    EXPECT_STREQ (JUCE_IPC_FORK_VERSION_STRING, "0.1.0");
}

TEST (Harness, HelperReportsItsExitCode)
{
    HelperProcess helper ("exit-with", { "42" });
    ASSERT_TRUE (helper.started());
    EXPECT_EQ (helper.waitForExit (20000), 42);
}

TEST (Harness, HelperIsKilledForReal)
{
    HelperProcess helper ("sleep-forever");
    ASSERT_TRUE (helper.started());
    ASSERT_TRUE (waitFor ([&] { return helper.getOutput().contains ("sleeping"); }, 20000));

    Stopwatch stopwatch;
    helper.kill();
    const auto code = helper.waitForExit (5000);

    EXPECT_NE (code, -1) << "the helper survived kill()";
    EXPECT_NE (code, 0);
    EXPECT_LT (stopwatch.elapsedMs(), 5000.0);
}

TEST (Harness, HelperEndsAtItsLifetimeLimit)
{
    HelperProcess helper ("sleep-forever", {}, 500);
    ASSERT_TRUE (helper.started());
    EXPECT_EQ (helper.waitForExit (20000), 99);
}

TEST (Harness, UnknownRoleFails)
{
    HelperProcess helper ("no-such-role");
    ASSERT_TRUE (helper.started());
    EXPECT_EQ (helper.waitForExit (20000), 98);
}

TEST (Harness, MessagesPostedFromAnotherThreadAreDispatched)
{
    std::atomic<bool> delivered { false };
    std::thread poster ([&] { juce::MessageManager::callAsync ([&] { delivered = true; }); });
    poster.join();

    EXPECT_TRUE (waitFor ([&] { juce::MessageManager::getInstance()->runDispatchLoopUntil (1); return delivered.load(); }, 5000));
}
