/*
  juce-ipc-fork test harness.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "Harness.h"
#include "NativeProcess.h"

#include <atomic>
#include <cstdio>
#include <cstring>

#if JUCE_WINDOWS
 #include <windows.h>
#else
 #include <unistd.h>
#endif

namespace ipctest
{

static const char* const roleOption = "--jif-role=";
static const char* const lifetimeOption = "--jif-lifetime-ms=";

//==============================================================================
struct HelperProcess::Native
{
    std::unique_ptr<NativeProcess> process;
};

HelperProcess::HelperProcess (const juce::String& role, const juce::StringArray& args, int lifetimeMs)
    : native (std::make_unique<Native>())
{
    std::vector<std::string> argv;

    for (auto& arg : roleCommandLine (role, args, lifetimeMs))
        argv.push_back (arg.toStdString());

    start (role, argv);
}

HelperProcess::HelperProcess (const juce::File& program, const juce::StringArray& args)
    : native (std::make_unique<Native>())
{
    std::vector<std::string> argv { program.getFullPathName().toStdString() };

    for (auto& arg : args)
        argv.push_back (arg.toStdString());

    start (program.getFileNameWithoutExtension(), argv);
}

void HelperProcess::start (const juce::String& name, const std::vector<std::string>& argv)
{
    // Named after this process and a count: test processes that ctest runs side by side must never
    // pick the same file (getNonexistentChildFile() cannot promise that, since the file is only
    // created when the helper starts), or their helpers' output would mix.
    static std::atomic<int> counter { 0 };
    outputFile = juce::File::getSpecialLocation (juce::File::tempDirectory)
                     .getChildFile ("jif-helper-" + juce::String (currentProcessId()) + "-" + juce::String (++counter)
                                     + "-" + name + ".log");

    native->process = NativeProcess::start (argv, outputFile.getFullPathName().toStdString());
    processStarted = native->process != nullptr;

    if (processStarted)
        processId = native->process->processId();
}

HelperProcess::~HelperProcess()
{
    if (processStarted && ! exited)
    {
        kill();
        waitForExit (10000);
    }

    native.reset();
    outputFile.deleteFile();
}

bool HelperProcess::isRunning()
{
    return processStarted && waitForExit (0) == -1;
}

void HelperProcess::kill()
{
    if (processStarted && ! exited)
        native->process->kill();
}

int HelperProcess::waitForExit (int timeoutMs)
{
    if (! processStarted)
        return -1;

    if (! exited && native->process->wait (timeoutMs, exitCode))
        exited = true;

    return exited ? exitCode : -1;
}

juce::String HelperProcess::getOutput() const
{
    return outputFile.loadFileAsString();
}

//==============================================================================
bool runRoleIfRequested (int argc, char** argv, int& exitCode)
{
    if (argc < 2)
        return false;

    juce::String roleName;
    juce::StringArray args;
    int lifetimeMs = 60000;

    // A ChildProcessCoordinator starts its worker with "--<unique id>:<pipe name>" alone: the ids of
    // the test workers start with workerIdPrefix, and the rest of the id names the worker's mode.
    const auto first = juce::String (juce::CharPointer_UTF8 (argv[1]));

    if (first.startsWith ("--" + juce::String (workerIdPrefix)))
    {
        roleName = "worker";
        args.add (first.fromFirstOccurrenceOf (workerIdPrefix, false, false).upToFirstOccurrenceOf (":", false, false));
        args.add (first.substring (2).upToFirstOccurrenceOf (":", false, false));
        args.add (first);
    }
    else if (std::strncmp (argv[1], roleOption, std::strlen (roleOption)) == 0)
    {
        roleName = argv[1] + std::strlen (roleOption);
    }
    else
    {
        return false;
    }

    for (int i = 2; i < argc; ++i)
    {
        const juce::String arg (juce::CharPointer_UTF8 (argv[i]));

        if (arg.startsWith (lifetimeOption))
            lifetimeMs = arg.fromFirstOccurrenceOf (lifetimeOption, false, false).getIntValue();
        else
            args.add (arg);
    }

    // A helper never outlives its limit, whatever state the test left it in.
    std::thread ([lifetimeMs, roleName]
    {
        std::this_thread::sleep_for (std::chrono::milliseconds (lifetimeMs));
        std::fprintf (stderr, "helper '%s': lifetime limit of %d ms reached, exiting\n", roleName.toRawUTF8(), lifetimeMs);
        std::fflush (stderr);
        exitImmediately (99);
    }).detach();

    for (size_t i = 0; i < numRoles; ++i)
    {
        if (roleName == roleTable[i].name)
        {
            exitCode = roleTable[i].function (args);
            std::fflush (stdout);
            return true;
        }
    }

    std::fprintf (stderr, "unknown helper role '%s'\n", roleName.toRawUTF8());
    exitCode = 98;
    return true;
}

//==============================================================================
bool waitFor (const std::function<bool()>& condition, int timeoutMs)
{
    const auto deadline = nowMs() + timeoutMs;

    for (;;)
    {
        if (condition())
            return true;

        if (nowMs() >= deadline)
            return condition();

        std::this_thread::sleep_for (std::chrono::milliseconds (1));
    }
}

juce::String uniquePipeName (const juce::String& tag)
{
    static std::atomic<int> counter { 0 };
    return "jif-" + tag + "-" + juce::String::toHexString (juce::Random::getSystemRandom().nextInt64())
             + "-" + juce::String (++counter);
}

double nowMs()
{
    using namespace std::chrono;
    return (double) duration_cast<microseconds> (steady_clock::now().time_since_epoch()).count() / 1000.0;
}

juce::File getTestExecutable()
{
    return juce::File::getSpecialLocation (juce::File::currentExecutableFile);
}

juce::StringArray roleCommandLine (const juce::String& role, const juce::StringArray& args, int lifetimeMs)
{
    juce::StringArray commandLine { getTestExecutable().getFullPathName(),
                                    roleOption + role,
                                    lifetimeOption + juce::String (lifetimeMs) };
    commandLine.addArray (args);
    return commandLine;
}

void helperLog (const juce::String& text)
{
    std::printf ("%s\n", text.toRawUTF8());
    std::fflush (stdout);
}

#if JUCE_WINDOWS
bool isRunningUnderWine()
{
    return GetProcAddress (GetModuleHandleW (L"ntdll.dll"), "wine_get_version") != nullptr;
}
#else
std::vector<std::pair<int, juce::String>> openDescriptors()
{
    std::vector<std::pair<int, juce::String>> descriptors;
    juce::Array<juce::File> entries;
    juce::File ("/proc/self/fd").findChildFiles (entries, juce::File::findFilesAndDirectories, false);

    for (auto& entry : entries)
    {
        char target[4096] = {};

        if (readlink (entry.getFullPathName().toRawUTF8(), target, sizeof (target) - 1) > 0)
            descriptors.emplace_back (entry.getFileName().getIntValue(), juce::String (juce::CharPointer_UTF8 (target)));
    }

    return descriptors;
}

juce::StringArray openDescriptorTargets()
{
    juce::StringArray targets;

    for (auto& descriptor : openDescriptors())
        targets.add (descriptor.second);

    return targets;
}
#endif

} // namespace ipctest
