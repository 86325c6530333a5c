namespace Plant.Hosting.Functions;

/// <summary>The request cannot be bound to the function's parameters: the client's fault, answered as a 4xx problem.</summary>
internal sealed class FunctionBindingException(int status, string problemType, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string ProblemType { get; } = problemType;

    public string Title { get; } = title;
}
