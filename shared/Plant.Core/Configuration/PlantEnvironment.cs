namespace Plant.Core.Configuration;

/// <summary>The deployment environment named by <c>PLANT_ENVIRONMENT</c>; each has its own defaults.</summary>
public enum PlantEnvironment
{
    Local,
    Demo,
    Uat,
    Prod,
}

/// <summary>Reads <c>PLANT_ENVIRONMENT</c>.</summary>
public static class PlantEnvironments
{
    /// <summary>The setting's name.</summary>
    public const string SettingName = "PLANT_ENVIRONMENT";

    /// <summary>Parses the setting; unset means <see cref="PlantEnvironment.Local"/>.</summary>
    /// <exception cref="ConfigurationException">The value is not local, demo, uat or prod.</exception>
    public static PlantEnvironment Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "LOCAL" => PlantEnvironment.Local,
        "DEMO" => PlantEnvironment.Demo,
        "UAT" => PlantEnvironment.Uat,
        "PROD" => PlantEnvironment.Prod,
        _ => throw new ConfigurationException(SettingName, $"'{value}' is not one of local, demo, uat, prod."),
    };
}
