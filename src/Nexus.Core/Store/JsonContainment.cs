using System.Text.Json;

namespace Nexus.Core.Store;

/// <summary>
/// PostgreSQL's jsonb containment (a @> b) in C#, so that attribute searches give the same answer on
/// SQLite (where it runs as a SQL function) as on PostgreSQL (where the GIN index answers it).
/// </summary>
internal static class JsonContainment
{
    /// <summary>True when the JSON text <paramref name="container"/> contains <paramref name="contained"/>.</summary>
    public static bool Contains(string? container, string? contained)
    {
        if (container is null || contained is null)
        {
            return false;
        }

        using var a = JsonDocument.Parse(container);
        using var b = JsonDocument.Parse(contained);
        var left = a.RootElement;
        var right = b.RootElement;
        // At the top level only, an array contains a scalar that is one of its elements.
        if (left.ValueKind == JsonValueKind.Array && IsScalar(right))
        {
            return left.EnumerateArray().Any(element => IsScalar(element) && ScalarEquals(element, right));
        }

        return Deep(left, right);
    }

    private static bool Deep(JsonElement left, JsonElement right)
    {
        if (IsScalar(left) || IsScalar(right))
        {
            return IsScalar(left) && IsScalar(right) && ScalarEquals(left, right);
        }

        if (left.ValueKind != right.ValueKind)
        {
            return false;
        }

        if (right.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in right.EnumerateObject())
            {
                if (!TryGetLast(left, member.Name, out var value) || !Deep(value, member.Value))
                {
                    return false;
                }
            }

            return true;
        }

        // Arrays: every element on the right is matched by some element on the left.
        foreach (var wanted in right.EnumerateArray())
        {
            var found = false;
            foreach (var candidate in left.EnumerateArray())
            {
                if (Deep(candidate, wanted))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    // jsonb keeps the last of duplicate keys.
    private static bool TryGetLast(JsonElement obj, string name, out JsonElement value)
    {
        var found = false;
        value = default;
        foreach (var member in obj.EnumerateObject())
        {
            if (member.NameEquals(name))
            {
                value = member.Value;
                found = true;
            }
        }

        return found;
    }

    private static bool IsScalar(JsonElement element) =>
        element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);

    private static bool ScalarEquals(JsonElement left, JsonElement right)
    {
        if (left.ValueKind is JsonValueKind.True or JsonValueKind.False || right.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return left.ValueKind == right.ValueKind;
        }

        if (left.ValueKind != right.ValueKind)
        {
            return false;
        }

        return left.ValueKind switch
        {
            JsonValueKind.String => left.GetString() == right.GetString(),
            JsonValueKind.Number => NumberEquals(left, right),
            _ => true, // null
        };
    }

    // jsonb compares numbers as numeric: 2 = 2.0 = 2e0.
    private static bool NumberEquals(JsonElement left, JsonElement right)
    {
        if (left.TryGetDecimal(out var l) && right.TryGetDecimal(out var r))
        {
            return l == r;
        }

        return left.GetDouble() == right.GetDouble();
    }
}
