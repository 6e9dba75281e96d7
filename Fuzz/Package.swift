// swift-tools-version:6.1
// Coverage-guided fuzzing of eixm's decoders with libFuzzer. Built by scripts/fuzz.sh with
// `-sanitize=fuzzer,address` (libFuzzer brings its own main, hence `-parse-as-library`); kept out of the main
// package so that its ordinary builds never see the sanitizer flags.
import PackageDescription

let package = Package(
    name: "eixm-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "eixm", path: "..")],
    targets: [
        .executableTarget(
            name: "eixm-fuzz",
            dependencies: [.product(name: "EIXMFuzzTargets", package: "eixm")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
