using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Sessions;

/// <summary>
/// The extensions an application lists in an endpoint configuration (server or client), read by the one rule both
/// containers keep: only <c>permessage-deflate</c> can run, listed once, with parameters RFC 7692 defines. Each
/// container then maps the parameters to its own settings and adds the checks of its role.
/// </summary>
internal static class ExtensionConfiguration
{
    /// <summary>The extensions the containers can run (<see cref="IWebSocketContainer.InstalledExtensions"/>).</summary>
    public static IReadOnlyList<Extension> Runnable { get; } = new[] { new Extension(PerMessageDeflateNegotiator.ExtensionName) }.AsReadOnly();

    /// <summary>Whether <paramref name="extension"/> is permessage-deflate.</summary>
    public static bool IsDeflate(Extension extension) =>
        string.Equals(extension.Name, PerMessageDeflateNegotiator.ExtensionName, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads <paramref name="extensions"/>: the parameters of its permessage-deflate entry (null when there is none or it
    /// is malformed) and one sentence per problem (an extension the containers cannot run, a repeated or malformed entry).
    /// </summary>
    public static PerMessageDeflateNegotiator.Offer? Read(IReadOnlyList<Extension> extensions, List<string>? problems)
    {
        PerMessageDeflateNegotiator.Offer? deflate = null;
        var deflateSeen = false;
        foreach (var extension in extensions)
        {
            if (!IsDeflate(extension))
            {
                problems?.Add($"the extension '{extension}' cannot be run by this container, which implements {PerMessageDeflateNegotiator.ExtensionName} only; remove it from the configuration.");
            }
            else if (deflateSeen)
            {
                problems?.Add($"the extension {PerMessageDeflateNegotiator.ExtensionName} is listed more than once.");
            }
            else if (PerMessageDeflateNegotiator.TryReadConfigured(extension.ToString(), out var parameters))
            {
                deflate = parameters;
            }
            else
            {
                problems?.Add($"the extension '{extension}' cannot be configured: a parameter is unknown, repeated or has a malformed value (RFC 7692 §7.1).");
            }

            deflateSeen |= IsDeflate(extension);
        }

        return deflate;
    }
}
