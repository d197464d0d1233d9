/*
  juce-ipc-fork tests: NamedPipe on POSIX systems: private FIFOs, no leaked descriptors, peer death
  seen at once, no global signal handling, a clean stream after reconnecting, no idle wake-ups.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "../harness/Roles.h"

#include <gtest/gtest.h>

#if ! JUCE_WINDOWS

#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace ipctest;

namespace
{
    constexpr int connectTimeoutMs = 10000;

    juce::String fifoBase (const juce::String& pipeName)
    {
        return "/tmp/" + juce::File::createLegalFileName (pipeName);
    }

    struct stat statOf (const juce::String& path)
    {
        struct stat info {};
        lstat (path.toRawUTF8(), &info);
        return info;
    }

    /** Makes the FIFO pair of a pipe by hand, as a crashed process or another user would leave it. */
    struct HandMadeFifos
    {
        HandMadeFifos (const juce::String& pipeName, mode_t mode) : base (fifoBase (pipeName))
        {
            const auto oldMask = umask (0);
            mkfifo ((base + "_in").toRawUTF8(), mode);
            mkfifo ((base + "_out").toRawUTF8(), mode);
            umask (oldMask);
        }

        ~HandMadeFifos()
        {
            unlink ((base + "_in").toRawUTF8());
            unlink ((base + "_out").toRawUTF8());
        }

        const juce::String base;
    };

    long voluntarySwitchesOfThread (pid_t thread)
    {
        const auto status = juce::File ("/proc/self/task/" + juce::String (thread) + "/status").loadFileAsString();
        const auto line = status.fromFirstOccurrenceOf ("voluntary_ctxt_switches:", false, false).trim();
        return line.upToFirstOccurrenceOf ("\n", false, false).getLargeIntValue();
    }

    juce::String readExactly (juce::NamedPipe& pipe, int numBytes)
    {
        juce::MemoryBlock received;
        char buffer[256];

        waitFor ([&]
        {
            const auto numRead = pipe.read (buffer, numBytes - (int) received.getSize(), 50);

            if (numRead > 0)
                received.append (buffer, (size_t) numRead);

            return (int) received.getSize() == numBytes || numRead < 0;
        }, 10000);

        return received.toString();
    }
}

//==============================================================================
/** Prints where each of this process's descriptors leads, one per line. */
int roles::listDescriptors (const juce::StringArray&)
{
    for (auto& descriptor : openDescriptors())
        helperLog ("fd " + juce::String (descriptor.first) + " -> " + descriptor.second);

    helperLog ("end of list");
    return 0;
}

int roles::pipeSquatter (const juce::StringArray&)
{
    return 1;   // Windows only
}

//==============================================================================
TEST (NamedPipePosix, FifosArePrivateToTheUser)
{
    const auto name = uniquePipeName ("private");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));

    for (auto suffix : { "_in", "_out" })
    {
        const auto info = statOf (fifoBase (name) + suffix);
        EXPECT_TRUE (S_ISFIFO (info.st_mode)) << suffix;
        EXPECT_EQ (info.st_mode & 0777, 0600u) << suffix;
        EXPECT_EQ (info.st_uid, geteuid()) << suffix;
    }
}

TEST (NamedPipePosix, OnlyFifosItCreatedAreRemovedOnClose)
{
    const auto created = uniquePipeName ("created");

    {
        juce::NamedPipe master;
        ASSERT_TRUE (master.createNewPipe (created, true));
    }

    EXPECT_FALSE (juce::File (fifoBase (created) + "_in").exists());
    EXPECT_FALSE (juce::File (fifoBase (created) + "_out").exists());

    // FIFOs left by a process that has gone are taken over, and left in place afterwards.
    const auto leftOver = uniquePipeName ("left-over");
    HandMadeFifos fifos (leftOver, 0600);

    {
        juce::NamedPipe master;
        ASSERT_TRUE (master.createNewPipe (leftOver, false)) << master.getLastErrorMessage();
        juce::NamedPipe slave;
        ASSERT_TRUE (slave.openExisting (leftOver, connectTimeoutMs)) << slave.getLastErrorMessage();
    }

    EXPECT_TRUE (juce::File (fifos.base + "_in").exists());
    EXPECT_TRUE (juce::File (fifos.base + "_out").exists());
}

