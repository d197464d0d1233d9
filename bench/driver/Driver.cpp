/*
  juce-ipc-fork benchmark driver: runs the three peer programs (raw, upstream, fork) through every scenario,
  interleaved and repeated, and prints one markdown table of medians with the ratios and the targets.

    ipc_bench [--short | --full] [--repeats=N] [--scale=F] [--variants=raw,upstream,fork] [--only=<text>]
              [--peers=<folder>]

  --only runs the scenarios whose title contains the text (the titles are printed as they run).
  --scale multiplies the traffic of each run (round trips, bytes streamed, messages, reconnects); the
  Windows leg under Wine, where everything is far slower, runs with --scale=0.05.
  --short (the default) takes a few minutes and is what CI runs; --full is what the README's table comes
  from. The driver asserts nothing: it exits with 0 whatever the figures are, and with 2 only when it
  cannot run at all (a peer program missing). A scenario that fails is shown as such in the table, with
  the peer's reason on stderr.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#include "NativeProcess.h"
#include "Options.h"
#include "Platform.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace jifbench
{

namespace
{

using Results = std::map<std::string, double>;

void sleepMs (double ms)
{
    std::this_thread::sleep_for (std::chrono::microseconds ((long long) (ms * 1000.0)));
}

std::string readFile (const std::string& path)
{
    std::ifstream file (path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

std::vector<std::string> linesOf (const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream stream (text);

    for (std::string line; std::getline (stream, line);)
    {
        if (! line.empty() && line.back() == '\r')
            line.pop_back();

        lines.push_back (line);
    }

    return lines;
}

//==============================================================================
/** A peer process and the lines it prints. The driver only looks at it every few milliseconds, so that
    its own wake-ups stay out of the measurements.
*/
class Peer
{
public:
    Peer (const std::string& executable, std::vector<std::string> arguments)
    {
        static int counter = 0;
        outputPath = temporaryFolder() + "jifbench-" + std::to_string (currentProcessId()) + "-"
                       + std::to_string (++counter) + ".out";

        arguments.insert (arguments.begin(), executable);
        process = ipctest::NativeProcess::start (arguments, outputPath);
    }

    ~Peer()
    {
        if (process != nullptr)
        {
            int exitCode = 0;

            if (! process->wait (0, exitCode))
            {
                process->kill();
                process->wait (5000, exitCode);
            }
        }

        std::remove (outputPath.c_str());
    }

    bool started() const        { return process != nullptr; }
    int processId() const       { return process != nullptr ? process->processId() : 0; }

    std::vector<std::string> lines() const      { return linesOf (readFile (outputPath)); }

    /** Waits until the peer prints a line starting with `prefix`, or ends. */
    bool waitForLine (const std::string& prefix, double timeoutMs)
    {
        for (const auto deadline = nowMs() + timeoutMs;;)
        {
            for (auto& line : lines())
                if (line.compare (0, prefix.size(), prefix) == 0)
                    return true;

            int exitCode = 0;

            if (process == nullptr || process->wait (0, exitCode) || nowMs() >= deadline)
                return false;

            sleepMs (5);
        }
    }

    /** Waits until the peer has ended; kills it after timeoutMs. Returns true if it ended by itself with 0. */
    bool finish (double timeoutMs)
    {
        int exitCode = -1;

        for (const auto deadline = nowMs() + timeoutMs; process != nullptr;)
        {
            if (process->wait (0, exitCode))
                return exitCode == 0;

            if (nowMs() >= deadline)
            {
                process->kill();
                process->wait (5000, exitCode);
                return false;
            }

            sleepMs (10);
        }

        return false;
    }

    void kill()
    {
        if (process != nullptr)
            process->kill();
    }

    /** The "result <key> <value>" lines, under keyPrefix + key. */
    void collectResults (Results& results, const std::string& keyPrefix = {}) const
    {
        for (auto& line : lines())
        {
            std::istringstream words (line);
            std::string tag, key, value;

            if (words >> tag >> key >> value && tag == "result")
                results[keyPrefix + key] = value == "inf" ? INFINITY : std::atof (value.c_str());
        }
    }

    /** The "error" lines and anything that is neither a result nor a note: why a run failed. */
    std::string complaints() const
    {
        std::string text;

        for (auto& line : lines())
            if (line.compare (0, 7, "result ") != 0 && line.compare (0, 5, "note ") != 0
                 && line != "ready" && line != "connected" && ! line.empty())
                text += "    " + line + "\n";

        return text;
    }

