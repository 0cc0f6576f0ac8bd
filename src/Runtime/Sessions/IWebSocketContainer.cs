namespace Annotated.WebSockets;

/// <summary>
/// What the server container (<c>IServerContainer</c>) and the client container (<c>WebSocketContainer</c>) have in
/// common, the part of Jakarta's <c>WebSocketContainer</c> both implement: the extensions the container can run and the
/// settings its sessions start with. A session's <see cref="WebSocketSession.Container"/> is one; test it for
/// <c>IServerContainer</c> or <c>WebSocketContainer</c> to reach the rest.
/// </summary>
public interface IWebSocketContainer
{
    /// <summary>
    /// The extensions this container can run (Jakarta's <c>getInstalledExtensions</c>): <c>permessage-deflate</c>,
    /// without parameters, whether or not it is enabled. A configuration that lists any other extension is refused.
    /// </summary>
    IReadOnlyList<Extension> InstalledExtensions { get; }

    /// <summary>The idle timeout sessions start with (<see cref="WebSocketSessionOptions.MaxIdleTimeout"/>).</summary>
    TimeSpan DefaultMaxSessionIdleTimeout { get; }

    /// <summary>The largest whole text message sessions start by buffering (<see cref="WebSocketSessionOptions.MaxTextMessageBufferSize"/>).</summary>
    int DefaultMaxTextMessageBufferSize { get; }

    /// <summary>The largest whole binary message sessions start by buffering (<see cref="WebSocketSessionOptions.MaxBinaryMessageBufferSize"/>).</summary>
    int DefaultMaxBinaryMessageBufferSize { get; }

    /// <summary>The time an asynchronous send may take before it fails (<see cref="WebSocketSessionOptions.AsyncSendTimeout"/>).</summary>
    TimeSpan DefaultAsyncSendTimeout { get; }
}
