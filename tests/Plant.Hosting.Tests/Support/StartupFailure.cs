using Plant.Testing.Hosting;

namespace Plant.Hosting.Tests.Support;

/// <summary>Builds a host that must not build, and returns why.</summary>
internal static class StartupFailure
{
    public static TException Of<TException>(
        string connectionString,
        IEnumerable<Type> functionTypes,
        IDictionary<string, string?>? settings = null,
        string? hostJson = null)
        where TException : Exception
    {
        var folder = Directory.CreateTempSubdirectory("plant-host-test-").FullName;
        try
        {
            return Assert.Throws<TException>(() => TestHost.Build(connectionString, functionTypes, folder, settings: settings, hostJson: hostJson));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
