// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "bnlab",
    products: [
        .executable(name: "bnlab", targets: ["bnlab"]),
        .library(name: "BNLabCore", targets: ["BNLabCore"]),
        // The libFuzzer target; build it only with fuzz/run (README, "Fuzzing").
        .executable(name: "bnlab-fuzz", targets: ["bnlab-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // Tensors: shapes, strides, kernels, formatting, the memory budget. Depends on nothing above it.
        .target(name: "BNLabTensor", dependencies: ["CKernels"], exclude: ["README.md"]),
        // The matrix product's micro-kernels in C: AVX2 chosen at run time, a portable fallback.
        .target(name: "CKernels"),
        // The language, diagnostics, lessons and exercises: no terminal I/O.
        .target(
            name: "BNLabCore",
            dependencies: ["BNLabTensor"],
            exclude: ["README.md"]
        ),
        // GNU readline from the system; only the executable links it.
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .executableTarget(
            name: "bnlab",
            dependencies: [
                "BNLabCore",
                "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]
        ),
        // One file of declarations only: with `--sanitize=fuzzer` libFuzzer supplies main, and a plain
        // `swift build` still links it (as a script with an empty top level). See its header.
        .executableTarget(name: "bnlab-fuzz", dependencies: ["BNLabCore"], path: "fuzz/Sources"),
        // bench/run's Swift side, and the memory floor it measures bnlab against (C, bench only).
        .executableTarget(name: "bnlab-bench", dependencies: ["BNLabCore", "BNLabTensor", "CBenchFloor"], path: "bench/Sources"),
        .target(name: "CBenchFloor", path: "bench/CFloor"),
        .testTarget(name: "BNLabCoreTests", dependencies: ["BNLabCore", "BNLabTensor"]),
        .testTarget(name: "BNLabEndToEndTests", dependencies: ["bnlab", "BNLabCore"]),
    ],
    swiftLanguageModes: [.v6]
)
