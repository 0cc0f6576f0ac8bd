using System.Net;
using System.Net.Security;

namespace Annotated.WebSockets.Client;

public sealed partial class ClientEndpointConfig
{
    /// <summary>Builds a <see cref="ClientEndpointConfig"/>; each method returns the builder so calls can be chained.</summary>
    public sealed class Builder
    {
        internal Builder()
        {
        }

        internal List<string> SubprotocolList { get; } = [];

        internal List<Type> EncoderList { get; } = [];

        internal List<Type> DecoderList { get; } = [];

        internal EndpointCoders? CoderSet { get; private set; }

        internal Dictionary<string, object?> Properties { get; } = new(StringComparer.Ordinal);

        internal PerMessageDeflateOffer? DeflateOffer { get; set; }

        internal List<Extension> ExtensionList { get; } = [];

        internal ClientEndpointConfigurator? ConfiguratorInstance { get; private set; }

        internal SslClientAuthenticationOptions? Ssl { get; set; }

        internal IWebProxy? WebProxy { get; set; }

        internal Version Version { get; private set; } = System.Net.HttpVersion.Version11;

        internal HttpVersionPolicy VersionPolicy { get; private set; } = HttpVersionPolicy.RequestVersionOrLower;

        internal HttpMessageHandler? Handler { get; set; }

        /// <summary>Sets the subprotocols to offer, most preferred first, replacing any set before.</summary>
        /// <param name="subprotocols">The subprotocol names (HTTP tokens).</param>
        /// <returns>This builder.</returns>
        public Builder WithSubprotocols(params IEnumerable<string> subprotocols)
        {
            ArgumentNullException.ThrowIfNull(subprotocols);
            var list = new List<string>();
            foreach (var subprotocol in subprotocols)
            {
                if (string.IsNullOrWhiteSpace(subprotocol) || subprotocol.AsSpan().IndexOfAny(" ,;\"\t") >= 0)
                {
                    throw new ArgumentException($"'{subprotocol}' is not a valid subprotocol name.", nameof(subprotocols));
                }

                list.Add(subprotocol);
            }

            SubprotocolList.Clear();
            SubprotocolList.AddRange(list);
            return this;
        }

        /// <summary>Offers permessage-deflate with the given settings (the defaults when none are given).</summary>
        /// <param name="offer">What to offer, or null for the default offer.</param>
        /// <returns>This builder.</returns>
        public Builder WithPerMessageDeflate(PerMessageDeflateOffer? offer = null)
        {
            DeflateOffer = offer ?? new PerMessageDeflateOffer();
            return this;
        }

        /// <summary>
        /// Sets the extensions to offer, with their parameters, replacing any set before (Jakarta's
        /// <c>ClientEndpointConfig.Builder.extensions</c>). Only <c>permessage-deflate</c> can run; another extension
        /// fails the connect with a <see cref="DeploymentException"/> naming it.
        /// </summary>
        /// <param name="extensions">The extensions, most preferred first.</param>
        /// <returns>This builder.</returns>
        public Builder WithExtensions(params IEnumerable<Extension> extensions)
        {
            ArgumentNullException.ThrowIfNull(extensions);
            var list = extensions.ToList();
            if (list.Contains(null!))
            {
                throw new ArgumentException("An extension is null.", nameof(extensions));
            }

            ExtensionList.Clear();
            ExtensionList.AddRange(list);
            return this;
        }

        /// <summary>Offers no extension (the default).</summary>
        /// <returns>This builder.</returns>
        public Builder WithoutPerMessageDeflate()
        {
            DeflateOffer = null;
            return this;
        }

        /// <summary>Sets the configurator that sees the handshake request and response.</summary>
        /// <param name="configurator">The configurator.</param>
        /// <returns>This builder.</returns>
        public Builder WithConfigurator(ClientEndpointConfigurator configurator)
        {
            ArgumentNullException.ThrowIfNull(configurator);
            ConfiguratorInstance = configurator;
            return this;
        }

        /// <summary>Sets the decoder types, replacing any set before.</summary>
        /// <param name="decoders">The decoder types, tried in this order.</param>
        /// <returns>This builder.</returns>
        public Builder WithDecoders(params IEnumerable<Type> decoders)
        {
            ArgumentNullException.ThrowIfNull(decoders);
            DecoderList.Clear();
            DecoderList.AddRange(decoders);
            return this;
        }

