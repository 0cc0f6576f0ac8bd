using Annotated.WebSockets.Client;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>A client endpoint whose attribute names a configurator, to show the container uses it.</summary>
[ClientEndpoint(Configurator = typeof(MarkerConfigurator))]
public sealed class MarkedClientEndpoint
{
    public EventLog Events { get; } = new();

    [OnMessage]
    public void Text(string text) => Events.Add($"text:{text}");
}

/// <summary>Adds a request header that the raw test server records.</summary>
public sealed class MarkerConfigurator : ClientEndpointConfigurator
{
    public override void BeforeRequest(IDictionary<string, IList<string>> headers) => headers["X-Client-Marker"] = ["from-attribute"];
}
