namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>
/// The part of an <see cref="EndpointModel"/> the aggregate registration needs. Handler details are left
/// out, so editing a handler's parameters rewrites only that endpoint's dispatcher file.
/// </summary>
internal sealed record RegistrationModel(
    string MetadataName,
    string TypeName,
    string DispatcherTypeName,
    bool IsClientEndpoint,
    string? Path,
    EquatableArray<string> Subprotocols,
    EquatableArray<string> Decoders,
    EquatableArray<string> Encoders,
    string? Configurator,
    EquatableArray<string> ConstructorParameters,
    bool CanCreate,
    bool UsesServices,
    EquatableArray<AttributeModel> Metadata,
    HandlerDelivery Text,
    bool TextAsUtf8,
    HandlerDelivery Binary,
    bool HandlesPong,
    long MaxTextMessageSize,
    long MaxBinaryMessageSize,
    string? DescriptionTypeName,
    string? RateLimitPolicy,
    string? TextRateLimitPolicy,
    string? BinaryRateLimitPolicy,
    string? PongRateLimitPolicy,
    bool RequireSecureConnection)
{
    /// <summary>Projects the registration facts out of <paramref name="endpoint"/>.</summary>
    public static RegistrationModel From(EndpointModel endpoint) => new(
        endpoint.MetadataName,
        endpoint.TypeName,
        endpoint.DispatcherTypeName,
        endpoint.IsClientEndpoint,
        endpoint.Path,
        endpoint.Subprotocols,
        endpoint.Decoders,
        endpoint.Encoders,
        endpoint.Configurator,
        endpoint.ConstructorParameters,
        endpoint.CanCreate,
        endpoint.UsesServices,
        endpoint.Metadata,
        endpoint.Text?.Delivery ?? HandlerDelivery.None,
        endpoint.Text?.TakesUtf8Text == true,
        endpoint.Binary?.Delivery ?? HandlerDelivery.None,
        endpoint.Pong is not null,
        endpoint.Text?.MaxMessageSize ?? -1,
        endpoint.Binary?.MaxMessageSize ?? -1,
        endpoint.Description is null ? null : $"global::{endpoint.GeneratedNamespace}.{endpoint.DescriptionName}",
        endpoint.RateLimitPolicy,
        // A client container has no rate-limit policies: a client endpoint's [OnMessage(RateLimitPolicy)] is not emitted.
        endpoint.IsClientEndpoint ? null : endpoint.Text?.RateLimitPolicy,
        endpoint.IsClientEndpoint ? null : endpoint.Binary?.RateLimitPolicy,
        endpoint.IsClientEndpoint ? null : endpoint.Pong?.RateLimitPolicy,
        endpoint.RequireSecureConnection);
}
