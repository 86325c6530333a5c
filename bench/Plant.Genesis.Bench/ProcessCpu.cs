using System.Diagnostics;
using System.Globalization;

namespace Plant.Genesis.Bench;

/// <summary>
/// CPU time used by this process and by the PostgreSQL backends serving one database. On a machine shared with
/// other builds the wall time says more about the neighbours than about the code; CPU time per operation does not.
/// </summary>
internal static class ProcessCpu
{
    private static readonly double s_ticksPerSecond = 100; // USER_HZ on Linux

    public static (TimeSpan Client, TimeSpan Server) Now(string database) =>
        (Process.GetCurrentProcess().TotalProcessorTime, ServerTime(database));

    /// <summary>utime + stime of every process whose command line names <paramref name="database"/> (its backends).</summary>
    private static TimeSpan ServerTime(string database)
    {
        double ticks = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline"));
                if (!commandLine.StartsWith("postgres:", StringComparison.Ordinal) || !commandLine.Contains($" {database} ", StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after the command name in parentheses: state is field 3, utime 14, stime 15.
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read.
            }
        }

        return TimeSpan.FromSeconds(ticks / s_ticksPerSecond);
    }
}
