using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Annotated.WebSockets.Protocol;

/// The permessage-deflate offer/response negotiation of RFC 7692 §5–§7.1, for both roles.
///
/// Window bits. System.IO.Compression compresses with a 15-bit window only (neither net8.0 nor net10.0 exposes the
/// window size; ZLibCompressionOptions has level and strategy), while a 15-bit inflater reads data made with any
/// smaller window. System.Net.WebSockets' own deflater takes any window from 9 to 15 (see ReducedWindowDeflater).
/// So:
/// - server_max_window_bits in a client's offer limits what we (the server) compress. 9..15 is accepted and answered
///   with the same value, which we then compress with (a window below 15 through ReducedWindowDeflater). 8 is declined
///   (§7.1.2.1 lets a server decline a parameter it cannot honour; the next offer is tried): zlib cannot make a raw
///   deflate stream with an 8-bit window, and answering 9 would exceed what the client allowed.
/// - client_max_window_bits in an offer (with or without a value) says the client can limit its window. When our
///   options ask for a smaller client window we answer client_max_window_bits with max(option, 9), never above the
///   client's value: a zlib-based client cannot make a raw deflate stream with an 8-bit window (zlib turns 8 into 9,
///   or refuses raw 8), so 9 is the smallest request every client can honour, and §7.1.2.2 lets the server pick any
///   value up to the offered one. Without the parameter in the offer we may not ask (§7.1.2.2) and accept anyway.
/// - As a client we never offer client_max_window_bits (we could not honour a limit the server sets), so a response
///   carrying it fails the connection; we may ask for server_max_window_bits (any value 8..15: we inflate anything).
/// A malformed value (not 8..15, leading zeros, missing where required, present where forbidden), an unknown or a
/// duplicate parameter makes an offer unacceptable (§7.1) and a response invalid.
internal static class PerMessageDeflateNegotiator
{
    public const string ExtensionName = "permessage-deflate";

    private const string ServerNoContextTakeover = "server_no_context_takeover";
    private const string ClientNoContextTakeover = "client_no_context_takeover";
    private const string ServerMaxWindowBits = "server_max_window_bits";
    private const string ClientMaxWindowBits = "client_max_window_bits";

