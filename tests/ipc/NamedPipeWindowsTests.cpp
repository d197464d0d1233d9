/*
  juce-ipc-fork tests: NamedPipe on Windows: a private, single-instance pipe that a squatter cannot
  take over, clients that allow identification only, and clear reasons for refusals.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "../harness/Roles.h"

#include <gtest/gtest.h>

#if JUCE_WINDOWS

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

using namespace ipctest;

namespace
{
    constexpr int connectTimeoutMs = 10000;

    std::wstring pipePath (const juce::String& pipeName)
    {
        return ("\\\\.\\pipe\\" + juce::File::createLegalFileName (pipeName)).toWideCharPointer();
    }

    /** The string SID of the current user. */
    juce::String currentUserSid()
    {
        HANDLE token = nullptr;
        OpenProcessToken (GetCurrentProcess(), TOKEN_QUERY, &token);
        DWORD size = 0;
        GetTokenInformation (token, TokenUser, nullptr, 0, &size);
        juce::HeapBlock<char> info (size);
        GetTokenInformation (token, TokenUser, info, size, &size);
        CloseHandle (token);

        LPWSTR text = nullptr;
        ConvertSidToStringSidW (reinterpret_cast<TOKEN_USER*> (info.get())->User.Sid, &text);
        const juce::String result (text);
        LocalFree (text);
        return result;
    }
}

//==============================================================================
/** Creates the pipe args[0] the way any program could, with the security descriptor in SDDL args[1]
    ("default" for none), says "ready", and holds it until killed.
*/
int roles::pipeSquatter (const juce::StringArray& args)
{
    PSECURITY_DESCRIPTOR descriptor = nullptr;

    if (args[1] != "default")
        ConvertStringSecurityDescriptorToSecurityDescriptorW (args[1].toWideCharPointer(), SDDL_REVISION_1, &descriptor, nullptr);

    SECURITY_ATTRIBUTES attributes { sizeof (SECURITY_ATTRIBUTES), descriptor, FALSE };
    const auto pipe = CreateNamedPipeW (pipePath (args[0]).c_str(), PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED,
                                        PIPE_TYPE_BYTE, PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0,
                                        descriptor != nullptr ? &attributes : nullptr);

    if (pipe == INVALID_HANDLE_VALUE)
        return 2;

    helperLog ("ready");

    for (;;)
        Sleep (1000);
}

int roles::listDescriptors (const juce::StringArray&)
{
    return 1;   // POSIX only
}

//==============================================================================
TEST (NamedPipeWindows, PipeAdmitsOnlyTheUserAndSystem)
{
    const auto name = uniquePipeName ("acl");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true)) << master.getLastErrorMessage();

    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    ASSERT_EQ (GetNamedSecurityInfoW (pipePath (name).c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION,
                                      nullptr, nullptr, &dacl, nullptr, &descriptor), (DWORD) ERROR_SUCCESS);
    ASSERT_NE (dacl, nullptr) << "no DACL: everyone has access";

    const auto user = currentUserSid();
    juce::StringArray trustees;

    for (DWORD i = 0; i < dacl->AceCount; ++i)
    {
        void* ace = nullptr;
        ASSERT_TRUE (GetAce (dacl, i, &ace));
        auto* header = static_cast<ACE_HEADER*> (ace);

        if (header->AceType != ACCESS_ALLOWED_ACE_TYPE)
            continue;

        LPWSTR sid = nullptr;
        ConvertSidToStringSidW (&static_cast<ACCESS_ALLOWED_ACE*> (ace)->SidStart, &sid);
        trustees.add (juce::String (sid));
        LocalFree (sid);
    }

    LocalFree (descriptor);

    EXPECT_TRUE (trustees.contains (user)) << trustees.joinIntoString (", ").toStdString();

    for (auto& trustee : trustees)
        EXPECT_TRUE (trustee == user || trustee == "S-1-5-18") << "also admitted: " << trustee;
}

