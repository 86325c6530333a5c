using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace Plant.Hosting.Http;

/// <summary>
/// The master key and the function keys. Only their SHA-256 hashes are kept, and a presented key is compared with
/// every one of them in constant time, so neither timing nor a memory dump gives a key away.
/// </summary>
internal sealed class FunctionKeys
{
    public const string MasterSetting = "PLANT_MASTER_KEY";
    public const string FunctionSetting = "PLANT_FUNCTION_KEYS";
    public const string HeaderName = "x-functions-key";

    /// <summary>The query parameter a key may come in instead of the header, as in Azure Functions.</summary>
    public const string QueryParameter = "code";
    private const int MinimumLength = 16;

    private readonly byte[] _master;
    private readonly byte[][] _function;

    private FunctionKeys(string master, IEnumerable<string> function)
    {
        _master = Hash(master);
        _function = [.. function.Select(Hash)];
    }

    /// <summary>Where generated local keys were stored, to print at start-up; null when keys came from settings.</summary>
    public string? GeneratedFolder { get; private init; }

    /// <summary>The local keys, kept only to print them once at start-up.</summary>
    public (string Master, string Function)? LocalKeys { get; private init; }

    /// <summary>The keys the settings give; null for a local run without keys, which gets its own (<see cref="LoadLocal"/>).</summary>
    public static FunctionKeys? FromSettings(IConfiguration configuration, HostSettings settings)
    {
        var master = configuration[MasterSetting] is { Length: > 0 } text ? text : null;
        var function = configuration[FunctionSetting]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (master is null && function.Length == 0 && settings.IsLocal && !settings.InContainer)
        {
            return null;
        }

        if (master is null)
        {
            throw StartupException.Setting(MasterSetting, $"is not set. Set {MasterSetting} or {MasterSetting}_FILE (a mounted secret); keys are generated only for local runs.");
        }

        if (master.Length < MinimumLength || function.Any(k => k.Length < MinimumLength))
        {
            throw StartupException.Setting(master.Length < MinimumLength ? MasterSetting : FunctionSetting,
                $"a key is shorter than {MinimumLength} characters; use a long random value.");
        }

        return new FunctionKeys(master, function);
    }

    /// <summary>
    /// A local run's own keys, generated once into <c>PLANT_LOCAL_DIR/keys</c> and reused: auth is never silently off.
    /// The host calls this only once every setting is known to be good, so a start-up that fails leaves no key files.
    /// </summary>
    public static FunctionKeys LoadLocal(HostSettings settings)
    {
        var folder = Path.Combine(settings.LocalDirectory, "keys");
        var localMaster = ReadOrCreate(Path.Combine(folder, "master.key"));
        var localFunction = ReadOrCreate(Path.Combine(folder, "function.key"));
        return new FunctionKeys(localMaster, [localFunction]) { GeneratedFolder = folder, LocalKeys = (localMaster, localFunction) };
    }

    /// <summary>Which key the request presents: "master", "function", or null for none or an unknown one.</summary>
    public string? Identify(HttpRequest request)
    {
        string? presented = request.Headers[HeaderName];
        if (string.IsNullOrEmpty(presented))
        {
            presented = request.Query[QueryParameter];
        }

        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var hash = Hash(presented);
        var isMaster = CryptographicOperations.FixedTimeEquals(hash, _master);
        var functionIndex = -1;
        for (var i = 0; i < _function.Length; i++)
        {
            // No early exit: the time taken does not tell which key matched.
            if (CryptographicOperations.FixedTimeEquals(hash, _function[i]))
            {
                functionIndex = i;
            }
        }

        return isMaster ? "master" : functionIndex >= 0 ? $"function-{functionIndex + 1}" : null;
    }

    public static bool Allows(AuthorizationLevel level, string? identity) => level switch
    {
        AuthorizationLevel.Anonymous => true,
        AuthorizationLevel.Function => identity is not null,
        _ => identity == "master",
    };

    private static string ReadOrCreate(string path)
    {
        if (!File.Exists(path))
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

            // Written under a temporary name, owner-only from its creation, then moved into place: no other user
            // can read it in between, and of two hosts starting together one wins the move and both use its key.
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(temporary, options))
            {
                writer.Write(key);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }

        var stored = File.ReadAllText(path).Trim();
        return stored.Length >= MinimumLength
            ? stored
            : throw StartupException.Setting(HostSettings.LocalDirectorySetting, $"the key file '{path}' is empty or too short; delete it and a new key is generated.");
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
