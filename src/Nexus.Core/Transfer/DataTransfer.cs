using System.Diagnostics;
using Nexus.Core.Migrations;
using Nexus.Core.Session;
using Nexus.Core.Store;

namespace Nexus.Core.Transfer;

/// <summary>
/// Copies, exports and imports the store's three tables. Rows stream: a reading thread converts
/// each row to canonical values (rejecting what cannot be converted), adds it to the source
/// checksum and hands batches to the writing thread, which loads them into the destination inside
/// one transaction. Then every table is read back from the destination inside that transaction
/// and its checksum compared; only when all match is the transaction committed. A failure, a
/// mismatch, Ctrl+C or a killed process leaves the destination as it was. Progress and log
/// callbacks run on the calling thread only.
/// </summary>
public sealed class DataTransfer
{
    private readonly TransferOptions _options;
    private readonly Action<string>? _log;
    private readonly Action<TransferProgress>? _progress;
    private readonly CancellationToken _cancel;
    private readonly Action<string>? _warn;

    public DataTransfer(TransferOptions options, Action<string>? log = null, Action<TransferProgress>? progress = null, CancellationToken cancel = default, Action<string>? warn = null)
    {
        _options = options;
        _log = log;
        _progress = progress;
        _cancel = cancel;
        _warn = warn;
    }

    /// <summary>Copies every table of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public IReadOnlyList<TableTransferResult> Copy(NexusStore source, NexusStore destination)
    {
        if (source.Provider == destination.Provider && source.Database == destination.Database)
        {
            throw new NexusException(NexusErrorKind.InvalidArgument,
                $"The source and the destination are the same store ({source.Database}).", destination, hint: "Give another destination.");
        }

        using var from = new DatabaseSource(source, ordered: false);
        return IntoStore(from, destination);
    }

    /// <summary>Writes every table of <paramref name="source"/> to an export folder.</summary>
    public IReadOnlyList<TableTransferResult> Export(NexusStore source, string folder)
    {
        // Primary-key order makes two exports of the same data byte-identical.
        using var from = new DatabaseSource(source, ordered: true);
        using var sink = new ExportSink(folder, from, _options);
        return Run(from, sink, merge: false);
    }

    /// <summary>Loads an export folder into <paramref name="destination"/>.</summary>
    public IReadOnlyList<TableTransferResult> Import(string folder, NexusStore destination)
    {
        using var from = new ExportSource(folder, _log);
        // The rows read must be the rows the manifest vouches for (checked before committing).
        var expected = from.Manifest.Tables.ToDictionary(t => t.Name, t => t.Checksum);
        return IntoStore(from, destination, expected);
    }

    private IReadOnlyList<TableTransferResult> IntoStore(ITableSource from, NexusStore destination, IReadOnlyDictionary<string, string>? expected = null)
    {
        // Before the destination is touched (Align may migrate it): a refusal changes nothing.
        var quoteNonFinite = CheckNonFinite(from, destination.Database);
        DestinationSchema.Align(destination, from.SchemaRevision, from.Description, _log);
        using (var staged = StagingSink.TryOpen(destination, _options, _log, _cancel))
        {
            if (staged is not null)
            {
                return Run(from, staged, merge: false, expected, quoteNonFinite);
            }
        }

        using var sink = DatabaseSink.Open(destination, _options.Mode);
        if (_options.Mode == TransferMode.EmptyOnly)
        {
            var held = TransferTable.All.Select(t => (t.Name, Rows: sink.CountExisting(t))).Where(t => t.Rows > 0).ToList();
            // A copy run again onto its own finished copy succeeds; an import (expected checksums
            // given) into a store holding rows stays refused.
            if (held.Count > 0 && expected is null && SameCopy(from, sink, quoteNonFinite) is { } same)
            {
                return same;
            }

            if (held.Count > 0)
            {
                throw new NexusException(NexusErrorKind.AlreadyExists,
                    $"The destination {destination.Database} is not empty ({string.Join(", ", held.Select(h => $"{h.Rows} rows in {h.Name}"))}).",
                    destination, hint: "Use -Merge to upsert into it by natural key, or -Force to replace its contents.");
            }
        }

        sink.Start();
        return Run(from, sink, _options.Mode == TransferMode.Merge, expected, quoteNonFinite);
    }

