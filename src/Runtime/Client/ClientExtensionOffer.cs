using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets.Client;

/// <summary>The extensions a <see cref="ClientEndpointConfig"/> lists, checked at connect and turned into the permessage-deflate offer.</summary>
internal static class ClientExtensionOffer
{
    /// <summary>
    /// The permessage-deflate offer of <paramref name="config"/>: <see cref="ClientEndpointConfig.PerMessageDeflate"/> when
    /// set, else the one its <see cref="ClientEndpointConfig.Extensions"/> entry describes; null for none.
    /// </summary>
    /// <exception cref="DeploymentException">An extension cannot be run by this container or its parameters cannot be offered.</exception>
    public static PerMessageDeflateOffer? DeflateOffer(ClientEndpointConfig config, Type endpointType)
    {
        if (config.Extensions.Count == 0)
        {
            return config.PerMessageDeflate;
        }

        var problems = new List<string>();
        var deflate = ExtensionConfiguration.Read(config.Extensions, problems);
        if (deflate is { ClientMaxWindowBitsOffered: true })
        {
            problems.Add("client_max_window_bits cannot be offered: this client compresses with a 15-bit window only.");
        }
        else if (deflate is { ServerMaxWindowBits: < 9 })
        {
            problems.Add("server_max_window_bits must be between 9 and 15.");
        }

        if (problems.Count > 0)
        {
            throw new DeploymentException($"The {nameof(ClientEndpointConfig)} of '{endpointType.FullName}' cannot be used: {string.Join(" ", problems)}");
        }

        return config.PerMessageDeflate ?? (deflate is { } offer
            ? new PerMessageDeflateOffer
            {
                ServerNoContextTakeover = offer.ServerNoContextTakeover,
                ClientNoContextTakeover = offer.ClientNoContextTakeover,
                ServerMaxWindowBits = offer.ServerMaxWindowBits ?? 15,
            }
            : null);
    }
}
