import ArgumentParser
import EIXMCrypto
import EIXMExercise
import EIXMModel
import EIXMReport
import EIXMRules
import Foundation
import Logging

/// `eixm load`: load-test message volumes.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load-test the router: offer a message rate open-loop over mutual TLS and measure what it sustains.",
        discussion: """
            Every node of the exercise (default: the built-in one, 34 nodes) connects over mutual TLS; the senders \
            offer --rate messages per second together, on a fixed schedule drawn from their traffic mix (rule-breaking \
            messages included), whatever the router does. Latencies run from each message's intended send time (no \
            coordinated omission) to the router's ACK or NACK and to each delivery, recorded in HdrHistograms. By \
            default the router runs in this process on 127.0.0.1 and writes its audit log; with --router HOST:PORT \
            the load goes to a router already running (eixm router) that trusts --pki. Writes report.json and \
            series.csv (one line per second) into the run folder. Exits with code 1 when a threshold fails. \
            Several load processes can share the nodes and the rate against one router: run each with --shard K/M \
            (and the same --router, --pki, --config, --rate and --seed), then 'eixm load merge' their run folders.
            """,
        subcommands: [LoadMergeCommand.self]
    )

    @OptionGroup var exercise: ExerciseOptions

    @OptionGroup var run: RunOptions

    @OptionGroup var monitor: MonitorOptions

    @Option(name: .long, parsing: .unconditional, help: "Messages per second offered by all senders together.")
    var rate: Double = 1_000

    @Option(name: .long, help: "Length of the traffic, the warm-up included, e.g. 30s or 2m.")
    var duration = "10s"

    @Option(name: .long, help: "Start of the traffic left out of the figures (shorter than --duration).")
    var warmup = "2s"

    @Option(name: .long, help: "Longest wait after the traffic for answers and deliveries in flight.")
    var drain = "10s"

    @Option(name: .long, parsing: .unconditional, help: "Bytes of each message's body.")
    var body = 1_024

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How the nodes sign: per_message (one Ed25519 signature each) or batch (one per batch of what falls due at once).",
            valueName: "mode"
        )
    )
    var signatures: SignatureMode = .batch

    @Option(
        name: .long,
        parsing: .unconditional,
        help: "The largest batch a node signs and writes at once (batch mode)."
    )
    var batchMax = LoadConfiguration.defaultBatchMaximum

    @Option(
        name: .long,
        help: ArgumentHelp(
            "How long a node's receipt may wait for others to share its signature (batch mode), e.g. 20ms; 0s signs each at once.",
            valueName: "duration"
        )
    )
    var receiptDelay = "20ms"

    @Option(
        name: .long,
        parsing: .unconditional,
        help: "Designated authorities to add beyond the exercise's nodes, each its own certificate and connection."
    )
    var nodes = 0

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Run only shard K of M load processes sharing the nodes and the rate (with --router), e.g. 2/4.",
            valueName: "K/M"
        )
    )
    var shard: String?

    @Option(name: .long, help: "A router already running, as HOST:PORT (default: one started here on 127.0.0.1).")
    var router: HostPort?

    @Flag(name: .long, help: "Do not write the router's audit log (a router started here only).")
    var noAudit = false

    @Option(
        name: .long,
        parsing: .unconditional,
        help: "Fail when the answer latency's 99th percentile exceeds this many milliseconds."
    )
    var maxP99: Double?

    @Option(
        name: .long,
        parsing: .unconditional,
        help: "Fail when fewer answers per second than this share of the offered rate come back (e.g. 0.95)."
    )
    var minThroughput: Double?

    @Option(name: .long, parsing: .unconditional, help: "Fail when more accepted deliveries than this are lost.")
    var maxLost: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Write the measured answer latency's full distribution to this file: HdrHistogram's percentile text in milliseconds, as wrk2 --latency and .hgrm files have it.",
            valueName: "file"
        ),
        completion: .file()
    )
    var histogram: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A fault to play, as an item of an exercise file's faults: (repeatable); times are real, from the start of the traffic.",
            discussion:
                "e.g. --fault 'router_crash: {at: 5s, down_for: 2s}' --fault 'partition: {nodes: [SPOC-MT], at: 3s, for: 4s}' --fault 'node_crash: {node: SPOC-FR, at: 8s, down_for: 1s}' --fault 'slow_node: {node: SPOC-IT, at: 2s, for: 3s, read_delay: 50ms}'",
            valueName: "fault"
        )
    )
    var fault: [String] = []

    func validate() throws {
        for (name, text) in [
            ("--duration", duration), ("--warmup", warmup), ("--drain", drain), ("--receipt-delay", receiptDelay),
        ]
        where DurationText.milliseconds(text) == nil {
            throw ValidationError("\(name) '\(text)' is not a duration \(DurationText.examples).")
        }
        if let warm = DurationText.milliseconds(warmup), let length = DurationText.milliseconds(duration),
            warm >= length
        {
            throw ValidationError(
                "--warmup (\(warmup)) must be shorter than --duration (\(duration)): the warm-up is left out of the figures, so nothing would be measured."
            )
        }
        guard (DurationText.milliseconds(receiptDelay) ?? 0) <= 10_000 else {
            throw ValidationError(
                "--receipt-delay must be at most 10s (got \(receiptDelay)): a receipt held longer only keeps its delivery waiting at the router."
            )
        }
        // Numeric options take the next argument even when it starts with '-' (parsing: .unconditional), so that a
        // negative value is told its range instead of "Missing value".
        guard rate > 0, rate.isFinite else {
            throw ValidationError("--rate must be > 0 messages per second (got \(rate)).")
        }
        if let maxP99, !(maxP99 >= 0) || !maxP99.isFinite {
            throw ValidationError("--max-p99 must be ≥ 0 milliseconds (got \(maxP99)).")
        }
        if let maxLost, maxLost < 0 { throw ValidationError("--max-lost must be ≥ 0 (got \(maxLost)).") }
        guard (1...Int(BatchSignature.maximumBatchSize)).contains(batchMax) else {
            throw ValidationError(
                "--batch-max must be between 1 and \(BatchSignature.maximumBatchSize) messages (got \(batchMax))."
            )
        }
        guard body >= 0, body <= 1 << 20 else { throw ValidationError("--body must be between 0 and 1048576 bytes.") }
        if router != nil, run.pki == nil { throw ValidationError("--router needs --pki: the PKI the router trusts.") }
        guard (0...DesignatedAuthorities.maximum).contains(nodes) else {
            throw ValidationError("--nodes must be between 0 and \(DesignatedAuthorities.maximum) (got \(nodes)).")
        }
        if nodes > 0, router != nil {
            throw ValidationError(
                "--nodes adds authorities the router must know too: with --router, give both the same --config with nodes: [default, {designated_authorities: N}] (and eixm pki init --designated-authorities N)."
            )
        }
        if let shard {
            guard LoadShard(shard) != nil else {
                throw ValidationError("--shard '\(shard)' is not K/M with 1 ≤ K ≤ M ≤ 1000, e.g. 2/4.")
            }
            guard router != nil else {
                throw ValidationError("--shard needs --router: the load processes share one router already running.")
            }
        }
        if let minThroughput, !(0...1).contains(minThroughput) {
            throw ValidationError("--min-throughput is a share between 0 and 1.")
        }
    }

    func run() async throws {
        var exerciseConfiguration = try exercise.configuration()
        exerciseConfiguration.addDesignatedAuthorities(nodes)
        // Each node's connection is one file here, and one more at the router when it runs in this process.
        let shards = shard.flatMap(LoadShard.init).map(\.count) ?? 1
        let localNodes = (exerciseConfiguration.nodes.count + shards - 1) / shards
        try OpenFileLimit.require(
            localNodes * (router == nil ? 2 : 1),
            "eixm load",
            advice: ", or run the nodes in several processes (--shard K/M against an eixm router)"
        )
        let faults = try Fault.parse(
            options: fault,
            nodes: exerciseConfiguration.nodes,
            trafficMilliseconds: DurationText.milliseconds(duration) ?? 0
        )
        if router != nil, let crash = faults.first(where: { $0.kind == .routerCrash }) {
            throw ValidationError(
                "--fault '\(crash)' crashes the router started here; with --router the router is another process (crash it there, e.g. scripts/chaos.sh)."
            )
        }
        let (pki, folder) = try run.start(&exerciseConfiguration, name: "load")
        var configuration = LoadConfiguration(
            exercise: exerciseConfiguration,
            rate: rate,
            durationSeconds: Self.seconds(duration),
            warmupSeconds: Self.seconds(warmup),
            drainSeconds: Self.seconds(drain),
            bodyBytes: body,
            signatures: signatures,
            batchMaximum: batchMax,
            receiptDelay: .milliseconds(DurationText.milliseconds(receiptDelay) ?? 0),
            thresholds: .init(maxP99Milliseconds: maxP99, minThroughputShare: minThroughput, maxLost: maxLost),
            faults: faults,
            shard: shard.flatMap(LoadShard.init)
        )
        configuration.latencyDistributionFile = histogram.map { URL(fileURLWithPath: $0) }
        let target: LoadRunner.Target =
            if let router { .external(host: router.host, port: router.port) } else {
                .inProcess(folder: noAudit ? nil : folder)
            }
        let runner = LoadRunner(configuration: configuration, logger: Logger(label: "eixm.load"))
        let readiness = RunReadiness(waitingFor: ["every node connected"])
        let livePage = LivePage(run: "load")
        let live: (@Sendable (LoadReport) -> Void)? =
            monitor.http == nil
            ? nil
            : { @Sendable report in livePage.show(RunPage(load: report)) }
        let auditKept = router == nil && !noAudit
        try await CommandLifecycle.run(
            "eixm load",
            endpoint: monitor.endpoint("eixm load", readiness: readiness) {
                livePage.current
            }
        ) { stop in
            let report = try await runner.run(
                pki: pki,
                target: target,
                stop: stop,
                started: { readiness.done("every node connected") },
                live: live,
                progress: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
            )
            try Self.finish(report, in: folder, auditKept: auditKept)
        }
    }

    /// Writes the run's report (report.json, series.csv, report.html), prints it, and fails the command (exit status
    /// 1) when a threshold failed.
    private static func finish(_ finished: LoadReport, in folder: URL, auditKept: Bool) throws {
        var report = finished
        report.auditTreeHead = RunWitness.treeHead(in: folder)
        try report.json().write(to: folder.appendingPathComponent("report.json"))
        try Data(report.csv.utf8).write(to: folder.appendingPathComponent("series.csv"))
        try Data(RunPage(load: report).html.utf8).write(to: folder.appendingPathComponent("report.html"))
        print(report.text)
        print(
            "Wrote \(folder.appendingPathComponent("report.json").path), report.html and series.csv"
                + (auditKept
                    ? ", and the audit log audit/\(RunWitness.summary(report.auditTreeHead))" : "") + "."
        )
        if !report.passed { throw ExitCode(1) }
    }

    private static func seconds(_ text: String) -> Double { Double(DurationText.milliseconds(text) ?? 0) / 1000 }
}

extension SignatureMode: ExpressibleByArgument {}
