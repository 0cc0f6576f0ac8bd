using System.Diagnostics.CodeAnalysis;

namespace Annotated.WebSockets;

/// <summary>
/// Marks a public class as a WebSocket server endpoint deployed at <see cref="Path"/>. The source generator
/// compiles the class's <see cref="OnOpenAttribute"/>, <see cref="OnMessageAttribute"/>,
/// <see cref="OnCloseAttribute"/> and <see cref="OnErrorAttribute"/> methods into a dispatcher, and
/// <c>app.MapAnnotatedWebSockets()</c> maps it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ServerEndpointAttribute : Attribute
{
    /// <summary>Creates the attribute for the given path.</summary>
    /// <param name="path">
    /// The path relative to the application root: starts with <c>/</c>, and may hold level-1 URI template
    /// variables that replace whole segments, such as <c>/chat/{room}</c>.
    /// </param>
    public ServerEndpointAttribute([StringSyntax("Route")] string path) => Path = path;

    /// <summary>The path or URI template the endpoint is deployed at.</summary>
    public string Path { get; }

    /// <summary>The subprotocols the endpoint supports, in the server's order of preference.</summary>
    public string[] Subprotocols { get; set; } = [];

    /// <summary>Decoder types, tried in declaration order; the first willing one decodes a message.</summary>
    public Type[] Decoders { get; set; } = [];

    /// <summary>Encoder types, tried in declaration order for objects sent or returned.</summary>
    public Type[] Encoders { get; set; } = [];

    /// <summary>A type deriving from <c>ServerEndpointConfigurator</c> that customises the handshake, or null.</summary>
    public Type? Configurator { get; set; }

    /// <summary>
    /// The name of a message rate-limit policy of the server's options
    /// (<c>options.AddMessageRateLimitPolicy(name, …)</c>) that every text and binary message takes a token from, in
    /// each session on its own; null (the default) for none. An <see cref="OnMessageAttribute.RateLimitPolicy"/> applies
    /// on top of it. A name no policy has is a deployment error at start-up; an empty name is a compile-time error.
    /// </summary>
    public string? RateLimitPolicy { get; set; }

    /// <summary>
    /// Whether the endpoint accepts only handshakes over TLS (<c>wss</c>; Jakarta's transport guarantee CONFIDENTIAL,
    /// §8.3): a plain <c>ws</c> handshake to it is refused with HTTP 403 before any upgrade. Default: false.
    /// </summary>
    public bool RequireSecureConnection { get; set; }
}
