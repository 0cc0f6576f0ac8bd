using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Annotated.WebSockets.SourceGeneration;
using Annotated.WebSockets.SourceGeneration.Parsing;
using Annotated.WebSockets.SourceGeneration.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Annotated.WebSockets.Analyzers;

/// <summary>
/// Reports a <c>RateLimitPolicy</c> (on <c>[ServerEndpoint]</c> or <c>[OnMessage]</c>) that names no policy the
/// project adds (AWE0501). The policies are what the project's <c>AddMessageRateLimitPolicy</c> calls name; the set is
/// known only when every such call names its policy with a constant and there is at least one, so nothing is reported
/// otherwise (a computed name, or policies added by another assembly). Empty names are AWE0500, reported with the
/// endpoint's other rules.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RateLimitPolicyAnalyzer : DiagnosticAnalyzer
{
    private const string AddPolicyMethod = "AddMessageRateLimitPolicy";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.RateLimitPolicyUnknown);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var knownTypes = KnownTypes.Create(start.Compilation);
            if (!knownTypes.HasRuntime || knownTypes.AnnotatedWebSocketsOptions is not { } options)
            {
                return;
            }

            var declared = new ConcurrentDictionary<string, bool>(System.StringComparer.Ordinal);
            var computedName = 0;
            var uses = new ConcurrentBag<PolicyUse>();

            start.RegisterOperationAction(
                operationContext =>
                {
                    var invocation = (IInvocationOperation)operationContext.Operation;
                    var method = invocation.TargetMethod;
                    if (method.Name != AddPolicyMethod || !SymbolEqualityComparer.Default.Equals(method.ContainingType, options))
                    {
                        return;
                    }

                    var name = invocation.Arguments.FirstOrDefault(static a => a.Parameter?.Ordinal == 0)?.Value.ConstantValue;
                    if (name is { HasValue: true, Value: string constant })
                    {
                        declared[constant] = true;
                    }
                    else
                    {
                        Interlocked.Exchange(ref computedName, 1);
                    }
                },
                OperationKind.Invocation);

            start.RegisterSymbolAction(
                symbolContext =>
                {
                    var type = (INamedTypeSymbol)symbolContext.Symbol;
                    if (type.TypeKind != TypeKind.Class || EndpointValidator.FindAttribute(type, knownTypes.ServerEndpointAttribute) is not { } endpoint)
                    {
                        return;
                    }

                    Collect(uses, endpoint, type.Name, symbolContext.CancellationToken);
                    foreach (var handler in AnnotatedMethodCollector.Collect(type, knownTypes, symbolContext.CancellationToken))
                    {
                        if (handler.Role == HandlerRole.Message)
                        {
                            Collect(uses, handler.Attribute, MessageTypes.Display(handler.Method), symbolContext.CancellationToken);
                        }
                    }
                },
                SymbolKind.NamedType);

            start.RegisterCompilationEndAction(endContext =>
            {
                if (Volatile.Read(ref computedName) != 0 || declared.IsEmpty)
                {
                    return;
                }

                var known = string.Join(", ", declared.Keys.OrderBy(static k => k, System.StringComparer.Ordinal).Select(static k => "'" + k + "'"));
                foreach (var use in uses)
                {
                    if (!declared.ContainsKey(use.Name))
                    {
                        endContext.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RateLimitPolicyUnknown, use.Location, use.Owner, use.Name, known));
                    }
                }
            });
        });
    }

    private static void Collect(ConcurrentBag<PolicyUse> uses, AttributeData attribute, string owner, CancellationToken cancellationToken)
    {
        // Empty names are AWE0500's.
        if (RateLimitPolicyNames.Read(attribute) is not { } name || !RateLimitPolicyNames.CanName(name))
        {
            return;
        }

        var location = Location.None;
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } arguments } syntax)
        {
            var argument = arguments.Arguments.FirstOrDefault(static a => a.NameEquals?.Name.Identifier.ValueText == RateLimitPolicyNames.PropertyName);
            location = (argument?.Expression ?? (SyntaxNode)syntax).GetLocation();
        }

        uses.Add(new PolicyUse(name, owner, location));
    }

    /// <summary>One <c>RateLimitPolicy</c> given in the compilation.</summary>
    private sealed class PolicyUse
    {
        public PolicyUse(string name, string owner, Location location)
        {
            Name = name;
            Owner = owner;
            Location = location;
        }

        public string Name { get; }

        public string Owner { get; }

        public Location Location { get; }
    }
}
