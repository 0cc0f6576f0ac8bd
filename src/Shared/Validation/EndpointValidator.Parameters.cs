using System.Collections.Generic;
using System.Linq;
using Annotated.WebSockets.SourceGeneration.Parsing;
using Annotated.WebSockets.SourceGeneration.Validation;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration;

// Parameter rules: those every handler shares ([PathParam], the session, EndpointConfig, CloseReason), and
// the [OnMessage] ones (one message parameter, partial flag, MaxMessageSize, sendable result).
internal static partial class EndpointValidator
{
    /// <summary>Walks one handler's parameters, remembering which singletons were already taken.</summary>
    private sealed class ParameterScan
    {
        private readonly EndpointValidationContext _context;
        private readonly EndpointShape _shape;
        private readonly Handler _handler;
        private bool _session;
        private bool _config;
        private bool _closeReason;

        public ParameterScan(EndpointValidationContext context, EndpointShape shape, Handler handler)
        {
            _context = context;
            _shape = shape;
            _handler = handler;
        }

        /// <summary>
        /// Handles the parameters every kind of handler understands, reporting their problems; false when the
        /// parameter is something else, for the caller to judge.
        /// </summary>
        public bool TakeCommon(IParameterSymbol parameter)
        {
            var known = _context.KnownTypes;
            var pathParam = FindAttribute(parameter, known.PathParamAttribute);
            if (pathParam is not null)
            {
                CheckPathParam(parameter, pathParam);
                return true;
            }

            if (parameter.RefKind != RefKind.None)
            {
                ReportUnexpected(parameter, "ref, out and in parameters are not allowed in handlers");
                return true;
            }

            if (MessageTypes.Is(parameter.Type, known.WebSocketSession))
            {
                TakeOnce(parameter, ref _session, "a WebSocketSession parameter may appear only once");
                return true;
            }

            if (MessageTypes.DerivesFrom(parameter.Type, known.EndpointConfig))
            {
                if (_handler.Kind == HandlerKind.OnOpen)
                {
                    TakeOnce(parameter, ref _config, "an EndpointConfig parameter may appear only once");
                }
                else
                {
                    Report(DiagnosticDescriptors.EndpointConfigOutsideOnOpen, parameter);
                }

                return true;
            }

            if (MessageTypes.Is(parameter.Type, known.CloseReason))
            {
                if (_handler.Kind == HandlerKind.OnClose)
                {
                    TakeOnce(parameter, ref _closeReason, "a CloseReason parameter may appear only once");
                }
                else
                {
                    Report(DiagnosticDescriptors.CloseReasonOutsideOnClose, parameter);
                }

                return true;
            }

            if (parameter.Type.TypeKind == TypeKind.Error)
            {
                _context.MarkInvalid();
                SawUnresolvedType = true;
                return true;
            }

            return false;
        }

        /// <summary>A parameter's type did not resolve; the compiler reports it, and counting parameters would mislead.</summary>
        public bool SawUnresolvedType { get; private set; }

        public void ReportUnexpected(IParameterSymbol parameter, string rule)
        {
            _context.Report(
                DiagnosticDescriptors.UnexpectedParameter,
                c => c.ParameterLocation(parameter),
                MessageTypes.Display(_handler.Method),
                AttributeName(_handler.Kind),
                parameter.Name,
                MessageTypes.Display(parameter.Type),
                rule);
        }

        private void TakeOnce(IParameterSymbol parameter, ref bool taken, string rule)
        {
            if (taken)
            {
                ReportUnexpected(parameter, rule);
            }

            taken = true;
        }

        private void Report(DiagnosticDescriptor descriptor, IParameterSymbol parameter)
        {
            _context.Report(
                descriptor,
                c => c.ParameterLocation(parameter),
                MessageTypes.Display(_handler.Method),
                AttributeName(_handler.Kind),
                parameter.Name);
        }

