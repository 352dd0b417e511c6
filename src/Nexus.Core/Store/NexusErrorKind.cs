namespace Nexus.Core.Store;

/// <summary>What went wrong, in terms a cmdlet can map to an error category.</summary>
public enum NexusErrorKind
{
    /// <summary>A connection string or URL could not be understood.</summary>
    InvalidConnectionString,

    /// <summary>A URL scheme names a database this module does not support.</summary>
    UnsupportedScheme,

    /// <summary>The server could not be reached (network, port, DNS, server down).</summary>
    ConnectionFailed,

    /// <summary>The server refused the user name or password.</summary>
    AuthenticationFailed,

    /// <summary>The database named in the connection does not exist.</summary>
    DatabaseNotFound,

    /// <summary>The store file or folder cannot be written.</summary>
    ReadOnly,

    /// <summary>An argument is malformed (a path, a key, a tenant, a value).</summary>
    InvalidArgument,

    /// <summary>The thing asked for does not exist.</summary>
    NotFound,

    /// <summary>The thing to create exists already.</summary>
    AlreadyExists,

    /// <summary>The store's schema is older (or newer) than this module expects.</summary>
    SchemaMismatch,

    /// <summary>A migration failed, or the migration journal disagrees with the module.</summary>
    MigrationFailed,

    /// <summary>The store was closed with Disconnect-NexusStore.</summary>
    StoreClosed,

    /// <summary>A wait (lock, timeout) ran out.</summary>
    Timeout,

    /// <summary>Data read back from a store does not match what was expected.</summary>
    InvalidData,

    /// <summary>The disk (or the database's size limit) is full: nothing more can be written.</summary>
    DiskFull,

    /// <summary>The store file is damaged (malformed pages) or is not a database at all.</summary>
    StoreCorrupt,

    /// <summary>A lock or a deadlock outlived the busy wait or the retries: other writers hold the rows.</summary>
    Busy,

    /// <summary>The connection broke while COMMIT was under way: the write may or may not be stored.</summary>
    OutcomeUnknown,

    /// <summary>A configuration file (nexus.yaml) has an unknown key, a wrong type or an impossible value.</summary>
    InvalidConfiguration,

    /// <summary>The server speaks PostgreSQL's protocol but is another database this module does not support (CockroachDB).</summary>
    UnsupportedServer,
}
