using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Azure.Functions.Worker;
using Plant.Hosting.Functions;
using Plant.Hosting.Http;

namespace Plant.Hosting.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of one function app, made from what the host serves: each HTTP function's route,
/// method, auth level, route constraints and JSON body (from its <see cref="FunctionDescriptor"/>), its success
/// answers (from its typed results, as minimal APIs read them), the parameters it reads itself
/// (<see cref="ApiParametersAttribute"/>) and its problems (the host's, and its own <see cref="ProblemTypeAttribute"/>s);
/// plus the host's own routes. Schemas are System.Text.Json's own (<see cref="System.Text.Json.Schema.JsonSchemaExporter"/>).
/// </summary>
internal static class OpenApiDocument
{
    public const string Version = "3.1.1";

    /// <summary>The document; answers' schemas are made with <paramref name="json"/> (the host's options), bodies' with them made strict.</summary>
    public static JsonObject Build(string app, IReadOnlyList<FunctionDescriptor> functions, string routePrefix, JsonSerializerOptions json)
    {
        // An answer's numbers are numbers, whatever the options would accept when reading.
        var schemas = new SchemaComponents(JsonBody.Strict(json), new JsonSerializerOptions(json) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict });
        var paths = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var function in functions.Where(f => f.Http is not null && f.AppName == app).OrderBy(f => f.Route, StringComparer.Ordinal))
        {
            var path = "/" + PathTemplate(HttpFunctionEndpoints.Pattern(function, routePrefix));
            var item = paths.TryGetValue(path, out var existing) ? existing : paths[path] = [];
            var methods = function.Http!.Methods.Count == 0 ? ["GET", "POST", "PUT", "PATCH", "DELETE"] : function.Http.Methods;
            foreach (var method in methods)
            {
                var operation = Operation(function, method, schemas);
                if (methods.Count > 1)
                {
                    // An operation id names one operation: VerifyAuditGet, VerifyAuditPost.
                    operation["operationId"] = function.Name + method[0] + method[1..].ToLowerInvariant();
                }

                item[method.ToLowerInvariant()] = operation;
            }
        }

        var timers = functions.Where(f => f.Timer is not null && f.AppName == app).Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        foreach (var (path, item) in HostRoutes.Describe(timers))
        {
            paths[path] = item;
        }

        var pathsNode = new JsonObject();
        foreach (var (path, item) in paths)
        {
            pathsNode[path] = item;
        }

        return new JsonObject
        {
            ["openapi"] = Version,
            ["info"] = new JsonObject
            {
                ["title"] = $"Plant {app}",
                ["version"] = "v1",
                ["description"] = $"The {app} function app of Plant. Every error is application/problem+json (RFC 9457) with a stable type, urn:plant:problem:<slug>.",
                ["license"] = new JsonObject { ["name"] = "Proprietary", ["identifier"] = "LicenseRef-Proprietary" },
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/", ["description"] = "This instance" }),
            ["tags"] = new JsonArray(new JsonObject { ["name"] = app, ["description"] = $"The functions of {app}." },
                new JsonObject { ["name"] = HostRoutes.Tag, ["description"] = "The host's own routes: health, readiness, and running a timer function now." }),
            ["paths"] = pathsNode,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.ToJson(),
                ["securitySchemes"] = SecuritySchemes(functions.Where(f => f.Http is not null && f.AppName == app).Select(f => f.Http!.AuthLevel)),
            },
        };
    }

    /// <summary>An ASP.NET Core route pattern as an OpenAPI path: constraints and defaults dropped.</summary>
    public static string PathTemplate(string pattern) =>
        string.Join('/', RoutePatternFactory.Parse(pattern).PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new InvalidOperationException("Unknown route pattern part."),
        }))));

    private static JsonObject Operation(FunctionDescriptor function, string httpMethod, SchemaComponents schemas)
    {
        var method = function.Method;
        var declared = method.GetCustomAttributes<ApiParametersAttribute>().SelectMany(a => a.Parameters).ToList();
        var operation = new JsonObject
        {
            ["operationId"] = function.Name,
            ["summary"] = method.GetCustomAttribute<EndpointSummaryAttribute>()?.Summary ?? function.Name,
            ["tags"] = new JsonArray(function.AppName),
        };
        if (method.GetCustomAttribute<EndpointDescriptionAttribute>()?.Description is { } description)
        {
            operation["description"] = description;
        }

        var parameters = new JsonArray();
        foreach (var routeParameter in function.RoutePattern!.Parameters)
        {
            var about = declared.FirstOrDefault(p => p.In == ParameterLocation.Path && p.Name == routeParameter.Name);
            var schema = RouteSchema(routeParameter);
            if (about?.Values is { } values)
            {
                schema["enum"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
            }

            parameters.Add((JsonNode)new JsonObject
            {
                ["name"] = routeParameter.Name,
                ["in"] = "path",
                ["required"] = true,
                ["description"] = about?.Description ?? routeParameter.Name,
                ["schema"] = schema,
            });
        }

        foreach (var parameter in declared.Where(p => p.In != ParameterLocation.Path))
        {
            parameters.Add((JsonNode)Parameter(parameter));
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        var body = HttpMethods.IsGet(httpMethod) || HttpMethods.IsDelete(httpMethod) ? null : RequestBody(function, schemas);
        if (body is not null)
        {
            operation["requestBody"] = body;
        }

        var responses = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var produced in SuccessResponses(function))
        {
            var response = new JsonObject { ["description"] = Reason(produced.StatusCode) };
            if (produced.Type is { } type && type != typeof(void))
            {
                response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schemas.Answer(type) } };
            }

            responses[produced.StatusCode.ToString(CultureInfo.InvariantCulture)] = response;
        }

        if (responses.Count == 0)
        {
            responses["200"] = new JsonObject { ["description"] = Reason(200) };
        }

        foreach (var (status, problems) in ProblemResponses.For(function, body is not null))
        {
            responses[status.ToString(CultureInfo.InvariantCulture)] = ProblemResponses.Describe(status, problems);
        }

        var responsesNode = new JsonObject();
        foreach (var (status, response) in responses)
        {
            responsesNode[status] = response;
        }

        operation["responses"] = responsesNode;
        operation["security"] = Security(function.Http!.AuthLevel);
        return operation;
    }

    /// <summary>The body parameter the host binds, or the body the function says it reads itself (<see cref="JsonRequestBodyAttribute"/>).</summary>
    private static JsonObject? RequestBody(FunctionDescriptor function, SchemaComponents schemas)
    {
        var declared = function.Method.GetCustomAttribute<JsonRequestBodyAttribute>();
        var (types, required) = function.BodyType is { } bound ? ([bound], true)
            : declared is not null ? (declared.Types, declared.Required)
            : ((IReadOnlyList<Type>)[], false);
        if (types.Count == 0)
        {
            return null;
        }

        var schema = types.Count == 1
            ? schemas.Body(types[0])
            : new JsonObject
            {
                // anyOf, not oneOf: the shapes overlap, and the function (by its route, say) decides which applies.
                ["anyOf"] = new JsonArray([.. types.Select(schemas.Body)]),
                ["description"] = "One of these; the operation's description says which.",
            };
        return new JsonObject
        {
            ["required"] = required,
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } },
        };
    }

    /// <summary>
    /// What the method's typed result says it answers (<c>Results&lt;Created&lt;T&gt;, ProblemHttpResult&gt;</c>,
    /// <see cref="Conditional{T}"/>), read as minimal APIs read it: through <see cref="IEndpointMetadataProvider"/>.
    /// </summary>
    private static IEnumerable<IProducesResponseTypeMetadata> SuccessResponses(FunctionDescriptor function)
    {
        var builder = new RouteEndpointBuilder(null, RoutePatternFactory.Parse("/"), 0);
        function.PopulateMetadata?.Invoke(function.Method, builder);
        return builder.Metadata.OfType<IProducesResponseTypeMetadata>()
            .Where(m => m.StatusCode < 400)
            .GroupBy(m => m.StatusCode)
            .Select(g => g.First());
    }

    private static JsonObject Parameter(ApiParameter parameter)
    {
        var schema = SimpleSchema(parameter.Type);
        if (parameter.Values is { } values)
        {
            schema["enum"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
        }

        if (parameter.Minimum is { } minimum)
        {
            schema["minimum"] = minimum;
        }

        if (parameter.Maximum is { } maximum)
        {
            schema["maximum"] = maximum;
        }

        if (parameter.MaxLength is { } maxLength)
        {
            schema["maxLength"] = maxLength;
        }

        if (parameter.Default is { } fallback)
        {
            schema["default"] = fallback;
        }

        var node = new JsonObject
        {
            ["name"] = parameter.Name,
            ["in"] = parameter.In == ParameterLocation.Query ? "query" : "header",
            ["required"] = parameter.Required,
            ["description"] = parameter.Description,
            ["schema"] = parameter.Repeatable ? new JsonObject { ["type"] = "array", ["items"] = schema } : schema,
        };
        if (parameter.Repeatable)
        {
            // ?skill=a&skill=b
            node["style"] = "form";
            node["explode"] = true;
        }

        return node;
    }

    private static JsonObject SimpleSchema(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => new JsonObject { ["type"] = "integer" },
        _ when type == typeof(bool) => new JsonObject { ["type"] = "boolean" },
        _ when type == typeof(Guid) => new JsonObject { ["type"] = "string", ["format"] = "uuid" },
        _ when type == typeof(DateTimeOffset) => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
        _ when type == typeof(double) || type == typeof(decimal) => new JsonObject { ["type"] = "number" },
        _ => new JsonObject { ["type"] = "string" },
    };

    /// <summary>A route value's schema from its inline constraints (<c>{id:guid}</c>, <c>{n:int:min(1)}</c>, <c>{s:regex(...)}</c>).</summary>
    private static JsonObject RouteSchema(RoutePatternParameterPart parameter)
    {
        var schema = new JsonObject { ["type"] = "string" };
        foreach (var constraint in parameter.ParameterPolicies.Select(p => p.Content).OfType<string>())
        {
            var open = constraint.IndexOf('(', StringComparison.Ordinal);
            var name = open < 0 ? constraint : constraint[..open];
            var argument = open < 0 ? "" : constraint[(open + 1)..^1];
            switch (name)
            {
                case "guid":
                    schema["format"] = "uuid";
                    break;
                case "int" or "long":
                    schema["type"] = "integer";
                    break;
                case "bool":
                    schema["type"] = "boolean";
                    break;
                case "decimal" or "double" or "float":
                    schema["type"] = "number";
                    break;
                case "datetime":
                    schema["format"] = "date-time";
                    break;
                case "alpha":
                    schema["pattern"] = "^[A-Za-z]*$";
                    break;
                case "regex":
                    schema["pattern"] = argument;
                    break;
                case "min":
                    schema["minimum"] = double.Parse(argument, CultureInfo.InvariantCulture);
                    break;
                case "max":
                    schema["maximum"] = double.Parse(argument, CultureInfo.InvariantCulture);
                    break;
                case "range":
                    var bounds = argument.Split(',');
                    schema["minimum"] = double.Parse(bounds[0], CultureInfo.InvariantCulture);
                    schema["maximum"] = double.Parse(bounds[1], CultureInfo.InvariantCulture);
                    break;
                case "minlength":
                    schema["minLength"] = int.Parse(argument, CultureInfo.InvariantCulture);
                    break;
                case "maxlength":
                    schema["maxLength"] = int.Parse(argument, CultureInfo.InvariantCulture);
                    break;
                case "length":
                    var lengths = argument.Split(',');
                    schema["minLength"] = int.Parse(lengths[0], CultureInfo.InvariantCulture);
                    schema["maxLength"] = int.Parse(lengths[^1], CultureInfo.InvariantCulture);
                    break;
            }
        }

        return schema;
    }

    /// <summary>Anonymous: none. Function: a function key, the master key, or an admitted bearer token. Admin: the master key or an admin token.</summary>
    public static JsonArray Security(AuthorizationLevel level) => level switch
    {
        AuthorizationLevel.Anonymous => [],
        AuthorizationLevel.Admin => new JsonArray(new JsonObject { [MasterKey] = new JsonArray() }, new JsonObject { [Bearer] = new JsonArray() }),
        _ => new JsonArray(new JsonObject { [FunctionKey] = new JsonArray() }, new JsonObject { [MasterKey] = new JsonArray() }, new JsonObject { [Bearer] = new JsonArray() }),
    };

    public const string FunctionKey = "functionKey";
    public const string MasterKey = "masterKey";
    public const string Bearer = "bearerToken";

    /// <summary>The schemes the app's operations use (the host's admin route always uses the master key and tokens).</summary>
    private static JsonObject SecuritySchemes(IEnumerable<AuthorizationLevel> levels)
    {
        var schemes = AllSecuritySchemes();
        if (!levels.Contains(AuthorizationLevel.Function))
        {
            schemes.Remove(FunctionKey);
        }

        return schemes;
    }

    private static JsonObject AllSecuritySchemes() => new()
    {
        [FunctionKey] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = FunctionKeys.HeaderName,
            ["description"] = $"A function key (or the master key), in the {FunctionKeys.HeaderName} header or the {FunctionKeys.QueryParameter} query parameter. Locally: .plant/keys/function.key.",
        },
        [MasterKey] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = FunctionKeys.HeaderName,
            ["description"] = $"The master key, in the {FunctionKeys.HeaderName} header or the {FunctionKeys.QueryParameter} query parameter. Locally: .plant/keys/master.key.",
        },
        [Bearer] = new JsonObject
        {
            ["type"] = "http",
            ["scheme"] = "bearer",
            ["bearerFormat"] = "JWT",
            ["description"] = "A Google-signed ID token whose principal the deployment admits at the route's level (PLANT_TOKEN_* settings).",
        },
    };

    public static string Reason(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No content",
        304 => "Not modified: the copy named by If-None-Match is current",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "HTTP " + status,
    };
}
