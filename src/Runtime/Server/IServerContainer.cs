using Microsoft.AspNetCore.Http;

namespace Annotated.WebSockets.Server;

/// <summary>
/// The application's WebSocket server container, a singleton in dependency injection. Besides serving the
/// endpoints mapped by <c>MapAnnotatedWebSockets()</c>, it can upgrade any request to a WebSocket session
/// of a given endpoint, for example from a controller or a minimal API handler. A server session's
/// <see cref="WebSocketSession.Container"/> is this container.
/// </summary>
public interface IServerContainer : IWebSocketContainer
{
    /// <summary>
    /// Performs the opening handshake on <paramref name="context"/> (an HTTP/1.1 upgrade or an HTTP/2
    /// extended CONNECT) and runs the session until it closes. When the request is not a valid WebSocket
    /// handshake, the matching HTTP error (426, 400 or 403) is written instead.
    /// </summary>
    /// <param name="context">The request to upgrade.</param>
    /// <param name="config">The endpoint to connect the request to; its class must be a generated endpoint.</param>
    /// <param name="pathParameters">The values of the endpoint's URI template variables.</param>
    /// <returns>A task that completes when the session has closed and its close handler has returned.</returns>
    /// <exception cref="DeploymentException">The endpoint class is not a registered (generated) endpoint.</exception>
    Task UpgradeHttpToWebSocketAsync(HttpContext context, ServerEndpointConfig config, IReadOnlyDictionary<string, string> pathParameters);

    /// <summary>
    /// Deploys an endpoint at run time: an annotated (generated) server endpoint or a programmatic one made with
    /// the <see cref="ServerEndpointConfig"/> constructor that takes a factory. It can be called before or after the
    /// application starts; the endpoint is routed through the data source that <c>MapAnnotatedWebSockets()</c>
    /// installs, so that call is required. Route conventions of <c>MapAnnotatedWebSockets()</c> (authorization,
    /// CORS) do not apply to endpoints added here.
    /// </summary>
    /// <param name="config">The endpoint to deploy.</param>
    /// <exception cref="DeploymentException">The path is malformed, an equivalent path is already deployed, or the endpoint class is neither generated nor programmatic.</exception>
    void AddEndpoint(ServerEndpointConfig config);

    /// <summary>
    /// Deploys an annotated (generated) server endpoint class at the path of its attribute. A class that is
    /// already deployed at that path (by <c>MapAnnotatedWebSockets()</c> or an earlier call) is deployed once:
    /// the call does nothing (Jakarta WebSocket §6.4).
    /// </summary>
    /// <param name="endpointType">A class marked <see cref="ServerEndpointAttribute"/>.</param>
    /// <exception cref="DeploymentException">The class is not a generated server endpoint, its path is malformed, or another endpoint is deployed at an equivalent path.</exception>
    void AddEndpoint(Type endpointType);
}
