namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>What a handler method returns to wait on; decides at generation time whether the dispatcher awaits.</summary>
internal enum HandlerInvocation
{
    /// <summary>A synchronous method (<c>void</c> or a plain value).</summary>
    Synchronous,

    /// <summary>Returns <c>Task</c>.</summary>
    Task,

    /// <summary>Returns <c>ValueTask</c>.</summary>
    ValueTask,

    /// <summary>Returns <c>Task&lt;T&gt;</c>.</summary>
    TaskOfT,

    /// <summary>Returns <c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTaskOfT,
}
