namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>How a message method's (awaited) result is sent back to the peer.</summary>
internal enum ResultKind
{
    /// <summary>Nothing is sent: the method returns nothing, or is a lifecycle method whose result is ignored.</summary>
    None,

    /// <summary>A <c>string</c>, sent as text unless null.</summary>
    Text,

    /// <summary>A <c>Utf8Text</c>, sent as text (a struct: there is no null to skip).</summary>
    Utf8Text,

    /// <summary>A <c>byte[]</c>, sent as binary unless null.</summary>
    ByteArray,

    /// <summary>A <c>ReadOnlyMemory&lt;byte&gt;</c>, sent as binary.</summary>
    ReadOnlyMemory,

    /// <summary>An <c>ArraySegment&lt;byte&gt;</c>, sent as binary.</summary>
    ArraySegment,

    /// <summary>A <c>bool</c>, sent as the text <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A <c>char</c>, sent as a one-character text.</summary>
    Char,

    /// <summary>A number, sent as text formatted with the invariant culture.</summary>
    Number,

    /// <summary>A value of another type, sent through the endpoint's encoders (<c>TrySendObjectAsync</c>) unless null.</summary>
    Encoded,
}
