using System.Text;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// Seeded hostile header values for the text parsers a peer reaches before any frame: the permessage-deflate
/// offer/response parsers, the Sec-WebSocket-Extensions splitter, the opening-handshake validator and the URI
/// template parser. Each check runs the parser twice and requires the same answer (no hidden state), no
/// exception, and the invariants of a positive answer (window bits 8..15, a 16-byte key, ...).
internal static class HeaderFuzzer
{
    private static readonly string[] Tokens =
    [
        "permessage-deflate", "PERMESSAGE-DEFLATE", "x-webkit-deflate-frame", "server_no_context_takeover",
        "client_no_context_takeover", "server_max_window_bits", "client_max_window_bits", "=", "=\"", "\"", ";", ",",
        " ", "\t", "8", "9", "15", "16", "7", "0", "-1", "08", "1e1", "\"10\"", "\"1 0\"", "\\", "\\\"", "\u00e9", "\0",
        "\r\n", "99999999999999999999", "=,", ";;", ",,", "a=b", "\"unterminated", "\ud800", "websocket", "upgrade",
    ];

    /// One random header value: mostly token soup, sometimes raw random characters.
    public static string RandomHeaderValue(Random random)
    {
        var builder = new StringBuilder();
        if (random.Next(8) == 0)
        {
            int length = random.Next(0, 200);
            for (int i = 0; i < length; i++)
            {
                builder.Append((char)random.Next(0, random.Next(2) == 0 ? 128 : 0x10000));
            }

            return builder.ToString();
        }

        int count = random.Next(0, 16);
        for (int i = 0; i < count; i++)
        {
            builder.Append(Tokens[random.Next(Tokens.Length)]);
        }

        return builder.ToString();
    }

    /// Null when the seed's inputs passed every parser check; otherwise what broke and on which input.
    public static string? Run(int seed)
    {
        var random = new Random(seed);
        string[] offers = new string[random.Next(0, 4)];
        for (int i = 0; i < offers.Length; i++)
        {
            offers[i] = RandomHeaderValue(random);
        }

        string response = RandomHeaderValue(random);
        string describe = $"seed={seed} offers=[{string.Join(" | ", offers.Select(Escape))}] response={Escape(response)}";
        var serverOptions = new PerMessageDeflateOptions
        {
            ServerNoContextTakeover = random.Next(2) == 0,
            ClientNoContextTakeover = random.Next(2) == 0,
            ServerMaxWindowBits = random.Next(8, 16),
            ClientMaxWindowBits = random.Next(8, 16),
        };

        try
        {
            bool first = PerMessageDeflateNegotiator.TryNegotiate(offers, serverOptions, out var parameters, out var header);
            bool second = PerMessageDeflateNegotiator.TryNegotiate(offers, serverOptions, out var parameters2, out var header2);
            if (first != second || parameters != parameters2 || header != header2)
            {
                return $"TryNegotiate is not deterministic: {describe}";
            }

            if (first && (!InRange(parameters!) || !header!.StartsWith(PerMessageDeflateNegotiator.ExtensionName, StringComparison.Ordinal)))
            {
                return $"TryNegotiate accepted with out-of-range parameters {parameters} / '{header}': {describe}";
            }

            var clientOptions = new PerMessageDeflateOptions();
            bool accepted = PerMessageDeflateNegotiator.TryAcceptResponse(response, clientOptions, out var accepted1);
            bool accepted2 = PerMessageDeflateNegotiator.TryAcceptResponse(response, clientOptions, out var acceptedParameters2);
            if (accepted != accepted2 || accepted1 != acceptedParameters2)
            {
                return $"TryAcceptResponse is not deterministic: {describe}";
            }

            if (accepted && !InRange(accepted1!))
            {
                return $"TryAcceptResponse accepted out-of-range parameters {accepted1}: {describe}";
            }

            var parsed = ExtensionHeader.Parse(offers);
            var parsed2 = ExtensionHeader.Parse(offers);
            if (!parsed.SequenceEqual(parsed2))
            {
                return $"ExtensionHeader.Parse is not deterministic: {describe}";
            }

            bool template = UriTemplate.TryParse(response, out var uriTemplate, out string? error);
            if (template == (error is not null) || template == (uriTemplate is null))
            {
                return $"UriTemplate.TryParse returned {template} with template={uriTemplate?.Path} error={error}: {describe}";
            }

            if (template)
            {
                uriTemplate!.IsMatch(response);
            }
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}: {describe}";
        }

