namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>Where a handler parameter's argument comes from.</summary>
internal enum ParameterKind
{
    /// <summary>The <c>WebSocketSession</c>.</summary>
    Session,

    /// <summary>The <c>EndpointConfig</c> (or a type derived from it) of an <c>[OnOpen]</c> method.</summary>
    EndpointConfig,

    /// <summary>The <c>CloseReason</c> of an <c>[OnClose]</c> method.</summary>
    CloseReason,

    /// <summary>The <c>Exception</c> (or a type derived from it) of an <c>[OnError]</c> method.</summary>
    Error,

    /// <summary>A <c>[PathParam]</c> value.</summary>
    PathParameter,

    /// <summary>A text message as <c>string</c>, whole or one part.</summary>
    Text,

    /// <summary>A whole text message converted to a primitive (<c>int</c>, <c>bool</c>, <c>char</c>, … or their nullable forms).</summary>
    ParsedText,

    /// <summary>A whole text message as its UTF-8 bytes, a <c>Utf8Text</c> (never partial).</summary>
    Utf8Text,

    /// <summary>A text message as a <c>TextReader</c>.</summary>
    TextReader,

    /// <summary>A binary message copied into a <c>byte[]</c>, whole or one part.</summary>
    ByteArray,

    /// <summary>A binary message as <c>ReadOnlyMemory&lt;byte&gt;</c>, whole or one part.</summary>
    ReadOnlyMemory,

    /// <summary>A whole binary message as <c>ArraySegment&lt;byte&gt;</c>.</summary>
    ArraySegment,

    /// <summary>A binary message as a <c>Stream</c>.</summary>
    Stream,

    /// <summary>A <c>PongMessage</c>.</summary>
    Pong,

    /// <summary>A text message turned into the parameter's type by the endpoint's text decoders.</summary>
    DecodedText,

    /// <summary>A binary message turned into the parameter's type by the endpoint's binary decoders.</summary>
    DecodedBinary,

    /// <summary>The <c>bool last</c> flag of a partial message method.</summary>
    Last,
}
