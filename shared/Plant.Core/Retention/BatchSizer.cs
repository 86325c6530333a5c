namespace Plant.Core.Retention;

/// <summary>
/// Picks the next batch's size from the last one's rate, so that each delete statement takes about the target
/// time: long enough to amortise the round trip and commit, short enough that row locks and the WAL burst stay
/// small and the application's queries never wait long behind a batch. It shrinks at once when a batch was slow
/// and grows at most twofold, so one fast batch on a cold cache cannot produce a huge one.
/// </summary>
internal sealed class BatchSizer
{
    private readonly TimeSpan _target;
    private readonly int _minimum;
    private readonly int _maximum;

    public BatchSizer(TimeSpan target, int initial, int minimum, int maximum)
    {
        _target = target;
        _minimum = minimum;
        _maximum = maximum;
        Size = Math.Clamp(initial, minimum, maximum);
    }

    /// <summary>Rows to select in the next batch.</summary>
    public int Size { get; private set; }

    /// <summary>Takes note of a batch that handled <paramref name="rows"/> in <paramref name="elapsed"/>.</summary>
    public void Observe(int rows, TimeSpan elapsed)
    {
        if (rows <= 0)
        {
            return;
        }

        var perRow = Math.Max(elapsed.Ticks, 1) / (double)rows;
        var ideal = _target.Ticks / perRow;
        Size = (int)Math.Clamp(Math.Min(ideal, Size * 2.0), _minimum, _maximum);
    }
}
