namespace Plant.Hosting;

/// <summary>A function is defined wrongly; start-up stops with this message.</summary>
public sealed class StartupException(string message) : Exception(message);
