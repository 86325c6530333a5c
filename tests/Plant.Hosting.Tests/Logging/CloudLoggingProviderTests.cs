using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Plant.Hosting.Logging;

namespace Plant.Hosting.Tests.Logging;

public sealed class CloudLoggingProviderTests
{
    [Fact]
    public void A_line_is_json_with_severity_message_category_and_the_template_fields()
    {
        var output = new MemoryStream();
        using (var provider = new CloudLoggingProvider(output))
        {
            provider.CreateLogger("Function.Hello").LogInformation("Executed 'Functions.{Name}' (Id={InvocationId})", "Hello", "abc");
        }

        var line = Assert.Single(Lines(output));
        Assert.Equal("INFO", line.GetProperty("severity").GetString());
        Assert.Equal("Executed 'Functions.Hello' (Id=abc)", line.GetProperty("message").GetString());
        Assert.Equal("Function.Hello", line.GetProperty("category").GetString());
        Assert.Equal("Hello", line.GetProperty("name").GetString());
        Assert.Equal("abc", line.GetProperty("invocationId").GetString());
        Assert.True(line.TryGetProperty("time", out _));
    }

    [Fact]
    public void A_template_field_cannot_shadow_the_line_own_keys()
    {
        var output = new MemoryStream();
        using (var provider = new CloudLoggingProvider(output))
        {
            provider.CreateLogger("c").LogWarning("{Severity} {Message}", "DEBUG", "forged");
        }

        var line = Assert.Single(Lines(output));
        Assert.Equal("WARNING", line.GetProperty("severity").GetString());
        Assert.Equal("DEBUG forged", line.GetProperty("message").GetString());
    }

    [Fact]
    public void An_exception_goes_into_the_message_and_an_error_is_written_before_Log_returns()
    {
        var output = new BlockingRecorder();
        using var provider = new CloudLoggingProvider(output);
        var logger = provider.CreateLogger("c");

        // Keep the batch "recent" so that only the error rule can explain an immediate write.
        logger.LogInformation("first");
        logger.LogError(new InvalidOperationException("boom"), "failed");

        var text = output.Text;
        Assert.Contains("\"severity\":\"ERROR\"", text, StringComparison.Ordinal);
        Assert.Contains("failed\\nSystem.InvalidOperationException: boom", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("first", StringComparison.Ordinal) < text.IndexOf("failed", StringComparison.Ordinal), "lines keep their order");
    }

    [Fact]
    public void Lines_from_many_threads_all_arrive_whole_and_in_each_thread_order()
    {
        const int threads = 8, perThread = 2_000;
        var output = new MemoryStream();
        using (var provider = new CloudLoggingProvider(output))
        {
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                var logger = provider.CreateLogger("c");
                for (var i = 0; i < perThread; i++)
                {
                    logger.LogInformation("{Thread} {Index} {Padding}", t, i, new string('x', i % 300));
                }
            });
        }

        var lines = Lines(output);
        Assert.Equal(threads * perThread, lines.Count);
        foreach (var group in lines.GroupBy(l => l.GetProperty("thread").GetString()))
        {
            Assert.Equal(Enumerable.Range(0, perThread).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                group.Select(l => l.GetProperty("index").GetString()));
        }
    }

    [Fact]
    public void Lines_written_while_busy_reach_the_output_without_disposing()
    {
        var output = new BlockingRecorder();
        using var provider = new CloudLoggingProvider(output);
        var logger = provider.CreateLogger("c");
        for (var i = 0; i < 100; i++)
        {
            logger.LogInformation("line {Index}", i);
        }

        // The writer thread flushes the batch within its interval; wait for it rather than for a fixed time.
        Assert.True(SpinWait.SpinUntil(() => output.Text.Contains("line 99", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_closed_output_does_not_throw_into_the_caller()
    {
        var output = new ClosedStream();
        using var provider = new CloudLoggingProvider(output);
        provider.CreateLogger("c").LogError("nowhere to go");
    }

    private static List<JsonElement> Lines(MemoryStream output) =>
        [.. Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>Records what was written, readable from another thread.</summary>
    private sealed class BlockingRecorder : MemoryStream
    {
        private readonly Lock _lock = new();

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return Encoding.UTF8.GetString(ToArray());
                }
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_lock)
            {
                base.Write(buffer, offset, count);
            }
        }
    }

    private sealed class ClosedStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Broken pipe");
    }
}
