using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plant.Core.Trials;

/// <summary>
/// The trial content hash's JSON, source-generated (no reflection, as Native AOT needs): a sorted dictionary whose
/// values (strings, a Guid, a time, null) are written by their runtime type.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SortedDictionary<string, object?>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(Guid))]
[JsonSerializable(typeof(DateTimeOffset))]
internal sealed partial class TrialsJsonContext : JsonSerializerContext;