    std::vector<std::string> notes() const
    {
        std::vector<std::string> result;

        for (auto& line : lines())
            if (line.compare (0, 5, "note ") == 0)
                result.push_back (line.substr (5));

        return result;
    }

private:
    std::unique_ptr<ipctest::NativeProcess> process;
    std::string outputPath;
};

//==============================================================================
struct Settings
{
    bool full = false;
    int repeats = 3;
    int rareRepeats = 1;            // for the slow scenarios: peer death, idle, memory, reconnect
    int roundTrips = 20000;
    long long streamBytes = 256ll << 20;
    int smallMessages = 300000;
    int reconnectTries = 20;
    int idleWindowMs = 1000;
    int deathBoundMs = 3000;
    int coordinatorDeathBoundMs = 10000;
    int memoryLinks = 16;
    int workers = 16;
    int lifetimeMs = 120000;
    int cpus = 1;
};

class Runner
{
public:
    Runner (const Settings& s, const std::string& folder) : settings (s), peerFolder (folder) {}

    std::string peerPath (const std::string& variant) const
    {
       #ifdef _WIN32
        return peerFolder + "bench_peer_" + variant + ".exe";
       #else
        return peerFolder + "bench_peer_" + variant;
       #endif
    }

    std::string newPipeName()
    {
        return "jifbench-" + std::to_string (currentProcessId()) + "-" + std::to_string (++pipeCounter);
    }

    std::vector<std::string> common (const std::string& pipeName, int cpu) const
    {
        std::vector<std::string> arguments { Options::make ("pipe", pipeName),
                                             Options::make ("lifetime-ms", settings.lifetimeMs) };

        if (cpu >= 0)
            arguments.push_back (Options::make ("cpu", cpu));

        return arguments;
    }

    static std::vector<std::string> concat (std::vector<std::string> a, const std::vector<std::string>& b)
    {
        a.insert (a.end(), b.begin(), b.end());
        return a;
    }

    /** A master and a slave: the master is started, and once it is ready the slave. The slave's results
        are returned as they are, the master's with "master." in front.
    */
    bool runPair (const std::string& variant, std::vector<std::string> masterArguments,
                  std::vector<std::string> slaveArguments, int masterCpu, int slaveCpu, Results& results)
    {
        const auto pipeName = newPipeName();
        removePipeFiles (pipeName);

        Peer master (peerPath (variant), concat (masterArguments, common (pipeName, masterCpu)));

        if (! master.waitForLine ("ready", 20000))
            return complain (variant, masterArguments, master);

        Peer slave (peerPath (variant), concat (slaveArguments, common (pipeName, slaveCpu)));
        const auto masterMeasures = masterArguments.front().find ("survive") != std::string::npos;

        // The side that measures is waited for; the other then gets a little time to end by itself (a
        // master that never saw the slave's goodbye, as after upstream's reconnects, is ended here).
        auto& measuring = masterMeasures ? master : slave;
        auto& other = masterMeasures ? slave : master;
        const auto ok = measuring.finish (settings.lifetimeMs);
        other.finish (3000);

        master.collectResults (results, "master.");
        slave.collectResults (results);
        rememberNotes (variant, master);
        removePipeFiles (pipeName);

        if (! ok)
            return complain (variant, masterMeasures ? masterArguments : slaveArguments, measuring);

        return true;
    }

    /** One process on its own (it starts its own workers). */
    bool runAlone (const std::string& variant, std::vector<std::string> arguments, Results& results)
    {
        Peer peer (peerPath (variant), concat (arguments, common (newPipeName(), -1)));

        if (! peer.finish (settings.lifetimeMs))
            return complain (variant, arguments, peer);

        peer.collectResults (results);
        rememberNotes (variant, peer);
        return true;
    }

