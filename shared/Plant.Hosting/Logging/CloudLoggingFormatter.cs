using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Plant.Hosting.Logging;

/// <summary>
/// One JSON object per line with Cloud Logging's <c>severity</c>, so that Cloud Run's log agent files each line
/// under the right level and keeps the structured fields (function name, invocation id) searchable.
/// </summary>
internal sealed class CloudLoggingFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "plant-cloud";

    // A log line is not HTML: escaping only what JSON requires keeps quotes in messages readable and fast.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            json.WriteStartObject();
            json.WriteString("severity", Severity(logEntry.LogLevel));
            json.WriteString("time", DateTimeOffset.UtcNow);
            json.WriteString("message", logEntry.Exception is null ? message : $"{message}\n{logEntry.Exception}");
            json.WriteString("category", logEntry.Category);
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                foreach (var (key, value) in fields)
                {
                    // The line's own keys come first and stay the only ones: a template field named like them is left out.
                    var name = JsonNamingPolicy.CamelCase.ConvertName(key);
                    if (key != "{OriginalFormat}" && name is not ("severity" or "time" or "message" or "category"))
                    {
                        json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }

            json.WriteEndObject();
        }

        textWriter.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
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
}