TEST (NamedPipeWindows, NameSquattedByAnotherProcessIsRefused)
{
    const auto name = uniquePipeName ("squat");
    HelperProcess squatter ("pipe-squatter", { name, "default" });
    ASSERT_TRUE (waitFor ([&] { return squatter.getOutput().contains ("ready"); }, connectTimeoutMs)) << squatter.getOutput();

    juce::NamedPipe mustBeNew, mayExist;
    EXPECT_FALSE (mustBeNew.createNewPipe (name, true));
    EXPECT_TRUE (mustBeNew.getLastErrorMessage().contains ("already exists")) << mustBeNew.getLastErrorMessage();

    EXPECT_FALSE (mayExist.createNewPipe (name, false));
    EXPECT_TRUE (mayExist.getLastErrorMessage().isNotEmpty());
}

TEST (NamedPipeWindows, APipeThatRefusesTheUserFailsAtOnceWithAReason)
{
    const auto name = uniquePipeName ("denied");

    // A protected DACL with no entries admits nobody.
    HelperProcess locked ("pipe-squatter", { name, "D:P" });
    ASSERT_TRUE (waitFor ([&] { return locked.getOutput().contains ("ready"); }, connectTimeoutMs)) << locked.getOutput();

    juce::NamedPipe slave;
    Stopwatch stopwatch;
    const auto opened = slave.openExisting (name, 5000);

    if (opened && isRunningUnderWine())
        GTEST_SKIP() << "Wine 8 does not check a pipe's DACL when a client opens it";

    EXPECT_FALSE (opened);
    EXPECT_TRUE (slave.getLastErrorMessage().contains ("denied")) << slave.getLastErrorMessage();
    EXPECT_LT (stopwatch.elapsedMs(), 4000.0);
}

TEST (NamedPipeWindows, ClientAllowsIdentificationOnly)
{
    const auto name = uniquePipeName ("sqos");
    const auto server = CreateNamedPipeW (pipePath (name).c_str(), PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE, 1, 4096, 4096, 0, nullptr);
    ASSERT_NE (server, INVALID_HANDLE_VALUE);

    juce::NamedPipe slave;
    ASSERT_TRUE (slave.openExisting (name, connectTimeoutMs)) << slave.getLastErrorMessage();
    ASSERT_EQ (slave.write ("x", 1, 1000), 1);

    char byte = 0;
    DWORD numRead = 0;
    ASSERT_TRUE (ReadFile (server, &byte, 1, &numRead, nullptr));

    if (! ImpersonateNamedPipeClient (server))
    {
        CloseHandle (server);

        if (isRunningUnderWine())
            GTEST_SKIP() << "Wine does not implement ImpersonateNamedPipeClient";

        FAIL() << "ImpersonateNamedPipeClient failed: " << GetLastError();
    }

    HANDLE token = nullptr;
    SECURITY_IMPERSONATION_LEVEL level = SecurityAnonymous;
    DWORD size = sizeof (level);
    const auto gotToken = OpenThreadToken (GetCurrentThread(), TOKEN_QUERY, TRUE, &token);
    const auto gotLevel = gotToken && GetTokenInformation (token, TokenImpersonationLevel, &level, size, &size);
    RevertToSelf();

    if (token != nullptr)
        CloseHandle (token);

    CloseHandle (server);

    if (isRunningUnderWine() && (! gotLevel || level != SecurityIdentification))
        GTEST_SKIP() << "Wine 8 ignores the security quality of service a client asks for in CreateFile";

    ASSERT_TRUE (gotLevel);
    EXPECT_EQ (level, SecurityIdentification);
}

TEST (NamedPipeWindows, KilledClientIsSeenPromptly)
{
    const auto name = uniquePipeName ("client-death");
    juce::NamedPipe master;
    ASSERT_TRUE (master.createNewPipe (name, true));

    HelperProcess client ("pipe-hello-then-hang", { name });
    char hello[5];
    ASSERT_TRUE (waitFor ([&] { return master.read (hello, 5, 50) == 5; }, connectTimeoutMs));

    int result = 0;
    double endedAtMs = 0;
    std::thread reading ([&] { char buffer[8]; result = master.read (buffer, 8, -1); endedAtMs = nowMs(); });

    juce::Thread::sleep (50);
    const auto killedAtMs = nowMs();
    client.kill();
    reading.join();

    EXPECT_EQ (result, -1);
    EXPECT_LT (endedAtMs - killedAtMs, 100.0);
}

#endif