    /** A connected pair left alone: the wake-ups and CPU time of both processes over the window. */
    bool runIdlePair (const std::string& variant, Results& results)
    {
        const auto pipeName = newPipeName();
        removePipeFiles (pipeName);

        Peer master (peerPath (variant), concat ({ "--role=serve" }, common (pipeName, 0)));

        if (! master.waitForLine ("ready", 20000))
            return complain (variant, { "--role=serve" }, master);

        Peer slave (peerPath (variant), concat ({ "--role=hold" }, common (pipeName, 0)));

        if (! slave.waitForLine ("connected", 20000))
            return complain (variant, { "--role=hold" }, slave);

        sleepMs (300);   // let both ends settle

        ProcessActivity masterBefore, slaveBefore, masterAfter, slaveAfter;
        const auto startMs = nowMs();
        const auto sampled = sampleProcess (master.processId(), masterBefore)
                              && sampleProcess (slave.processId(), slaveBefore);
        sleepMs (settings.idleWindowMs);
        const auto sampledAgain = sampleProcess (master.processId(), masterAfter)
                                   && sampleProcess (slave.processId(), slaveAfter);
        const auto seconds = (nowMs() - startMs) / 1000.0;

        slave.kill();
        master.kill();
        removePipeFiles (pipeName);

        if (! sampled || ! sampledAgain)
            return false;

        if (masterBefore.wakeUps >= 0)
            results["idle_wakeups_per_s"] = (masterAfter.wakeUps - masterBefore.wakeUps
                                              + slaveAfter.wakeUps - slaveBefore.wakeUps) / seconds;

        results["idle_cpu_ms_per_s"] = (masterAfter.cpuMs - masterBefore.cpuMs
                                         + slaveAfter.cpuMs - slaveBefore.cpuMs) / seconds;
        return true;
    }

    const std::map<std::string, std::vector<std::string>>& variantNotes() const    { return notes; }

private:
    bool complain (const std::string& variant, const std::vector<std::string>& arguments, const Peer& peer)
    {
        std::string command;

        for (auto& argument : arguments)
            command += " " + argument;

        std::fprintf (stderr, "ipc_bench: %s peer failed (%s):\n%s", variant.c_str(), command.c_str() + 1,
                      peer.complaints().c_str());
        return false;
    }

    void rememberNotes (const std::string& variant, const Peer& peer)
    {
        if (notes.count (variant) == 0)
            notes[variant] = peer.notes();
    }

    const Settings& settings;
    const std::string peerFolder;
    int pipeCounter = 0;
    std::map<std::string, std::vector<std::string>> notes;
};

//==============================================================================
/** What a row of the table must show for the fork. */
struct Target
{
    enum class Kind { maxTimesRaw, minTimesRaw, atMost, zero, notWorseOnly };

    Kind kind;
    double value = 0;

    std::string describe (const std::string& unit) const
    {
        char text[64];

        switch (kind)
        {
            case Kind::maxTimesRaw:     std::snprintf (text, sizeof (text), "≤ %g× raw", value); break;
            case Kind::minTimesRaw:     std::snprintf (text, sizeof (text), "≥ %g× raw", value); break;
            case Kind::atMost:          std::snprintf (text, sizeof (text), "≤ %g %s", value, unit.c_str()); break;
            case Kind::zero:            std::snprintf (text, sizeof (text), "0"); break;
            case Kind::notWorseOnly:    std::snprintf (text, sizeof (text), "≤ upstream"); break;
        }

        return text;
    }
};

/** One row: a figure a scenario reports, for every variant. */
struct Metric
{
    std::string label, unit, key;
    bool higherIsBetter;
    Target target;
    std::vector<double> samples[3];     // raw, upstream, fork

    static double median (std::vector<double> values)
    {
        values.erase (std::remove_if (values.begin(), values.end(), [] (double v) { return std::isnan (v); }),
                      values.end());

        if (values.empty())
            return std::nan ("");

        std::sort (values.begin(), values.end());
        const auto middle = values.size() / 2;
        return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
    }
};

const char* const variantNames[] = { "raw", "upstream", "fork" };

std::string formatValue (double value)
{
    if (std::isnan (value))
        return "failed";

    if (std::isinf (value))
        return "never";

    char text[64];
    const auto magnitude = std::fabs (value);

    if (magnitude == 0)
        return "0";

    if (magnitude >= 100000)
        std::snprintf (text, sizeof (text), "%.3g M", value / 1.0e6);
    else if (magnitude >= 100)
        std::snprintf (text, sizeof (text), "%.0f", value);
    else if (magnitude >= 10)
        std::snprintf (text, sizeof (text), "%.1f", value);
    else if (magnitude >= 0.1)
        std::snprintf (text, sizeof (text), "%.2f", value);
    else
        std::snprintf (text, sizeof (text), "%.3f", value);

    return text;
}

