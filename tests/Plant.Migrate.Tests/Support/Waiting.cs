using System.Diagnostics;
using Npgsql;
using Plant.Testing;

namespace Plant.Migrate.Tests.Support;

/// <summary>Bounded polling: tests wait for a condition, never for a length of time.</summary>
internal static class Waiting
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > Patience)
            {
                Assert.Fail($"Gave up after {Patience.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Waits until a session of the database waits for the advisory lock <paramref name="key"/>.</summary>
    public static Task UntilWaitingForAdvisoryLockAsync(ScratchDatabase db, long key) =>
        UntilAsync(
            async () =>
            {
                await using var command = db.DataSource.CreateCommand("""
                    select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid
                    where l.locktype = 'advisory' and not l.granted and a.datname = current_database()
                      and l.classid = (@key >> 32)::int::oid and l.objid = (@key & 4294967295)::oid
                    """);
                command.Parameters.AddWithValue("key", key);
                return (long)(await command.ExecuteScalarAsync())!;
            },
            waiting => waiting > 0,
            $"a session waiting for advisory lock {key}");
}
