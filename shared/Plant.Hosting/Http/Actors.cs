using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Plant.Hosting.Http;

namespace Plant.Hosting;

/// <summary>
/// Who a request acts as, for the records and the audit trail: the verified caller (<c>key:master</c>,
/// <c>key:function-1</c>, or a bearer token's email), or, from a caller allowed to assert it, the user named in
/// <c>X-Plant-Actor</c> (a portal's signed-in user, on whose behalf its backend calls). A caller not allowed to
/// assert one gets a 403; a header that cannot be recorded, a 400.
/// </summary>
public static class Actors
{
    public const string Header = "X-Plant-Actor";
    public const string AssertersSetting = "PLANT_ACTOR_CALLERS";
    public const int MaxLength = 200;

    /// <summary>The actor to record for the request; <paramref name="anonymous"/> when no caller was verified (an anonymous route).</summary>
    /// <exception cref="BadInputException">403 when the caller may not name an actor; 400 when the header is not 1 to 200 plain characters.</exception>
    public static string Of(HttpRequest request, string anonymous)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = Callers.Name(request.HttpContext);
        var header = request.Headers[Header].ToString().Trim();
        if (header.Length == 0)
        {
            return caller ?? anonymous;
        }

        if (caller is null || !request.HttpContext.RequestServices.GetRequiredService<ActorAsserters>().Allows(caller))
        {
            throw BadInputException.Forbidden(Header, $"{caller ?? "An anonymous caller"} may not name an actor: {Header} is taken only from the callers listed in {AssertersSetting}.");
        }

        return header.Length <= MaxLength && TextInput.IsPlain(header)
            ? header
            : throw new BadInputException(Header, $"The {Header} header must have at most {MaxLength} characters and no control characters.");
    }
}

/// <summary>
/// <c>X-Plant-Actor</c> in the OpenAPI document of a write that records who acted (<see cref="Actors.Of"/>).
/// </summary>
public sealed class ActorHeaderAttribute : ApiParametersAttribute
{
    public override IEnumerable<ApiParameter> Parameters =>
    [
        new(Actors.Header, ParameterLocation.Header,
            $"The user the caller acts for (a portal's signed-in user), recorded as the actor instead of the caller. Taken only from the callers listed in {Actors.AssertersSetting}; from any other caller it is a 403 and nothing is written.",
            typeof(string), MaxLength: Actors.MaxLength),
    ];
}

/// <summary>
/// The callers allowed to name an actor (<c>PLANT_ACTOR_CALLERS</c>, caller names as <see cref="Actors"/> records
/// them). Unset, a local run allows every key, and anywhere else nobody.
/// </summary>
internal sealed class ActorAsserters(IReadOnlySet<string>? listed, bool anyKey)
{
    public static ActorAsserters Load(IConfiguration configuration, HostSettings settings) =>
        configuration[Actors.AssertersSetting] is { Length: > 0 } text
            ? new ActorAsserters(text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase), anyKey: false)
            : new ActorAsserters(null, anyKey: settings.IsLocal);

    public bool Allows(string caller) =>
        listed?.Contains(caller) ?? anyKey && caller.StartsWith(Callers.KeyPrefix, StringComparison.Ordinal);
}
