using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets;

/// <summary>
/// The decoders and encoders of a programmatic endpoint (a subclass of <see cref="Endpoint"/>), given to its
/// <c>ServerEndpointConfig</c> (<see cref="EndpointConfig.Coders"/>) or its <c>ClientEndpointConfig</c>
/// (<c>Builder.WithCoders</c>). Each coder is registered with the type it decodes or encodes, so the runtime knows
/// the type from the registration, not by reflecting over the coder's interfaces (trimming- and Native-AOT-clean).
/// </summary>
/// <remarks>
/// <para>
/// Every session gets its own instance of every registered coder, made by its factory (or by
/// <see cref="ActivatorUtilities"/> from the connection's services), then <see cref="ICoder.Init"/> before
/// <c>OnOpen</c>, and <see cref="ICoder.Destroy"/> after <c>OnClose</c>. A message handler the endpoint registers
/// with <see cref="WebSocketSession.AddMessageHandler{T}(Action{T})"/> for a type <c>T</c> that is not a native message
/// type (or for <see cref="TextReader"/> or <see cref="Stream"/> when a decoder produces them) gets what the decoders
/// whose type is assignable to <c>T</c> make, tried in registration order with <c>WillDecode</c>; a
/// <see cref="DecodeException"/> goes to <c>OnError</c> and the session stays open. <c>SendObjectAsync</c> uses the
/// first encoder (in registration order) whose type the value is, before the built-in forms.
/// </para>
/// <para>
/// When a configuration holding it is deployed (<c>IServerContainer.AddEndpoint</c>, <c>UpgradeHttpToWebSocketAsync</c>,
/// <c>ConnectToServerAsync</c>) each coder is made once to prove that it can be, then dropped (disposed when it is
/// <see cref="IDisposable"/>; <see cref="ICoder.Init"/> is not called); from then on the registrations cannot change.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var coders = new EndpointCoders()
///     .AddDecoder&lt;OrderJson, Order&gt;()                            // made by ActivatorUtilities
///     .AddDecoder&lt;PointDecoder, Point&gt;(_ => new PointDecoder())   // made by a factory
///     .AddEncoder&lt;OrderJson, Order&gt;();
/// container.AddEndpoint(new ServerEndpointConfig(typeof(OrderEndpoint), "/orders", _ => new OrderEndpoint()) { Coders = coders });
/// // in OrderEndpoint.OnOpen: session.AddMessageHandler&lt;Order&gt;(order => ...); await session.BasicRemote.SendObjectAsync(order);
/// </code>
/// </example>
public sealed class EndpointCoders
{
    private readonly List<DecoderRegistration> _decoders = [];
    private readonly List<EncoderRegistration> _encoders = [];
    private volatile bool _frozen;

    // Found once, when the first configuration holding these coders is deployed (an upgrade may deploy one per request).
    private List<string>? _problems;

    /// <summary>Creates an empty set of coders; add them with <c>AddDecoder</c> and <c>AddEncoder</c>.</summary>
    public EndpointCoders()
    {
    }

    /// <summary>The decoder types, in registration order (the order they are tried in).</summary>
    public IReadOnlyList<Type> Decoders => _decoders.ConvertAll(static d => d.CoderType);

    /// <summary>The encoder types, in registration order (the order they are tried in).</summary>
    public IReadOnlyList<Type> Encoders => _encoders.ConvertAll(static e => e.CoderType);

    /// <summary>Whether no coder is registered.</summary>
    public bool IsEmpty => _decoders.Count == 0 && _encoders.Count == 0;

    internal IReadOnlyList<DecoderRegistration> DecoderRegistrations => _decoders;

    internal IReadOnlyList<EncoderRegistration> EncoderRegistrations => _encoders;

    /// <summary>
    /// Registers a decoder of <typeparamref name="T"/> made per session by <see cref="ActivatorUtilities"/>: its
    /// constructor's parameters are resolved from the connection's services (the client container's services for a client).
    /// </summary>
    /// <typeparam name="TDecoder">
    /// The decoder class: an <see cref="ITextDecoder{T}"/>, <see cref="IUtf8TextDecoder{T}"/>, <see cref="ITextStreamDecoder{T}"/>,
    /// <see cref="IBinaryDecoder{T}"/> or <see cref="IBinaryStreamDecoder{T}"/> of <typeparamref name="T"/>.
    /// </typeparam>
    /// <typeparam name="T">The type the decoder makes.</typeparam>
    /// <returns>This object.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TDecoder"/> is no decoder of <typeparamref name="T"/>.</exception>
    /// <exception cref="InvalidOperationException">A configuration holding these coders has been deployed.</exception>
    public EndpointCoders AddDecoder<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TDecoder, T>()
        where TDecoder : class, ICoder =>
        AddDecoder<TDecoder, T>(Activate<TDecoder>());

