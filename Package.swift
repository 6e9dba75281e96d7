// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "eixm",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "eixm", targets: ["eixm"]),
        .library(name: "EIXMModel", targets: ["EIXMModel"]),
        .library(name: "EIXMCrypto", targets: ["EIXMCrypto"]),
        .library(name: "EIXMRules", targets: ["EIXMRules"]),
        .library(name: "EIXMTestKit", targets: ["EIXMTestKit"]),
        .library(name: "EIXMFuzzTargets", targets: ["EIXMFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Layer 0: value types and the canonical encoding. No I/O, no NIO.
        .target(name: "EIXMModel"),
        // Layer 0: identities, signatures and the exercise PKI.
        .target(
            name: "EIXMCrypto",
            dependencies: [
                "EIXMModel",
                "EIXMMerkle",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        // Layer 0: RFC 9162 Merkle trees and proofs, shared by the audit log and batch-signed envelopes.
        .target(name: "EIXMMerkle", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Layer 1: the EIXM channel-rules engine, a pure function from (header, case context) to a decision.
        .target(
            name: "EIXMRules",
            dependencies: [
                "EIXMModel",
                .product(name: "Yams", package: "Yams"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // Layer 1: the audit log: events, the hash-chained file log with signed checkpoints, verification, queries.
        .target(
            name: "EIXMAudit",
            dependencies: [
                "EIXMModel",
                "EIXMMerkle",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Layer 2: the audit log's SQLite index and export (GRDB only here).
        .target(
            name: "EIXMAuditIndex",
            dependencies: [
                "EIXMModel", "EIXMAudit", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Layer 1: the router's write-ahead spool: segments of checksummed records, group commit, recovery.
        .target(
            name: "EIXMSpool",
            dependencies: [
                "EIXMModel",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Layer 1: frames and the transport protocol, with an in-process transport for fast tests. No NIO.
        .target(
            name: "EIXMTransport",
            dependencies: ["EIXMModel", .product(name: "DequeModule", package: "swift-collections")]
        ),
        // Layer 2: TCP + TLS 1.3 with SwiftNIO and NIOSSL. The only module that imports NIO.
        .target(
            name: "EIXMTransportNIO",
            dependencies: [
                "EIXMModel",
                "EIXMCrypto",
                "EIXMTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Layer 0: SVG charts for the after-action report (no Swift charting library exists on Linux).
        .target(name: "EIXMCharts"),
        // Layer 2: the HTTP endpoint (/metrics, /healthz, /readyz, the live view). The only module that imports
        // Hummingbird.
        .target(
            name: "EIXMHTTP",
            dependencies: [
                "EIXMModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Layer 2: the router actor: authenticate, verify, deduplicate, judge, audit, forward.
        .target(
            name: "EIXMRouter",
            dependencies: [
                "EIXMModel",
                "EIXMAudit",
                "EIXMSpool",
                "EIXMCrypto",
                "EIXMRules",
                "EIXMTransport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Layer 2: the node actors and their behaviours.
        .target(
            name: "EIXMNodes",
            dependencies: [
                "EIXMModel",
                "EIXMSpool",
                "EIXMCrypto",
                "EIXMRules",
                "EIXMTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Layer 3: configuration -> running router and nodes, the simulated clock, the report.
        // Layer 3: scripted exercises: injects, expected actions, their scoring from an audit log, the dry-run check.
        .target(
            name: "EIXMScenario",
            dependencies: ["EIXMModel", "EIXMRules", "EIXMAudit", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "EIXMExercise",
            dependencies: [
                "EIXMModel",
                "EIXMScenario",
                "EIXMAudit",
                "EIXMSpool",
                "EIXMCrypto",
                "EIXMRules",
                "EIXMTransport",
                "EIXMTransportNIO",
                "EIXMRouter",
                "EIXMNodes",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Layer 4: the after-action report page (report.html) from a run's report, with Mustache and EIXMCharts.
        .target(
            name: "EIXMReport",
            dependencies: [
                "EIXMAudit",
                "EIXMScenario",
                "EIXMCharts",
                "EIXMExercise",
                "EIXMRules",
                "EIXMTransport",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // Layer 4: argument parsing only; options -> configuration -> library call.
        .target(
            name: "EIXMCLI",
            dependencies: [
                "EIXMModel",
                "EIXMScenario",
                "EIXMAudit",
                "EIXMAuditIndex",
                "EIXMCrypto",
                "EIXMRules",
                "EIXMSpool",
                "EIXMNodes",
                "EIXMExercise",
                "EIXMHTTP",
                "EIXMReport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .executableTarget(
            name: "eixm",
            dependencies: [
                "EIXMCLI", "EIXMTransportNIO", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "eixm-bench",
            dependencies: [
                "EIXMModel",
                "EIXMAudit",
                "EIXMMerkle",
                "EIXMSpool",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                "EIXMCrypto",
                "EIXMRules",
                "EIXMTransport",
                "EIXMTransportNIO",
                "EIXMRouter",
                "EIXMExercise",
                "EIXMNodes",
                .product(name: "Logging", package: "swift-log"),
                "EIXMTestKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The decoders under coverage-guided fuzzing (run by the package in Fuzz/, replayed by the tests).
        .target(
            name: "EIXMFuzzTargets",
            dependencies: ["EIXMModel", "EIXMAudit", "EIXMRules", "EIXMTransport", "EIXMExercise"]
        ),
        // Test kit: sample messages, seeded randomness, temporary folders, a PKI minted at test time.
        .target(
            name: "EIXMTestKit",
            dependencies: [
                "EIXMModel",
                "EIXMCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "EIXMModelTests",
            dependencies: ["EIXMModel", "EIXMTestKit"],
            resources: [.copy("GoldenVectors")]
        ),
        .testTarget(
            name: "EIXMCryptoTests",
            dependencies: [
                "EIXMModel",
                "EIXMCrypto",
                "EIXMTestKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(
            name: "EIXMScenarioTests",
            dependencies: [
                "EIXMModel", "EIXMRules", "EIXMAudit", "EIXMScenario", .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "EIXMRulesTests",
            dependencies: ["EIXMModel", "EIXMRules", "EIXMTestKit"]
        ),
        .testTarget(
            name: "EIXMAuditTests",
            dependencies: [
                "EIXMModel",
                "EIXMAudit",
                "EIXMAuditIndex",
                "EIXMTestKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "EIXMMerkleTests",
            dependencies: ["EIXMMerkle", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("MerkleVectors")]
        ),
        .testTarget(
            name: "EIXMSpoolTests",
            dependencies: ["EIXMModel", "EIXMSpool", "EIXMTestKit"]
        ),
        .testTarget(
            name: "EIXMTransportTests",
            dependencies: [
                "EIXMModel",
                "EIXMTransport",
                "EIXMTestKit",
            ]
        ),
        .testTarget(
            name: "EIXMTransportNIOTests",
            dependencies: [
                "EIXMModel",
                "EIXMTransport",
                "EIXMTransportNIO",
                "EIXMTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EIXMRouterTests",
            dependencies: [
                "EIXMModel",
                "EIXMAudit",
                "EIXMSpool",
                "EIXMCrypto",
                "EIXMRules",
                "EIXMTransport",
                "EIXMRouter",
                "EIXMTestKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EIXMNodesTests",
            dependencies: [
                "EIXMModel",
                "EIXMAudit",
                "EIXMCrypto",
                "EIXMRules",
                "EIXMTransport",
                "EIXMRouter",
                "EIXMNodes",
                "EIXMTestKit",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EIXMExerciseTests",
            dependencies: [
                "EIXMModel",
                "EIXMAudit",
                "EIXMCrypto",
                "EIXMRules",
                "EIXMTransport",
                "EIXMTransportNIO",
                "EIXMRouter",
                "EIXMNodes",
                "EIXMExercise",
                "EIXMScenario",
                "EIXMTestKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "EIXMChartsTests", dependencies: ["EIXMCharts"]),
        .testTarget(
            name: "EIXMHTTPTests",
            dependencies: [
                "EIXMHTTP",
                "EIXMModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "EIXMFuzzTargetsTests",
            dependencies: ["EIXMFuzzTargets"]
        ),
        .testTarget(
            name: "EIXMCLITests",
            dependencies: [
                "EIXMModel",
                "EIXMTransport",
                "EIXMTransportNIO",
                "EIXMAudit",
                "EIXMCrypto",
                "EIXMRules",
                "EIXMCLI",
                "EIXMExercise",
                "EIXMTestKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    target.swiftSettings = settings
}