    /// <summary>
    /// NaN, Infinity and -Infinity in the source's attribute values: refused before anything is
    /// written, naming every path and key (the default); stored as JSON strings, each reported in
    /// a warning (AsString: returns true). Under -SkipInvalid with the default, such rows are set
    /// aside in the reject file like any other value that cannot be converted.
    /// </summary>
    private bool CheckNonFinite(ITableSource from, string destination)
    {
        if (_options.SkipInvalid && _options.NonFiniteNumbers == NonFiniteNumbers.Refuse)
        {
            return false;
        }

        var found = NonFiniteAttributes.Find(from, _cancel);
        if (found.Count == 0)
        {
            return false;
        }

        if (_options.NonFiniteNumbers == NonFiniteNumbers.Refuse)
        {
            throw NonFiniteAttributes.Refusal(found, from.Description, destination);
        }

        foreach (var value in found)
        {
            _warn?.Invoke(NonFiniteAttributes.Note(value));
        }

        return true;
    }

    /// <summary>
    /// The verified results when <paramref name="destination"/> already holds exactly the rows the
    /// source would write (same counts, same checksums); null when it holds anything else.
    /// </summary>
    private IReadOnlyList<TableTransferResult>? SameCopy(ITableSource from, DatabaseSink destination, bool quoteNonFinite)
    {
        if (TransferTable.All.Any(t => from.Count(t) != destination.CountExisting(t)))
        {
            return null;
        }

        _log?.Invoke($"The destination {destination.Description} holds as many rows as {from.Description}; comparing their checksums.");
        try
        {
            var results = Run(from, new IdenticalCopySink(destination), merge: false, quoteNonFinite: quoteNonFinite);
            _log?.Invoke($"The destination {destination.Description} already holds an identical copy of {from.Description} (every table's rows and checksum match); nothing was written.");
            return results;
        }
        catch (NexusException e) when (e.Kind == NexusErrorKind.InvalidData)
        {
            _log?.Invoke($"The destination {destination.Description} holds other rows than {from.Description}: {e.Message}");
            return null;
        }
    }

