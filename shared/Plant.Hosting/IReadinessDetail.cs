namespace Plant.Hosting;

/// <summary>
/// A part of an app that <c>/readyz</c> reports on beside the database, without holding readiness back: a process
/// takes traffic once its database is reachable, and a part still loading, or failed, says so in the answer's
/// <c>details</c> (the Agents app's search model). Register it with <c>services.AddSingleton&lt;IReadinessDetail, T&gt;()</c>.
/// </summary>
public interface IReadinessDetail
{
    /// <summary>Its member in <c>details</c>, such as <c>search</c>.</summary>
    string Name { get; }

    /// <summary><c>ready</c>, or what is not ready yet and why, in words an operator reads.</summary>
    string Describe();
}
