using System.Collections.Immutable;
using Annotated.WebSockets.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Annotated.WebSockets.Analyzers;

/// <summary>
/// Reports every problem of a [ServerEndpoint] or [ClientEndpoint] class: class shape, handler signatures,
/// path template, coders. The rules live in the shared <see cref="EndpointValidator"/>, which the generator
/// also runs, so an endpoint the generator skips is always one this analyzer reports.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EndpointAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.EndpointNotAccessible,
        DiagnosticDescriptors.EndpointAbstract,
        DiagnosticDescriptors.EndpointStatic,
        DiagnosticDescriptors.EndpointGeneric,
        DiagnosticDescriptors.EndpointNoPublicConstructor,
        DiagnosticDescriptors.InheritedHandlerDuplicate,
        DiagnosticDescriptors.BothEndpointAttributes,
        DiagnosticDescriptors.MaxMessageSizeTooLarge,
        DiagnosticDescriptors.MaxMessageSizeInvalid,
        DiagnosticDescriptors.MaxMessageSizeIgnored,
        DiagnosticDescriptors.MessageParameterCount,
        DiagnosticDescriptors.UnsupportedMessageType,
        DiagnosticDescriptors.PartialFlagNotSupported,
        DiagnosticDescriptors.UnexpectedParameter,
        DiagnosticDescriptors.DuplicateMessageHandler,
        DiagnosticDescriptors.DuplicateLifecycleHandler,
        DiagnosticDescriptors.OnErrorExceptionParameter,
        DiagnosticDescriptors.OnErrorMissingException,
        DiagnosticDescriptors.EndpointConfigOutsideOnOpen,
        DiagnosticDescriptors.CloseReasonOutsideOnClose,
        DiagnosticDescriptors.LifecycleReturnType,
        DiagnosticDescriptors.UnsendableReturnType,
        DiagnosticDescriptors.AsyncVoidHandler,
        DiagnosticDescriptors.HandlerNotAccessible,
        DiagnosticDescriptors.HandlerGeneric,
        DiagnosticDescriptors.HandlerStatic,
        DiagnosticDescriptors.MultipleLifecycleAttributes,
        DiagnosticDescriptors.AmbiguousDecodedType,
        DiagnosticDescriptors.PathEmpty,
        DiagnosticDescriptors.PathNotRooted,
        DiagnosticDescriptors.PathMalformed,
        DiagnosticDescriptors.PathParamNotInTemplate,
        DiagnosticDescriptors.PathParamUnsupportedType,
        DiagnosticDescriptors.PathParamOnClientEndpoint,
        DiagnosticDescriptors.PathParamEmptyName,
        DiagnosticDescriptors.DecoderTypeInvalid,
        DiagnosticDescriptors.EncoderTypeInvalid,
        DiagnosticDescriptors.ConfiguratorTypeInvalid,
        DiagnosticDescriptors.CoderNotConstructible,
        DiagnosticDescriptors.RateLimitPolicyEmpty);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var knownTypes = KnownTypes.Create(start.Compilation);
            if (!knownTypes.HasRuntime)
            {
                return;
            }

            start.RegisterSymbolAction(
                symbolContext =>
                {
                    var type = (INamedTypeSymbol)symbolContext.Symbol;
                    if (type.TypeKind != TypeKind.Class
                        || (EndpointValidator.FindAttribute(type, knownTypes.ServerEndpointAttribute) is null
                            && EndpointValidator.FindAttribute(type, knownTypes.ClientEndpointAttribute) is null))
                    {
                        return;
                    }

                    EndpointValidator.IsValid(type, knownTypes, symbolContext.ReportDiagnostic, symbolContext.CancellationToken);
                },
                SymbolKind.NamedType);
        });
    }
}