TEST (NamedPipePosix, FifosWithNoMasterNeverConnect)
{
    const auto name = uniquePipeName ("stale");
    HandMadeFifos fifos (name, 0600);
    juce::NamedPipe slave;

    EXPECT_FALSE (slave.openExisting (name, 300));
    EXPECT_TRUE (slave.getLastErrorMessage().contains ("nobody reads")) << slave.getLastErrorMessage();
}

TEST (NamedPipePosix, MustNotExistRefusesLeftOverFifos)
{
    const auto name = uniquePipeName ("must-not-exist");
    HandMadeFifos fifos (name, 0600);
    juce::NamedPipe master;

    EXPECT_FALSE (master.createNewPipe (name, true));
    EXPECT_TRUE (master.getLastErrorMessage().contains ("already exists")) << master.getLastErrorMessage();
}

TEST (NamedPipePosix, MasterRefusesFifosOpenToOtherUsers)
{
    const auto name = uniquePipeName ("open-to-all");
    HandMadeFifos fifos (name, 0666);
    juce::NamedPipe master;

    EXPECT_FALSE (master.createNewPipe (name, false));
    EXPECT_TRUE (master.getLastErrorMessage().contains ("open to other users")) << master.getLastErrorMessage();
}

TEST (NamedPipePosix, FifosOfAnotherUserAreRefused)
{
    if (geteuid() != 0)
        GTEST_SKIP() << "making a FIFO owned by another user needs root";

    const auto name = uniquePipeName ("foreign");
    HandMadeFifos fifos (name, 0600);
    ASSERT_EQ (chown ((fifos.base + "_in").toRawUTF8(), 65534, 65534), 0);
    ASSERT_EQ (chown ((fifos.base + "_out").toRawUTF8(), 65534, 65534), 0);

    juce::NamedPipe master;
    EXPECT_FALSE (master.createNewPipe (name, false));
    EXPECT_TRUE (master.getLastErrorMessage().contains ("belongs to another user")) << master.getLastErrorMessage();

    // With someone reading it, a client gets as far as looking at the owner.
    const auto reader = ::open ((fifos.base + "_in").toRawUTF8(), O_RDONLY | O_NONBLOCK);
    juce::NamedPipe slave;
    EXPECT_FALSE (slave.openExisting (name, 300));
    EXPECT_TRUE (slave.getLastErrorMessage().contains ("belongs to another user")) << slave.getLastErrorMessage();
    ::close (reader);
}

TEST (NamedPipePosix, SymbolicLinksAreRefused)
{
    const auto name = uniquePipeName ("symlink");
    const auto base = fifoBase (name);
    const auto target = uniquePipeName ("target");
    HandMadeFifos real (target, 0600);
    ASSERT_EQ (symlink ((real.base + "_in").toRawUTF8(), (base + "_in").toRawUTF8()), 0);
    ASSERT_EQ (symlink ((real.base + "_out").toRawUTF8(), (base + "_out").toRawUTF8()), 0);

    juce::NamedPipe master, slave;
    EXPECT_FALSE (master.createNewPipe (name, false));
    EXPECT_FALSE (slave.openExisting (name, 200));
    EXPECT_TRUE (slave.getLastErrorMessage().contains ("symbolic link")) << slave.getLastErrorMessage();

    unlink ((base + "_in").toRawUTF8());
    unlink ((base + "_out").toRawUTF8());
}

TEST (NamedPipePosix, SecondClientWaitsWhileTheMasterServesTheFirst)
{
    const auto name = uniquePipeName ("busy");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));

    HelperProcess first ("pipe-hello-then-hang", { name });
    ASSERT_EQ (readExactly (master, 5), "hello");

    juce::NamedPipe second;
    EXPECT_FALSE (second.openExisting (name, 300));
    EXPECT_TRUE (second.getLastErrorMessage().contains ("busy")) << second.getLastErrorMessage();

    // Once the first client is gone and the master has seen it, the second gets in.
    first.kill();
    char buffer[8];
    EXPECT_EQ (master.read (buffer, 8, connectTimeoutMs), -1);

    bool connected = false;
    std::thread connecting ([&] { connected = second.openExisting (name, connectTimeoutMs); });
    EXPECT_TRUE (master.waitForClient (connectTimeoutMs));
    connecting.join();
    ASSERT_TRUE (connected) << second.getLastErrorMessage();
    ASSERT_EQ (second.write ("two", 3, 1000), 3);
    EXPECT_EQ (readExactly (master, 3), "two");
}

