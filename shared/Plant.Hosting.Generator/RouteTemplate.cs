using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace Plant.Hosting.Generator;

/// <summary>
/// Checks a route as ASP.NET Core's route parser and its default constraints will read it when the host starts, so
/// that a mistake is a compile error: braces, parameter names, catch-alls, optionals, and each constraint's name and
/// arguments. It also gives the parameters' names, which decide what binds from the route.
/// </summary>
internal static class RouteTemplate
{
    private static readonly HashSet<string> s_bare = new(StringComparer.OrdinalIgnoreCase)
    {
        "int", "bool", "datetime", "decimal", "double", "float", "guid", "long", "alpha", "required", "nonfile", "file",
    };

    /// <summary>Null when the route is valid; otherwise what is wrong with it.</summary>
    public static string? Check(string route, out List<string> parameters)
    {
        parameters = [];
        var segmentEmpty = true;
        var lastWasParameter = false;
        var ended = false; // a catch-all or an optional parameter ended its segment (or the route)
        var catchAll = false;
        for (var i = 0; i < route.Length;)
        {
            var c = route[i];
            if (c == '/')
            {
                if (segmentEmpty)
                {
                    return "a path segment is empty ('//').";
                }

                if (catchAll)
                {
                    return "a catch-all parameter must be in the last segment.";
                }

                segmentEmpty = true;
                lastWasParameter = false;
                ended = false;
                i++;
                continue;
            }

            if (ended)
            {
                return "an optional or catch-all parameter must end its segment.";
            }

            segmentEmpty = false;
            if (c == '{' && Next(route, i) != '{')
            {
                var end = ParameterEnd(route, i + 1);
                if (end < 0)
                {
                    return $"the parameter at '{route.Substring(i)}' is not closed with '}}'.";
                }

                if (lastWasParameter)
                {
                    return "two parameters in one segment need literal text between them.";
                }

                var problem = CheckParameter(Unescape(route.Substring(i + 1, end - i - 1)), out var name, out var optional, out var isCatchAll);
                if (problem is not null)
                {
                    return problem;
                }

                if (parameters.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    return $"the parameter '{name}' appears twice.";
                }

                parameters.Add(name);
                lastWasParameter = true;
                ended = optional || isCatchAll;
                catchAll |= isCatchAll;
                i = end + 1;
                continue;
            }

            if (c == '}' && Next(route, i) != '}')
            {
                return $"the '}}' at position {i} closes no parameter.";
            }

            if (c == '?')
            {
                return "a literal cannot hold '?' (a query string is not part of a route).";
            }

            lastWasParameter = false;
            i += c is '{' or '}' ? 2 : 1;
        }

        return null;
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    /// <summary>The index of the '}' closing the parameter that starts at <paramref name="start"/>; doubled braces are text.</summary>
    private static int ParameterEnd(string route, int start)
    {
        for (var j = start; j < route.Length; j++)
        {
            if (route[j] is '{' or '}' && Next(route, j) == route[j])
            {
                j++;
            }
            else if (route[j] == '}')
            {
                return j;
            }
            else if (route[j] == '{')
            {
                return -1;
            }
        }

        return -1;
    }

    private static string Unescape(string text) => text.Replace("{{", "{").Replace("}}", "}");

    private static string? CheckParameter(string text, out string name, out bool optional, out bool catchAll)
    {
        catchAll = text.StartsWith("*", StringComparison.Ordinal);
        text = text.TrimStart('*');
        optional = false;

        // The default value (after '=') or the optional marker ends the parameter; constraints come before them.
        var body = text;
        var defaultAt = IndexOutsideParentheses(text, '=');
        if (defaultAt >= 0)
        {
            body = text.Substring(0, defaultAt);
        }
        else if (text.EndsWith("?", StringComparison.Ordinal))
        {
            optional = true;
            body = text.Substring(0, text.Length - 1);
        }

        var colon = body.IndexOf(':');
        name = colon < 0 ? body : body.Substring(0, colon);
        if (name.Length == 0 || name.IndexOfAny(['/', '{', '}', '?', '*', '=', ':']) >= 0)
        {
            return $"'{{{text}}}' has no valid parameter name (letters and digits, without / {{ }} ? * = :).";
        }

        if (catchAll && optional)
        {
            return $"the catch-all parameter '{name}' cannot be optional.";
        }

        if (catchAll && defaultAt >= 0)
        {
            return $"the catch-all parameter '{name}' cannot have a default value.";
        }

        return colon < 0 ? null : CheckConstraints(name, body.Substring(colon + 1));
    }

    /// <summary>Each <c>:constraint</c>: a name ASP.NET Core knows and, where it takes some, arguments it accepts.</summary>
    private static string? CheckConstraints(string parameter, string text)
    {
        var i = 0;
        while (i <= text.Length)
        {
            var open = text.IndexOf('(', i);
            var colon = text.IndexOf(':', i);
            string constraint;
            string? arguments = null;
            if (open >= 0 && (colon < 0 || open < colon))
            {
                // Arguments run to the ')' that ends the constraint: the last one before a ':' or the end.
                var close = ArgumentsEnd(text, open);
                if (close < 0)
                {
                    return $"constraint '{text.Substring(i)}' of '{parameter}' has no closing ')'.";
                }

                constraint = text.Substring(i, close + 1 - i);
                arguments = text.Substring(open + 1, close - open - 1);
                i = close + 2;
            }
            else
            {
                var end = colon < 0 ? text.Length : colon;
                constraint = text.Substring(i, end - i);
                i = end + 1;
            }

            var problem = CheckConstraint(constraint, arguments);
            if (problem is not null)
            {
                return $"constraint '{constraint}' of '{parameter}': {problem}";
            }
        }

        return null;
    }

    private static int ArgumentsEnd(string text, int open)
    {
        for (var j = open + 1; j < text.Length; j++)
        {
            if (text[j] == ')' && (j + 1 == text.Length || text[j + 1] == ':'))
            {
                return j;
            }
        }

        return -1;
    }

    private static string? CheckConstraint(string constraint, string? arguments)
    {
        var name = arguments is null ? constraint : constraint.Substring(0, constraint.IndexOf('('));
        if (name.Length == 0)
        {
            return "it has no name.";
        }

        if (s_bare.Contains(name))
        {
            return arguments is null ? null : $"{name} takes no arguments.";
        }

        var values = arguments?.Split(',').Select(a => a.Trim()).ToArray() ?? [];
        switch (name.ToLowerInvariant())
        {
            case "min":
            case "max":
            case "minlength":
            case "maxlength":
                return Numbers(name, values, 1, 1);
            case "length":
                return Numbers(name, values, 1, 2);
            case "range":
                return Numbers(name, values, 2, 2) ?? (long.Parse(values[0], CultureInfo.InvariantCulture) > long.Parse(values[1], CultureInfo.InvariantCulture)
                    ? "its minimum is above its maximum." : null);
            case "regex":
                return RegexProblem(arguments);
            default:
                return "it is not a known constraint (int, bool, datetime, decimal, double, float, guid, long, alpha, required, nonfile, file, min, max, range, minlength, maxlength, length, regex).";
        }
    }

    private static string? Numbers(string name, string[] values, int least, int most)
    {
        if (values.Length < least || values.Length > most)
        {
            return least == most ? $"{name} takes {least} number{(least == 1 ? "" : "s")}." : $"{name} takes {least} to {most} numbers.";
        }

        var bad = values.FirstOrDefault(v => !long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        return bad is null ? null : $"'{bad}' is not a whole number.";
    }

    private static string? RegexProblem(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return "regex takes a pattern.";
        }

        try
        {
            _ = new Regex(pattern!, RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException e)
        {
            return $"the pattern is not a regular expression: {e.Message}";
        }
    }

    private static int IndexOutsideParentheses(string text, char wanted)
    {
        var depth = 0;
        for (var j = 0; j < text.Length; j++)
        {
            depth += text[j] == '(' ? 1 : text[j] == ')' ? -1 : 0;
            if (depth <= 0 && text[j] == wanted)
            {
                return j;
            }
        }

        return -1;
    }
}
