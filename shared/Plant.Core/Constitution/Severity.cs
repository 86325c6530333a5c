using System.Text.Json.Serialization;

namespace Plant.Core.Constitution;

/// <summary>How much a violation weighs: an error blocks certification, a warning is reported and allowed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>Blocks certification.</summary>
    [JsonStringEnumMemberName("error")]
    Error,

    /// <summary>Reported, does not block certification.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,
}
