namespace Plant.Hosting.Logging;

/// <summary>
/// Log lines collected in memory and written to a stream in batches by one background thread.
/// </summary>
/// <remarks>
/// Why: the console logger hands every line to its writer thread, and waking that thread costs more CPU than
/// formatting the line (docs/BENCHMARKS.md, host overhead). Here a request thread only copies its bytes under a
/// short lock. When lines are rare (the last write is older than <see cref="FlushInterval"/>) the appending thread
/// writes at once, so a quiet service logs each line before it answers; under load, lines wait at most
/// <see cref="FlushInterval"/> for the writer thread, which wakes once per batch, not per line, and sleeps while
/// nothing is pending. Nothing is dropped: when more than <see cref="MaxPending"/> bytes wait, the appending thread
/// writes the batch itself (so a stalled stdout slows callers instead of growing memory), an error line is written
/// through at once (it may precede a crash), and disposing (SIGTERM) flushes what is left. On Cloud Run with CPU
/// allocated only during requests, the tail of a burst may therefore reach the log a little later, but it arrives.
/// </remarks>
internal sealed class BatchedOutput : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);
    public const int MaxPending = 1 << 20;

    private readonly Stream _output;
    private readonly Lock _appendLock = new();
    private readonly Lock _writeLock = new();
    private readonly Thread _writer;
    private readonly AutoResetEvent _wake = new(false);
    private readonly CancellationTokenSource _stop = new();
    private long _lastWrite;
    private MemoryStream _pending = new(64 * 1024);
    private MemoryStream _spare = new(64 * 1024);
    private bool _disposed;

    public BatchedOutput(Stream output)
    {
        _output = output;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "Plant log writer" };
        _writer.Start();
    }

    /// <summary>Queues one line (its bytes must end with a newline); <paramref name="flushNow"/> writes it before returning.</summary>
    public void Append(ReadOnlySpan<byte> line, bool flushNow)
    {
        bool wasEmpty, full;
        lock (_appendLock)
        {
            // Late lines during shutdown still go out, just without batching.
            flushNow |= _disposed;
            wasEmpty = _pending.Length == 0;
            _pending.Write(line);
            full = _pending.Length >= MaxPending;
        }

        if (flushNow || full || Environment.TickCount64 - Volatile.Read(ref _lastWrite) > FlushInterval.TotalMilliseconds)
        {
            Flush();
        }
        else if (wasEmpty)
        {
            _wake.Set();
        }
    }

    /// <summary>Writes everything appended so far.</summary>
    public void Flush()
    {
        // One writer at a time keeps batches in the order they were appended.
        lock (_writeLock)
        {
            MemoryStream batch;
            lock (_appendLock)
            {
                if (_pending.Length == 0)
                {
                    return;
                }

                batch = _pending;
                _pending = _spare;
                _spare = batch;
            }

            try
            {
                Volatile.Write(ref _lastWrite, Environment.TickCount64);
                _output.Write(batch.GetBuffer(), 0, (int)batch.Length);
                _output.Flush();
            }
            catch (IOException)
            {
                // stdout closed (the platform is tearing the container down): there is nowhere left to write.
            }
            finally
            {
                batch.SetLength(0);
            }
        }
    }

    public void Dispose()
    {
        lock (_appendLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _stop.Cancel();
        _wake.Set();
        _writer.Join();
        Flush();
        _stop.Dispose();
        _wake.Dispose();
    }

    private void WriteLoop()
    {
        // Sleep until a line is pending, then give the batch one interval to fill.
        while (!_stop.IsCancellationRequested)
        {
            _wake.WaitOne();
            _stop.Token.WaitHandle.WaitOne(FlushInterval);
            Flush();
        }
    }
}
