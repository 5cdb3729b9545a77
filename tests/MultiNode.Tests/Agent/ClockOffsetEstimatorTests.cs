using Eeg.Pipeline.Control;

namespace Eeg.Tests.MultiNode.Agent;

/// <summary>The NTP-style arithmetic of the clock offset, with clocks and delays chosen by the test.</summary>
public sealed class ClockOffsetEstimatorTests
{
    private const long Microsecond = 10; // DateTime ticks

    /// <summary>One probe between a local clock <paramref name="skewMicros"/> ahead of the reference, with these one-way delays.</summary>
    private static (long T0, long T1, long T2, long T3) Probe(long trueTicks, double skewMicros, double outMicros, double serviceMicros, double backMicros)
    {
        long skew = (long)(skewMicros * Microsecond);
        long t0 = trueTicks + skew;
        long t1 = trueTicks + (long)(outMicros * Microsecond);
        long t2 = t1 + (long)(serviceMicros * Microsecond);
        long t3 = t2 + (long)(backMicros * Microsecond) + skew;
        return (t0, t1, t2, t3);
    }

    [Fact]
    public void A_symmetric_path_gives_the_skew_exactly_and_the_round_trip_without_the_service_time()
    {
        var (t0, t1, t2, t3) = Probe(DateTime.UtcNow.Ticks, skewMicros: 5000, outMicros: 150, serviceMicros: 40, backMicros: 150);

        ClockSample sample = ClockOffsetEstimator.Measure(t0, t1, t2, t3);

        Assert.Equal(5000, sample.OffsetMicros, 3);
        Assert.Equal(300, sample.RoundTripMicros, 3);
    }

    [Theory]
    [InlineData(5000)]
    [InlineData(-12345)]
    [InlineData(0)]
    public void With_asymmetric_random_delays_the_kept_offset_is_within_half_its_round_trip_of_the_true_skew(double skewMicros)
    {
        var random = new Random(42);
        var estimator = new ClockOffsetEstimator();
        long now = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc).Ticks;
        for (int i = 0; i < 40; i++)
        {
            var (t0, t1, t2, t3) = Probe(now, skewMicros, outMicros: 50 + random.Next(5000), serviceMicros: random.Next(200), backMicros: 50 + random.Next(5000));
            estimator.Add(t0, t1, t2, t3);
            now += TimeSpan.FromSeconds(1).Ticks;
        }

        ClockSample best = estimator.Best!.Value;
        Assert.True(Math.Abs(best.OffsetMicros - skewMicros) <= best.RoundTripMicros / 2,
            $"offset {best.OffsetMicros} us with round trip {best.RoundTripMicros} us; true skew {skewMicros} us");
        Assert.True(best.RoundTripMicros < 5000, $"the lowest round trip of the window was not kept: {best.RoundTripMicros} us");
    }

    [Fact]
    public void The_sample_with_the_lowest_round_trip_wins_until_it_leaves_the_window()
    {
        var estimator = new ClockOffsetEstimator(maxSamples: 3, maxAge: TimeSpan.FromHours(1));
        long now = DateTime.UtcNow.Ticks;
        void Add(double outMicros, double backMicros)
        {
            var (t0, t1, t2, t3) = Probe(now, 1000, outMicros, 0, backMicros);
            estimator.Add(t0, t1, t2, t3);
            now += TimeSpan.FromSeconds(1).Ticks;
        }

        Add(100, 100);   // quick: round trip 200
        Add(2000, 500);  // slow and asymmetric
        Add(900, 900);
        Assert.Equal(200, estimator.Best!.Value.RoundTripMicros, 3);
        Assert.Equal(1000, estimator.Best!.Value.OffsetMicros, 3);

        Add(700, 700);   // the quick one is pushed out of the 3-probe window
        Assert.Equal(1400, estimator.Best!.Value.RoundTripMicros, 3);
    }

    [Fact]
    public void Probes_older_than_the_window_age_are_forgotten()
    {
        var estimator = new ClockOffsetEstimator(maxSamples: 32, maxAge: TimeSpan.FromSeconds(60));
        long now = DateTime.UtcNow.Ticks;
        var quick = Probe(now, 0, 10, 0, 10);
        estimator.Add(quick.T0, quick.T1, quick.T2, quick.T3);
        now += TimeSpan.FromSeconds(61).Ticks;
        var slow = Probe(now, 0, 400, 0, 400);
        estimator.Add(slow.T0, slow.T1, slow.T2, slow.T3);

        Assert.Equal(800, estimator.Best!.Value.RoundTripMicros, 3);
    }

    [Fact]
    public void A_probe_with_a_negative_round_trip_is_ignored_and_reset_forgets_everything()
    {
        var estimator = new ClockOffsetEstimator();
        long now = DateTime.UtcNow.Ticks;
        // The local clock stepped back by 1 s during the probe: t3 before t0.
        estimator.Add(now, now + 100, now + 200, now - TimeSpan.FromSeconds(1).Ticks);
        Assert.Null(estimator.Best);
        Assert.Equal(0, estimator.Probes);

        var p = Probe(now, 0, 10, 0, 10);
        estimator.Add(p.T0, p.T1, p.T2, p.T3);
        Assert.NotNull(estimator.Best);
        estimator.Reset();
        Assert.Null(estimator.Best);
    }
}