    /// Server: picks the first acceptable permessage-deflate offer among the client's Sec-WebSocket-Extensions
    /// values. false when deflate is disabled or no offer is acceptable (the connection then goes on uncompressed).
    public static bool TryNegotiate(
        IEnumerable<string> clientOffers,
        PerMessageDeflateOptions serverOptions,
        [NotNullWhen(true)] out PerMessageDeflateParameters? parameters,
        [NotNullWhen(true)] out string? responseHeaderValue)
    {
        ArgumentNullException.ThrowIfNull(clientOffers);
        ArgumentNullException.ThrowIfNull(serverOptions);
        parameters = null;
        responseHeaderValue = null;
        if (!serverOptions.Enabled)
        {
            return false;
        }

        foreach (string headerValue in clientOffers)
        {
            if (headerValue is null)
            {
                continue;
            }

            foreach (string extension in SplitOutsideQuotes(headerValue, ','))
            {
                if (!TryParseExtension(extension, out string? name, out Offer offer)
                    || !string.Equals(name, ExtensionName, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (offer.ServerMaxWindowBits is < 9)
                {
                    continue;   // we cannot compress with an 8-bit window: decline this offer (§7.1.2.1)
                }

                int serverBits = offer.ServerMaxWindowBits ?? 15;

                bool serverNoContext = offer.ServerNoContextTakeover || serverOptions.ServerNoContextTakeover;
                bool clientNoContext = offer.ClientNoContextTakeover || serverOptions.ClientNoContextTakeover;
                int clientBits = offer.ClientMaxWindowBits ?? 15;   // what the client promised not to exceed
                bool answerClientBits = false;
                if (offer.ClientMaxWindowBitsOffered && serverOptions.ClientMaxWindowBits < 15)
                {
                    int wanted = Math.Max(9, serverOptions.ClientMaxWindowBits);
                    if (wanted < clientBits)
                    {
                        clientBits = wanted;
                        answerClientBits = true;
                    }
                }

                var response = new StringBuilder(ExtensionName);
                if (serverNoContext)
                {
                    response.Append("; ").Append(ServerNoContextTakeover);
                }

                if (clientNoContext)
                {
                    response.Append("; ").Append(ClientNoContextTakeover);
                }

                if (offer.ServerMaxWindowBits is not null)
                {
                    // Accepting an offer that carries server_max_window_bits means answering it (§7.1.2.1) with the
                    // same or a smaller value; we answer the same and compress with exactly that window.
                    response.Append("; ").Append(ServerMaxWindowBits).Append('=').Append(serverBits.ToString(CultureInfo.InvariantCulture));
                }

                if (answerClientBits)
                {
                    response.Append("; ").Append(ClientMaxWindowBits).Append('=').Append(clientBits.ToString(CultureInfo.InvariantCulture));
                }

                parameters = new PerMessageDeflateParameters
                {
                    ServerNoContextTakeover = serverNoContext,
                    ClientNoContextTakeover = clientNoContext,
                    ServerMaxWindowBits = serverBits,
                    ClientMaxWindowBits = clientBits,
                };
                responseHeaderValue = response.ToString();
                return true;
            }
        }

        return false;
    }

    /// Client: the Sec-WebSocket-Extensions value to send.
    public static string CreateOffer(PerMessageDeflateOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        var offer = new StringBuilder(ExtensionName);
        if (clientOptions.ServerNoContextTakeover)
        {
            offer.Append("; ").Append(ServerNoContextTakeover);
        }

        if (clientOptions.ClientNoContextTakeover)
        {
            offer.Append("; ").Append(ClientNoContextTakeover);
        }

        if (clientOptions.ServerMaxWindowBits is >= 8 and < 15)
        {
            offer.Append("; ").Append(ServerMaxWindowBits).Append('=').Append(clientOptions.ServerMaxWindowBits.ToString(CultureInfo.InvariantCulture));
        }

        return offer.ToString();
    }

    /// Client: checks the server's Sec-WebSocket-Extensions answer to <see cref="CreateOffer"/>. false: the
    /// response is not one we can accept, and the client must fail the connection (RFC 6455 §4.1, RFC 7692 §5).
    public static bool TryAcceptResponse(
        string responseHeaderValue,
        PerMessageDeflateOptions clientOptions,
        [NotNullWhen(true)] out PerMessageDeflateParameters? parameters)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        parameters = null;
        if (string.IsNullOrWhiteSpace(responseHeaderValue) || !clientOptions.Enabled)
        {
            return false;
        }

        List<string> extensions = SplitOutsideQuotes(responseHeaderValue, ',');
        if (extensions.Count != 1
            || !TryParseExtension(extensions[0], out string? name, out Offer response)
            || !string.Equals(name, ExtensionName, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (response.ClientMaxWindowBitsOffered)
        {
            return false;   // we did not offer client_max_window_bits, so the server may not send it (§7.1.2.2)
        }

        bool askedServerBits = clientOptions.ServerMaxWindowBits is >= 8 and < 15;
        if (askedServerBits && (response.ServerMaxWindowBits is not int bits || bits > clientOptions.ServerMaxWindowBits))
        {
            return false;
        }

        if (clientOptions.ServerNoContextTakeover && !response.ServerNoContextTakeover)
        {
            return false;   // a server accepting our offer must include it (§7.1.1.1)
        }

        parameters = new PerMessageDeflateParameters
        {
            ServerNoContextTakeover = response.ServerNoContextTakeover,
            ClientNoContextTakeover = response.ClientNoContextTakeover || clientOptions.ClientNoContextTakeover,
            ServerMaxWindowBits = response.ServerMaxWindowBits ?? 15,
            ClientMaxWindowBits = 15,
        };
        return true;
    }

    /// Both roles: reads the parameters of a permessage-deflate extension an application configured (in header form,
    /// <c>permessage-deflate; server_no_context_takeover</c>) by the rules of an offer; false when it is another
    /// extension or a parameter is unknown, duplicated or malformed.
    public static bool TryReadConfigured(string extension, out Offer parameters) =>
        TryParseExtension(extension, out string? name, out parameters)
        && string.Equals(name, ExtensionName, StringComparison.OrdinalIgnoreCase);

    private static bool TryParseExtension(string extension, out string? name, out Offer offer)
    {
        offer = default;
        List<string> parts = SplitOutsideQuotes(extension, ';');
        name = parts.Count > 0 ? parts[0] : null;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        for (int i = 1; i < parts.Count; i++)
        {
            string part = parts[i];
            int equals = part.IndexOf('=');
            string key = (equals < 0 ? part : part[..equals]).Trim();
            string? value = equals < 0 ? null : Unquote(part[(equals + 1)..].Trim());
            if (equals >= 0 && value is null)
            {
                return false;
            }

            switch (key.ToLowerInvariant())
            {
                case ServerNoContextTakeover when value is null && !offer.ServerNoContextTakeover:
                    offer.ServerNoContextTakeover = true;
                    break;
                case ClientNoContextTakeover when value is null && !offer.ClientNoContextTakeover:
                    offer.ClientNoContextTakeover = true;
                    break;
                case ServerMaxWindowBits when offer.ServerMaxWindowBits is null && TryParseBits(value, out int serverBits):
                    offer.ServerMaxWindowBits = serverBits;
                    break;
                case ClientMaxWindowBits when !offer.ClientMaxWindowBitsOffered:
                    offer.ClientMaxWindowBitsOffered = true;
                    if (value is not null)
                    {
                        if (!TryParseBits(value, out int clientBits))
                        {
                            return false;
                        }

                        offer.ClientMaxWindowBits = clientBits;
                    }

                    break;
                default:
                    return false;   // unknown, duplicate or malformed parameter
            }
        }

        return true;
    }

    /// 8..15 as a decimal integer without leading zeros (§7.1.2.1).
    private static bool TryParseBits(string? value, out int bits)
    {
        bits = 0;
        if (value is null || value.Length is 0 or > 2 || value[0] == '0' || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        bits = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        return bits is >= 8 and <= 15;
    }

    private static string? Unquote(string value)
    {
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        return value.Length == 0 || value.Contains('"') ? null : value;
    }

    private static List<string> SplitOutsideQuotes(string value, char separator)
    {
        var result = new List<string>();
        bool quoted = false;
        int start = 0;
        for (int i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || (value[i] == separator && !quoted))
            {
                string item = value[start..i].Trim();
                if (item.Length > 0 || separator == ';')
                {
                    result.Add(item);
                }

                start = i + 1;
            }
            else if (value[i] == '"')
            {
                quoted = !quoted;
            }
        }

        return result;
    }

    /// The parameters of one offer (or response, or configured extension); null where a parameter is absent.
    internal struct Offer
    {
        public bool ServerNoContextTakeover;
        public bool ClientNoContextTakeover;
        public int? ServerMaxWindowBits;
        public bool ClientMaxWindowBitsOffered;
        public int? ClientMaxWindowBits;
    }
}
