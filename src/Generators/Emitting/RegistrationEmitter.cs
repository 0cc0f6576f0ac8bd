using System.Collections.Generic;
using System.Globalization;
using Annotated.WebSockets.SourceGeneration.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.Generators.Emitting;

/// <summary>
/// Writes the one file per assembly that registers every endpoint with <c>AnnotatedEndpointRegistry</c>
/// from a module initializer, so <c>MapAnnotatedWebSockets()</c> finds them without scanning or reflection.
/// </summary>
/// <example>
/// <code>
/// // &lt;auto-generated/&gt;
/// #nullable enable
/// #pragma warning disable CA2255 // registering generated endpoints is what this module initializer is for
///
/// /// &lt;summary&gt;Registers the annotated WebSocket endpoints of this assembly when it loads.&lt;/summary&gt;
/// [global::System.CodeDom.Compiler.GeneratedCode("Annotated.WebSockets.Generators", "0.1.0.0")]
/// file static class AnnotatedEndpointRegistration
/// {
///     [global::System.Runtime.CompilerServices.ModuleInitializer]
///     internal static void RegisterEndpoints()
///     {
///         // MyApp.ChatEndpoint
///         global::Annotated.WebSockets.Dispatch.AnnotatedEndpointRegistry.Register(new global::Annotated.WebSockets.Dispatch.AnnotatedEndpointDefinition
///         {
///             EndpointType = typeof(global::MyApp.ChatEndpoint),
///             Path = "/chat/{room}",
///             IsClientEndpoint = false,
///             Subprotocols = new string[] { "chat.v1" },
///             Metadata = new object[]
///             {
///                 new global::Microsoft.AspNetCore.Authorization.AuthorizeAttribute() { Policy = "members" },
///             },
///             Text = global::Annotated.WebSockets.Dispatch.MessageDelivery.Whole,
///             Binary = global::Annotated.WebSockets.Dispatch.MessageDelivery.None,
///             HandlesPong = false,
///             MaxTextMessageSize = 65536,
///             MaxBinaryMessageSize = -1,
///             TextRateLimitPolicy = "chat",
///             UsesServices = true,
///             Describe = global::MyApp.AnnotatedWebSocketsGenerated.ChatEndpointDescription.Create,
///             CreateEndpoint = static services => new global::MyApp.ChatEndpoint(
///                 global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService&lt;global::MyApp.IRoomStore&gt;(services)),
///             CreateDispatcher = static endpoint => new global::MyApp.AnnotatedWebSocketsGenerated.ChatEndpointDispatcher((global::MyApp.ChatEndpoint)endpoint),
///         });
///     }
/// }
/// </code>
/// </example>
internal static class RegistrationEmitter
{
    /// <summary>The hint name of the registration file.</summary>
    public const string HintName = "AnnotatedEndpointRegistration.g.cs";

    /// <summary>The source text registering <paramref name="endpoints"/>, which are sorted by metadata name.</summary>
    public static string Emit(IReadOnlyList<RegistrationModel> endpoints)
    {
        var writer = new CodeWriter();
        GeneratedCodeInfo.WriteFileHeader(writer);
        writer.WriteLine("#pragma warning disable CA2255 // registering generated endpoints is what this module initializer is for");
        if (HasMetadata(endpoints))
        {
            writer.WriteLine("#pragma warning disable CS0612, CS0618 // an endpoint's attributes are reproduced as they were applied, obsolete or not");
        }

        writer.WriteLine();
        writer.WriteLine("/// <summary>Registers the annotated WebSocket endpoints of this assembly when it loads.</summary>");
        writer.WriteLine(GeneratedCodeInfo.Attribute);
        writer.OpenBlock("file static class AnnotatedEndpointRegistration");
        writer.WriteLine($"[{RuntimeNames.ModuleInitializer}]");
        writer.OpenBlock("internal static void RegisterEndpoints()");
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (i > 0)
            {
                writer.WriteLine();
            }

            WriteRegistration(writer, endpoints[i]);
        }

