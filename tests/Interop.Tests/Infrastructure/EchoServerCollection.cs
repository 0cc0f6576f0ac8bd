namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>The test classes that share one running Echo sample (one process for all the peers).</summary>
[CollectionDefinition(Name)]
public sealed class EchoServerCollection : ICollectionFixture<EchoServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Echo sample";
}
