using Microsoft.Extensions.Configuration;

namespace Plant.Hosting;

/// <summary>
/// A secret may be given as <c>NAME</c> or as <c>NAME_FILE</c>, the path of a mounted secret (as Cloud Run and
/// Kubernetes mount them). This resolves every <c>NAME_FILE</c> of Plant's own settings (<c>DATABASE_URL</c> and
/// <c>PLANT_*</c>; other programs' <c>*_FILE</c> variables are theirs) into <c>NAME</c>, once, so that whatever
/// reads settings reads <c>NAME</c> only. A secret's value never appears in a problem.
/// </summary>
public static class SecretFiles
{
    private const string Suffix = "_FILE";

    /// <summary>Adds the secrets that <c>*_FILE</c> settings name, above every other source.</summary>
    /// <exception cref="StartupException">Both forms of a secret are set, or its file cannot be read or is empty; every such secret is named.</exception>
    public static void AddTo(IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var secrets = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var (setting, file) in configuration.AsEnumerable()
            .Where(s => IsPlants(s.Key) && s.Key.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(s.Value)))
        {
            var name = setting[..^Suffix.Length];
            if (!string.IsNullOrEmpty(configuration[name]))
            {
                problems.Add($"{name}: both {name} and {setting} are set; set only one.");
                continue;
            }

            try
            {
                // Secret files usually end with a newline that is not part of the secret.
                var text = File.ReadAllText(file!).Trim();
                if (text.Length == 0)
                {
                    problems.Add($"{setting}: the file '{file}' is empty.");
                }
                else
                {
                    secrets[name] = text;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{setting}: cannot read the file '{file}': {e.GetType().Name}.");
            }
        }

        if (problems.Count > 0)
        {
            throw new StartupException(problems);
        }

        if (secrets.Count > 0)
        {
            configuration.AddInMemoryCollection(secrets);
        }
    }

    private static bool IsPlants(string setting) =>
        setting.StartsWith("PLANT_", StringComparison.OrdinalIgnoreCase) || setting.Equals("DATABASE_URL" + Suffix, StringComparison.OrdinalIgnoreCase);
}
