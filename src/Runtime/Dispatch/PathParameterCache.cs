using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Annotated.WebSockets.Dispatch;

/// <summary>
/// One <see cref="PathParamAttribute"/> value of one session, converted once. A generated dispatcher keeps a field
/// of this type per template variable and converted type, and passes it by reference to the
/// <see cref="PathParameterConverter"/> overloads that take one: the first call for a session converts and stores
/// the value (or the failure), later calls for the same session return the value without a lookup or a parse,
/// or throw a new <see cref="DecodeException"/> like the first one, since path parameters cannot change during a
/// connection.
/// </summary>
/// <typeparam name="T">The converted type, as the handler's parameter declares it.</typeparam>
/// <remarks>
/// Infrastructure for generated code; not meant to be used directly. The slot belongs to the first session that
/// fills it; a dispatcher called with another session (the runtime makes one dispatcher per session) converts for
/// that session on every call, as before. Filling claims the slot, writes the value and then publishes the session,
/// so a caller on another thread (an <see cref="OnCloseAttribute"/> racing a message) either sees the whole value or
/// converts again itself; it never reads a half-written one.
/// </remarks>
[SuppressMessage("Performance", "CA1815:Override equals and operator equals on value types", Justification = "A mutable slot inside a dispatcher; never compared.")]
public struct PathParameterCache<T>
{
    // Marks a slot being filled, so exactly one caller writes the value and no reader can see it half-written.
    private static readonly object s_filling = new();

    // Null: empty. s_filling: being filled. Otherwise the session whose value (or failure) the slot holds.
    private object? _owner;
    private T _value;
    private DecodeException? _failure;

    /// <summary>The value stored for <paramref name="session"/>, if the slot holds one for it.</summary>
    /// <exception cref="DecodeException">The value did not convert for this session: a new exception each call.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryGet(WebSocketSession session, [MaybeNullWhen(false)] out T value)
    {
        // The acquire read pairs with the release write in Store: a published owner means the value is complete.
        if (ReferenceEquals(Volatile.Read(ref _owner), session))
        {
            if (_failure is not null)
            {
                ThrowFailure(_failure);
            }

            value = _value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Converts with <paramref name="convert"/> and stores the result (or its <see cref="DecodeException"/>) for
    /// <paramref name="session"/> when the slot is still empty. The first failure is rethrown as it was raised.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal T Fill(WebSocketSession session, string name, Func<WebSocketSession, string, T> convert)
    {
        T value;
        try
        {
            value = convert(session, name);
        }
        catch (DecodeException failure)
        {
            Store(session, default!, failure);
            throw;
        }

        Store(session, value, null);
        return value;
    }

    private void Store(WebSocketSession session, T value, DecodeException? failure)
    {
        // Only the caller that claims an empty slot writes it; anyone else keeps the value it converted itself.
        if (Interlocked.CompareExchange(ref _owner, s_filling, null) is null)
        {
            _value = value;
            _failure = failure;
            Volatile.Write(ref _owner, session);
        }
    }

    // A new exception per call, so every message that needs the value gets its own stack trace.
    [DoesNotReturn]
    private static void ThrowFailure(DecodeException failure) =>
        throw new DecodeException(failure.Text ?? string.Empty, failure.Message, failure.InnerException);
}
