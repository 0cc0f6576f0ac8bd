using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;
using HttpEndpoint = Microsoft.AspNetCore.Http.Endpoint;

namespace Annotated.WebSockets.Server;

/// The routes of endpoints deployed with <see cref="IServerContainer.AddEndpoint(ServerEndpointConfig)"/>.
/// MapAnnotatedWebSockets adds it to the route builder once; each AddEndpoint replaces the endpoint list and fires
/// the change token, which makes ASP.NET Core routing rebuild its matcher, so endpoints can be added while the
/// application runs.
internal sealed class DynamicServerEndpointDataSource : EndpointDataSource
{
    private readonly object _lock = new();
    private IReadOnlyList<HttpEndpoint> _endpoints = [];
    private CancellationTokenSource _changed = new();

    public override IReadOnlyList<HttpEndpoint> Endpoints => Volatile.Read(ref _endpoints);

    /// Whether a route builder already holds this data source.
    public bool IsAttached { get; set; }

    public override IChangeToken GetChangeToken()
    {
        lock (_lock)
        {
            return new CancellationChangeToken(_changed.Token);
        }
    }

    public void Add(MappedServerEndpoint mapped, RequestDelegate handler)
    {
        var builder = new RouteEndpointBuilder(handler, RoutePatternFactory.Parse(mapped.Template.Path), order: 0)
        {
            DisplayName = $"WebSocket {mapped.Template.Path} ({mapped.Config.EndpointType.FullName}, added at run time)",
        };
        // As for mapped routes: the class's attributes ([Authorize], [EnableCors]…) first, so they guard the handshake.
        foreach (var metadata in mapped.Definition.Metadata)
        {
            builder.Metadata.Add(metadata);
        }

        builder.Metadata.Add(mapped);
        var endpoint = builder.Build();

        CancellationTokenSource previous;
        lock (_lock)
        {
            _endpoints = [.. _endpoints, endpoint];
            previous = _changed;
            _changed = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
    }
}
