using System.Globalization;

namespace Eeg.Tests.Gateway.Node.Console;

/// <summary>
/// Snapshots in the shape of docs/api.md's GET /api/cluster: a three-node lab (acquisition,
/// processing, gateway) whose counters a test sets.
/// </summary>
internal static class ContractSamples
{
    public const string Acquisition = "akka.tcp://eeg@127.0.0.1:4053";
    public const string Processing = "akka.tcp://eeg@127.0.0.1:4054";
    public const string Gateway = "akka.tcp://eeg@127.0.0.1:4055";

    public static string Cluster(
        DateTime time,
        long samples = 400_000,
        long overruns = 0,
        long recorderDropped = 0,
        long alphaDropped = 0,
        bool alphaFailed = false,
        bool processingReachable = true,
        bool gatewayAnswered = true,
        string recordingState = "recording")
    {
        string t = time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        string gateway = gatewayAnswered
            ? $$"""
              { "address": "{{Gateway}}", "roles": ["gateway"], "state": "Up", "reachable": true, "answered": true, "error": null,
                "uptimeSeconds": 95.0, "clockOffsetMicros": -40.0, "clockRoundTripMicros": 290.0, "memoryBytes": 90000000, "gcHeapBytes": 8000000,
                "gc": { "gen0": 7, "gen1": 2, "gen2": 0 }, "pipeline": null,
                "sinks": [ { "name": "scope", "kind": "remote-consumer", "policy": "drop-oldest", "capacity": 4, "depth": 0, "enqueued": 2000, "delivered": 2000, "dropped": 0,
                  "blockedSeconds": 0, "restarts": 0, "failed": false, "failureReason": null, "running": true, "latencyMicros": null } ],
                "remoteSinks": [], "recordings": [] }
              """
            : $$"""
              { "address": "{{Gateway}}", "roles": ["gateway"], "state": "Up", "reachable": true, "answered": false, "error": "no answer within 2 s" }
              """;
        return $$"""
        {
          "time": "{{t}}",
          "nodes": [
            { "address": "{{Acquisition}}", "roles": ["acquisition"], "state": "Up", "reachable": true, "answered": true, "error": null,
              "uptimeSeconds": 100.5, "clockOffsetMicros": 0, "clockRoundTripMicros": 0, "memoryBytes": 123456789, "gcHeapBytes": 2345678,
              "gc": { "gen0": 3, "gen1": 1, "gen2": 0 },
              "pipeline": { "source": "simulated eeg", "channels": 8, "sampleRate": 4000, "samples": {{samples}}, "frames": {{samples / 40}},
                "overruns": {{overruns}}, "corruptFrames": 0,
                "latencyMicros": { "p50": 180, "p99": 950, "p999": 1400, "max": 2100, "count": 10000 },
                "impedanceCheck": false, "filters": { "highpassHz": 0.5, "lowpassHz": 100, "notchHz": 50 } },
              "sinks": [
                { "name": "remote-recorder", "kind": "sink", "policy": "lossless", "capacity": 64, "depth": 1, "enqueued": 10000, "delivered": 9999, "dropped": 0,
                  "blockedSeconds": 0, "restarts": 0, "failed": false, "failureReason": null, "running": true, "latencyMicros": null }
              ],
              "remoteSinks": [
                { "name": "remote-recorder", "lossless": true, "consumer": "akka.tcp://eeg@127.0.0.1:4054/user/recorder-consumer", "credit": 8, "inFlight": 1, "inMemory": 1,
                  "spooledBatches": 0, "spooledFrames": 0, "spoolBytes": 0, "framesSent": 10000, "droppedFrames": 0, "lostSamples": 0 }
              ],
              "recordings": [] },
            { "address": "{{Processing}}", "roles": ["processing"], "state": "Up", "reachable": {{(processingReachable ? "true" : "false")}}, "answered": true, "error": null,
              "uptimeSeconds": 98.25, "clockOffsetMicros": 12.5, "clockRoundTripMicros": 310.0, "memoryBytes": 150000000, "gcHeapBytes": 12000000,
              "gc": { "gen0": 11, "gen1": 4, "gen2": 1 }, "pipeline": null,
              "sinks": [
                { "name": "recorder", "kind": "recorder", "policy": "lossless", "capacity": 64, "depth": 0, "enqueued": 10000, "delivered": 10000, "dropped": {{recorderDropped}},
                  "blockedSeconds": 0.25, "restarts": 0, "failed": false, "failureReason": null, "running": true,
                  "latencyMicros": { "p50": 40, "p99": 300, "p999": 500, "max": 900, "count": 10000 } },
                { "name": "alpha", "kind": "stage", "policy": "drop-oldest", "capacity": 4, "depth": 2, "enqueued": 10000, "delivered": 9000, "dropped": {{alphaDropped}},
                  "blockedSeconds": 0, "restarts": 1, "failed": {{(alphaFailed ? "true" : "false")}}, "failureReason": {{(alphaFailed ? "\"NaN in the band power\"" : "null")}},
                  "running": {{(alphaFailed ? "false" : "true")}}, "latencyMicros": null }
              ],
              "remoteSinks": [],
              "recordings": [
                { "name": "S01_1_20261127T120000Z", "files": ["/data/recordings/S01_1_20261127T120000Z.bdf"], "formats": ["bdf"], "startUtc": "2026-11-27T12:00:00Z",
                  "durationSeconds": 62.0, "sizeBytes": 5963776, "state": "{{recordingState}}", "failureReason": {{(recordingState == "failed" ? "\"disk full\"" : "null")}},
                  "firstSampleIndex": 4000, "samples": 248000, "gapSamples": 0, "blockedSeconds": 0 }
              ] },
            {{gateway}}
          ]
        }
        """;
    }
}
