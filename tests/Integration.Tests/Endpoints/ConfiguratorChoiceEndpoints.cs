using Annotated.WebSockets.Server;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Declines every extension the client offers, whatever the server has installed.</summary>
public sealed class NoExtensionsConfigurator : ServerEndpointConfigurator
{
    public override IReadOnlyList<Extension> GetNegotiatedExtensions(IReadOnlyList<Extension> installed, IReadOnlyList<Extension> requested) => [];
}

/// <summary>Compression is enabled for it in <see cref="ExtensionTests"/>, but its configurator declines it.</summary>
[ServerEndpoint("/it/deflate-declined", Configurator = typeof(NoExtensionsConfigurator))]
public sealed class DeflateDeclinedEndpoint
{
    [OnOpen]
    public Task Open(WebSocketSession session) => session.BasicRemote.SendTextAsync($"ext:{session.NegotiatedExtensions.Count}");
}

/// <summary>Cannot make endpoint instances.</summary>
public sealed class FailingInstanceConfigurator : ServerEndpointConfigurator
{
    public override object GetEndpointInstance(Type endpointType, IServiceProvider services) =>
        throw new InvalidOperationException("no instance today");
}

/// <summary>Its configurator fails after the 101: the connection is closed with 1011.</summary>
[ServerEndpoint("/it/no-instance", Configurator = typeof(FailingInstanceConfigurator))]
public sealed class NoInstanceEndpoint
{
    [OnMessage]
    public string Echo(string text) => text;
}
