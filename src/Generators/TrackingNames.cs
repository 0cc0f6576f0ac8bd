namespace Annotated.WebSockets.Generators;

/// <summary>Names of the pipeline steps, so the incrementality tests can find them.</summary>
internal static class TrackingNames
{
    /// <summary>The models of <c>[ServerEndpoint]</c> classes, null for an invalid one.</summary>
    public const string ServerEndpointModels = nameof(ServerEndpointModels);

    /// <summary>The models of <c>[ClientEndpoint]</c> classes, null for an invalid one.</summary>
    public const string ClientEndpointModels = nameof(ClientEndpointModels);

    /// <summary>The valid server endpoints.</summary>
    public const string ServerEndpoints = nameof(ServerEndpoints);

    /// <summary>The valid client endpoints.</summary>
    public const string ClientEndpoints = nameof(ClientEndpoints);

    /// <summary>The description of each server endpoint (its AsyncAPI channel and typed client).</summary>
    public const string ServerDescriptions = nameof(ServerDescriptions);

    /// <summary>The registration projection of each server endpoint.</summary>
    public const string ServerRegistrations = nameof(ServerRegistrations);

    /// <summary>The registration projection of each client endpoint.</summary>
    public const string ClientRegistrations = nameof(ClientRegistrations);

    /// <summary>All registrations, sorted by metadata name.</summary>
    public const string Registrations = nameof(Registrations);
}
