using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets.Server;

/// <summary>
/// The extensions a <see cref="ServerEndpointConfig"/> lists: which of them this container can run (permessage-deflate
/// only), the permessage-deflate settings an entry describes, and the installed list the configurator's
/// <see cref="ServerEndpointConfigurator.GetNegotiatedExtensions"/> receives.
/// </summary>
internal static class ConfiguredExtensions
{
    /// <summary>What keeps <paramref name="extensions"/> from being deployed: one sentence per problem.</summary>
    public static IEnumerable<string> Check(IReadOnlyList<Extension> extensions)
    {
        if (extensions.Count == 0)
        {
            return [];
        }

        var problems = new List<string>();
        if (ExtensionConfiguration.Read(extensions, problems) is { } deflate && Problem(deflate) is { } problem)
        {
            problems.Add($"the extension '{extensions.First(ExtensionConfiguration.IsDeflate)}' cannot be configured: {problem}.");
        }

        return problems;
    }

    /// <summary>
    /// The permessage-deflate settings the list's permessage-deflate entry describes (enabled), or null when the list has
    /// none or it is not valid (<see cref="Check"/> reports that at deployment).
    /// </summary>
    public static PerMessageDeflateSettings? DeflateSettings(IReadOnlyList<Extension> extensions) =>
        extensions.Count > 0 && ExtensionConfiguration.Read(extensions, problems: null) is { } deflate && Problem(deflate) is null
            ? new PerMessageDeflateSettings
            {
                Enabled = true,
                ServerNoContextTakeover = deflate.ServerNoContextTakeover,
                ClientNoContextTakeover = deflate.ClientNoContextTakeover,
                ClientMaxWindowBits = deflate.ClientMaxWindowBits ?? 15,
            }
            : null;

    /// <summary>
    /// The installed list for the configurator: the configured extensions in their order, the permessage-deflate entry only
    /// when deflate is on for the endpoint (and added, by name, when it is on but not listed). Read-only.
    /// </summary>
    public static IReadOnlyList<Extension> Installed(IReadOnlyList<Extension> configured, bool deflateEnabled)
    {
        if (configured.Count == 0)
        {
            return deflateEnabled ? ExtensionConfiguration.Runnable : [];
        }

        var installed = new List<Extension>(configured.Count + 1);
        var deflateListed = false;
        foreach (var extension in configured)
        {
            var deflate = ExtensionConfiguration.IsDeflate(extension);
            deflateListed |= deflate;
            if (!deflate || deflateEnabled)
            {
                installed.Add(extension);
            }
        }

        if (deflateEnabled && !deflateListed)
        {
            installed.Add(ExtensionConfiguration.Runnable[0]);
        }

        return installed.AsReadOnly();
    }

    // What the server cannot honour of a well-formed entry.
    private static string? Problem(Protocol.PerMessageDeflateNegotiator.Offer deflate) =>
        deflate.ServerMaxWindowBits is < 15 ? "server_max_window_bits below 15 cannot be configured: the server uses a smaller window only when a client asks for one"
        : deflate.ClientMaxWindowBits is < 9 ? "client_max_window_bits must be between 9 and 15"
        : null;
}