TEST (NamedPipePosix, KilledClientIsSeenWithin50MillisecondsEvenWithAnotherChildAlive)
{
    const auto name = uniquePipeName ("client-death");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));

    HelperProcess client ("pipe-hello-then-hang", { name });
    ASSERT_EQ (readExactly (master, 5), "hello");

    // Started while the pipe is open: it must hold none of its descriptors.
    HelperProcess bystander ("sleep-forever");
    ASSERT_TRUE (waitFor ([&] { return bystander.getOutput().contains ("sleeping"); }, 10000));

    int result = 0;
    double endedAtMs = 0;
    std::thread reading ([&] { char buffer[8]; result = master.read (buffer, 8, -1); endedAtMs = nowMs(); });

    juce::Thread::sleep (50);
    const auto killedAtMs = nowMs();
    client.kill();
    reading.join();

    EXPECT_EQ (result, -1);
    EXPECT_LT (endedAtMs - killedAtMs, 50.0);
}

TEST (NamedPipePosix, KilledMasterIsSeenWithin50MillisecondsEvenWithAnotherChildAlive)
{
    const auto name = uniquePipeName ("master-death");
    HelperProcess master ("pipe-echo-master", { name });
    ASSERT_TRUE (waitFor ([&] { return master.getOutput().contains ("ready"); }, connectTimeoutMs));

    juce::NamedPipe slave;
    ASSERT_TRUE (slave.openExisting (name, connectTimeoutMs));
    ASSERT_EQ (slave.write ("ping", 4, 1000), 4);
    ASSERT_EQ (readExactly (slave, 4), "ping");

    HelperProcess bystander ("sleep-forever");
    ASSERT_TRUE (waitFor ([&] { return bystander.getOutput().contains ("sleeping"); }, 10000));

    int result = 0;
    double endedAtMs = 0;
    std::thread reading ([&] { char buffer[8]; result = slave.read (buffer, 8, -1); endedAtMs = nowMs(); });

    juce::Thread::sleep (50);
    const auto killedAtMs = nowMs();
    master.kill();
    reading.join();

    EXPECT_EQ (result, -1);
    EXPECT_LT (endedAtMs - killedAtMs, 50.0);
}

TEST (NamedPipePosix, DescriptorsDoNotLeakIntoChildProcesses)
{
    const auto before = openDescriptorTargets();

    const auto name = uniquePipeName ("cloexec");
    juce::NamedPipe master, slave;
    ASSERT_TRUE (master.createNewPipe (name, true));
    ASSERT_TRUE (slave.openExisting (name, connectTimeoutMs));
    ASSERT_TRUE (master.waitForClient (connectTimeoutMs));

    // What the two ends opened: FIFOs, wake-up pipes, the inotify descriptor.
    juce::StringArray ours;

    for (auto& target : openDescriptorTargets())
        if (! before.contains (target))
            ours.add (target);
    ASSERT_TRUE (ours.joinIntoString (" ").contains (fifoBase (name))) << ours.joinIntoString (", ");

    HelperProcess child ("list-descriptors");
    ASSERT_EQ (child.waitForExit (20000), 0);
    const auto listing = child.getOutput();
    ASSERT_TRUE (listing.contains ("end of list")) << listing;

    for (auto& target : ours)
        EXPECT_FALSE (listing.contains (" -> " + target + "\n")) << "the child holds " << target << ":\n" << listing;
}

TEST (NamedPipePosix, ReconnectingOnTheSameObjectReadsACleanStream)
{
    const auto name = uniquePipeName ("clean-stream");
    HelperProcess master ("pipe-echo-master", { name });
    ASSERT_TRUE (waitFor ([&] { return master.getOutput().contains ("ready"); }, connectTimeoutMs));

    juce::NamedPipe slave;

    for (int i = 0; i < 50; ++i)
    {
        const auto message = "message " + juce::String (i).paddedLeft ('0', 3);
        ASSERT_TRUE (slave.openExisting (name, connectTimeoutMs)) << "round " << i << ": " << slave.getLastErrorMessage();
        ASSERT_EQ (slave.write (message.toRawUTF8(), 11, 1000), 11);
        ASSERT_EQ (readExactly (slave, 11), message) << "round " << i;
        slave.close();
    }
}

