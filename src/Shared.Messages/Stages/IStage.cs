using Eeg.Shared.Frames;

namespace Eeg.Shared.Stages;

/// <summary>
/// A research stage (plug-in): one class with one required method. The pipeline hands it every frame
/// its loss policy lets through, on one thread at a time; it never sees buffers, queues or actors.
/// </summary>
/// <remarks>
/// <para>Shaped like Disruptor-net's event handler: one required method, and lifecycle hooks as
/// default interface methods, so the smallest stage is a class with <see cref="Process"/> and nothing
/// else. The host, not the author, does the fast wrapping: pooling, queueing, loss policy,
/// supervision and restarts.</para>
/// <para><b>Settings.</b> A stage may take a settings object in its public constructor,
/// <c>public MyStage(MySettings settings)</c>, where <c>MySettings</c> is a plain class with settable
/// properties and defaults in their initializers. The host fills it from the stage's HOCON
/// <c>settings { window-seconds = 2 }</c> block by name (<c>window-seconds</c> becomes
/// <c>WindowSeconds</c>); an unknown key or a wrong type stops start-up with one line naming the stage
/// and the key.</para>
/// <para><b>Constructor.</b> At start-up the host builds one instance just to let the constructor check
/// its settings, and discards it; keep constructors free of side effects. Open files or devices in
/// <see cref="OnStart"/> and close them in <see cref="OnStop"/>.</para>
/// <para><b>Threading.</b> Calls to one stage instance never overlap; no locking is needed.</para>
/// <para><b>Allocation.</b> <see cref="Process"/> runs up to thousands of times per second: allocate
/// your buffers in the constructor or <see cref="OnStart"/> and reuse them. The conformance kit
/// (Eeg.Stage.TestKit's <c>StageSpec</c>) measures this exactly.</para>
/// <para><b>Failure.</b> If a call throws, the host logs the exception, throws this instance away and
/// starts a new one (after a short back-off); after too many failures in a window the stage is
/// stopped and shown as failed. The rest of the pipeline does not notice.</para>
/// </remarks>
public interface IStage
{
    /// <summary>
    /// One frame. <paramref name="frame"/> is valid only until this method returns: copy what you
    /// need to keep into your own arrays (see <see cref="FrameView"/>).
    /// </summary>
    /// <param name="frame">The frame, passed by reference (no copy of the view either).</param>
    /// <param name="context">Where to publish outputs and events, and log.</param>
    void Process(in FrameView frame, IStageContext context);

    /// <summary>
    /// The stream started (or its description changed, e.g. new filters): channel names, sample rate,
    /// units. Called before the first <see cref="Process"/>. Allocate per-channel buffers and look up
    /// channels by name here. Called again after <see cref="OnStop"/> if the description changes.
    /// </summary>
    void OnStart(StreamDescription stream, IStageContext context) { }

    /// <summary>The stage is being stopped (shutdown, a stream change or a restart after a failure).</summary>
    void OnStop() { }
}
