namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>Which coder interface a decoder or encoder use goes through.</summary>
internal enum CoderKind
{
    /// <summary><c>ITextDecoder&lt;T&gt;</c> or <c>ITextEncoder&lt;T&gt;</c>.</summary>
    Text,

    /// <summary>
    /// <c>IUtf8TextDecoder&lt;T&gt;</c> or <c>IUtf8TextEncoder&lt;T&gt;</c>: a text coder that reads or writes the
    /// message as <c>Utf8Text</c>. It stands for the <see cref="Text"/> interface of the same coder and <c>T</c>.
    /// </summary>
    Utf8Text,

    /// <summary><c>ITextStreamDecoder&lt;T&gt;</c> or <c>ITextStreamEncoder&lt;T&gt;</c>.</summary>
    TextStream,

    /// <summary><c>IBinaryDecoder&lt;T&gt;</c> or <c>IBinaryEncoder&lt;T&gt;</c>.</summary>
    Binary,

    /// <summary><c>IBinaryStreamDecoder&lt;T&gt;</c> or <c>IBinaryStreamEncoder&lt;T&gt;</c>.</summary>
    BinaryStream,
}
