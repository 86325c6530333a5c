namespace Plant.Agents.Http;

/// <summary>The client sent a parameter, header or body field that is wrong: a 400 naming it.</summary>
internal sealed class BadInputException(string parameter, string message) : Exception(message)
{
    /// <summary>The parameter, header or body field at fault, as the client spells it.</summary>
    public string Parameter { get; } = parameter;
}
