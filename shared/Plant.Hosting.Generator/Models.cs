using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Plant.Hosting.Generator;

// What the generator learns from one [Function] method: plain values compared by content, never symbols, so that an
// edit elsewhere in the project does not make the compiler write the index again.

/// <summary>One function, ready to be written into the index.</summary>
internal sealed record FunctionModel(
    string Name,
    string Class,
    string Method,
    bool IsStatic,
    Disposal Disposal,
    EquatableArray<string> ParameterTypes,
    EquatableArray<ArgumentModel> Arguments,
    HttpModel? Http,
    TimerModel? Timer,
    string? BodyType,
    ReturnKind Returns,
    string? MetadataProvider,
    string Where,
    LocationInfo? Location);

/// <summary>How one argument of the call is produced; <see cref="Type"/> is the type it is read as, where that matters.</summary>
internal sealed record ArgumentModel(string Name, Binding Binding, string Type);

internal enum Binding
{
    HttpRequest,
    TimerInfo,
    FunctionContext,
    CancellationToken,
    HttpContext,
    RouteString,
    RouteValue,
    RouteNullableValue,
    RouteEnum,
    RouteNullableEnum,
    Body,
}

internal enum Disposal
{
    None,
    Dispose,
    DisposeAsync,
}

internal enum ReturnKind
{
    Void,
    Value,
    Task,
    TaskOfValue,
}

/// <param name="Level">Anonymous, Function or Admin.</param>
/// <param name="Methods">Upper case, each once; empty for every method.</param>
/// <param name="Route">As written (the function's name when none is), without leading or trailing slashes.</param>
internal sealed record HttpModel(string Parameter, string Level, EquatableArray<string> Methods, string Route);

/// <param name="Attribute">The attribute as written, as a C# expression the host reads the schedule from.</param>
internal sealed record TimerModel(string Parameter, string Attribute);

/// <summary>A diagnostic to report, kept as values until the compiler asks for it.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Diagnostics.ById(Id), Location?.ToLocation(), [.. Arguments]);
}

internal sealed record LocationInfo(string Path, TextSpan Span, LinePositionSpan Lines)
{
    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null ? null : new(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(Path, Span, Lines);
}

/// <summary>What reading one method gave: the function, or why it cannot be served.</summary>
internal sealed record ReadResult(FunctionModel? Function, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>An immutable array compared by its items.</summary>
internal readonly struct EquatableArray<T>(ImmutableArray<T> items) : IEquatable<EquatableArray<T>>, IEnumerable<T>
{
    private readonly ImmutableArray<T> _items = items;

    public ImmutableArray<T> Items => _items.IsDefault ? [] : _items;

    public int Count => Items.Length;

    public T this[int index] => Items[index];

    public static implicit operator EquatableArray<T>(ImmutableArray<T> items) => new(items);

    public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode() => Items.Aggregate(17, (hash, item) => hash * 31 + (item?.GetHashCode() ?? 0));

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
