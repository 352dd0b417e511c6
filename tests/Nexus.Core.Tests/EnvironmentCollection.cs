namespace Nexus.Core.Tests;

/// <summary>Tests that set process environment variables: never run in parallel with each other.</summary>
[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;
