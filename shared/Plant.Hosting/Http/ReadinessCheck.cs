using System.Diagnostics;
using Npgsql;

namespace Plant.Hosting.Http;

/// <summary>
/// Whether the database answers. <c>/readyz</c> is anonymous and not rate limited, so one check runs at a time and
/// its answer is reused for a second: a flood of probes cannot take the small connection pool from the functions.
/// </summary>
internal sealed class ReadinessCheck(NpgsqlDataSource dataSource)
{
    private static readonly TimeSpan s_reuseFor = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _checkedAt;
    private bool _ready;

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_checkedAt == 0 || Stopwatch.GetElapsedTime(_checkedAt) > s_reuseFor)
            {
                _ready = await QueryAsync(cancellationToken);
                _checkedAt = Stopwatch.GetTimestamp();
            }

            return _ready;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> QueryAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
