using System.Security.Cryptography;
using Plant.Core.Configuration;

namespace Plant.Core.Signing;

/// <summary>
/// The signing key of a local run: generated once into the git-ignored local folder, owner-only, and read from
/// there on every later start, so certificates signed yesterday still verify today.
/// </summary>
internal static class LocalSigningKey
{
    public static RSA ReadOrCreate(string path, int bits)
    {
        if (!File.Exists(path))
        {
            Create(path, bits);
        }

        var key = RSA.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            key.Dispose();
            throw new ConfigurationException(PlantSettings.LocalDirectorySetting, $"the local signing key '{path}' cannot be read ({e.GetType().Name}); delete it and a new key is generated.");
        }
    }

    private static void Create(string path, int bits)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var key = RSA.Create(bits);
        // Written under a temporary name, owner-only from its creation, then moved into place: no other user can
        // read it in between, and of two processes starting together one wins the move and both use its key.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}
