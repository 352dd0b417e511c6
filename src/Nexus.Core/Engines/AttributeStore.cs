using System.Data.Common;
using Nexus.Core.Dialects;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Engines;

/// <summary>
/// The key/value attributes of a file record. Values travel as JSON text (the cmdlets convert
/// PowerShell values); each is at most <see cref="AttributeRules.MaxValueBytes"/> bytes.
/// </summary>
public sealed class AttributeStore : IStoreEngine
{
    private readonly StoreAccess _access;

    /// <summary>The attributes of <paramref name="store"/>; fails if its schema is not current.</summary>
    public AttributeStore(NexusStore store)
    {
        _access = new StoreAccess(store);
    }

    /// <inheritdoc />
    public Action<string>? Log
    {
        get => _access.Log;
        set => _access.Log = value;
    }

    /// <summary>Sets (inserts or replaces) several attributes of one live record in one transaction.</summary>
    public void Set(string tenant, string path, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        if (SetMany(new[] { new AttributeChange(tenant, path, values) }, returnStored: false)[0] is null)
        {
            throw StoreErrors.NoRecord(tenant, path);
        }
    }

    /// <summary>
    /// Sets the attributes of many records in ONE transaction (all or nothing), as if each change
    /// were applied in the order given: a (path, key) given twice ends with its last value. Returns,
    /// per change in input order, null when there is no live record at its path (nothing of it is
    /// stored), else the record's attributes right after that change when
    /// <paramref name="returnStored"/> (an empty list otherwise).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>>?[] SetMany(IReadOnlyList<AttributeChange> changes, bool returnStored, CancellationToken cancel = default)
    {
        foreach (var change in changes)
        {
            foreach (var (key, json) in change.Values)
            {
                AttributeRules.ValidateKey(key);
                AttributeRules.CheckValueSize(key, json);
            }
        }

        return Apply<IReadOnlyList<KeyValuePair<string, string>>>(changes, (connection, transaction, rows, run, ids, results) =>
        {
            _access.Sql.UpsertAttributes(connection, transaction, rows, DbTime.UtcNow(), cancel);
            foreach (var index in run)
            {
                if (ids.TryGetValue((changes[index].Tenant, changes[index].Path), out var id))
                {
                    results[index] = returnStored ? ReadAll(connection, transaction, changes[index].Tenant, id) : Array.Empty<KeyValuePair<string, string>>();
                }
            }
        }, cancel);
    }

    /// <summary>All attributes of one live record, as key → JSON text, in byte-wise key order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Get(string tenant, string path)
    {
        return _access.Read(path, connection =>
            ReadAll(connection, null, tenant, MetadataStore.FindId(connection, null, tenant, path, liveOnly: true) ?? throw StoreErrors.NoRecord(tenant, path)));
    }

    /// <summary>Removes attributes of one live record in one transaction; returns the keys that existed.</summary>
    public IReadOnlyList<string> Remove(string tenant, string path, IReadOnlyList<string> keys)
    {
        var removal = new AttributeChange(tenant, path, keys.Select(k => new KeyValuePair<string, string>(k, string.Empty)).ToArray());
        return RemoveMany(new[] { removal })[0] ?? throw StoreErrors.NoRecord(tenant, path);
    }

    /// <summary>
    /// Removes attributes (the keys of each change) of many records in ONE transaction, in the
    /// order given. Returns, per change in input order, null when there is no live record at its
    /// path, else the keys of it that existed (a key removed by an earlier change is not there any more).
    /// </summary>
    public IReadOnlyList<string>?[] RemoveMany(IReadOnlyList<AttributeChange> removals, CancellationToken cancel = default)
    {
        return Apply<IReadOnlyList<string>>(removals, (connection, transaction, rows, run, ids, results) =>
        {
            var gone = _access.Sql.DeleteAttributes(connection, transaction, rows, cancel);
            foreach (var index in run)
            {
                if (ids.TryGetValue((removals[index].Tenant, removals[index].Path), out var id))
                {
                    // A key named twice in one change was removed once: the first naming takes it.
                    results[index] = removals[index].Values.Select(v => v.Key).Where(k => gone.Remove(new AttributeRow(removals[index].Tenant, id, k, null))).ToArray();
                }
            }
        }, cancel);
    }

