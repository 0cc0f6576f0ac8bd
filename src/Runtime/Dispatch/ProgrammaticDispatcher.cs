namespace Annotated.WebSockets.Dispatch;

/// Adapts a programmatic <see cref="Endpoint"/> (server or client) to the dispatcher the session drives, so annotated
/// and programmatic endpoints share one session implementation. Its messages reach the handlers the endpoint
/// registers with <see cref="WebSocketSession.AddMessageHandler(MessageHandler)"/>; the definition declares no
/// text or binary delivery of its own, so a message with no handler closes the session with 1003.
/// The coders of the configuration (<see cref="EndpointConfig.Coders"/>) are this dispatcher's: one instance of each per
/// session, made from <see cref="Services"/>, used the way generated dispatchers use theirs (decoders tried in order with
/// WillDecode, a DecodeException for a message none takes, the first encoder of the value's type before the built-in forms).
internal sealed class ProgrammaticDispatcher(Endpoint endpoint) : EndpointDispatcher
{
    private EndpointCoders? _coders;
    private ICoder?[] _decoders = [];
    private ICoder?[] _encoders = [];

    public override object Endpoint => endpoint;

    // Endpoint.OnError always exists (its default does nothing), so errors are the endpoint's to handle.
    public override bool HasErrorHandler => true;

    /// The services the session's coders are made from: the connection's scope on the server, the container's on a client.
    internal IServiceProvider Services { get; set; } = EmptyServiceProvider.Instance;

    public override ValueTask OnOpenAsync(WebSocketSession session, EndpointConfig config) => new(endpoint.OnOpen(session, config));

    public override ValueTask OnCloseAsync(WebSocketSession session, CloseReason reason) => new(endpoint.OnClose(session, reason));

    public override ValueTask OnErrorAsync(WebSocketSession session, Exception error) => new(endpoint.OnError(session, error));

    /// The definition of a programmatic server endpoint deployed at <paramref name="path"/>.
    public static AnnotatedEndpointDefinition CreateDefinition(Type endpointType, string path, Func<IServiceProvider, Endpoint> factory) => new()
    {
        EndpointType = endpointType,
        Path = path,
        IsProgrammatic = true,
        Text = MessageDelivery.None,
        Binary = MessageDelivery.None,
        CreateEndpoint = factory,
        CreateDispatcher = static instance => new ProgrammaticDispatcher((Endpoint)instance),
    };

    /// The definition of one connection of a programmatic client endpoint, whose coders are made from <paramref name="services"/>.
    public static AnnotatedEndpointDefinition CreateClientDefinition(Endpoint endpoint, IServiceProvider services) => new()
    {
        EndpointType = endpoint.GetType(),
        IsClientEndpoint = true,
        IsProgrammatic = true,
        Text = MessageDelivery.None,
        Binary = MessageDelivery.None,
        CreateEndpoint = _ => endpoint,
        CreateDispatcher = instance => new ProgrammaticDispatcher((Endpoint)instance) { Services = services },
    };

    public override void InitializeCoders(EndpointConfig config)
    {
        if (config.Coders is not { IsEmpty: false } coders)
        {
            return;
        }

        _coders = coders;
        _decoders = new ICoder?[coders.DecoderRegistrations.Count];
        _encoders = new ICoder?[coders.EncoderRegistrations.Count];
        Create(coders.DecoderRegistrations, _decoders, config);
        Create(coders.EncoderRegistrations, _encoders, config);
    }

    public override void DestroyCoders()
    {
        List<Exception>? errors = null;
        foreach (var coder in _decoders.Concat(_encoders))
        {
            try
            {
                coder?.Destroy();
            }
            catch (Exception ex)
            {
                (errors ??= []).Add(ex);
            }
        }

        if (errors is not null)
        {
            throw errors.Count == 1 ? errors[0] : new AggregateException(errors);
        }
    }

    internal override MessageHandler? CreateDecodingHandler<T>(Func<T, ValueTask> handler)
    {
        if (_coders is null || !MessageHandler.MayDecode(typeof(T)))
        {
            return null;
        }

        var chain = new List<(DecoderRegistration, ICoder)>();
        var registrations = _coders.DecoderRegistrations;
        for (var i = 0; i < registrations.Count; i++)
        {
            if (typeof(T).IsAssignableFrom(registrations[i].ValueType))
            {
                var instance = _decoders[i] ?? throw new InvalidOperationException(
                    $"The decoder '{registrations[i].CoderType.FullName}' of this session could not be created (the error went to OnError), so no handler of {typeof(T).Name} can be added.");
                chain.Add((registrations[i], instance));
            }
        }

        return chain.Count == 0 ? null : new DecoderChain<T>(chain, handler).CreateHandler();
    }

