using System.Text.Json.Serialization.Metadata;

namespace Annotated.WebSockets;

/// <summary>
/// A coder that writes or reads its messages as JSON by a System.Text.Json contract. The endpoint's AsyncAPI
/// description takes the message's schema from <see cref="JsonTypeInfo"/> (and the TypeScript client its type), so
/// the description says exactly what goes on the wire. <see cref="JsonTextCoder{T}"/> implements it; a hand-written
/// JSON coder can too. A text coder without it is described as text with an unspecified payload.
/// </summary>
public interface IJsonCoder
{
    /// <summary>The contract the coder serializes with, normally from a source-generated <c>JsonSerializerContext</c>.</summary>
    JsonTypeInfo JsonTypeInfo { get; }
}
