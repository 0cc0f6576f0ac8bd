using Microsoft.Extensions.Primitives;

namespace Annotated.WebSockets.Server;

/// Reads the client's <c>Sec-WebSocket-Extensions</c> offers into <see cref="Extension"/> values for the
/// configurator; elements without a name are skipped (the negotiation ignores what it cannot read).
internal static class ExtensionHeader
{
    public const string PerMessageDeflate = "permessage-deflate";

    public static List<Extension> Parse(StringValues headers)
    {
        var extensions = new List<Extension>();
        foreach (var header in headers)
        {
            if (string.IsNullOrEmpty(header))
            {
                continue;
            }

            var start = 0;
            var quoted = false;
            for (var i = 0; i <= header.Length; i++)
            {
                if (i < header.Length && header[i] == '"')
                {
                    quoted = !quoted;
                }
                else if (i == header.Length || (header[i] == ',' && !quoted))
                {
                    var element = header[start..i];
                    start = i + 1;
                    if (element.Trim().Length > 0 && element.Split(';')[0].Trim().Length > 0)
                    {
                        extensions.Add(Extension.Parse(element));
                    }
                }
            }
        }

        return extensions;
    }
}
