namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>One annotated handler method: how to call it and what to do with what it returns.</summary>
/// <param name="MethodName">The method's name, called on the endpoint instance.</param>
/// <param name="Invocation">What the call returns to wait on.</param>
/// <param name="Result">How a result is sent back to the peer; <see cref="ResultKind.None"/> when there is none to send.</param>
/// <param name="ResultIsNullableValue">Whether the result is a <see cref="System.Nullable{T}"/> of a primitive (sent only when it has a value).</param>
/// <param name="Delivery">For a message method, how the message is taken; otherwise <see cref="HandlerDelivery.None"/>.</param>
/// <param name="MaxMessageSize">The <c>[OnMessage(MaxMessageSize = …)]</c> value, or -1.</param>
/// <param name="Parameters">The method's parameters in declaration order.</param>
/// <param name="DeclaringTypeName">
/// For a method inherited from a base class, that class as a <c>global::</c>-qualified name: the call goes
/// through it so that a member the endpoint declares with the same name cannot capture the call. Null
/// for the endpoint's own methods.
/// </param>
/// <param name="RateLimitPolicy">The <c>[OnMessage(RateLimitPolicy = …)]</c> name, or null.</param>
/// <param name="ResultMayBeNull">For an <see cref="ResultKind.Encoded"/> result, whether its type admits null (then null is not sent).</param>
internal sealed record HandlerModel(
    string MethodName,
    HandlerInvocation Invocation,
    ResultKind Result,
    bool ResultIsNullableValue,
    HandlerDelivery Delivery,
    long MaxMessageSize,
    EquatableArray<ParameterModel> Parameters,
    string? DeclaringTypeName = null,
    bool ResultMayBeNull = false,
    string? RateLimitPolicy = null)
{
    /// <summary>
    /// Whether the message parameter is a <c>Utf8Text</c>, or a type decoded from whole text messages by a chain with a
    /// UTF-8 decoder: the runtime then hands whole text messages over as their UTF-8 bytes (<c>OnUtf8TextAsync</c>)
    /// instead of as a string.
    /// </summary>
    public bool TakesUtf8Text
    {
        get
        {
            foreach (var parameter in Parameters)
            {
                if (parameter.Kind == ParameterKind.Utf8Text || (parameter.Kind == ParameterKind.DecodedText && parameter.DecodesUtf8))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
