namespace Annotated.WebSockets.Reliability.Tests.Load;

/// <summary>
/// Load tests run alone, after the parallel ones: they need the machine's cores and file descriptors, and their
/// memory figures would mean little with other tests allocating in the same process.
/// </summary>
[CollectionDefinition(nameof(LoadCollection), DisableParallelization = true)]
public sealed class LoadCollection;