        private void CheckPathParam(IParameterSymbol parameter, AttributeData attribute)
        {
            var method = MessageTypes.Display(_handler.Method);
            var name = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
            if (!_shape.IsServer)
            {
                _context.Report(
                    DiagnosticDescriptors.PathParamOnClientEndpoint,
                    c => c.ParameterLocation(parameter),
                    method,
                    parameter.Name,
                    _context.EndpointType.Name);
                return;
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                _context.Report(
                    DiagnosticDescriptors.PathParamEmptyName,
                    c => c.AttributeArgumentLocation(attribute, null, 0, parameter),
                    method,
                    parameter.Name);
            }
            else if (_shape.Template is { } template && !template.Variables.Contains(name!))
            {
                _context.Report(
                    DiagnosticDescriptors.PathParamNotInTemplate,
                    c => c.AttributeArgumentLocation(attribute, null, 0, parameter),
                    method,
                    parameter.Name,
                    name,
                    template.Path,
                    template.Variables.Count == 0
                        ? "no variables"
                        : "the variables " + string.Join(", ", template.Variables.Select(static v => "'" + v + "'")));
            }

            if (parameter.Type.TypeKind == TypeKind.Error)
            {
                _context.MarkInvalid();
            }
            else if (!MessageTypes.IsPathParameterType(parameter.Type, _context.KnownTypes) || parameter.RefKind != RefKind.None)
            {
                _context.Report(
                    DiagnosticDescriptors.PathParamUnsupportedType,
                    c => c.ParameterLocation(parameter),
                    method,
                    name ?? string.Empty,
                    parameter.Name,
                    MessageTypes.Display(parameter.Type));
            }
        }
    }

    /// <summary>Checks an [OnMessage] method; returns the message kind it handles, or null when that is unknown.</summary>
    private static MessageKind? CheckMessageHandler(EndpointValidationContext context, EndpointShape shape, Handler handler)
    {
        var method = handler.Method;
        var scan = new ParameterScan(context, shape, handler);
        var candidates = new List<IParameterSymbol>();
        foreach (var parameter in method.Parameters)
        {
            if (!scan.TakeCommon(parameter))
            {
                candidates.Add(parameter);
            }
        }

        IParameterSymbol? flag = null;
        if (candidates.Count >= 2)
        {
            flag = candidates.LastOrDefault(static p => p.Type.SpecialType == SpecialType.System_Boolean);
            if (flag is not null)
            {
                candidates.Remove(flag);
            }
        }

        CheckReturnType(context, shape, method);
        if (candidates.Count == 0 && scan.SawUnresolvedType)
        {
            return null;
        }

        if (candidates.Count != 1)
        {
            context.Report(
                DiagnosticDescriptors.MessageParameterCount,
                c => c.SymbolLocation(method),
                MessageTypes.Display(method),
                candidates.Count,
                candidates.Count == 0 ? string.Empty : " (" + string.Join(", ", candidates.Select(static p => "'" + p.Name + "'")) + ")");
            CheckMaxMessageSize(context, handler, ignoredBecause: null);
            CheckRateLimitPolicy(context, handler.Attribute, handler.Method);
            return null;
        }

        var message = candidates[0];
        var (kind, partial, stream) = Classify(context, shape, method, message);
        if (flag is not null && !partial && kind is not null)
        {
            context.Report(
                DiagnosticDescriptors.PartialFlagNotSupported,
                c => c.ParameterLocation(flag),
                MessageTypes.Display(method),
                flag.Name,
                MessageTypes.Display(message.Type));
        }

        var ignoredBecause = flag is not null && partial
            ? "partial messages ('bool " + flag.Name + "')"
            : stream ? "a " + MessageTypes.Display(message.Type) : null;
        CheckMaxMessageSize(context, handler, ignoredBecause);
        CheckRateLimitPolicy(context, handler.Attribute, handler.Method);
        return kind;
    }

    /// <summary>The kind of a message parameter, whether it can be partial, and whether it is a stream; reports unsupported types.</summary>
    private static (MessageKind? Kind, bool Partial, bool Stream) Classify(EndpointValidationContext context, EndpointShape shape, IMethodSymbol method, IParameterSymbol message)
    {
        var known = context.KnownTypes;
        var type = message.Type;
        if (MessageTypes.IsString(type))
        {
            return (MessageKind.Text, true, false);
        }

        if (MessageTypes.IsPrimitiveOrNullable(type) || MessageTypes.Is(type, known.Utf8Text))
        {
            return (MessageKind.Text, false, false);
        }

        // A developer's decoder to TextReader or Stream wins over the built-in stream: the message is then a decoded one.
        var (decodedText, decodedBinary) = shape.Coders.DecodedKinds(type);
        var decoded = decodedText || decodedBinary;
        if (MessageTypes.Is(type, known.TextReader) && !decoded)
        {
            return (MessageKind.Text, false, true);
        }

        if (MessageTypes.IsByteArray(type) || MessageTypes.IsGenericOfByte(type, known.ReadOnlyMemoryOfT))
        {
            return (MessageKind.Binary, true, false);
        }

        if (MessageTypes.IsGenericOfByte(type, known.ArraySegmentOfT))
        {
            return (MessageKind.Binary, false, false);
        }

        if (MessageTypes.Is(type, known.Stream) && !decoded)
        {
            return (MessageKind.Binary, false, true);
        }

        if (MessageTypes.Is(type, known.PongMessage))
        {
            return (MessageKind.Pong, false, false);
        }

        var (text, binary) = (decodedText, decodedBinary);
        if (text && binary)
        {
            context.Report(
                DiagnosticDescriptors.AmbiguousDecodedType,
                c => c.ParameterLocation(message),
                MessageTypes.Display(method),
                message.Name,
                MessageTypes.Display(type));
            return (null, false, false);
        }

        if (text || binary)
        {
            return (text ? MessageKind.Text : MessageKind.Binary, false, false);
        }

        context.Report(
            DiagnosticDescriptors.UnsupportedMessageType,
            c => c.ParameterLocation(message),
            MessageTypes.Display(method),
            message.Name,
            MessageTypes.Display(type));
        return (null, false, false);
    }