    /// <summary>Registers a decoder of <typeparamref name="T"/> made per session by <paramref name="factory"/>.</summary>
    /// <inheritdoc cref="AddDecoder{TDecoder, T}()" path="/typeparam"/>
    /// <inheritdoc cref="AddDecoder{TDecoder, T}()" path="/returns"/>
    /// <inheritdoc cref="AddDecoder{TDecoder, T}()" path="/exception"/>
    /// <param name="factory">Makes the session's instance from the connection's services; a new instance per call.</param>
    public EndpointCoders AddDecoder<TDecoder, T>(Func<IServiceProvider, TDecoder> factory)
        where TDecoder : class, ICoder =>
        Add(_decoders, new DecoderRegistration<TDecoder, T>(CoderForms.OfDecoder<TDecoder, T>(), factory ?? throw new ArgumentNullException(nameof(factory))));

    /// <summary>
    /// Registers an encoder of <typeparamref name="T"/> made per session by <see cref="ActivatorUtilities"/> from the
    /// connection's services.
    /// </summary>
    /// <typeparam name="TEncoder">
    /// The encoder class: an <see cref="ITextEncoder{T}"/>, <see cref="IUtf8TextEncoder{T}"/>, <see cref="ITextStreamEncoder{T}"/>,
    /// <see cref="IBinaryEncoder{T}"/> or <see cref="IBinaryStreamEncoder{T}"/> of <typeparamref name="T"/>.
    /// </typeparam>
    /// <typeparam name="T">The type the encoder takes.</typeparam>
    /// <returns>This object.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TEncoder"/> is no encoder of <typeparamref name="T"/>.</exception>
    /// <exception cref="InvalidOperationException">A configuration holding these coders has been deployed.</exception>
    public EndpointCoders AddEncoder<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TEncoder, T>()
        where TEncoder : class, ICoder =>
        AddEncoder<TEncoder, T>(Activate<TEncoder>());

    /// <summary>Registers an encoder of <typeparamref name="T"/> made per session by <paramref name="factory"/>.</summary>
    /// <inheritdoc cref="AddEncoder{TEncoder, T}()" path="/typeparam"/>
    /// <inheritdoc cref="AddEncoder{TEncoder, T}()" path="/returns"/>
    /// <inheritdoc cref="AddEncoder{TEncoder, T}()" path="/exception"/>
    /// <param name="factory">Makes the session's instance from the connection's services; a new instance per call.</param>
    public EndpointCoders AddEncoder<TEncoder, T>(Func<IServiceProvider, TEncoder> factory)
        where TEncoder : class, ICoder =>
        Add(_encoders, new EncoderRegistration<TEncoder, T>(CoderForms.OfEncoder<TEncoder, T>(), factory ?? throw new ArgumentNullException(nameof(factory))));

    /// <summary>
    /// What keeps these coders from being deployed: a coder its factory cannot make from <paramref name="services"/>, and
    /// a type decoded from both text and binary messages (a handler of it would have no native kind). Freezes the
    /// registrations; the answer is found once.
    /// </summary>
    internal IReadOnlyList<string> Check(IServiceProvider services)
    {
        _frozen = true;
        return _problems ??= FindProblems(services);
    }

    private List<string> FindProblems(IServiceProvider services)
    {
        var problems = new List<string>();
        foreach (var coder in _decoders.Concat<CoderRegistration>(_encoders))
        {
            try
            {
                (coder.Create(services) as IDisposable)?.Dispose();
            }
            catch (Exception ex)
            {
                problems.Add($"the {coder.Role} '{coder.CoderType.FullName}' cannot be created: {ex.GetBaseException().Message}");
            }
        }

        if (_decoders.Find(static d => d.IsTextAndBinary) is { } both)
        {
            problems.Add(
                $"the decoder '{both.CoderType.FullName}' decodes '{both.ValueType.FullName}' from both text and binary messages, so a handler of it would take both kinds of message; register a decoder of one kind per type");
        }

        foreach (var text in _decoders.Where(static d => d.IsText))
        {
            if (_decoders.Find(binary => !binary.IsText && binary.ValueType == text.ValueType) is { } binary)
            {
                problems.Add(
                    $"the decoders '{text.CoderType.FullName}' (text) and '{binary.CoderType.FullName}' (binary) both decode '{text.ValueType.FullName}', so a handler of it would take both kinds of message; keep decoders of one kind per type");
                break;
            }
        }

        return problems;
    }

    private EndpointCoders Add<TRegistration>(List<TRegistration> list, TRegistration registration)
    {
        if (_frozen)
        {
            throw new InvalidOperationException("These coders belong to a configuration that has been deployed; they can no longer change.");
        }

        list.Add(registration);
        return this;
    }

    private static Func<IServiceProvider, TCoder> Activate<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TCoder>()
        where TCoder : class
    {
        ObjectFactory? factory = null;
        return services => (TCoder)(factory ??= ActivatorUtilities.CreateFactory(typeof(TCoder), Type.EmptyTypes))(services, null);
    }
}
