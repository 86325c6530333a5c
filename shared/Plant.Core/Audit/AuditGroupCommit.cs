using Npgsql;

namespace Plant.Core.Audit;

/// <summary>
/// Appends that need no caller's transaction, grouped: while one group is being written, the appends that arrive
/// wait, and the next group writes them all in one round trip and one commit. Appends are serial anyway (the
/// chain's lock), so a group costs one lock hand-over and one commit, with its WAL flush, instead of one per entry.
/// </summary>
internal sealed class AuditGroupCommit(NpgsqlDataSource dataSource)
{
    /// <summary>The most entries one group writes; the rest wait for the next.</summary>
    private const int MaxGroupSize = 128;

    private readonly Lock _gate = new();
    private readonly List<Pending> _waiting = [];
    private bool _writing;

    /// <summary>
    /// Queues one entry and waits until its group has committed. Cancelling gives up the wait, not the entry: once
    /// queued, it is appended with its group.
    /// </summary>
    public Task<(long Sequence, byte[] Hash)> AppendAsync(byte[] prefix, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var pending = new Pending(prefix);
        bool lead;
        lock (_gate)
        {
            _waiting.Add(pending);
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            // Off the caller's stack: the first caller's cancellation must not stop the groups behind it.
            _ = Task.Run(WriteGroupsAsync, CancellationToken.None);
        }

        return pending.Appended.Task.WaitAsync(ct);
    }

    private async Task WriteGroupsAsync()
    {
        while (true)
        {
            Pending[] group;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    return;
                }

                group = [.. _waiting.Take(MaxGroupSize)];
                _waiting.RemoveRange(0, group.Length);
            }

            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
                var appended = await AuditAppendStatement.ExecuteAsync(connection, null, [.. group.Select(p => p.Prefix)], CancellationToken.None);
                for (var i = 0; i < group.Length; i++)
                {
                    group[i].Appended.TrySetResult(appended[i]);
                }
            }
            catch (Exception e)
            {
                // The group's transaction rolled back as a whole: none of its entries was appended.
                foreach (var pending in group)
                {
                    pending.Appended.TrySetException(e);
                }
            }
        }
    }

    private sealed class Pending(byte[] prefix)
    {
        public byte[] Prefix { get; } = prefix;

        public TaskCompletionSource<(long Sequence, byte[] Hash)> Appended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