        writer.CloseBlock();
        writer.CloseBlock();
        return writer.ToString();
    }

    private static void WriteRegistration(CodeWriter writer, RegistrationModel endpoint)
    {
        writer.WriteLine("// " + endpoint.MetadataName);
        writer.OpenBlock($"{RuntimeNames.EndpointRegistry}.Register(new {RuntimeNames.EndpointDefinition}");
        writer.WriteLine($"EndpointType = typeof({endpoint.TypeName}),");
        if (endpoint.Path is not null)
        {
            writer.WriteLine($"Path = {Literal(endpoint.Path)},");
        }

        writer.WriteLine($"IsClientEndpoint = {(endpoint.IsClientEndpoint ? "true" : "false")},");
        if (!endpoint.Subprotocols.IsEmpty)
        {
            writer.WriteLine($"Subprotocols = new string[] {{ {string.Join(", ", Select(endpoint.Subprotocols, Literal))} }},");
        }

        if (!endpoint.Decoders.IsEmpty)
        {
            writer.WriteLine($"Decoders = new {RuntimeNames.Type}[] {{ {string.Join(", ", Select(endpoint.Decoders, TypeOf))} }},");
        }

        if (!endpoint.Encoders.IsEmpty)
        {
            writer.WriteLine($"Encoders = new {RuntimeNames.Type}[] {{ {string.Join(", ", Select(endpoint.Encoders, TypeOf))} }},");
        }

        if (endpoint.Configurator is not null)
        {
            writer.WriteLine($"CreateConfigurator = static () => new {endpoint.Configurator}(),");
        }

        WriteMetadata(writer, endpoint.Metadata);
        writer.WriteLine($"Text = {Delivery(endpoint.Text)},");
        if (endpoint.TextAsUtf8)
        {
            writer.WriteLine("TextAsUtf8 = true,");
        }

        writer.WriteLine($"Binary = {Delivery(endpoint.Binary)},");
        writer.WriteLine($"HandlesPong = {(endpoint.HandlesPong ? "true" : "false")},");
        writer.WriteLine($"MaxTextMessageSize = {endpoint.MaxTextMessageSize.ToString(CultureInfo.InvariantCulture)},");
        writer.WriteLine($"MaxBinaryMessageSize = {endpoint.MaxBinaryMessageSize.ToString(CultureInfo.InvariantCulture)},");
        WriteRateLimitPolicy(writer, "RateLimitPolicy", endpoint.RateLimitPolicy);
        WriteRateLimitPolicy(writer, "TextRateLimitPolicy", endpoint.TextRateLimitPolicy);
        WriteRateLimitPolicy(writer, "BinaryRateLimitPolicy", endpoint.BinaryRateLimitPolicy);
        WriteRateLimitPolicy(writer, "PongRateLimitPolicy", endpoint.PongRateLimitPolicy);
        if (endpoint.RequireSecureConnection)
        {
            // Written only when set, so an endpoint that accepts ws reads as before.
            writer.WriteLine("RequireSecureConnection = true,");
        }

        writer.WriteLine($"UsesServices = {(endpoint.UsesServices ? "true" : "false")},");
        if (endpoint.DescriptionTypeName is { } description)
        {
            writer.WriteLine($"Describe = {description}.Create,");
        }

        WriteCreateEndpoint(writer, endpoint);
        writer.WriteLine($"CreateDispatcher = static endpoint => new {endpoint.DispatcherTypeName}(({endpoint.TypeName})endpoint),");
        writer.CloseBlock(");");
    }

    // Written only when set, so an endpoint without rate limits reads as before.
    private static void WriteRateLimitPolicy(CodeWriter writer, string property, string? policy)
    {
        if (policy is not null)
        {
            writer.WriteLine($"{property} = {Literal(policy)},");
        }
    }

    private static bool HasMetadata(IReadOnlyList<RegistrationModel> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (!endpoint.Metadata.IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    // The class's attributes, created as they were applied: constructor arguments, then the named ones.
    private static void WriteMetadata(CodeWriter writer, EquatableArray<AttributeModel> metadata)
    {
        if (metadata.IsEmpty)
        {
            return;
        }

        writer.OpenBlock("Metadata = new object[]");
        foreach (var attribute in metadata)
        {
            var creation = $"new {attribute.TypeName}({string.Join(", ", attribute.ConstructorArguments)})";
            if (!attribute.NamedArguments.IsEmpty)
            {
                creation += $" {{ {string.Join(", ", Select(attribute.NamedArguments, static named => $"{named.Name} = {named.Value}"))} }}";
            }

            writer.WriteLine(creation + ",");
        }

        writer.CloseBlock(",");
    }

    private static void WriteCreateEndpoint(CodeWriter writer, RegistrationModel endpoint)
    {
        var parameters = endpoint.ConstructorParameters;
        if (!endpoint.CanCreate)
        {
            var message = SymbolDisplay.FormatLiteral(
                $"{endpoint.TypeName.Replace("global::", string.Empty)} has no constructor the container can call; connect an instance of it instead.",
                quote: true);
            writer.WriteLine($"CreateEndpoint = static services => throw new {RuntimeNames.InvalidOperationException}({message}),");
            return;
        }

        if (parameters.IsEmpty)
        {
            writer.WriteLine($"CreateEndpoint = static services => new {endpoint.TypeName}(),");
            return;
        }

        // Constructor injection: each argument comes from the connection's service scope.
        writer.WriteLine($"CreateEndpoint = static services => new {endpoint.TypeName}(");
        writer.Indent();
        for (var i = 0; i < parameters.Count; i++)
        {
            var end = i == parameters.Count - 1 ? ")," : ",";
            writer.WriteLine($"{RuntimeNames.GetRequiredService}<{parameters[i]}>(services){end}");
        }

        writer.Outdent();
    }

    private static string Delivery(HandlerDelivery delivery) => RuntimeNames.MessageDelivery + "." + delivery switch
    {
        HandlerDelivery.Whole => "Whole",
        HandlerDelivery.Partial => "Partial",
        HandlerDelivery.Stream => "Stream",
        _ => "None",
    };

    private static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    private static string TypeOf(string typeName) => $"typeof({typeName})";

    private static IEnumerable<string> Select<T>(EquatableArray<T> values, System.Func<T, string> format)
        where T : System.IEquatable<T>
    {
        foreach (var value in values)
        {
            yield return format(value);
        }
    }
}