        /// <summary>Sets the encoder types, replacing any set before.</summary>
        /// <param name="encoders">The encoder types.</param>
        /// <returns>This builder.</returns>
        public Builder WithEncoders(params IEnumerable<Type> encoders)
        {
            ArgumentNullException.ThrowIfNull(encoders);
            EncoderList.Clear();
            EncoderList.AddRange(encoders);
            return this;
        }

        /// <summary>
        /// Sets the decoders and encoders of a programmatic client endpoint (a subclass of <see cref="Endpoint"/>), each
        /// made per session by its factory with the container's services; they become <see cref="EndpointConfig.Coders"/>
        /// and the configuration's <see cref="EndpointConfig.Decoders"/> and <see cref="EndpointConfig.Encoders"/>.
        /// </summary>
        /// <param name="coders">The coders; null for none.</param>
        /// <returns>This builder.</returns>
        public Builder WithCoders(EndpointCoders? coders)
        {
            CoderSet = coders;
            return this;
        }

        /// <summary>Sets the TLS settings of <c>wss</c> connections (certificate validation, client certificates, protocols).</summary>
        /// <param name="sslOptions">The TLS settings; the target host is taken from the URI when it is not set.</param>
        /// <returns>This builder.</returns>
        public Builder WithSslOptions(SslClientAuthenticationOptions sslOptions)
        {
            ArgumentNullException.ThrowIfNull(sslOptions);
            Ssl = sslOptions;
            return this;
        }

        /// <summary>
        /// Decides with <paramref name="callback"/> whether the server's certificate is trusted (for example a
        /// self-signed or pinned certificate), instead of the platform's chain validation.
        /// </summary>
        /// <param name="callback">Returns true to accept the certificate.</param>
        /// <returns>This builder.</returns>
        public Builder WithRemoteCertificateValidation(RemoteCertificateValidationCallback callback)
        {
            ArgumentNullException.ThrowIfNull(callback);
            Ssl ??= new SslClientAuthenticationOptions();
            Ssl.RemoteCertificateValidationCallback = callback;
            return this;
        }

        /// <summary>Connects through <paramref name="proxy"/> instead of the system's default proxy.</summary>
        /// <param name="proxy">The proxy; null goes back to the system's default.</param>
        /// <returns>This builder.</returns>
        public Builder WithProxy(IWebProxy? proxy)
        {
            WebProxy = proxy;
            return this;
        }

        /// <summary>Sets the HTTP version to connect with and whether another one may be used.</summary>
        /// <param name="version">1.1 for an HTTP/1.1 upgrade, 2.0 for HTTP/2 extended CONNECT.</param>
        /// <param name="policy">Whether a lower or higher version may be used.</param>
        /// <returns>This builder.</returns>
        public Builder WithHttpVersion(Version version, HttpVersionPolicy policy = HttpVersionPolicy.RequestVersionOrLower)
        {
            ArgumentNullException.ThrowIfNull(version);
            if (version.Major is not (1 or 2))
            {
                throw new ArgumentOutOfRangeException(nameof(version), version, "WebSockets run over HTTP/1.1 or HTTP/2.");
            }

            Version = version.Major == 1 ? System.Net.HttpVersion.Version11 : System.Net.HttpVersion.Version20;
            VersionPolicy = policy;
            return this;
        }

        /// <summary>
        /// Sends the opening handshake through <paramref name="handler"/> instead of a new
        /// <see cref="SocketsHttpHandler"/> per connection (what <c>ClientWebSocket.ConnectAsync(uri, invoker)</c>
        /// allows): an in-memory transport in tests (Annotated.WebSockets.Testing), or a handler shared by many
        /// connections. Its response to the upgrade must be a 101 (or an HTTP/2 200) whose content stream is the
        /// duplex connection, as SocketsHttpHandler's is. The container never disposes it; the TLS and proxy settings
        /// of this configuration are then the handler's business and are not applied.
        /// </summary>
        /// <param name="handler">The handler; null goes back to a new SocketsHttpHandler per connection.</param>
        /// <returns>This builder.</returns>
        public Builder WithHttpMessageHandler(HttpMessageHandler? handler)
        {
            Handler = handler;
            return this;
        }

        /// <summary>Adds a user property each session of this configuration starts with.</summary>
        /// <param name="key">The property name.</param>
        /// <param name="value">The value.</param>
        /// <returns>This builder.</returns>
        public Builder WithUserProperty(string key, object? value)
        {
            ArgumentNullException.ThrowIfNull(key);
            Properties[key] = value;
            return this;
        }

        /// <summary>Creates the configuration.</summary>
        /// <returns>A new configuration; later changes to this builder do not affect it.</returns>
        public ClientEndpointConfig Build() => new(this);
    }
}
