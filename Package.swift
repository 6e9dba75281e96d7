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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Layer 0: value types and the canonical encoding. No I/O, no NIO.
        .target(name: "EIXMModel"),
        // Layer 0: identities, signatures and the exercise PKI.
        .target(
            name: "EIXMCrypto",
            dependencies: [
                "EIXMModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        // Layer 1: the EIXM channel-rules engine, a pure function from (header, case context) to a decision.
        .target(
            name: "EIXMRules",
            dependencies: ["EIXMModel", .product(name: "Yams", package: "Yams")]
        ),
        // Layer 4: argument parsing only; options -> configuration -> library call.
        .target(
            name: "EIXMCLI",
            dependencies: [
                "EIXMModel",
                "EIXMCrypto",
                "EIXMRules",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .executableTarget(
            name: "eixm",
            dependencies: ["EIXMCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "eixm-bench",
            dependencies: [
                "EIXMModel",
                "EIXMCrypto",
                "EIXMRules",
                "EIXMTestKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Test kit: sample messages, seeded randomness, temporary folders, a PKI minted at test time.
        .target(
            name: "EIXMTestKit",
            dependencies: [
                "EIXMModel",
                "EIXMCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
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
            ]
        ),
        .testTarget(
            name: "EIXMRulesTests",
            dependencies: ["EIXMModel", "EIXMRules", "EIXMTestKit"]
        ),
        .testTarget(
            name: "EIXMCLITests",
            dependencies: [
                "EIXMModel",
                "EIXMCrypto",
                "EIXMRules",
                "EIXMCLI",
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
