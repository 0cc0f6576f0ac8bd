namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What <c>AddAnnotatedWebSockets</c> returns: the application's services, for extensions of the WebSocket server to
/// register themselves on (for example <c>AddRedisBackplane</c>).
/// </summary>
public interface IAnnotatedWebSocketsBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}
