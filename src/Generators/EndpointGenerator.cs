using System;
using System.Collections.Immutable;
using System.Threading;
using Annotated.WebSockets.Generators.Emitting;
using Annotated.WebSockets.SourceGeneration;
using Annotated.WebSockets.SourceGeneration.Model;
using Annotated.WebSockets.SourceGeneration.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Annotated.WebSockets.Generators;

/// <summary>
/// Compiles every <c>[ServerEndpoint]</c> and <c>[ClientEndpoint]</c> class into a dispatcher that calls its
/// handler methods directly, plus one module initializer registering them all. Only equatable models flow
/// through the pipeline; an invalid endpoint produces no model and no code (the analyzers report it).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class EndpointGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var serverEndpoints = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.ServerEndpointAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => Transform(context, isClientEndpoint: false, cancellationToken))
            .WithTrackingName(TrackingNames.ServerEndpointModels)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ServerEndpoints);

        var clientEndpoints = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypeNames.ClientEndpointAttribute,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => Transform(context, isClientEndpoint: true, cancellationToken))
            .WithTrackingName(TrackingNames.ClientEndpointModels)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ClientEndpoints);

        context.RegisterSourceOutput(serverEndpoints, static (context, endpoint) => EmitDispatcher(context, endpoint));
        context.RegisterSourceOutput(clientEndpoints, static (context, endpoint) => EmitDispatcher(context, endpoint));

        // Each server endpoint's description (AsyncAPI document, TypeScript client) in a file of its own: only its
        // description facts are compared, so an edit that changes nothing described rewrites nothing here.
        var descriptions = serverEndpoints
            .Select(static (endpoint, _) => DescriptionTarget.From(endpoint))
            .Where(static target => target is not null)
            .Select(static (target, _) => target!)
            .WithTrackingName(TrackingNames.ServerDescriptions);
        context.RegisterSourceOutput(descriptions, static (context, target) =>
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.AddSource(DescriptionEmitter.HintName(target), DescriptionEmitter.Emit(target));
        });

        var serverRegistrations = serverEndpoints
            .Select(static (endpoint, _) => RegistrationModel.From(endpoint))
            .WithTrackingName(TrackingNames.ServerRegistrations)
            .Collect();
        var clientRegistrations = clientEndpoints
            .Select(static (endpoint, _) => RegistrationModel.From(endpoint))
            .WithTrackingName(TrackingNames.ClientRegistrations)
            .Collect();
        var registrations = serverRegistrations
            .Combine(clientRegistrations)
            .Select(static (pair, _) => SortRegistrations(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Registrations);

        context.RegisterSourceOutput(registrations, static (context, endpoints) =>
        {
            if (!endpoints.IsEmpty)
            {
                context.AddSource(RegistrationEmitter.HintName, RegistrationEmitter.Emit(endpoints));
            }
        });
    }

    private static EndpointModel? Transform(GeneratorAttributeSyntaxContext context, bool isClientEndpoint, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.IsEmpty)
        {
            return null;
        }

        var knownTypes = KnownTypesCache.Get(context.SemanticModel.Compilation);
        if (!knownTypes.HasRuntime)
        {
            return null;
        }

        // The analyzers report what is wrong with an invalid endpoint; generating code for it would only add
        // compiler errors in generated files on top of that one diagnostic.
        if (!EndpointValidator.IsValid(type, knownTypes, null, cancellationToken))
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return EndpointParser.Parse(type, context.Attributes[0], isClientEndpoint, knownTypes, cancellationToken);
    }

    private static void EmitDispatcher(SourceProductionContext context, EndpointModel endpoint)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.AddSource(DispatcherEmitter.HintName(endpoint), DispatcherEmitter.Emit(endpoint));
    }

    // Ordinal order keeps the registration file stable however the compiler enumerates syntax trees.
    private static EquatableArray<RegistrationModel> SortRegistrations(
        ImmutableArray<RegistrationModel> server,
        ImmutableArray<RegistrationModel> client)
    {
        var all = new RegistrationModel[server.Length + client.Length];
        server.CopyTo(all, 0);
        client.CopyTo(all, server.Length);
        Array.Sort(all, static (left, right) => string.CompareOrdinal(left.MetadataName, right.MetadataName));
        return new EquatableArray<RegistrationModel>(all);
    }
}
