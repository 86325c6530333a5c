namespace Plant.Testing;

/// <summary>The checkout holding the test binaries: the folder with Plant.sln above them.</summary>
public static class RepositoryFolder
{
    public static string Root { get; } = Find();

    /// <summary>A path inside the checkout.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Plant.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Plant.sln above {AppContext.BaseDirectory}.");
    }
}
