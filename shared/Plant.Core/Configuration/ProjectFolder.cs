namespace Plant.Core.Configuration;

/// <summary>
/// Where a relative local path (<c>PLANT_LOCAL_DIR</c>, <c>PLANT_BACKUP_DIR</c>) is resolved: the checkout the running program was built in
/// (the nearest folder above the executable that holds <c>Plant.sln</c>), or, outside a checkout (a published app,
/// a container), the executable's own folder. Never the current directory: a process started from another folder
/// (<c>dotnet run --project ...</c>, an IDE, a test) must not scatter <c>.plant</c> folders there.
/// </summary>
/// <remarks>
/// Plant.Hosting's <c>ProjectFolder</c> applies the same rule; Plant.Hosting references no Plant project, so these few
/// lines exist in both, and each library's tests hold it to the rule in docs/SETTINGS.md.
/// </remarks>
public static class ProjectFolder
{
    /// <summary>The file that marks a checkout's root.</summary>
    public const string Marker = "Plant.sln";

    /// <summary>The folder relative local paths are resolved against, for this process.</summary>
    public static string Root { get; } = Find(AppContext.BaseDirectory);

    /// <summary><paramref name="path"/> as an absolute path; a relative one is taken from <see cref="Root"/>.</summary>
    public static string Resolve(string path) => Resolve(path, Root);

    internal static string Resolve(string path, string root) => Path.GetFullPath(path, root);

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds <see cref="Marker"/>, else <paramref name="start"/> itself.</summary>
    internal static string Find(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, Marker)))
            {
                return folder.FullName;
            }
        }

        return Path.GetFullPath(start);
    }
}
