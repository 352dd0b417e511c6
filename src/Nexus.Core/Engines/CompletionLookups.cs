using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Engines;

/// <summary>
/// The small, bounded reads behind tab completion: the next path segments under what was typed,
/// the attribute keys of one record, the tenants. Each runs at most <c>limit</c> one-row index
/// seeks (a skip scan), never a scan of everything under a prefix, so completing "/" on a store
/// of millions of records costs as much as on an empty one.
/// </summary>
public sealed class CompletionLookups
{
    /// <summary>Seconds one lookup statement may run.</summary>
    private const int StatementSeconds = 2;

    private readonly StoreAccess _access;

    /// <summary>Lookups on an open store at the current schema.</summary>
    public CompletionLookups(NexusStore store)
    {
        _access = new StoreAccess(store);
    }

    /// <summary>
    /// Live paths of <paramref name="tenant"/> that start with <paramref name="typed"/>, cut after
    /// the next '/' ("/rep" gives "/reports/" once, not every record under it), in byte-wise order.
    /// </summary>
    public IReadOnlyList<string> NextPathSegments(string tenant, string typed, int limit)
    {
        var collate = _access.Sql.OrdinalCollation;
        var high = PathRules.Successor(typed);
        var range = high is null ? string.Empty : $" AND virtual_path{collate} < @high";
        return _access.Read(typed, connection =>
        {
            var found = new List<string>();
            var low = typed;
            var inclusive = true;
            while (found.Count < limit)
            {
                using var command = connection.CreateCommand(
                    $"SELECT virtual_path FROM file_paths WHERE tenant_id = @tenant AND deleted_at IS NULL AND virtual_path{collate} {(inclusive ? ">=" : ">")} @low{range} ORDER BY virtual_path{collate} LIMIT 1");
                command.CommandTimeout = StatementSeconds;
                command.AddParameter("@tenant", tenant);
                command.AddParameter("@low", low);
                if (high is not null)
                {
                    command.AddParameter("@high", high);
                }

                if (command.ExecuteScalar() is not string path)
                {
                    break;
                }

                var slash = path.IndexOf('/', Math.Max(typed.Length, 1));
                if (slash < 0)
                {
                    // A record itself: the next seek starts just after it.
                    found.Add(path);
                    low = path;
                    inclusive = false;
                    continue;
                }

                // A folder: offered once, and the next seek skips everything under it.
                var segment = path[..(slash + 1)];
                found.Add(segment);
                var next = PathRules.Successor(segment);
                if (next is null)
                {
                    break;
                }

                low = next;
                inclusive = true;
            }

            return found;
        });
    }

    /// <summary>The attribute keys of one live record in byte-wise order; none when there is no such record.</summary>
    public IReadOnlyList<string> AttributeKeys(string tenant, string path, int limit)
    {
        return _access.Read(path, connection =>
        {
            var keys = new List<string>();
            var id = MetadataStore.FindId(connection, null, tenant, path, liveOnly: true);
            if (id is null)
            {
                return keys;
            }

            using var command = connection.CreateCommand(
                $"SELECT key FROM file_metadata WHERE {_access.Sql.RowsOf("file_metadata", "@tenant", "@id")} ORDER BY key{_access.Sql.OrdinalCollation} LIMIT @limit");
            command.CommandTimeout = StatementSeconds;
            command.AddParameter("@tenant", tenant);
            command.AddParameter("@id", id);
            command.AddParameter("@limit", (long)limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                keys.Add(reader.GetString(0));
            }

            return keys;
        });
    }

    /// <summary>The distinct tenants that hold records (deleted ones too), up to <paramref name="limit"/>.</summary>
    public IReadOnlyList<string> Tenants(int limit)
    {
        return _access.Read(null, connection =>
        {
            var found = new List<string>();
            string? last = null;
            while (found.Count < limit)
            {
                using var command = connection.CreateCommand(last is null
                    ? "SELECT min(tenant_id) FROM file_paths"
                    : "SELECT min(tenant_id) FROM file_paths WHERE tenant_id > @last");
                command.CommandTimeout = StatementSeconds;
                if (last is not null)
                {
                    command.AddParameter("@last", last);
                }

                if (command.ExecuteScalar() is not string tenant)
                {
                    break;
                }

                found.Add(tenant);
                last = tenant;
            }

            return found;
        });
    }
}
