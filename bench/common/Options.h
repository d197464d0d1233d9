/*
  juce-ipc-fork benchmark: command-line options of the form --name=value (or --name alone), shared by the
  driver and the peer programs.
  Copyright (c) 2026 the juce-ipc-fork authors. ISC license: see LICENSE.
*/

#pragma once

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace jifbench
{

class Options
{
public:
    Options() = default;

    /** Reads the arguments after argv[0]. Anything that does not start with "--" is kept in others(). */
    Options (int argc, char** argv)
    {
        for (int i = 1; i < argc; ++i)
        {
            const std::string argument (argv[i]);

            if (argument.compare (0, 2, "--") != 0)
            {
                otherArguments.push_back (argument);
                continue;
            }

            const auto equals = argument.find ('=');

            if (equals == std::string::npos)
                values[argument.substr (2)] = "";
            else
                values[argument.substr (2, equals - 2)] = argument.substr (equals + 1);
        }
    }

    bool has (const std::string& name) const                { return values.count (name) != 0; }

    std::string get (const std::string& name, const std::string& fallback = {}) const
    {
        const auto found = values.find (name);
        return found != values.end() ? found->second : fallback;
    }

    long long getInt (const std::string& name, long long fallback) const
    {
        const auto found = values.find (name);
        return found != values.end() && ! found->second.empty() ? std::atoll (found->second.c_str()) : fallback;
    }

    const std::vector<std::string>& others() const         { return otherArguments; }

    /** "--name=value", for building another process's command line. */
    static std::string make (const std::string& name, const std::string& value)
    {
        return "--" + name + "=" + value;
    }

    static std::string make (const std::string& name, long long value)
    {
        return make (name, std::to_string (value));
    }

private:
    std::map<std::string, std::string> values;
    std::vector<std::string> otherArguments;
};

} // namespace jifbench
