using System.Globalization;
using Npgsql;
using Plant.Core.Configuration;

namespace Plant.Core.Data;

/// <summary>
/// Turns <c>DATABASE_URL</c> into Npgsql settings. Accepted forms: an Npgsql keyword string
/// (<c>Host=...;Database=...</c>); <c>postgres://</c> and <c>postgresql://</c> URLs; the SQLAlchemy forms of the
/// previous backend (<c>postgresql+asyncpg://user:pw@/plant?host=/cloudsql/PROJECT:REGION:INSTANCE</c>), whose
/// <c>host</c> query parameter names a unix socket folder such as Cloud SQL's.
/// </summary>
/// <remarks>Errors name the part that is wrong and never contain the password.</remarks>
public static class DatabaseUrl
{
    /// <summary>The setting's name.</summary>
    public const string SettingName = "DATABASE_URL";

    private static readonly string[] s_schemes =
        ["postgres", "postgresql", "postgresql+asyncpg", "postgresql+psycopg", "postgresql+psycopg2", "postgresql+pg8000"];

    /// <summary>Parses any accepted form.</summary>
    /// <exception cref="ConfigurationException">The value is empty or malformed; the message names the part.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Fail("is not set. Set it to a PostgreSQL URL (postgresql://user:password@host:5432/plant) or an Npgsql connection string.");
        }

        value = value.Trim();
        return value.Contains("://", StringComparison.Ordinal) ? ParseUrl(value) : ParseKeywords(value);
    }

    private static NpgsqlConnectionStringBuilder ParseKeywords(string value)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException)
        {
            // Npgsql's message may quote a fragment of a password that holds ';', so it is not repeated.
            throw Fail("is not a valid Npgsql connection string (an unknown keyword or a malformed value).");
        }
    }

    private static NpgsqlConnectionStringBuilder ParseUrl(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = url[..schemeEnd].ToLowerInvariant();
        if (!s_schemes.Contains(scheme))
        {
            throw Fail($"the scheme '{scheme}' is not a PostgreSQL scheme (use postgresql://).");
        }

        var rest = url[(schemeEnd + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();

        // The password may hold reserved characters if the operator did not encode it, so the user part ends at
        // the last '@', not the first.
        var queryAt = rest.IndexOf('?', StringComparison.Ordinal);
        var at = (queryAt < 0 ? rest : rest[..queryAt]).LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Decode(colon < 0 ? userInfo : userInfo[..colon], "user name");
            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..], "password");
            }
        }

        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        var query = queryStart < 0 ? "" : rest[(queryStart + 1)..];
        if (queryStart >= 0)
        {
            rest = rest[..queryStart];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostPart = slash < 0 ? rest : rest[..slash];
        var database = slash < 0 ? "" : Decode(rest[(slash + 1)..], "database name");
        if (database.Contains('/', StringComparison.Ordinal))
        {
            throw Fail($"the database name '{database}' contains '/'.");
        }

        if (database.Length > 0)
        {
            builder.Database = database;
        }

        if (hostPart.Length > 0)
        {
            SetHosts(builder, hostPart);
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq], "query parameter");
            var val = eq < 0 ? "" : Decode(pair[(eq + 1)..], $"query parameter '{key}'");
            ApplyQueryParameter(builder, key, val);
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw Fail("names no host: give one after '@' or as ?host=/path/to/socket-folder.");
        }

        return builder;
    }

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hostPart)
    {
        // Several hosts (host1:5432,host2:5433) pass through to Npgsql's multi-host Host setting; a single
        // host:port is split so that Port is set too.
        var hosts = hostPart.Split(',');
        foreach (var host in hosts)
        {
            var (name, port) = SplitHostPort(host);
            if (name.Length == 0)
            {
                // Not echoed: without an '@', what stands here may be user:password.
                throw Fail("the host list has an empty host.");
            }

            if (port is not null)
            {
                ParsePort(port);
            }
        }

        if (hosts.Length == 1)
        {
            var (name, port) = SplitHostPort(hosts[0]);
            builder.Host = name;
            if (port is not null)
            {
                builder.Port = ParsePort(port);
            }
        }
        else
        {
            builder.Host = hostPart;
        }
    }

    private static (string Host, string? Port) SplitHostPort(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Fail("a host opens '[' without closing it.");
            }

            var rest = host[(close + 1)..];
            return (host[1..close], rest.StartsWith(':') ? rest[1..] : null);
        }

        var colon = host.LastIndexOf(':');
        return colon < 0 ? (host, null) : (host[..colon], host[(colon + 1)..]);
    }

    private static int ParsePort(string port) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
            ? p
            : throw Fail("the port is not a number between 1 and 65535 (a password with reserved characters must be percent-encoded).");

    private static void ApplyQueryParameter(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "host":
                // SQLAlchemy and libpq put the unix socket folder here, e.g. /cloudsql/PROJECT:REGION:INSTANCE.
                builder.Host = value.Length > 0 ? value : throw Fail("the query parameter 'host' is empty.");
                break;
            case "port":
                builder.Port = ParsePort(value);
                break;
            case "sslmode":
            case "ssl":
                builder.SslMode = ParseSslMode(key, value);
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "connect_timeout":
                builder.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
                    ? t
                    : throw Fail($"the query parameter 'connect_timeout' value '{value}' is not a whole number of seconds.");
                break;
            default:
                throw Fail($"the query parameter '{key}' is not supported (supported: host, port, sslmode, ssl, application_name, connect_timeout).");
        }
    }

    private static SslMode ParseSslMode(string key, string value) => value.ToLowerInvariant() switch
    {
        "disable" or "false" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" or "true" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw Fail($"the query parameter '{key}' value '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full."),
    };

    private static string Decode(string text, string part)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            // Not reached on .NET (bad escapes are left as they are), but never echo a password if it is.
            throw Fail($"the {part} is not valid percent-encoding.");
        }
    }

    private static ConfigurationException Fail(string problem) => new(SettingName, problem);
}