    private static void CheckMaxMessageSize(EndpointValidationContext context, Handler handler, string? ignoredBecause)
    {
        foreach (var argument in handler.Attribute.NamedArguments)
        {
            if (argument.Key != "MaxMessageSize" || argument.Value.Value is null)
            {
                continue;
            }

            var value = System.Convert.ToInt64(argument.Value.Value, System.Globalization.CultureInfo.InvariantCulture);
            var method = handler.Method;
            Location Where(EndpointValidationContext c) => c.AttributeArgumentLocation(handler.Attribute, "MaxMessageSize", 0, method);
            if (value > int.MaxValue)
            {
                context.Report(DiagnosticDescriptors.MaxMessageSizeTooLarge, Where, MessageTypes.Display(method), value);
            }
            else if (value == 0 || value < -1)
            {
                context.Report(DiagnosticDescriptors.MaxMessageSizeInvalid, Where, MessageTypes.Display(method), value);
            }
            else if (value != -1 && ignoredBecause is not null)
            {
                context.Report(DiagnosticDescriptors.MaxMessageSizeIgnored, Where, MessageTypes.Display(method), ignoredBecause);
            }
        }
    }

    /// <summary>AWE0500: a <c>RateLimitPolicy</c> no policy can have (empty or white space); unknown names are AWE0501's.</summary>
    internal static void CheckRateLimitPolicy(EndpointValidationContext context, AttributeData attribute, ISymbol owner)
    {
        if (RateLimitPolicyNames.Read(attribute) is { } name && !RateLimitPolicyNames.CanName(name))
        {
            context.Report(
                DiagnosticDescriptors.RateLimitPolicyEmpty,
                c => c.AttributeArgumentLocation(attribute, RateLimitPolicyNames.PropertyName, 0, owner),
                owner is IMethodSymbol method ? MessageTypes.Display(method) : owner.Name);
        }
    }

    private static void CheckReturnType(EndpointValidationContext context, EndpointShape shape, IMethodSymbol method)
    {
        var known = context.KnownTypes;
        var returnType = method.ReturnType;
        if (method.ReturnsVoid || MessageTypes.Is(returnType, known.Task) || MessageTypes.Is(returnType, known.ValueTask))
        {
            return;
        }

        var value = returnType;
        if (returnType is INamedTypeSymbol { IsGenericType: true } named
            && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, known.TaskOfT)
                || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, known.ValueTaskOfT)))
        {
            value = named.TypeArguments[0];
        }

        if (value.TypeKind == TypeKind.Error)
        {
            context.MarkInvalid();
            return;
        }

        var sendable = MessageTypes.IsString(value)
            || MessageTypes.Is(value, known.Utf8Text)
            || MessageTypes.IsPrimitiveOrNullable(value)
            || MessageTypes.IsByteArray(value)
            || MessageTypes.IsGenericOfByte(value, known.ReadOnlyMemoryOfT)
            || MessageTypes.IsGenericOfByte(value, known.ArraySegmentOfT)
            || shape.Coders.CanEncode(value);
        if (!sendable)
        {
            context.Report(
                DiagnosticDescriptors.UnsendableReturnType,
                c => c.ReturnTypeLocation(method),
                MessageTypes.Display(method),
                MessageTypes.Display(returnType),
                MessageTypes.Display(value));
        }
    }
}
