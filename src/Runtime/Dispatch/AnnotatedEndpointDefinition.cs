namespace Annotated.WebSockets.Dispatch;

/// <summary>
/// What the source generator knows about one annotated endpoint class: its deployment settings, how it
/// takes each message kind, and factories for its instances and dispatchers. Generated code registers one
/// per endpoint with <see cref="AnnotatedEndpointRegistry"/>; no reflection is involved.
/// </summary>
/// <remarks>Infrastructure for generated code; not meant to be used directly.</remarks>
public sealed class AnnotatedEndpointDefinition
{
    /// <summary>The endpoint class.</summary>
    public required Type EndpointType { get; init; }

    /// <summary>The <see cref="ServerEndpointAttribute.Path"/>, or null for a client endpoint.</summary>
    public string? Path { get; init; }

    /// <summary>Whether this is a <see cref="ClientEndpointAttribute"/> endpoint.</summary>
    public bool IsClientEndpoint { get; init; }

    /// <summary>Whether this describes a programmatic <see cref="Endpoint"/>, whose coders come from its configuration.</summary>
    internal bool IsProgrammatic { get; init; }

    /// <summary>The subprotocols from the attribute, in declaration order.</summary>
    public IReadOnlyList<string> Subprotocols { get; init; } = [];

    /// <summary>The decoder types from the attribute, in declaration order.</summary>
    public IReadOnlyList<Type> Decoders { get; init; } = [];

    /// <summary>The encoder types from the attribute, in declaration order.</summary>
    public IReadOnlyList<Type> Encoders { get; init; } = [];

    /// <summary>Creates the configurator named by the attribute, or null when there is none.</summary>
    public Func<object>? CreateConfigurator { get; init; }

    /// <summary>How text messages are taken.</summary>
    public MessageDelivery Text { get; init; }

    /// <summary>
    /// Whether whole text messages go to <see cref="EndpointDispatcher.OnUtf8TextAsync"/> as their UTF-8 bytes
    /// (the text handler takes <see cref="Utf8Text"/>) instead of being decoded into a string for
    /// <see cref="EndpointDispatcher.OnTextAsync"/>. Only with <see cref="Text"/> = <see cref="MessageDelivery.Whole"/>.
    /// </summary>
    public bool TextAsUtf8 { get; init; }

    /// <summary>How binary messages are taken.</summary>
    public MessageDelivery Binary { get; init; }

    /// <summary>Whether the endpoint has a <see cref="PongMessage"/> handler.</summary>
    public bool HandlesPong { get; init; }

    /// <summary>The text handler's <see cref="OnMessageAttribute.MaxMessageSize"/>, or -1.</summary>
    public long MaxTextMessageSize { get; init; } = -1;

    /// <summary>The binary handler's <see cref="OnMessageAttribute.MaxMessageSize"/>, or -1.</summary>
    public long MaxBinaryMessageSize { get; init; } = -1;

    /// <summary>
    /// The <see cref="ServerEndpointAttribute.RateLimitPolicy"/>: the message rate-limit policy every text and binary
    /// message of a session takes a token from, or null.
    /// </summary>
    public string? RateLimitPolicy { get; init; }

    /// <summary>The text handler's <see cref="OnMessageAttribute.RateLimitPolicy"/>, or null.</summary>
    public string? TextRateLimitPolicy { get; init; }

    /// <summary>The binary handler's <see cref="OnMessageAttribute.RateLimitPolicy"/>, or null.</summary>
    public string? BinaryRateLimitPolicy { get; init; }

    /// <summary>The <see cref="PongMessage"/> handler's <see cref="OnMessageAttribute.RateLimitPolicy"/>, or null.</summary>
    public string? PongRateLimitPolicy { get; init; }

    /// <summary>The <see cref="ServerEndpointAttribute.RequireSecureConnection"/>: whether only <c>wss</c> handshakes are accepted.</summary>
    public bool RequireSecureConnection { get; init; }

    /// <summary>Whether any message of the endpoint is rate-limited.</summary>
    internal bool HasRateLimits => RateLimitPolicy is not null || TextRateLimitPolicy is not null || BinaryRateLimitPolicy is not null || PongRateLimitPolicy is not null;

    /// <summary>
    /// The endpoint class's attributes, as instances (other than this library's own), which become the
    /// mapped route's endpoint metadata ahead of any convention added to it, the way ASP.NET Core turns a
    /// controller's or a route handler's attributes into metadata: <c>[Authorize]</c>, <c>[AllowAnonymous]</c>,
    /// <c>[EnableCors]</c>, <c>[RequireHost]</c> and the like apply to the WebSocket handshake. The generator
    /// writes them for a server endpoint, base classes' inheritable attributes first, the class's own last.
    /// </summary>
    public IReadOnlyList<object> Metadata { get; init; } = [];

    /// <summary>
    /// Whether <see cref="CreateEndpoint"/> resolves anything from the service provider it is given. The
    /// generator sets it to false when the endpoint is created with its parameterless constructor, so the
    /// server need not create a service scope per connection for it. A hand-built definition defaults to true.
    /// </summary>
    public bool UsesServices { get; init; } = true;

    /// <summary>
    /// Describes the server endpoint for its AsyncAPI document and typed client (path parameter types, messages in and
    /// out); null for a client endpoint or a hand-built definition. Called only when a description is written.
    /// </summary>
    public Func<EndpointDescription>? Describe { get; init; }

    /// <summary>Creates an endpoint instance, resolving constructor arguments from the connection's services.</summary>
    public required Func<IServiceProvider, object> CreateEndpoint { get; init; }

    /// <summary>Creates the dispatcher that calls the given endpoint instance.</summary>
    public required Func<object, EndpointDispatcher> CreateDispatcher { get; init; }
}
