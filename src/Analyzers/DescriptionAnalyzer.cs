using System.Collections.Immutable;
using Annotated.WebSockets.SourceGeneration;
using Annotated.WebSockets.SourceGeneration.Parsing;
using Annotated.WebSockets.SourceGeneration.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Annotated.WebSockets.Analyzers;

/// <summary>
/// What a server endpoint's description can and cannot say: a send from the endpoint's class of a type its
/// <c>[SendsMessage]</c> declarations do not cover (AWE0400), and a message whose payload the description can only call
/// unspecified (AWE0401), found by the same <see cref="DescriptionParser"/> the generator describes with.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DescriptionAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UndeclaredSend, DiagnosticDescriptors.UndescribedPayload);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var knownTypes = KnownTypes.Create(start.Compilation);
            if (!knownTypes.HasRuntime || knownTypes.ServerEndpointAttribute is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => AnalyzeEndpoint(symbolContext, knownTypes), SymbolKind.NamedType);
            if (knownTypes.SendsMessageAttribute is not null)
            {
                start.RegisterOperationAction(operationContext => AnalyzeSend(operationContext, knownTypes), OperationKind.Invocation);
            }
        });
    }

    private static void AnalyzeEndpoint(SymbolAnalysisContext context, KnownTypes knownTypes)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        AttributeData? endpointAttribute = null;
        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, knownTypes.ServerEndpointAttribute))
            {
                endpointAttribute = attribute;
            }
        }

        // An invalid endpoint is described by nothing (and reported by the other analyzers).
        if (endpointAttribute is null || !EndpointValidator.IsValid(type, knownTypes, null, context.CancellationToken)
            || EndpointParser.Parse(type, endpointAttribute, isClientEndpoint: false, knownTypes, context.CancellationToken)?.Description is not { } description)
        {
            return;
        }

        var location = type.Locations.Length > 0 ? type.Locations[0] : Location.None;
        foreach (var handler in description.Handlers)
        {
            foreach (var message in handler.Messages)
            {
                Report(message, $"{handler.MethodName}'s");
            }

            foreach (var reply in handler.Replies)
            {
                Report(reply, $"{handler.MethodName}'s reply");
            }
        }

        foreach (var sent in description.Sends)
        {
            Report(sent, "declared sent");
        }

        void Report(SourceGeneration.Model.MessageDescriptionModel message, string role)
        {
            if (message.Unspecified is { } why)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UndescribedPayload, location, type.Name, role, message.Name, why));
            }
        }
    }

    private static void AnalyzeSend(OperationAnalysisContext context, KnownTypes knownTypes)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (SentType(invocation, knownTypes, context.Compilation) is not { } sent)
        {
            return;
        }

        for (var type = context.ContainingSymbol.ContainingType; type is not null; type = type.ContainingType)
        {
            if (!IsServerEndpoint(type, knownTypes))
            {
                continue;
            }

            var declarations = DescriptionParser.ReadDeclarations(type, knownTypes);
            if (declarations.Count == 0)
            {
                return;
            }

            foreach (var (declared, _) in declarations)
            {
                if (DescriptionParser.Covers(declared, sent, knownTypes))
                {
                    return;
                }
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.UndeclaredSend,
                invocation.Syntax.GetLocation(),
                type.Name,
                sent.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)));
            return;
        }
    }

    /// <summary>The type a send puts on the wire, or null when the call sends nothing this rule can name.</summary>
    private static ITypeSymbol? SentType(IInvocationOperation invocation, KnownTypes knownTypes, Compilation compilation)
    {
        var method = invocation.TargetMethod;
        var owner = method.ContainingType;
        var bytes = compilation.CreateArrayTypeSymbol(compilation.GetSpecialType(SpecialType.System_Byte));
        var text = compilation.GetSpecialType(SpecialType.System_String);
        if (IsRemote(owner, knownTypes))
        {
            return method.Name switch
            {
                "SendObjectAsync" or "SendObject" => ArgumentType(invocation, "value"),
                "SendTextAsync" or "SendText" => text,
                "SendBinaryAsync" or "SendBinary" => bytes,
                _ => null,
            };
        }

        if (SymbolEqualityComparer.Default.Equals(owner, knownTypes.WebSocketGroups) && method.Name.StartsWith("SendTo", System.StringComparison.Ordinal))
        {
            // A PreparedMessage argument was named where it was prepared (PreparedMessage.From…).
            return ArgumentType(invocation, "value") ?? (ArgumentType(invocation, "text") is not null ? text : null);
        }

        if (SymbolEqualityComparer.Default.Equals(owner, knownTypes.PreparedMessage))
        {
            return method.Name switch
            {
                "FromJson" => ArgumentType(invocation, "value"),
                "FromText" => text,
                "FromBinary" => bytes,
                _ => null,
            };
        }

        return null;
    }

    private static bool IsRemote(INamedTypeSymbol? type, KnownTypes knownTypes) =>
        type is not null
        && ((knownTypes.BasicRemoteEndpoint is { } basic && MessageTypes.IsAssignableTo(type, basic))
            || (knownTypes.AsyncRemoteEndpoint is { } asyncRemote && MessageTypes.IsAssignableTo(type, asyncRemote)));

    // The argument's own type, before any conversion to the parameter's (SendObjectAsync takes object).
    private static ITypeSymbol? ArgumentType(IInvocationOperation invocation, string parameterName)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name != parameterName)
            {
                continue;
            }

            var value = argument.Value;
            while (value is IConversionOperation { IsImplicit: true } conversion)
            {
                value = conversion.Operand;
            }

            return value.Type;
        }

        return null;
    }

    private static bool IsServerEndpoint(INamedTypeSymbol type, KnownTypes knownTypes)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, knownTypes.ServerEndpointAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
