using Microsoft.Extensions.Configuration;

namespace Plant.Hosting.Tests.Http;

/// <summary>A secret given as <c>NAME_FILE</c> is read as <c>NAME</c>, for the host and for every app alike.</summary>
public sealed class SecretFilesTests
{
    [Fact]
    public void A_secret_is_read_from_the_setting_or_from_its_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-the-file\n");
            Assert.Equal("direct", Resolved(("PLANT_KEY", "direct"))["PLANT_KEY"]);
            Assert.Equal("from-the-file", Resolved(("PLANT_KEY_FILE", file))["PLANT_KEY"]);
            Assert.Equal("from-the-file", Resolved(("DATABASE_URL_FILE", file))["DATABASE_URL"]);
            Assert.Null(Resolved()["PLANT_KEY"]);
            // Another program's *_FILE variable is not Plant's to read.
            Assert.Null(Resolved(("TF_CLI_CONFIG_FILE", "/no/such/file"))["TF_CLI_CONFIG"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Every_secret_set_twice_or_in_a_missing_or_empty_file_is_named_at_once_without_its_value()
    {
        var empty = Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<StartupException>(() => Resolved(
                ("PLANT_KEY", "hunter2secret"), ("PLANT_KEY_FILE", "/x"), ("PLANT_OTHER_FILE", "/no/such/file"), ("PLANT_THIRD_FILE", empty)));

            Assert.Equal(3, e.Problems.Count);
            Assert.Contains(e.Problems, p => p.StartsWith("PLANT_KEY: both PLANT_KEY and PLANT_KEY_FILE", StringComparison.Ordinal));
            Assert.Contains(e.Problems, p => p.StartsWith("PLANT_OTHER_FILE: cannot read", StringComparison.Ordinal));
            Assert.Contains(e.Problems, p => p.StartsWith("PLANT_THIRD_FILE:", StringComparison.Ordinal) && p.Contains("empty", StringComparison.Ordinal));
            Assert.DoesNotContain("hunter2secret", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    private static ConfigurationManager Resolved(params (string Key, string? Value)[] values)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, v.Value)));
        SecretFiles.AddTo(configuration);
        return configuration;
    }
}