TEST (NamedPipePosix, NoSignalDispositionIsChangedAndAGonePeerRaisesNoSigpipe)
{
    struct sigaction before {};
    sigaction (SIGPIPE, nullptr, &before);
    ASSERT_EQ (before.sa_handler, SIG_DFL) << "the test needs SIGPIPE's default action, which kills the process";

    const auto name = uniquePipeName ("sigpipe");
    HelperProcess master ("pipe-echo-master", { name });
    ASSERT_TRUE (waitFor ([&] { return master.getOutput().contains ("ready"); }, connectTimeoutMs));

    juce::NamedPipe slave;
    ASSERT_TRUE (slave.openExisting (name, connectTimeoutMs));
    master.kill();
    master.waitForExit (10000);

    // Writing to a FIFO that nobody reads raises SIGPIPE unless it is suppressed: the process
    // would die here.
    juce::HeapBlock<char> data (1 << 20, true);
    EXPECT_EQ (slave.write (data, 1 << 20, 1000), -1);

    struct sigaction after {};
    sigaction (SIGPIPE, nullptr, &after);
    EXPECT_EQ (after.sa_handler, SIG_DFL);

    sigset_t pending;
    sigpending (&pending);
    EXPECT_EQ (sigismember (&pending, SIGPIPE), 0) << "a SIGPIPE was left pending";
}

TEST (NamedPipePosix, AConnectedIdlePipeDoesNotWakeUp)
{
    const auto name = uniquePipeName ("idle");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));
    HelperProcess client ("pipe-hello-then-hang", { name });
    ASSERT_EQ (readExactly (master, 5), "hello");

    std::atomic<pid_t> readerThread { 0 };
    std::thread reading ([&] { readerThread = (pid_t) syscall (SYS_gettid); char buffer[8]; master.read (buffer, 8, -1); });

    ASSERT_TRUE (waitFor ([&] { return readerThread != 0; }, 1000));
    juce::Thread::sleep (200);
    const auto before = voluntarySwitchesOfThread (readerThread);
    juce::Thread::sleep (1000);
    const auto after = voluntarySwitchesOfThread (readerThread);

    EXPECT_LE (after - before, 1) << "the idle reader woke up " << (after - before) << " times in a second";

    master.close();
    reading.join();
}

//==============================================================================
#if defined (JIF_UPSTREAM_PEER)

TEST (NamedPipePosix, ForkMasterServesAClientOfUpstreamJuce)
{
    const auto name = uniquePipeName ("wire-upstream-client");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));

    HelperProcess upstream (juce::File (JIF_UPSTREAM_PEER), { "client", name });
    ASSERT_TRUE (upstream.started());

    EXPECT_EQ (readExactly (master, 19), "hello from upstream") << upstream.getOutput();
    ASSERT_EQ (master.write ("hello from the fork", 19, 10000), 19);
    EXPECT_EQ (readExactly (master, 3), "bye") << upstream.getOutput();
    EXPECT_EQ (upstream.waitForExit (20000), 0) << upstream.getOutput();
}

TEST (NamedPipePosix, ForkClientTalksToAMasterOfUpstreamJuce)
{
    const auto name = uniquePipeName ("wire-upstream-master");
    HelperProcess upstream (juce::File (JIF_UPSTREAM_PEER), { "master", name });
    ASSERT_TRUE (waitFor ([&] { return upstream.getOutput().contains ("ready"); }, connectTimeoutMs)) << upstream.getOutput();

    juce::NamedPipe client;
    ASSERT_TRUE (client.openExisting (name, connectTimeoutMs)) << client.getLastErrorMessage();

    // JUCE's own master makes its FIFOs 0666 less the umask; the client made them private.
    EXPECT_EQ (statOf (fifoBase (name) + "_in").st_mode & 0777, 0600u);
    EXPECT_EQ (statOf (fifoBase (name) + "_out").st_mode & 0777, 0600u);

    ASSERT_EQ (client.write ("hello from the fork", 19, 10000), 19);
    EXPECT_EQ (readExactly (client, 19), "hello from upstream") << upstream.getOutput();
    ASSERT_EQ (client.write ("bye", 3, 10000), 3);
    EXPECT_EQ (upstream.waitForExit (20000), 0) << upstream.getOutput();
}

#endif

#endif
