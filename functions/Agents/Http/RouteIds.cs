namespace Plant.Agents.Http;

/// <summary>
/// Ids in routes are taken as strings and parsed here: a malformed id is a 400 naming it, where a <c>:guid</c> route
/// constraint would make it a 404 as if the path did not exist.
/// </summary>
internal static class RouteIds
{
    public static Guid Parse(string parameter, string value) =>
        Guid.TryParse(value, out var id) ? id : throw new BadInputException(parameter, $"{parameter} must be a uuid; got '{QueryReader.Shorten(value)}'.");
}