    public override async ValueTask<bool> TrySendObjectAsync(IBasicRemoteEndpoint remote, object value, CancellationToken cancellationToken)
    {
        if (FindEncoder(value) is not var (encoder, instance))
        {
            return false;
        }

        switch (encoder.Form)
        {
            case CoderForm.Utf8Text:
                await remote.SendTextAsync(Encode(encoder, value, () => encoder.EncodeUtf8(instance, value)), cancellationToken).ConfigureAwait(false);
                break;
            case CoderForm.Text:
                await remote.SendTextAsync(Encode(encoder, value, () => encoder.EncodeText(instance, value)), cancellationToken).ConfigureAwait(false);
                break;
            case CoderForm.Binary:
                await remote.SendBinaryAsync(Encode(encoder, value, () => encoder.EncodeBinary(instance, value)), cancellationToken).ConfigureAwait(false);
                break;
            case CoderForm.TextStream:
                var writer = remote.GetSendWriter();
                await EncodeIntoAsync(writer, encoder, value, () => encoder.EncodeAsync(instance, value, writer)).ConfigureAwait(false);
                break;
            default:
                var stream = remote.GetSendStream();
                await EncodeIntoAsync(stream, encoder, value, () => encoder.EncodeAsync(instance, value, stream)).ConfigureAwait(false);
                break;
        }

        return true;
    }

    public override async ValueTask<PreparedMessage?> TryEncodeObjectAsync(object value)
    {
        if (FindEncoder(value) is not var (encoder, instance))
        {
            return null;
        }

        switch (encoder.Form)
        {
            case CoderForm.Utf8Text:
                return PreparedMessage.FromText(Encode(encoder, value, () => encoder.EncodeUtf8(instance, value)));
            case CoderForm.Text:
                return PreparedMessage.FromText(Encode(encoder, value, () => encoder.EncodeText(instance, value)));
            case CoderForm.Binary:
                return PreparedMessage.FromBinary(Encode(encoder, value, () => encoder.EncodeBinary(instance, value)));
            case CoderForm.TextStream:
                using (var writer = new StringWriter())
                {
                    await EncodeOrThrowAsync(encoder, value, () => encoder.EncodeAsync(instance, value, writer)).ConfigureAwait(false);
                    return PreparedMessage.FromText(writer.ToString());
                }

            default:
                using (var stream = new MemoryStream())
                {
                    await EncodeOrThrowAsync(encoder, value, () => encoder.EncodeAsync(instance, value, stream)).ConfigureAwait(false);
                    return PreparedMessage.FromBinary(new ReadOnlyMemory<byte>(stream.GetBuffer(), 0, (int)stream.Length));
                }
        }
    }

    // In registration order; a coder that fails leaves the ones after it unmade (and the failure goes to OnError).
    private void Create<TRegistration>(IReadOnlyList<TRegistration> registrations, ICoder?[] instances, EndpointConfig config)
        where TRegistration : CoderRegistration
    {
        for (var i = 0; i < registrations.Count; i++)
        {
            var coder = registrations[i].Create(Services);
            instances[i] = coder;
            coder.Init(config);
        }
    }

    // The first encoder, in registration order, whose type the value is.
    private (EncoderRegistration Encoder, ICoder Instance)? FindEncoder(object value)
    {
        if (_coders is null)
        {
            return null;
        }

        var registrations = _coders.EncoderRegistrations;
        for (var i = 0; i < registrations.Count; i++)
        {
            if (registrations[i].Accepts(value) && _encoders[i] is { } instance)
            {
                return (registrations[i], instance);
            }
        }

        return null;
    }

    private static TResult Encode<TResult>(EncoderRegistration encoder, object value, Func<TResult> encode)
    {
        try
        {
            return encode();
        }
        catch (Exception ex) when (ex is not EncodeException)
        {
            throw Failed(encoder, value, ex);
        }
    }

    private static async ValueTask EncodeOrThrowAsync(EncoderRegistration encoder, object value, Func<ValueTask> encode)
    {
        try
        {
            await encode().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not EncodeException)
        {
            throw Failed(encoder, value, ex);
        }
    }

    // A message written while it is encoded: given up (1011 when parts already went out) when the encoder fails.
    private static async ValueTask EncodeIntoAsync(IAsyncDisposable output, EncoderRegistration encoder, object value, Func<ValueTask> encode)
    {
        try
        {
            await encode().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await AbandonMessageAsync(output).ConfigureAwait(false);
            if (ex is EncodeException)
            {
                throw;
            }

            throw Failed(encoder, value, ex);
        }

        await output.DisposeAsync().ConfigureAwait(false);
    }

    private static EncodeException Failed(EncoderRegistration encoder, object value, Exception error) =>
        new(value, $"The encoder {encoder.CoderType.FullName} failed to encode a {encoder.ValueType.FullName}: {error.Message}", error);
}
