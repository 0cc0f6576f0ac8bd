using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration;

/// <summary>
/// Every diagnostic the analyzers report. IDs are never reused or renumbered. Ranges: 0001–0099 endpoint
/// class shape, 0100–0199 handler signatures, 0200–0299 paths and routing, 0300–0399 coders and configurators,
/// 0400–0499 the endpoint's description (AsyncAPI document, typed client).
/// 0500–0599 message rate limits.
/// The table of IDs is docs/diagnostics/README.md; each ID has its own page there.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Usage = "Usage";
    private const string Design = "Design";
    private const string Reliability = "Reliability";
    private const string HelpLinkBase = "https://github.com/annotated-websockets/annotated-websockets/blob/main/docs/diagnostics/";

    public const string EndpointNotAccessibleId = "AWE0001";
    public const string EndpointAbstractId = "AWE0002";
    public const string EndpointStaticId = "AWE0003";
    public const string EndpointGenericId = "AWE0004";
    public const string EndpointNoPublicConstructorId = "AWE0005";
    public const string ConnectedTypeNotCreatableId = "AWE0010";
    public const string HandlerOutsideEndpointId = "AWE0006";
    public const string InheritedHandlerDuplicateId = "AWE0007";
    public const string BothEndpointAttributesId = "AWE0008";
    public const string HandlerInUnusedClassId = "AWE0009";

    public const string MaxMessageSizeTooLargeId = "AWE0100";
    public const string MaxMessageSizeInvalidId = "AWE0101";
    public const string MaxMessageSizeIgnoredId = "AWE0102";
    public const string MessageParameterCountId = "AWE0103";
    public const string UnsupportedMessageTypeId = "AWE0104";
    public const string PartialFlagNotSupportedId = "AWE0105";
    public const string UnexpectedParameterId = "AWE0106";
    public const string DuplicateMessageHandlerId = "AWE0107";
    public const string DuplicateLifecycleHandlerId = "AWE0108";
    public const string OnErrorExceptionParameterId = "AWE0109";
    public const string OnErrorMissingExceptionId = "AWE0110";
    public const string EndpointConfigOutsideOnOpenId = "AWE0111";
    public const string CloseReasonOutsideOnCloseId = "AWE0112";
    public const string LifecycleReturnTypeId = "AWE0113";
    public const string UnsendableReturnTypeId = "AWE0114";
    public const string AsyncVoidHandlerId = "AWE0115";
    public const string HandlerNotAccessibleId = "AWE0116";
    public const string HandlerGenericId = "AWE0117";
    public const string HandlerStaticId = "AWE0118";
    public const string MultipleLifecycleAttributesId = "AWE0119";
    public const string AmbiguousDecodedTypeId = "AWE0120";

    public const string PathEmptyId = "AWE0200";
    public const string PathNotRootedId = "AWE0201";
    public const string PathMalformedId = "AWE0202";
    public const string DuplicatePathId = "AWE0203";
    public const string PathParamNotInTemplateId = "AWE0204";
    public const string PathParamUnsupportedTypeId = "AWE0205";
    public const string PathParamOnClientEndpointId = "AWE0206";
    public const string PathParamEmptyNameId = "AWE0207";

    public const string DecoderTypeInvalidId = "AWE0300";
    public const string EncoderTypeInvalidId = "AWE0301";
    public const string ConfiguratorTypeInvalidId = "AWE0302";
    public const string CoderNotConstructibleId = "AWE0303";

    public const string UndeclaredSendId = "AWE0400";
    public const string UndescribedPayloadId = "AWE0401";
    public const string RateLimitPolicyEmptyId = "AWE0500";
    public const string RateLimitPolicyUnknownId = "AWE0501";

    // ----- 0001–0099: endpoint class shape -----

    public static readonly DiagnosticDescriptor EndpointNotAccessible = new(
        EndpointNotAccessibleId,
        "Endpoint class is not accessible",
        "'{0}' is annotated with [{1}] but {2}; {3}",
        Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A server endpoint class must be public, and so must every type it is nested in, so the container can deploy it. A client endpoint class must at least be internal, because the generated dispatcher is a separate class of the same assembly.",
        helpLinkUri: HelpLinkBase + EndpointNotAccessibleId + ".md");

    public static readonly DiagnosticDescriptor EndpointAbstract = new(
        EndpointAbstractId,
        "Endpoint class is abstract",
        "'{0}' is annotated with [{1}] but is abstract; an endpoint class must be concrete so the container can create instances of it",
        Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The container creates one instance of the endpoint class per connection, so the class cannot be abstract. Put the attribute on a concrete subclass instead.",
        helpLinkUri: HelpLinkBase + EndpointAbstractId + ".md");

    public static readonly DiagnosticDescriptor EndpointStatic = new(
        EndpointStaticId,
        "Endpoint class is static",
        "'{0}' is annotated with [{1}] but is static; an endpoint class must be an instantiable class",
        Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The container creates one instance of the endpoint class per connection, so the class cannot be static.",
        helpLinkUri: HelpLinkBase + EndpointStaticId + ".md");

    public static readonly DiagnosticDescriptor EndpointGeneric = new(
        EndpointGenericId,
        "Endpoint class is generic",
        "'{0}' is annotated with [{1}] but is generic; an endpoint class must not have type parameters, because the container cannot choose type arguments for it",
        Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The container deploys a concrete type. Derive a non-generic class from the generic one and annotate that.",
        helpLinkUri: HelpLinkBase + EndpointGenericId + ".md");

    public static readonly DiagnosticDescriptor EndpointNoPublicConstructor = new(
        EndpointNoPublicConstructorId,
        "Endpoint class has no usable constructor",
        "'{0}' is annotated with [{1}] but {2}; declare a public parameterless constructor, or a public constructor whose parameters are resolved from dependency injection",
        Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The container creates the endpoint through a public constructor: a parameterless one, or (an extension of this library) one whose parameters are services from the application's IServiceProvider. Required members cannot be set that way.",
        helpLinkUri: HelpLinkBase + EndpointNoPublicConstructorId + ".md");

    public static readonly DiagnosticDescriptor ConnectedTypeNotCreatable = new(
        ConnectedTypeNotCreatableId,
        "Type connected by ConnectToServerAsync<T> cannot be created",
        "'{0}' is passed to ConnectToServerAsync<T> but {1}; connect an instance with ConnectToServerAsync(object, …) instead",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "ConnectToServerAsync<T> creates a new instance of a [ClientEndpoint] class through its generated factory. The type must be such a class, and the generated code must be able to call one of its constructors (the Jakarta WebSocket 2.3 rule: the constructor matters only when the class, not an instance, is connected).",
        helpLinkUri: HelpLinkBase + ConnectedTypeNotCreatableId + ".md");

    public static readonly DiagnosticDescriptor HandlerOutsideEndpoint = new(
        HandlerOutsideEndpointId,
        "Lifecycle attribute on a method of a class that is not an endpoint",
        "'{0}' is annotated with [{1}] but its class '{2}' has neither [ServerEndpoint] nor [ClientEndpoint]{3}, so the method is never called; annotate the class",
        Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Lifecycle and message attributes only take effect in a class annotated with [ServerEndpoint] or [ClientEndpoint], or in an abstract base class of one. Elsewhere they are ignored.",
        helpLinkUri: HelpLinkBase + HandlerOutsideEndpointId + ".md");

    public static readonly DiagnosticDescriptor InheritedHandlerDuplicate = new(
        InheritedHandlerDuplicateId,
        "Handler duplicates an inherited handler",
        "'{0}' is annotated with [{1}] but the endpoint already inherits '{2}' for {3}; an endpoint has one such handler across its class hierarchy, so override the inherited method instead",
        Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Annotated methods inherited from base classes are handlers of the endpoint. A subclass that adds a second handler of a kind it already inherits makes the endpoint ambiguous. Override the base method (and annotate the override) to replace it.",
        helpLinkUri: HelpLinkBase + InheritedHandlerDuplicateId + ".md");

    public static readonly DiagnosticDescriptor BothEndpointAttributes = new(
        BothEndpointAttributesId,
        "Class is both a server and a client endpoint",
        "'{0}' is annotated with both [ServerEndpoint] and [ClientEndpoint]; a class is one kind of endpoint, so split it into two classes",
        Design,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A class is deployed either as a server endpoint or as a client endpoint, not both.",
        helpLinkUri: HelpLinkBase + BothEndpointAttributesId + ".md");

    public static readonly DiagnosticDescriptor HandlerInUnusedClass = new(
        HandlerInUnusedClassId,
        "Lifecycle attribute in a class that no endpoint uses",
        "'{0}' is annotated with [{1}] but its class '{2}' is neither an endpoint nor a base class of one in this compilation, so the method is never called; annotate the class, derive an endpoint from it, or make it abstract if endpoints elsewhere derive from it",
        Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Lifecycle and message attributes only take effect in an endpoint class or in a base class an endpoint inherits them from. A class that is neither is found once the whole compilation is known.",
        helpLinkUri: HelpLinkBase + HandlerInUnusedClassId + ".md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    // ----- 0100–0199: handler signatures -----

    public static readonly DiagnosticDescriptor MaxMessageSizeTooLarge = new(
        MaxMessageSizeTooLargeId,
        "MaxMessageSize is larger than int.MaxValue",
        "'{0}' sets MaxMessageSize to {1}, which is larger than int.MaxValue (2147483647); use a value from 1 to 2147483647, or -1 for no maximum",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Jakarta WebSocket 2.2 makes a maximum message size above Integer.MAX_VALUE a deployment error: no string or buffer can hold such a message.",
        helpLinkUri: HelpLinkBase + MaxMessageSizeTooLargeId + ".md");

    public static readonly DiagnosticDescriptor MaxMessageSizeInvalid = new(
        MaxMessageSizeInvalidId,
        "MaxMessageSize is zero or negative",
        "'{0}' sets MaxMessageSize to {1}; use a value from 1 to 2147483647, or -1 (the default) for no maximum",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "MaxMessageSize is the largest message in bytes the method accepts. Zero would reject every message and values below -1 mean nothing; -1 means no maximum is configured.",
        helpLinkUri: HelpLinkBase + MaxMessageSizeInvalidId + ".md");

    public static readonly DiagnosticDescriptor MaxMessageSizeIgnored = new(
        MaxMessageSizeIgnoredId,
        "MaxMessageSize has no effect on a partial or streaming handler",
        "'{0}' sets MaxMessageSize but takes {1}, so messages are never buffered whole and the limit has no effect; remove MaxMessageSize or take the whole message",
        Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "MaxMessageSize limits whole messages. A handler that receives partial messages (with a bool last parameter) or a TextReader or Stream never buffers the whole message, so the limit is not applied.",
        helpLinkUri: HelpLinkBase + MaxMessageSizeIgnoredId + ".md");

    public static readonly DiagnosticDescriptor MessageParameterCount = new(
        MessageParameterCountId,
        "OnMessage method must take exactly one message parameter",
        "'{0}' is annotated with [OnMessage] but declares {1} message parameters{2}; exactly one is required, plus optionally a WebSocketSession, [PathParam] parameters and a 'bool last' flag",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An [OnMessage] method receives exactly one message: text (string, Utf8Text, a primitive, TextReader), binary (byte[], ReadOnlyMemory<byte>, ArraySegment<byte>, Stream), a PongMessage, or a type with a decoder on the endpoint.",
        helpLinkUri: HelpLinkBase + MessageParameterCountId + ".md");

    public static readonly DiagnosticDescriptor UnsupportedMessageType = new(
        UnsupportedMessageTypeId,
        "Unsupported message type",
        "'{0}' takes message parameter '{1}' of type '{2}', which is not a supported message type and has no decoder on the endpoint; take string, Utf8Text, a primitive, TextReader, byte[], ReadOnlyMemory<byte>, ArraySegment<byte>, Stream or PongMessage, or list a decoder for '{2}' in Decoders",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The message parameter must be a type the container can deliver natively, or a type that a decoder listed in the endpoint's Decoders produces.",
        helpLinkUri: HelpLinkBase + UnsupportedMessageTypeId + ".md");

    public static readonly DiagnosticDescriptor PartialFlagNotSupported = new(
        PartialFlagNotSupportedId,
        "Partial-message flag on a type that cannot be received in parts",
        "'{0}' takes the partial-message flag '{1}' with message type '{2}', which cannot be received in parts; only string, byte[] and ReadOnlyMemory<byte> can be combined with a 'bool last' parameter",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A bool parameter next to the message marks a partial-message handler. Only string, byte[] and ReadOnlyMemory<byte> messages can be delivered in parts; Utf8Text, primitives, ArraySegment<byte>, streams, pongs and decoded types are always whole.",
        helpLinkUri: HelpLinkBase + PartialFlagNotSupportedId + ".md");

    public static readonly DiagnosticDescriptor UnexpectedParameter = new(
        UnexpectedParameterId,
        "Unexpected handler parameter",
        "'{0}' is annotated with [{1}] but parameter '{2}' of type '{3}' is not allowed there; {4}",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Each lifecycle method takes a fixed set of parameters: [OnOpen] a WebSocketSession and an EndpointConfig, [OnClose] a WebSocketSession and a CloseReason, [OnError] a WebSocketSession and an Exception, [OnMessage] a WebSocketSession and the message; all of them also take [PathParam] parameters.",
        helpLinkUri: HelpLinkBase + UnexpectedParameterId + ".md");

    public static readonly DiagnosticDescriptor DuplicateMessageHandler = new(
        DuplicateMessageHandlerId,
        "Two OnMessage methods for the same message kind",
        "'{0}' handles {1} messages but '{2}' already does; an endpoint has at most one [OnMessage] method per message kind (text, binary, pong)",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every incoming message is delivered to the one method that handles its native kind. Two methods for text, binary or pong messages (including a Utf8Text or a type decoded from text beside a string handler) are ambiguous.",
        helpLinkUri: HelpLinkBase + DuplicateMessageHandlerId + ".md");

    public static readonly DiagnosticDescriptor DuplicateLifecycleHandler = new(
        DuplicateLifecycleHandlerId,
        "More than one method with the same lifecycle attribute",
        "'{0}' is annotated with [{1}] but '{2}' already is; an endpoint has at most one [{1}] method",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An endpoint has at most one [OnOpen], one [OnClose] and one [OnError] method.",
        helpLinkUri: HelpLinkBase + DuplicateLifecycleHandlerId + ".md");

    public static readonly DiagnosticDescriptor OnErrorExceptionParameter = new(
        OnErrorExceptionParameterId,
        "OnError method takes more than one Exception parameter",
        "'{0}' is annotated with [OnError] but declares {1} Exception parameters; exactly one is required",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An [OnError] method receives the error in one parameter of type Exception or a type derived from it; a second one could never be filled.",
        helpLinkUri: HelpLinkBase + OnErrorExceptionParameterId + ".md");

    public static readonly DiagnosticDescriptor OnErrorMissingException = new(
        OnErrorMissingExceptionId,
        "OnError method has no Exception parameter",
        "'{0}' is annotated with [OnError] but takes no Exception parameter; declare one of type Exception, or of a type derived from it to handle only those errors",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "An [OnError] method receives the error as a parameter of type Exception or a type derived from it, which is mandatory. With a derived type, the method is called only for errors of that type.",
        helpLinkUri: HelpLinkBase + OnErrorMissingExceptionId + ".md");

    public static readonly DiagnosticDescriptor EndpointConfigOutsideOnOpen = new(
        EndpointConfigOutsideOnOpenId,
        "EndpointConfig parameter outside OnOpen",
        "'{0}' is annotated with [{1}] but takes EndpointConfig parameter '{2}'; only the [OnOpen] method receives the endpoint configuration",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The endpoint configuration is passed to the [OnOpen] method only. Keep it in a field if other methods need it.",
        helpLinkUri: HelpLinkBase + EndpointConfigOutsideOnOpenId + ".md");

    public static readonly DiagnosticDescriptor CloseReasonOutsideOnClose = new(
        CloseReasonOutsideOnCloseId,
        "CloseReason parameter outside OnClose",
        "'{0}' is annotated with [{1}] but takes CloseReason parameter '{2}'; only the [OnClose] method receives the close reason",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The close reason exists only once the session closes, so only the [OnClose] method receives it.",
        helpLinkUri: HelpLinkBase + CloseReasonOutsideOnCloseId + ".md");

    public static readonly DiagnosticDescriptor LifecycleReturnType = new(
        LifecycleReturnTypeId,
        "Lifecycle method must return void, Task or ValueTask",
        "'{0}' is annotated with [{1}] but returns '{2}'; [OnOpen], [OnClose] and [OnError] methods return void, Task or ValueTask",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The container awaits lifecycle methods that return Task or ValueTask; any other result would be discarded, so it is not allowed.",
        helpLinkUri: HelpLinkBase + LifecycleReturnTypeId + ".md");

    public static readonly DiagnosticDescriptor UnsendableReturnType = new(
        UnsendableReturnTypeId,
        "OnMessage result cannot be sent",
        "'{0}' returns '{1}', which cannot be sent back: '{2}' is not string, Utf8Text, byte[], ReadOnlyMemory<byte>, ArraySegment<byte> or a primitive, and no encoder on the endpoint accepts it; return one of those, void, Task or ValueTask, or list an encoder for '{2}' in Encoders",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The value an [OnMessage] method returns (or its Task<T>/ValueTask<T> result) is sent to the peer, so it must be a natively sendable type or a type an encoder listed in Encoders accepts.",
        helpLinkUri: HelpLinkBase + UnsendableReturnTypeId + ".md");

    public static readonly DiagnosticDescriptor AsyncVoidHandler = new(
        AsyncVoidHandlerId,
        "Handler method is async void",
        "'{0}' is annotated with [{1}] and is async void, so the container cannot await it and its exceptions crash the process instead of reaching [OnError]; return Task instead",
        Reliability,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The container awaits handlers that return Task or ValueTask, keeps one call at a time per endpoint instance and routes their exceptions to [OnError]. An async void method escapes all of that.",
        helpLinkUri: HelpLinkBase + AsyncVoidHandlerId + ".md");

    public static readonly DiagnosticDescriptor HandlerNotAccessible = new(
        HandlerNotAccessibleId,
        "Handler method is not accessible to generated code",
        "'{0}' is annotated with [{1}] but is {2}; the generated dispatcher is a separate class of the same assembly, so the method must be public or internal",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The source generator calls handler methods directly from a generated class in the same assembly. Private and protected methods cannot be called from there.",
        helpLinkUri: HelpLinkBase + HandlerNotAccessibleId + ".md");

    public static readonly DiagnosticDescriptor HandlerGeneric = new(
        HandlerGenericId,
        "Handler method is generic",
        "'{0}' is annotated with [{1}] but is generic; the container cannot choose type arguments, so handler methods must not have type parameters",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The generated dispatcher calls handler methods with concrete arguments; a generic method gives it no type arguments to use.",
        helpLinkUri: HelpLinkBase + HandlerGenericId + ".md");

    public static readonly DiagnosticDescriptor HandlerStatic = new(
        HandlerStaticId,
        "Handler method is static",
        "'{0}' is annotated with [{1}] but is static; handler methods are instance methods called on the endpoint instance of the session",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Each session has its own endpoint instance, and handlers run on it. A static method has no instance and no per-session state.",
        helpLinkUri: HelpLinkBase + HandlerStaticId + ".md");

    public static readonly DiagnosticDescriptor MultipleLifecycleAttributes = new(
        MultipleLifecycleAttributesId,
        "Method has more than one lifecycle attribute",
        "'{0}' is annotated with both [{1}] and [{2}]; a method has one role, so split it into separate methods",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "[OnOpen], [OnMessage], [OnClose] and [OnError] each take different parameters, so one method cannot carry two of them.",
        helpLinkUri: HelpLinkBase + MultipleLifecycleAttributesId + ".md");

    public static readonly DiagnosticDescriptor AmbiguousDecodedType = new(
        AmbiguousDecodedTypeId,
        "Decoded message type has both text and binary decoders",
        "'{0}' takes '{1}' of type '{2}', which both a text decoder and a binary decoder on the endpoint produce, so its message kind is ambiguous; keep decoders of one kind for '{2}'",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The message kind (text or binary) of a decoded parameter is the kind of its decoders (a UTF-8 text decoder is a text decoder). A type with both text and binary decoders could be either, and an endpoint must know which native kind each method handles.",
        helpLinkUri: HelpLinkBase + AmbiguousDecodedTypeId + ".md");

    // ----- 0200–0299: paths and routing -----

    public static readonly DiagnosticDescriptor PathEmpty = new(
        PathEmptyId,
        "Server endpoint path is empty",
        "'{0}' has an empty [ServerEndpoint] path; give a path starting with '/', such as \"/chat\" or \"/chat/{{room}}\"",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every server endpoint is deployed at a path; an empty path is a deployment error.",
        helpLinkUri: HelpLinkBase + PathEmptyId + ".md");

    public static readonly DiagnosticDescriptor PathNotRooted = new(
        PathNotRootedId,
        "Server endpoint path does not start with '/'",
        "'{0}' has [ServerEndpoint] path \"{1}\", which does not start with '/'; use \"/{1}\"",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Server endpoint paths are relative to the application root and start with '/'.",
        helpLinkUri: HelpLinkBase + PathNotRootedId + ".md");

    public static readonly DiagnosticDescriptor PathMalformed = new(
        PathMalformedId,
        "Server endpoint path is not a valid URI template",
        "'{0}' has [ServerEndpoint] path \"{1}\", which is not a valid URI template: {2}",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A server endpoint path is a relative URI or a level-1 URI template: segments separated by single '/', where a variable such as {room} is a whole segment, appears once and has a name. '.' and '..' segments and empty segments ('//') are not allowed.",
        helpLinkUri: HelpLinkBase + PathMalformedId + ".md");

    public static readonly DiagnosticDescriptor DuplicatePath = new(
        DuplicatePathId,
        "Two server endpoints have equivalent paths",
        "'{0}' has [ServerEndpoint] path \"{1}\", which is equivalent to the path \"{2}\" of '{3}'; every server endpoint needs a distinct path (templates that differ only in variable names are the same)",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Two endpoints whose paths have the same literal segments and variables in the same positions (such as /a/{x} and /a/{y}) would match the same requests, which is a deployment error.",
        helpLinkUri: HelpLinkBase + DuplicatePathId + ".md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor PathParamNotInTemplate = new(
        PathParamNotInTemplateId,
        "PathParam names no variable of the endpoint's path",
        "'{0}' binds parameter '{1}' to path variable '{2}', but the path \"{3}\" has {4}; use one of the path's variable names",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A [PathParam] parameter receives the value of a variable of the server endpoint's URI template; a name that is not in the template never gets a value.",
        helpLinkUri: HelpLinkBase + PathParamNotInTemplateId + ".md");

    public static readonly DiagnosticDescriptor PathParamUnsupportedType = new(
        PathParamUnsupportedTypeId,
        "PathParam parameter has an unsupported type",
        "'{0}' binds path variable '{1}' to parameter '{2}' of type '{3}', which path parameters do not support; use string, bool, char, an integral type, float, double, decimal or Guid (or their nullable forms)",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Path parameters are converted from the URI segment to string, a primitive type, decimal or Guid. Other types are not allowed, even when a decoder for them exists.",
        helpLinkUri: HelpLinkBase + PathParamUnsupportedTypeId + ".md");

    public static readonly DiagnosticDescriptor PathParamOnClientEndpoint = new(
        PathParamOnClientEndpointId,
        "PathParam on a client endpoint",
        "'{0}' takes [PathParam] parameter '{1}', but '{2}' is a [ClientEndpoint], which has no path template; remove the [PathParam] parameter",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Path parameters come from the server endpoint's URI template. A client endpoint has no template, so a [PathParam] parameter never gets a value.",
        helpLinkUri: HelpLinkBase + PathParamOnClientEndpointId + ".md");

    public static readonly DiagnosticDescriptor PathParamEmptyName = new(
        PathParamEmptyNameId,
        "PathParam name is empty",
        "'{0}' has a [PathParam] on parameter '{1}' with an empty name; give the name of a variable of the endpoint's path",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A [PathParam] names the URI template variable it binds to; an empty or blank name binds nothing.",
        helpLinkUri: HelpLinkBase + PathParamEmptyNameId + ".md");

    // ----- 0300–0399: coders and configurators -----

    public static readonly DiagnosticDescriptor DecoderTypeInvalid = new(
        DecoderTypeInvalidId,
        "Decoder type does not implement a decoder interface",
        "'{0}' lists '{1}' in Decoders, but '{1}' implements none of ITextDecoder<T>, IUtf8TextDecoder<T>, ITextStreamDecoder<T>, IBinaryDecoder<T> or IBinaryStreamDecoder<T>",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every type in an endpoint's Decoders implements at least one of the decoder interfaces.",
        helpLinkUri: HelpLinkBase + DecoderTypeInvalidId + ".md");

    public static readonly DiagnosticDescriptor EncoderTypeInvalid = new(
        EncoderTypeInvalidId,
        "Encoder type does not implement an encoder interface",
        "'{0}' lists '{1}' in Encoders, but '{1}' implements none of ITextEncoder<T>, IUtf8TextEncoder<T>, ITextStreamEncoder<T>, IBinaryEncoder<T> or IBinaryStreamEncoder<T>",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every type in an endpoint's Encoders implements at least one of the encoder interfaces.",
        helpLinkUri: HelpLinkBase + EncoderTypeInvalidId + ".md");

    public static readonly DiagnosticDescriptor ConfiguratorTypeInvalid = new(
        ConfiguratorTypeInvalidId,
        "Configurator type does not derive from the configurator base class",
        "'{0}' names '{1}' as its Configurator, but '{1}' does not derive from '{2}'",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A server endpoint's Configurator derives from ServerEndpointConfigurator, a client endpoint's from ClientEndpointConfigurator.",
        helpLinkUri: HelpLinkBase + ConfiguratorTypeInvalidId + ".md");

    public static readonly DiagnosticDescriptor CoderNotConstructible = new(
        CoderNotConstructibleId,
        "Coder or configurator type cannot be created",
        "'{0}' uses '{1}' as {2}, but '{1}' {3}; the container creates it, so it must be a non-abstract, non-generic class (or struct) with a public parameterless constructor",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The container creates an instance of each listed decoder, encoder and configurator type, so each must be a concrete, closed class (or struct) the generated code can name, with a public parameterless constructor and no required members.",
        helpLinkUri: HelpLinkBase + CoderNotConstructibleId + ".md");

    // ----- 0400–0499: the endpoint's description -----

    public static readonly DiagnosticDescriptor UndeclaredSend = new(
        UndeclaredSendId,
        "Endpoint sends a message type it does not declare",
        "'{0}' declares what it sends with [SendsMessage], but this sends '{1}', which no declaration covers; add [SendsMessage(typeof({1}))] to '{0}' so its description and typed client know it",
        Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Once a server endpoint declares the messages it sends on its own, its AsyncAPI document's send operations and its TypeScript client's message union are exactly those declarations. A send from the endpoint's class of a type no declaration covers would reach clients that were told it cannot happen.",
        helpLinkUri: HelpLinkBase + UndeclaredSendId + ".md");

    public static readonly DiagnosticDescriptor UndescribedPayload = new(
        UndescribedPayloadId,
        "Message payload cannot be described",
        "The description of '{0}' calls the payload of its {1} message '{2}' unspecified: {3}",
        Design,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "An endpoint's AsyncAPI document and TypeScript client take a JSON message's schema and type from its System.Text.Json contract: an IJsonCoder (JsonTextCoder<T> is one), or the JsonContext of [SendsMessage]. A message with neither still works and is still described, as text whose payload is unspecified.",
        helpLinkUri: HelpLinkBase + UndescribedPayloadId + ".md");

    // ----- 0500–0599: message rate limits -----

    public static readonly DiagnosticDescriptor RateLimitPolicyEmpty = new(
        RateLimitPolicyEmptyId,
        "RateLimitPolicy is empty",
        "'{0}' sets RateLimitPolicy to an empty or white-space name, which no policy can have; give the name of a policy added with AddMessageRateLimitPolicy, or remove RateLimitPolicy",
        Usage,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "RateLimitPolicy names a message rate-limit policy of the server's options. AddMessageRateLimitPolicy refuses empty and white-space names, so such a name would fail deployment at start-up.",
        helpLinkUri: HelpLinkBase + RateLimitPolicyEmptyId + ".md");

    public static readonly DiagnosticDescriptor RateLimitPolicyUnknown = new(
        RateLimitPolicyUnknownId,
        "RateLimitPolicy names no policy this project adds",
        "'{0}' sets RateLimitPolicy to '{1}', but this project adds only the policies {2} with AddMessageRateLimitPolicy; the server would refuse to deploy the endpoint",
        Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "When every AddMessageRateLimitPolicy call of the project gives its name as a constant, the analyzer knows the policies and reports a RateLimitPolicy that names none of them: deployment would fail at start-up. It says nothing when a name is computed, or when the project adds no policy at all (another assembly may add them).",
        helpLinkUri: HelpLinkBase + RateLimitPolicyUnknownId + ".md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);
}
