using System.Collections.Generic;
using Annotated.WebSockets.SourceGeneration.Parsing;
using Annotated.WebSockets.SourceGeneration.Validation;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration;

// The per-method rules: accessibility, shape, return types, and at most one handler per lifecycle kind and
// per message kind across the class hierarchy.
internal static partial class EndpointValidator
{
    private static void CheckHandlers(EndpointValidationContext context, EndpointShape shape)
    {
        var handlers = CollectHandlers(context, out var conflicts);
        foreach (var (method, first, second) in conflicts)
        {
            context.Report(
                DiagnosticDescriptors.MultipleLifecycleAttributes,
                c => c.SymbolLocation(method),
                MessageTypes.Display(method),
                AttributeName(first),
                AttributeName(second));
        }

        var lifecycle = new Dictionary<HandlerKind, Handler>();
        var messages = new Dictionary<MessageKind, Handler>();
        foreach (var handler in handlers)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            CheckMethod(context, handler);
            if (handler.Kind == HandlerKind.OnMessage)
            {
                var kind = CheckMessageHandler(context, shape, handler);
                if (kind is not null)
                {
                    CheckDuplicate(context, messages, kind.Value, handler, KindWords(kind.Value));
                }
            }
            else
            {
                CheckLifecycleHandler(context, shape, handler);
                CheckDuplicate(context, lifecycle, handler.Kind, handler, "[" + AttributeName(handler.Kind) + "]");
            }
        }
    }

    private static string KindWords(MessageKind kind) => kind switch
    {
        MessageKind.Text => "text",
        MessageKind.Binary => "binary",
        _ => "pong",
    };

    private static void CheckDuplicate<TKey>(EndpointValidationContext context, Dictionary<TKey, Handler> seen, TKey key, Handler handler, string what)
        where TKey : notnull
    {
        if (!seen.TryGetValue(key, out var first))
        {
            seen[key] = handler;
            return;
        }

        var method = handler.Method;
        var inherited = !SymbolEqualityComparer.Default.Equals(first.Method.ContainingType, method.ContainingType);
        if (inherited)
        {
            context.Report(
                DiagnosticDescriptors.InheritedHandlerDuplicate,
                c => c.SymbolLocation(method),
                MessageTypes.Display(method),
                AttributeName(handler.Kind),
                MessageTypes.Display(first.Method),
                handler.Kind == HandlerKind.OnMessage ? what + " messages" : what);
        }
        else if (handler.Kind == HandlerKind.OnMessage)
        {
            context.Report(
                DiagnosticDescriptors.DuplicateMessageHandler,
                c => c.SymbolLocation(method),
                MessageTypes.Display(method),
                what,
                MessageTypes.Display(first.Method));
        }
        else
        {
            context.Report(
                DiagnosticDescriptors.DuplicateLifecycleHandler,
                c => c.SymbolLocation(method),
                MessageTypes.Display(method),
                AttributeName(handler.Kind),
                MessageTypes.Display(first.Method));
        }
    }

    /// <summary>Rules on the method itself, whatever its kind.</summary>
    private static void CheckMethod(EndpointValidationContext context, Handler handler)
    {
        var method = handler.Method;
        var name = MessageTypes.Display(method);
        var attribute = AttributeName(handler.Kind);
        // An internal method inherited from another assembly is as unreachable for the generated dispatcher as a private one.
        if (method.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal
            || (!TypeShapes.IsReachableFrom(method, context.EndpointType.ContainingAssembly) && method.DeclaredAccessibility != Accessibility.Public))
        {
            context.Report(
                DiagnosticDescriptors.HandlerNotAccessible,
                c => c.SymbolLocation(method),
                name,
                attribute,
                AccessibilityWord(method.DeclaredAccessibility));
        }

        if (method.IsStatic)
        {
            context.Report(DiagnosticDescriptors.HandlerStatic, c => c.SymbolLocation(method), name, attribute);
        }

        if (method.IsGenericMethod)
        {
            context.Report(DiagnosticDescriptors.HandlerGeneric, c => c.SymbolLocation(method), name, attribute);
        }

        if (method.IsAsync && method.ReturnsVoid)
        {
            context.Report(DiagnosticDescriptors.AsyncVoidHandler, c => c.SymbolLocation(method), name, attribute);
        }
    }

    private static void CheckLifecycleHandler(EndpointValidationContext context, EndpointShape shape, Handler handler)
    {
        var method = handler.Method;
        var known = context.KnownTypes;
        if (method.ReturnType.TypeKind == TypeKind.Error)
        {
            context.MarkInvalid();
        }
        else if (!method.ReturnsVoid && !MessageTypes.Is(method.ReturnType, known.Task) && !MessageTypes.Is(method.ReturnType, known.ValueTask))
        {
            context.Report(
                DiagnosticDescriptors.LifecycleReturnType,
                c => c.ReturnTypeLocation(method),
                MessageTypes.Display(method),
                AttributeName(handler.Kind),
                MessageTypes.Display(method.ReturnType));
        }

        var exceptions = new List<IParameterSymbol>();
        var parameters = new ParameterScan(context, shape, handler);
        foreach (var parameter in method.Parameters)
        {
            if (parameters.TakeCommon(parameter))
            {
                continue;
            }

            if (handler.Kind == HandlerKind.OnError && MessageTypes.DerivesFrom(parameter.Type, known.Exception) && parameter.RefKind == RefKind.None)
            {
                exceptions.Add(parameter);
                continue;
            }

            parameters.ReportUnexpected(parameter, AllowedParameters(handler.Kind));
        }

        if (handler.Kind != HandlerKind.OnError || known.Exception is null)
        {
            return;
        }

        // One Exception parameter, of type Exception or a derived type: a handler for a derived type is
        // called only for errors of that type (the generated dispatcher tests it).
        if (exceptions.Count == 0)
        {
            context.Report(
                DiagnosticDescriptors.OnErrorMissingException,
                c => c.SymbolLocation(method),
                MessageTypes.Display(method));
        }
        else if (exceptions.Count > 1)
        {
            context.Report(
                DiagnosticDescriptors.OnErrorExceptionParameter,
                c => c.SymbolLocation(method),
                MessageTypes.Display(method),
                exceptions.Count);
        }
    }

    internal static string AllowedParameters(HandlerKind kind) => kind switch
    {
        HandlerKind.OnOpen => "[OnOpen] methods take a WebSocketSession, an EndpointConfig and [PathParam] parameters",
        HandlerKind.OnClose => "[OnClose] methods take a WebSocketSession, a CloseReason and [PathParam] parameters",
        HandlerKind.OnError => "[OnError] methods take one Exception, a WebSocketSession and [PathParam] parameters",
        _ => "[OnMessage] methods take one message parameter, a 'bool last' flag for partial string, byte[] or ReadOnlyMemory<byte> messages, a WebSocketSession and [PathParam] parameters",
    };
}
