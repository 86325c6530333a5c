using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plant.Core.Tests;

/// <summary>What the tests themselves serialise, with the default options: reflection-based JSON is off here as in a Native AOT app.</summary>
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(CanonicalSample))]
internal sealed partial class TestJsonContext : JsonSerializerContext;

/// <summary>A CLR value for <see cref="Canonical.CanonicalJson.SerializeValue{T}(T, System.Text.Json.Serialization.Metadata.JsonTypeInfo{T})"/>: members out of order, a decimal with a trailing zero, a non-ASCII string.</summary>
internal sealed record CanonicalSample(decimal Zeta, string Alpha, Guid Id);