/** A median, or "–" for a variant that was not run. */
std::string formatSamples (const std::vector<double>& samples, double median)
{
    return samples.empty() ? "–" : formatValue (median);
}

std::string formatRatio (double numerator, double denominator)
{
    if (std::isnan (numerator) || std::isnan (denominator) || denominator == 0)
        return "–";

    if (std::isinf (numerator) && std::isinf (denominator))
        return "–";

    if (std::isinf (denominator))
        return "0";

    if (std::isinf (numerator))
        return "∞";

    char text[32];
    std::snprintf (text, sizeof (text), "%.2f", numerator / denominator);
    return text;
}

/** Whether the fork meets the row's target, and is no worse than upstream beyond the noise margin. */
std::string judge (const Metric& metric, double raw, double upstream, double fork, double noiseMargin)
{
    if (std::isnan (fork))
        return "**no**";

    bool met = true;

    switch (metric.target.kind)
    {
        case Target::Kind::maxTimesRaw:     met = ! std::isnan (raw) && fork <= metric.target.value * raw; break;
        case Target::Kind::minTimesRaw:     met = ! std::isnan (raw) && fork >= metric.target.value * raw; break;
        case Target::Kind::atMost:          met = fork <= metric.target.value; break;
        case Target::Kind::zero:            met = fork == 0; break;
        case Target::Kind::notWorseOnly:    break;
    }

    if (! std::isnan (upstream) && ! std::isinf (upstream) && upstream != 0)
    {
        const auto notWorse = metric.higherIsBetter ? fork >= upstream * (1.0 - noiseMargin)
                                                    : fork <= upstream * (1.0 + noiseMargin);
        met = met && notWorse;
    }

    return met ? "yes" : "**no**";
}

