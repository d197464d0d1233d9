/*
  juce-ipc-fork tests: runs JUCE's own unit tests (juce::UnitTestRunner) against the patched juce_core and
  juce_events.

    juce_unit_tests --category <name>            the tests of one category
    juce_unit_tests --other-than <name,name,...> the tests whose category is none of these (ctest runs this
                                                 once with every category it knows, so no test is missed)
    juce_unit_tests --list                       every test with its category

  Exits with 0 when every test passed. No test is skipped; the few failures that come from a test leg's
  toolchain are listed in knownFailures below with their reason, and in the README.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include <juce_core/juce_core.h>
#include <juce_events/juce_events.h>

#include <cstdio>
#include <vector>

namespace
{

// Failures that come from the toolchain of a test leg, not from the code under test. They are reported,
// not counted. Only for a named limitation that pristine upstream JUCE shows on that leg too; keep
// README.md's list in step with this one. NamedPipe, ChildProcess and interprocess tests never go here.
struct KnownFailure
{
    juce::String testName, subcategory, reason;
};

const std::vector<KnownFailure> knownFailures
{
   #if JUCE_MINGW
    { "CharacterFunctions", "readDoubleValue",
      "MinGW has no _strtod_l, so JUCE parses doubles with its own code there, which its comments say gets "
      "the last significant digit wrong in edge cases; the test expects exact values" },
    { "JSON", "JSON",
      "round-trips random doubles through JSON::parse, which reads them with the same MinGW-only parser "
      "as CharacterFunctions::readDoubleValue; it fails for some random seeds, about half of them" },
   #endif
};

const KnownFailure* findKnownFailure (const juce::UnitTestRunner::TestResult& result)
{
    for (auto& known : knownFailures)
        if (result.unitTestName == known.testName && result.subcategoryName == known.subcategory)
            return &known;

    return nullptr;
}

struct Runner final : public juce::UnitTestRunner
{
    void logMessage (const juce::String& message) override
    {
        std::printf ("%s\n", message.toRawUTF8());
        std::fflush (stdout);
    }
};

int run (const juce::Array<juce::UnitTest*>& tests)
{
    if (tests.isEmpty())
    {
        std::printf ("no JUCE unit tests to run\n");
        return 0;
    }

    Runner runner;
    runner.setAssertOnFailure (false);
    runner.runTests (tests);

    int failures = 0, passes = 0;

    for (int i = 0; i < runner.getNumResults(); ++i)
    {
        auto* result = runner.getResult (i);
        passes += result->passes;

        if (result->failures == 0)
            continue;

        if (auto* known = findKnownFailure (*result))
        {
            std::printf ("KNOWN FAILURE, not counted: %s / %s (%d failures): %s\n", result->unitTestName.toRawUTF8(),
                         result->subcategoryName.toRawUTF8(), result->failures, known->reason.toRawUTF8());
            continue;
        }

        failures += result->failures;
        std::printf ("FAILED %s / %s: %d failures\n", result->unitTestName.toRawUTF8(),
                     result->subcategoryName.toRawUTF8(), result->failures);
    }

    std::printf ("%d tests, %d checks passed, %d failed\n", tests.size(), passes, failures);
    return failures == 0 ? 0 : 1;
}

int runMain (const juce::StringArray& args)
{
    const auto& all = juce::UnitTest::getAllTests();

    if (args[0] == "--list")
    {
        for (auto* test : all)
            std::printf ("%s\t%s\n", test->getCategory().toRawUTF8(), test->getName().toRawUTF8());

        return 0;
    }

    if (args[0] == "--category" && args[1].isNotEmpty())
        return run (juce::UnitTest::getTestsInCategory (args[1]));

    if (args[0] == "--other-than")
    {
        const auto known = juce::StringArray::fromTokens (args[1], ",", {});
        juce::Array<juce::UnitTest*> others;

        for (auto* test : all)
            if (! known.contains (test->getCategory()))
                others.add (test);

        return run (others);
    }

    std::fprintf (stderr, "usage: juce_unit_tests --category <name> | --other-than <name,...> | --list\n");
    return 2;
}

} // namespace

int main (int argc, char** argv)
{
    juce::StringArray args;

    for (int i = 1; i < argc; ++i)
        args.add (juce::CharPointer_UTF8 (argv[i]));

    juce::MessageManager::getInstance();
    const auto result = runMain (args);

    juce::DeletedAtShutdown::deleteAll();
    juce::MessageManager::deleteInstance();
    return result;
}