    private IReadOnlyList<TableTransferResult> Run(ITableSource source, ITableSink sink, bool merge, IReadOnlyDictionary<string, string>? expected = null, bool quoteNonFinite = false)
    {
        var tables = TransferTable.All.Select(t => new TableRun(t, source.Columns(t), source.Count(t))).ToList();
        foreach (var run in tables)
        {
            sink.Prepare(run.Table, run.Columns);
        }

        var total = tables.Sum(t => t.Expected);
        using var rejects = new RejectWriter(_options.RejectPath ?? TransferOptions.DefaultRejectPath(Directory.GetCurrentDirectory()));
        var skippedFiles = new HashSet<Guid>();
        var meter = new Meter(_progress, "Copying", total);
        foreach (var run in tables)
        {
            var quoted = quoteNonFinite && run.Table == TransferTable.FileMetadata;
            // An import checks the rows as read against its manifest: then the quoted values count as read.
            run.AsRead = quoted && expected is not null ? new TableChecksum() : null;
            Load(source, sink, run, rejects, skippedFiles, merge, meter, quoted);
        }

        var finishing = Stopwatch.StartNew();
        sink.FinishLoad(phase =>
        {
            _log?.Invoke($"{phase} in {sink.Description}.");
            _progress?.Invoke(new TransferProgress { Phase = phase, RowsTotal = 0, SecondsRemaining = -1 });
        });
        _log?.Invoke($"Load finished in {finishing.Elapsed.TotalSeconds:0.0} s; verifying.");

        var verify = new Meter(_progress, "Verifying", tables.Sum(t => t.Written));
        var results = new List<TableTransferResult>();
        foreach (var run in tables)
        {
            var readBack = new TableChecksum();
            RowPipeline.Run(
                (emit, stop) =>
                {
                    // Reading and converting on one thread, checksumming on the other, keeps
                    // both cores busy.
                    foreach (var row in sink.ReadBack(run.Table, run.Columns, stop))
                    {
                        var problem = RowConverter.Convert(row, run.Columns);
                        if (problem is not null)
                        {
                            throw new NexusException(NexusErrorKind.InvalidData,
                                $"{run.Table.Name} in {sink.Description} holds a value that cannot be read back ({problem.Column}: {problem.Reason}). Nothing was committed.", run.Table.Name);
                        }

                        emit(row);
                    }
                },
                batch =>
                {
                    foreach (var row in batch)
                    {
                        if (run.WrittenIds is null || run.WrittenIds.Contains((Guid)row[0]!))
                        {
                            readBack.Add(row);
                        }
                    }

                    verify.Step(run.Table.Name, batch.Count);
                },
                _options.BatchSize,
                _cancel);

            if (sink is IVerifiedSink verified)
            {
                readBack = verified.ReadBackChecksum(run.Table, run.Checksum);   // verified while the other tables loaded
                verify.Step(run.Table.Name, readBack.Rows);
            }

            var match = readBack.Rows == run.Written && readBack.Value == run.Checksum.Value;
            _log?.Invoke($"{run.Table.Name}: {readBack.Rows} rows {(sink is IVerifiedSink ? "in" : "read back from")} {sink.Description}, checksum {readBack.Value} {(match ? "matches" : "DOES NOT match " + run.Checksum.Value)}.");
            results.Add(new TableTransferResult
            {
                Table = run.Table.Name,
                RowsRead = run.Read,
                RowsWritten = run.Written,
                RowsSkipped = run.Skipped,
                SourceChecksum = run.Checksum.Value,
                DestinationChecksum = readBack.Value,
                DestinationRows = readBack.Rows,
                Match = match,
                Source = source.Description,
                Destination = sink.Description,
                Duration = run.Duration,
                RejectFile = run.Skipped > 0 ? rejects.WrittenPath : null,
            });
        }

        if (expected is not null && !merge)
        {
            var wrong = tables.Where(t => t.Skipped == 0 && expected[t.Table.Name] != (t.AsRead ?? t.Checksum).Value).ToList();
            if (wrong.Count > 0)
            {
                throw new NexusException(NexusErrorKind.InvalidData,
                    $"The rows read from {source.Description} do not have the checksums its manifest records ({string.Join(", ", wrong.Select(t => t.Table.Name))}); the export is damaged. Nothing was committed to {sink.Description}.",
                    source.Description);
            }
        }

        if (results.Any(r => !r.Match))
        {
            throw new TransferFailedException(NexusErrorKind.InvalidData,
                $"Verification failed for {string.Join(", ", results.Where(r => !r.Match).Select(r => $"{r.Table} ({r.RowsWritten} rows written, {r.DestinationRows} read back, checksums differ)"))}. Nothing was committed to {sink.Description}.",
                results);
        }

        sink.Commit(results);
        return results;
    }