//==============================================================================
int run (const Options& options)
{
    Settings settings;
    settings.full = options.has ("full");
    settings.cpus = numCpus();

    if (settings.full)
    {
        settings.repeats = 7;
        settings.rareRepeats = 3;
        settings.roundTrips = 100000;
        settings.streamBytes = 1ll << 30;
        settings.smallMessages = 1000000;
        settings.reconnectTries = 50;
        settings.idleWindowMs = 5000;
        settings.deathBoundMs = 10000;
        settings.coordinatorDeathBoundMs = 15000;
        settings.memoryLinks = 32;
        settings.workers = 64;
    }

    // --scale shrinks (or grows) the amount of traffic per run, for slow systems such as Wine.
    const auto scale = options.has ("scale") ? std::atof (options.get ("scale").c_str()) : 1.0;

    if (! (scale > 0))
    {
        std::fprintf (stderr, "ipc_bench: --scale needs a number above 0, such as --scale=0.05\n");
        return 2;
    }

    settings.roundTrips = std::max (200, (int) (settings.roundTrips * scale));
    settings.streamBytes = std::max (16ll << 20, (long long) ((double) settings.streamBytes * scale));
    settings.smallMessages = std::max (5000, (int) (settings.smallMessages * scale));
    settings.reconnectTries = std::max (5, (int) (settings.reconnectTries * scale));

    settings.repeats = (int) options.getInt ("repeats", settings.repeats);
    settings.rareRepeats = std::min (settings.rareRepeats, settings.repeats);

    auto folder = options.get ("peers");

    if (folder.empty())
    {
        const auto self = executablePath();
        folder = self.substr (0, self.find_last_of ("/\\") + 1);
    }
    else if (folder.back() != '/' && folder.back() != '\\')
    {
        folder += "/";
    }

    Runner runner (settings, folder);

    std::vector<std::string> chosen;
    {
        std::istringstream list (options.get ("variants", "raw,upstream,fork"));

        for (std::string name; std::getline (list, name, ',');)
        {
            if (std::find (std::begin (variantNames), std::end (variantNames), name) == std::end (variantNames))
            {
                std::fprintf (stderr, "ipc_bench: unknown variant '%s' (variants: raw, upstream, fork)\n", name.c_str());
                return 2;
            }

            chosen.push_back (name);
        }
    }

    for (auto& variant : chosen)
    {
        if (! std::ifstream (runner.peerPath (variant)).good())
        {
            std::fprintf (stderr, "ipc_bench: the peer program %s is missing. Build the benchmark first "
                                  "(cmake --workflow --preset bench), or pass --peers=<folder>.\n",
                          runner.peerPath (variant).c_str());
            return 2;
        }
    }

    // The driver keeps off the CPU the pinned peers share.
    if (settings.cpus > 1)
        pinToCpu (settings.cpus - 1);

    const auto crossCpu = settings.cpus > 1 ? 1 : 0;
    const auto size64k = 65536ll, size1m = 1ll << 20;

    using K = Target::Kind;
    std::vector<Metric> metrics;
    auto add = [&] (std::string label, std::string unit, std::string key, bool higher, Target target)
    {
        metrics.push_back ({ std::move (label), std::move (unit), std::move (key), higher, target, {} });
    };

    for (auto* placement : { "same", "cross" })
    {
        const std::string where = std::string (placement) == "same" ? ", same CPU" : ", cross CPU";
        const std::string suffix = std::string (".") + placement;

        add ("round trip 64 B, p50" + where, "µs", "rt_p50_us" + suffix, false, { K::maxTimesRaw, 1.2 });
        add ("round trip 64 B, p99" + where, "µs", "rt_p99_us" + suffix, false, { K::notWorseOnly });
        add ("throughput 64 KiB messages" + where, "MB/s", "mb_per_s.64k" + suffix, true, { K::minTimesRaw, 0.9 });
        add ("throughput 1 MiB messages" + where, "MB/s", "mb_per_s.1m" + suffix, true, { K::minTimesRaw, 0.9 });
        add ("64 B messages, one way" + where, "msg/s", "msgs_per_s.64" + suffix, true, { K::minTimesRaw, 0.8 });
    }

    add ("peer death noticed, survivor is master", "ms", "death_ms.master", false, { K::atMost, 5 });
    add ("peer death noticed, survivor is slave", "ms", "death_ms.slave", false, { K::atMost, 5 });
    add ("worker death noticed by its coordinator", "ms", "death_ms.coordinator", false, { K::atMost, 20 });
    add ("connect + first round trip (a reconnect)", "ms", "connect_rt_ms", false, { K::maxTimesRaw, 1.5 });
    add ("connectToPipe again after disconnect()", "ms", "reconnect_ms", false, { K::notWorseOnly });
    add ("disconnect()", "ms", "disconnect_ms", false, { K::atMost, 1 });
    add ("replies lost on reconnect, of " + std::to_string (settings.reconnectTries - 1), "", "lost_replies", false, { K::zero });
    add ("idle connected pair: wake-ups", "1/s", "idle_wakeups_per_s", false, { K::zero });
    add ("idle connected pair: CPU time", "ms/s", "idle_cpu_ms_per_s", false, { K::notWorseOnly });
    add ("peak RSS per connection (both ends)", "KiB", "rss_per_link_kib", false, { K::notWorseOnly });
    add ("host with " + std::to_string (settings.workers) + " workers: threads", "", "host_threads", false, { K::notWorseOnly });
    add ("host with " + std::to_string (settings.workers) + " workers: RSS", "MiB", "host_rss_mib", false, { K::notWorseOnly });

    auto record = [&] (int variantIndex, const Results& results)
    {
        for (auto& metric : metrics)
        {
            const auto found = results.find (metric.key);

            if (found != results.end())
                metric.samples[variantIndex].push_back (found->second);
        }
    };

    auto recordFailure = [&] (int variantIndex, const std::vector<std::string>& keys)
    {
        for (auto& metric : metrics)
            if (std::find (keys.begin(), keys.end(), metric.key) != keys.end())
                metric.samples[variantIndex].push_back (std::nan (""));
    };

    // Each repetition runs every variant once per scenario, in an order that rotates, so that slow drifts of
    // the machine (frequency, other load) spread over all of them.
    using Scenario = std::function<void (const std::string& variant, int index)>;

    const auto only = options.get ("only");

    auto runScenario = [&] (const std::string& title, int repetitions, const Scenario& scenario)
    {
        if (title.find (only) == std::string::npos)
            return;

        std::fprintf (stderr, "ipc_bench: %s", title.c_str());

        for (int repetition = 0; repetition < repetitions; ++repetition)
        {
            for (int step = 0; step < 3; ++step)
            {
                const auto index = (step + repetition) % 3;

                if (std::find (chosen.begin(), chosen.end(), variantNames[index]) != chosen.end())
                    scenario (variantNames[index], index);
            }

            std::fprintf (stderr, ".");
        }

        std::fprintf (stderr, "\n");
    };

    auto pairScenario = [&] (std::vector<std::string> slaveArguments, std::vector<std::string> masterArguments,
                             int masterCpu, int slaveCpu, const std::map<std::string, std::string>& keys)
    {
        return [&runner, &record, &recordFailure, slaveArguments, masterArguments, masterCpu, slaveCpu, keys]
               (const std::string& variant, int index)
        {
            Results results, renamed;
            const auto ok = runner.runPair (variant, masterArguments, slaveArguments, masterCpu, slaveCpu, results);

            std::vector<std::string> wanted;

            for (auto& [from, to] : keys)
            {
                wanted.push_back (to);
                const auto found = results.find (from);

                if (ok && found != results.end())
                    renamed[to] = found->second;
            }

            if (renamed.empty())
                recordFailure (index, wanted);
            else
                record (index, renamed);
        };
    };

    for (auto* placement : { "same", "cross" })
    {
        const auto slaveCpu = std::string (placement) == "same" ? 0 : crossCpu;
        const std::string suffix = std::string (".") + placement;

        runScenario ("round trips, " + std::string (placement) + " CPU", settings.repeats,
                     pairScenario ({ "--role=ping", "--size=64", "--warmup=1000", Options::make ("count", settings.roundTrips) },
                                   { "--role=serve" }, 0, slaveCpu,
                                   { { "rt_p50_us", "rt_p50_us" + suffix }, { "rt_p99_us", "rt_p99_us" + suffix } }));

        runScenario ("64 KiB stream, " + std::string (placement) + " CPU", settings.repeats,
                     pairScenario ({ "--role=stream", Options::make ("size", size64k), "--warmup=100",
                                     Options::make ("count", settings.streamBytes / size64k) },
                                   { "--role=serve" }, 0, slaveCpu, { { "mb_per_s", "mb_per_s.64k" + suffix } }));

        runScenario ("1 MiB stream, " + std::string (placement) + " CPU", settings.repeats,
                     pairScenario ({ "--role=stream", Options::make ("size", size1m), "--warmup=10",
                                     Options::make ("count", settings.streamBytes / size1m) },
                                   { "--role=serve" }, 0, slaveCpu, { { "mb_per_s", "mb_per_s.1m" + suffix } }));

        runScenario ("64 B messages, " + std::string (placement) + " CPU", settings.repeats,
                     pairScenario ({ "--role=stream", "--size=64", "--warmup=10000", Options::make ("count", settings.smallMessages) },
                                   { "--role=serve" }, 0, slaveCpu, { { "msgs_per_s", "msgs_per_s.64" + suffix } }));
    }

    const auto bound = Options::make ("bound-ms", settings.deathBoundMs);

    runScenario ("peer death, survivor is master", settings.rareRepeats,
                 pairScenario ({ "--role=hold" }, { "--role=survive-master", bound }, 0, crossCpu,
                               { { "master.death_ms", "death_ms.master" } }));

    runScenario ("peer death, survivor is slave", settings.rareRepeats,
                 pairScenario ({ "--role=survive-slave", bound }, { "--role=serve" }, 0, crossCpu,
                               { { "death_ms", "death_ms.slave" } }));

    runScenario ("worker death, coordinator", settings.rareRepeats, [&] (const std::string& variant, int index)
    {
        Results results;

        if (runner.runAlone (variant, { "--role=survive-coordinator",
                                        Options::make ("bound-ms", settings.coordinatorDeathBoundMs) }, results)
             && results.count ("death_ms") != 0)
            record (index, { { "death_ms.coordinator", results["death_ms"] } });
        else
            recordFailure (index, { "death_ms.coordinator" });
    });

    runScenario ("reconnects", settings.rareRepeats,
                 pairScenario ({ "--role=reconnect", Options::make ("tries", settings.reconnectTries) },
                               { "--role=serve" }, 0, crossCpu,
                               { { "connect_rt_ms", "connect_rt_ms" }, { "reconnect_ms", "reconnect_ms" },
                                 { "disconnect_ms", "disconnect_ms" }, { "lost_replies", "lost_replies" } }));

    runScenario ("idle pair", settings.rareRepeats, [&] (const std::string& variant, int index)
    {
        Results results;

        if (runner.runIdlePair (variant, results))
            record (index, results);
        else
            recordFailure (index, { "idle_wakeups_per_s", "idle_cpu_ms_per_s" });
    });

    runScenario ("memory per connection", settings.rareRepeats, [&] (const std::string& variant, int index)
    {
        Results results;
        const auto links = Options::make ("links", settings.memoryLinks);

        if (runner.runPair (variant, { "--role=serve", links, "--report-memory" }, { "--role=memory", links }, -1, -1, results)
             && results.count ("peak_rss_per_link_kib") != 0 && results.count ("master.peak_rss_per_link_kib") != 0)
            record (index, { { "rss_per_link_kib", results["peak_rss_per_link_kib"] + results["master.peak_rss_per_link_kib"] } });
        else
            recordFailure (index, { "rss_per_link_kib" });
    });

    runScenario ("host with workers", settings.rareRepeats, [&] (const std::string& variant, int index)
    {
        Results results;

        if (runner.runAlone (variant, { "--role=host-workers", Options::make ("workers", settings.workers) }, results)
             && results["workers_connected"] == settings.workers)
            record (index, results);
        else
            recordFailure (index, { "host_threads", "host_rss_mib" });
    });

    //==========================================================================
    const auto noiseMargin = 0.10;
    std::ostringstream table;

    table << "| metric | raw | upstream | fork | fork/raw | fork/upstream | target | met |\n"
          << "|---|---:|---:|---:|---:|---:|---|---|\n";

    int unmet = 0;

    int numRows = 0;

    for (auto& metric : metrics)
    {
        if (metric.samples[0].empty() && metric.samples[1].empty() && metric.samples[2].empty())
            continue;   // not run (--only)

        ++numRows;
        const auto raw = Metric::median (metric.samples[0]);
        const auto upstream = Metric::median (metric.samples[1]);
        const auto fork = Metric::median (metric.samples[2]);
        const auto unit = metric.unit.empty() ? std::string() : " (" + metric.unit + ")";
        const auto met = metric.samples[2].empty() ? std::string ("–") : judge (metric, raw, upstream, fork, noiseMargin);
        unmet += met == "**no**" ? 1 : 0;

        table << "| " << metric.label << unit
              << " | " << formatSamples (metric.samples[0], raw) << " | " << formatSamples (metric.samples[1], upstream)
              << " | " << formatSamples (metric.samples[2], fork)
              << " | " << formatRatio (fork, raw) << " | " << formatRatio (fork, upstream)
              << " | " << metric.target.describe (metric.unit) << " | " << met << " |\n";
    }

    std::printf ("## juce-ipc-fork benchmark (%s mode)\n\n", settings.full ? "full" : "short");
    std::printf ("Machine: %s.\n", describeMachine().c_str());
    std::printf ("Medians of %d runs per variant (%d for death, reconnect, idle and memory), variants interleaved. "
                 "\"Same CPU\": both processes pinned to CPU 0; \"cross CPU\": master on CPU 0, slave on CPU %d; "
                 "the other rows are unpinned except peer death (master CPU 0, slave CPU %d) and idle (both on CPU 0). "
                 "\"met\" also requires the fork to be no worse than upstream beyond a %.0f%% noise margin.\n\n",
                 settings.repeats, settings.rareRepeats, crossCpu, crossCpu, noiseMargin * 100);

    std::printf ("Each run: %d round trips; %lld MiB streamed in 64 KiB and in 1 MiB messages; %d messages of 64 B; "
                 "%d connects on one object; %d ms of idling; %d connections for the memory figure; a host of %d workers.\n\n",
                 settings.roundTrips, settings.streamBytes >> 20, settings.smallMessages, settings.reconnectTries,
                 settings.idleWindowMs, settings.memoryLinks, settings.workers);

    for (auto& [variant, lines] : runner.variantNotes())
        for (auto& line : lines)
            std::printf ("- %s\n", line.c_str());

    std::printf ("\n%s\n%d of %d targets not met.\n", table.str().c_str(), unmet, numRows);
    std::fflush (stdout);
    return 0;
}

} // namespace
} // namespace jifbench

int main (int argc, char** argv)
{
    return jifbench::run (jifbench::Options (argc, argv));
}
