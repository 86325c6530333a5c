using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Plant.Hosting.Logging;

/// <summary>
/// Logs one JSON object per line on stdout with Cloud Logging's <c>severity</c>, so that Cloud Run's log agent files
/// each line under the right level and keeps the structured fields (function name, invocation id) searchable.
/// </summary>
/// <remarks>
/// Lines are formatted on the calling thread straight into UTF-8 and written in batches (<see cref="BatchedOutput"/>);
/// the console logger's per-line hand-off to its own thread cost more than the whole request path of a trivial
/// function (docs/BENCHMARKS.md).
/// </remarks>
internal sealed class CloudLoggingProvider : ILoggerProvider
{
    // A log line is not HTML: escaping only what JSON requires keeps quotes in messages readable and fast.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    // Template field names come from a small, fixed set of templates; converting each on every line allocated.
    private static readonly ConcurrentDictionary<string, string> s_fieldNames = new(StringComparer.Ordinal);

    private const int MaxKeptBuffer = 16 * 1024;

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? t_writer;

    private readonly BatchedOutput _output;

    public CloudLoggingProvider(Stream output) => _output = new BatchedOutput(output);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void Dispose() => _output.Dispose();

    private void Write<TState>(string category, LogLevel level, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var (buffer, json) = t_writer ??= CreateWriter();
        buffer.ResetWrittenCount();
        json.Reset(buffer);

        var message = formatter(state, exception);
        json.WriteStartObject();
        json.WriteString("severity", Severity(level));
        json.WriteString("time", DateTimeOffset.UtcNow);
        json.WriteString("message", exception is null ? message : $"{message}\n{exception}");
        json.WriteString("category", category);
        if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
        {
            foreach (var (key, value) in fields)
            {
                // The line's own keys come first and stay the only ones: a template field named like them is left out.
                var name = s_fieldNames.GetOrAdd(key, static k => JsonNamingPolicy.CamelCase.ConvertName(k));
                if (key != "{OriginalFormat}" && name is not ("severity" or "time" or "message" or "category"))
                {
                    json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                }
            }
        }

        json.WriteEndObject();
        json.Flush();
        buffer.Write("\n"u8);

        // An error may be the last thing this process says: it does not wait for the batch.
        _output.Append(buffer.WrittenSpan, flushNow: level >= LogLevel.Error);
        if (buffer.Capacity > MaxKeptBuffer)
        {
            // One huge line (a long stack trace) should not pin its buffer to this thread for good.
            t_writer = null;
        }
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) CreateWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer, s_writerOptions));
    }

    private static string Severity(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => "DEFAULT",
    };

    private sealed class Logger(string category, CloudLoggingProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, state, exception, formatter);
            }
        }
    }
}