    private void Load(ITableSource source, ITableSink sink, TableRun run, RejectWriter rejects, HashSet<Guid> skippedFiles, bool merge, Meter meter, bool quoteNonFinite)
    {
        var clock = Stopwatch.StartNew();
        var table = run.Table;
        var columns = run.Columns;
        var parent = table.ParentIndex(columns);
        var value = quoteNonFinite ? columns.ToList().FindIndex(c => c.Kind == ColumnKind.Json) : -1;
        run.WrittenIds = merge ? new HashSet<Guid>() : null;
        sink.Begin(table, columns);
        RowPipeline.Run(
            (emit, stop) =>
            {
                foreach (var row in source.Read(table, columns, stop))
                {
                    run.Read++;
                    string? asRead = null;
                    if (value >= 0 && row[value] is string raw && NonFiniteAttributes.Quote(raw) is { Count: > 0 } quoted)
                    {
                        row[value] = quoted.Text;
                        asRead = raw;
                    }

                    var problem = RowConverter.Convert(row, columns);
                    if (problem is null && parent >= 0 && row[parent] is Guid file && skippedFiles.Contains(file))
                    {
                        problem = new RowProblem(table.ParentColumn!, $"its file record (path_id {file}) was skipped as invalid");
                    }

                    if (problem is not null)
                    {
                        var described = DescribeKey(table, columns, row);
                        if (!_options.SkipInvalid)
                        {
                            throw new NexusException(NexusErrorKind.InvalidData,
                                $"{table.Name} row {described}: {problem.Column}: {problem.Reason}. Nothing was written to {sink.Description}.",
                                $"{table.Name}:{described}", hint: $"Correct the row in {source.Description}, or run again with -SkipInvalid to set such rows aside in a reject file.");
                        }

                        rejects.Write(table, columns, row, described, problem);
                        if (table == TransferTable.FilePaths && row[0] is Guid skippedId)
                        {
                            skippedFiles.Add(skippedId);
                        }

                        run.Skipped++;
                        continue;
                    }

                    if (run.AsRead is not null)
                    {
                        var read = row;
                        if (asRead is not null)
                        {
                            read = (object?[])row.Clone();
                            read[value] = asRead;
                        }

                        run.AsRead.Add(read);
                    }

                    emit(row);
                }
            },
            batch =>
            {
                foreach (var row in batch)
                {
                    // The checksum is taken here, on the writing thread, so that reading and
                    // converting (the other thread) and hashing and writing share the two cores.
                    var stored = sink.Write(row);
                    run.Written++;
                    run.Checksum.Add(stored);
                    run.WrittenIds?.Add((Guid)stored[0]!);
                }

                meter.Step(table.Name, batch.Count);
            },
            _options.BatchSize,
            _cancel);

        sink.End();
        run.Duration = clock.Elapsed;
        var rate = run.Written / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        _log?.Invoke($"{table.Name}: {run.Read} rows read, {run.Written} written, {run.Skipped} skipped in {clock.Elapsed.TotalSeconds:0.0} s ({rate:0} rows/s).");
    }

    private static string DescribeKey(TransferTable table, IReadOnlyList<TransferColumn> columns, object?[] row)
    {
        var parts = new List<string>();
        for (var i = 0; i < columns.Count; i++)
        {
            if (i == 0 || table.NaturalKey.Contains(columns[i].Name))
            {
                parts.Add($"{columns[i].Name}={(row[i] is null ? "NULL" : "'" + RowConverter.Show(row[i]!) + "'")}");
            }
        }

        return string.Join(", ", parts);
    }

    /// <summary>The state of one table through a transfer.</summary>
    private sealed class TableRun(TransferTable table, IReadOnlyList<TransferColumn> columns, long expected)
    {
        public TransferTable Table { get; } = table;

        public IReadOnlyList<TransferColumn> Columns { get; } = columns;

        public long Expected { get; } = expected;

        public long Read { get; set; }

        public long Written { get; set; }

        public long Skipped { get; set; }

        public TableChecksum Checksum { get; } = new();

        // Import with -NonFiniteNumbers AsString: the checksum of the rows as read (values before
        // quoting), for the manifest; Checksum stays that of the rows written, for verification.
        public TableChecksum? AsRead { get; set; }

        // Under -Merge: the ids the destination keeps for the rows written (what verification reads back).
        public HashSet<Guid>? WrittenIds { get; set; }

        public TimeSpan Duration { get; set; }
    }

    /// <summary>Rows per second and time left, reported at most four times a second.</summary>
    private sealed class Meter(Action<TransferProgress>? report, string phase, long total)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _done;
        private long _lastReport = -1000;

        public void Step(string table, long rows = 1)
        {
            _done += rows;
            if (report is null || _clock.ElapsedMilliseconds - _lastReport < 250)
            {
                return;
            }

            _lastReport = _clock.ElapsedMilliseconds;
            var rate = _done / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
            report(new TransferProgress
            {
                Phase = phase,
                Table = table,
                RowsDone = _done,
                RowsTotal = total,
                RowsPerSecond = rate,
                SecondsRemaining = rate > 0 && total >= _done ? (int)((total - _done) / rate) : -1,
            });
        }
    }
}