    // Writes changes in one transaction: rows are written (and so locked) in (tenant, path, key)
    // order, whatever the input order, so that two sessions writing overlapping batches wait for
    // each other instead of deadlocking. One statement may not touch a row twice, and -PassThru
    // wants each change's own result: a path given again starts a new run, and runs are written
    // in input order (the sort is stable). Results are handed back in input order.
    private T?[] Apply<T>(
        IReadOnlyList<AttributeChange> changes,
        Action<DbConnection, DbTransaction, List<AttributeRow>, List<int>, Dictionary<(string, string), object>, T?[]> writeRun,
        CancellationToken cancel)
        where T : class
    {
        var results = new T?[changes.Count];
        if (changes.Count == 0)
        {
            return results;
        }

        var sorted = Enumerable.Range(0, changes.Count)
            .OrderBy(i => changes[i].Tenant, StringComparer.Ordinal).ThenBy(i => changes[i].Path, StringComparer.Ordinal).ToArray();
        var target = changes.Count == 1 ? changes[0].Path
            : $"{changes.Count} records ('{TextRules.Printable(changes[sorted[0]].Path)}' to '{TextRules.Printable(changes[sorted[^1]].Path)}')";
        return _access.Write(target, (connection, transaction) =>
        {
            Array.Clear(results); // a retried transaction starts over
            var ids = new Dictionary<(string, string), object>();
            foreach (var tenant in changes.GroupBy(c => c.Tenant, StringComparer.Ordinal))
            {
                var found = _access.Sql.FindLiveIds(connection, transaction, tenant.Key, tenant.Select(c => c.Path).Distinct(StringComparer.Ordinal).ToArray());
                foreach (var (path, id) in found)
                {
                    ids[(tenant.Key, path)] = id;
                }
            }

            var run = new List<int>();
            var seen = new HashSet<(string, string)>();
            void Write()
            {
                cancel.ThrowIfCancellationRequested();
                var rows = new List<AttributeRow>();
                foreach (var index in run)
                {
                    if (ids.TryGetValue((changes[index].Tenant, changes[index].Path), out var id))
                    {
                        // Keys of one change in byte order; a key given twice keeps its last value.
                        var last = new Dictionary<string, string>(StringComparer.Ordinal);
                        foreach (var (key, json) in changes[index].Values)
                        {
                            last[key] = json;
                        }

                        rows.AddRange(last.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new AttributeRow(changes[index].Tenant, id, kv.Key, kv.Value)));
                    }
                }

                writeRun(connection, transaction, rows, run, ids, results);
                run.Clear();
                seen.Clear();
            }

            foreach (var index in sorted)
            {
                if (!seen.Add((changes[index].Tenant, changes[index].Path)))
                {
                    Write();
                    seen.Add((changes[index].Tenant, changes[index].Path));
                }

                run.Add(index);
            }

            Write();
            cancel.ThrowIfCancellationRequested();
            return results;
        });
    }

    private IReadOnlyList<KeyValuePair<string, string>> ReadAll(DbConnection connection, DbTransaction? transaction, string tenant, object id)
    {
        using var command = connection.CreateCommand(
            $"SELECT key, value FROM file_metadata WHERE {_access.Sql.RowsOf("file_metadata", "@tenant", "@id")} ORDER BY key{_access.Sql.OrdinalCollation}", transaction);
        command.AddParameter("@tenant", tenant);
        command.AddParameter("@id", id);
        using var reader = command.ExecuteReader();
        var values = new List<KeyValuePair<string, string>>();
        while (reader.Read())
        {
            values.Add(new(reader.GetString(0), reader.IsDBNull(1) ? "null" : reader.GetString(1)));
        }

        return values;
    }
}
