using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;

namespace Annotated.WebSockets.Client;

/// <summary>
/// How a client endpoint connects: the subprotocols and extensions it offers, its configurator, coders and user
/// properties, and the transport settings (TLS, proxy, HTTP version). Build one with <see cref="CreateBuilder"/>.
/// </summary>
/// <example>
/// <code>
/// var config = ClientEndpointConfig.CreateBuilder()
///     .WithSubprotocols("chat.v2", "chat.v1")
///     .WithPerMessageDeflate()
///     .WithRemoteCertificateValidation((sender, certificate, chain, errors) => IsPinned(certificate))
///     .Build();
/// var session = await container.ConnectToServerAsync(new MyEndpoint(), config, new Uri("wss://example.com/chat"));
/// </code>
/// </example>
public sealed partial class ClientEndpointConfig : EndpointConfig
{
    private ClientEndpointConfig(Builder builder)
    {
        Subprotocols = [.. builder.SubprotocolList];
        Coders = builder.CoderSet;
        Encoders = builder.CoderSet is { IsEmpty: false } encoders ? encoders.Encoders : [.. builder.EncoderList];
        Decoders = builder.CoderSet is { IsEmpty: false } decoders ? decoders.Decoders : [.. builder.DecoderList];
        PerMessageDeflate = builder.DeflateOffer;
        Extensions = builder.ExtensionList.ToArray().AsReadOnly();
        Configurator = builder.ConfiguratorInstance ?? new ClientEndpointConfigurator();
        HasCustomConfigurator = builder.ConfiguratorInstance is not null;
        SslOptions = builder.Ssl;
        Proxy = builder.WebProxy;
        HttpVersion = builder.Version;
        HttpVersionPolicy = builder.VersionPolicy;
        HttpMessageHandler = builder.Handler;
        UserProperties = new ConcurrentDictionary<string, object?>(builder.Properties, StringComparer.Ordinal);
    }

    /// <summary>The subprotocols to offer, most preferred first (sent as <c>Sec-WebSocket-Protocol</c>).</summary>
    public IReadOnlyList<string> Subprotocols { get; }

    /// <summary>
    /// The extensions to offer, with their parameters, most preferred first (Jakarta's <c>getExtensions</c>); read-only.
    /// The container runs <c>permessage-deflate</c> only: an entry naming another extension fails the connect with a
    /// <see cref="DeploymentException"/>. A permessage-deflate entry is offered as <see cref="PerMessageDeflate"/> would
    /// be; when both are set, <see cref="PerMessageDeflate"/> wins.
    /// </summary>
    public IReadOnlyList<Extension> Extensions { get; }

    /// <summary>The permessage-deflate offer, or null to offer no extension (the default).</summary>
    public PerMessageDeflateOffer? PerMessageDeflate { get; }

    /// <summary>The configurator that sees the handshake request and response.</summary>
    public ClientEndpointConfigurator Configurator { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Type> Encoders { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Type> Decoders { get; }

    /// <summary>The user properties each session starts with (copied into the session).</summary>
    public override IDictionary<string, object?> UserProperties { get; }

    /// <summary>
    /// The TLS settings of a <c>wss</c> connection (certificate validation, client certificates, protocols), or
    /// null for the platform defaults. Ignored for <c>ws</c>.
    /// </summary>
    public SslClientAuthenticationOptions? SslOptions { get; }

    /// <summary>
    /// The proxy to connect through, or null for the system's default proxy (on Linux and macOS the
    /// <c>http_proxy</c>, <c>https_proxy</c> and <c>no_proxy</c> environment variables). A <c>ws</c> or
    /// <c>wss</c> connection goes through the proxy as a CONNECT tunnel.
    /// </summary>
    public IWebProxy? Proxy { get; }

    /// <summary>
    /// The HTTP version to open the connection with: 1.1 (the default) sends an HTTP/1.1 upgrade request; 2.0
    /// uses HTTP/2 extended CONNECT (RFC 8441), over TLS through ALPN or, for <c>ws</c>, with prior knowledge.
    /// </summary>
    public Version HttpVersion { get; }

    /// <summary>
    /// Whether another HTTP version than <see cref="HttpVersion"/> may be used: with
    /// <see cref="System.Net.Http.HttpVersionPolicy.RequestVersionOrLower"/> (the default) an HTTP/2 attempt
    /// that the server cannot serve falls back to an HTTP/1.1 upgrade; with
    /// <see cref="System.Net.Http.HttpVersionPolicy.RequestVersionOrHigher"/> a <c>wss</c> connection tries
    /// HTTP/2 first; <see cref="System.Net.Http.HttpVersionPolicy.RequestVersionExact"/> allows no other version.
    /// </summary>
    public HttpVersionPolicy HttpVersionPolicy { get; }

    /// <summary>
    /// The handler that sends the opening handshake, or null (the default) for a new <see cref="SocketsHttpHandler"/>
    /// per connection, made from <see cref="SslOptions"/> and <see cref="Proxy"/>. Never disposed by the container.
    /// </summary>
    public HttpMessageHandler? HttpMessageHandler { get; }

    // Whether the configurator was chosen (rather than defaulted), so an annotated endpoint's own configurator
    // wins over the default one when both a config and an attribute are given.
    internal bool HasCustomConfigurator { get; }

    /// <summary>Starts a configuration with no subprotocols, no extensions and the default configurator.</summary>
    /// <returns>A new builder.</returns>
    public static Builder CreateBuilder() => new();

    /// <summary>
    /// The configuration for an annotated endpoint: where <paramref name="overrides"/> leaves subprotocols,
    /// coders or the configurator unset, the <c>[ClientEndpoint]</c> attribute's values are used.
    /// </summary>
    internal static ClientEndpointConfig ForAnnotated(
        IReadOnlyList<string> subprotocols,
        IReadOnlyList<Type> decoders,
        IReadOnlyList<Type> encoders,
        ClientEndpointConfigurator? configurator,
        ClientEndpointConfig? overrides)
    {
        var builder = new Builder();
        builder.WithSubprotocols(overrides is { Subprotocols.Count: > 0 } ? overrides.Subprotocols : subprotocols);
        builder.WithDecoders(overrides is { Decoders.Count: > 0 } ? overrides.Decoders : decoders);
        builder.WithEncoders(overrides is { Encoders.Count: > 0 } ? overrides.Encoders : encoders);
        var chosen = overrides is { HasCustomConfigurator: true } ? overrides.Configurator : configurator;
        if (chosen is not null)
        {
            builder.WithConfigurator(chosen);
        }

        if (overrides is not null)
        {
            builder.DeflateOffer = overrides.PerMessageDeflate;
            builder.WithExtensions(overrides.Extensions);
            builder.Ssl = overrides.SslOptions;
            builder.WebProxy = overrides.Proxy;
            builder.WithHttpVersion(overrides.HttpVersion, overrides.HttpVersionPolicy);
            builder.Handler = overrides.HttpMessageHandler;
            foreach (var (key, value) in overrides.UserProperties)
            {
                builder.WithUserProperty(key, value);
            }
        }

        return builder.Build();
    }
}