        return RunHandshake(random, seed);
    }

    private static string? RunHandshake(Random random, int seed)
    {
        // Each header is absent, valid, a valid list, or hostile; with all valid the request must be accepted.
        bool allValid = true;
        string? Pick(string valid)
        {
            switch (random.Next(5))
            {
                case 0:
                    allValid = false;
                    return null;
                case 1:
                    allValid = false;
                    return RandomHeaderValue(random);
                default:
                    return valid;
            }
        }

        string[] validKeys = ["dGhlIHNhbXBsZSBub25jZQ==", " AQIDBAUGBwgJCgsMDQ4PEA== "];
        string method = random.Next(6) == 0 ? "POST" : "GET";
        string? connection = Pick(random.Next(2) == 0 ? "Upgrade" : "keep-alive, Upgrade");
        string? upgrade = Pick(random.Next(2) == 0 ? "websocket" : "WebSocket");
        string? version = Pick("13");
        string? key = Pick(validKeys[random.Next(validKeys.Length)]);
        bool upgradable = random.Next(6) != 0;
        allValid &= method == "GET" && upgradable;
        string describe = $"seed={seed} method={method} upgradable={upgradable} connection={Escape(connection)} upgrade={Escape(upgrade)} version={Escape(version)} key={Escape(key)}";

        try
        {
            var context = new DefaultHttpContext();
            context.Request.Method = method;
            if (connection is not null)
            {
                context.Request.Headers.Connection = connection;
            }

            if (upgrade is not null)
            {
                context.Request.Headers.Upgrade = upgrade;
            }

            if (version is not null)
            {
                context.Request.Headers.SecWebSocketVersion = version;
            }

            if (key is not null)
            {
                context.Request.Headers.SecWebSocketKey = key;
            }

            context.Features.Set<IHttpUpgradeFeature>(new UpgradeFeature(upgradable));
            bool ok = ServerHandshake.TryValidate(context, out HandshakeKind kind, out string? acceptedKey, out _);
            if (allValid && !ok)
            {
                return $"a valid handshake was rejected: {describe}";
            }

            if (ok)
            {
                Span<byte> decoded = stackalloc byte[24];
                if (kind != HandshakeKind.Upgrade || acceptedKey is null
                    || !Convert.TryFromBase64String(acceptedKey, decoded, out int written) || written != 16)
                {
                    return $"an accepted handshake has kind {kind} and key '{acceptedKey}': {describe}";
                }

                WebSocketHandshake.ComputeAcceptKey(acceptedKey);
            }
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}: {describe}";
        }

        return null;
    }

    private static bool InRange(PerMessageDeflateParameters p) =>
        p.ServerMaxWindowBits is >= 8 and <= 15 && p.ClientMaxWindowBits is >= 8 and <= 15;

    private static string Escape(string? value) =>
        value is null ? "<absent>" : "\"" + string.Concat(value.Select(c => c is >= ' ' and < (char)127 ? c.ToString() : $"\\u{(int)c:x4}")) + "\"";

    // DefaultHttpContext has no upgrade feature; the handshake validator needs one to see an upgradable request.
    private sealed class UpgradeFeature(bool upgradable) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => upgradable;

        public Task<Stream> UpgradeAsync() => throw new InvalidOperationException("Fuzzing never upgrades.");
    }
}
