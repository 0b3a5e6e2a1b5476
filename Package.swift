// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "bnlab",
    products: [
        .executable(name: "bnlab", targets: ["bnlab"]),
        .library(name: "BNLabCore", targets: ["BNLabCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // The language, tensors, diagnostics and notebooks: no terminal I/O.
        .target(
            name: "BNLabCore"
        ),
        // GNU readline from the system; only the executable links it.
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .executableTarget(
            name: "bnlab",
            dependencies: [
                "BNLabCore",
                "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "bnlab-bench", dependencies: ["BNLabCore"], path: "bench/Sources"),
        .testTarget(name: "BNLabCoreTests", dependencies: ["BNLabCore"]),
        .testTarget(name: "BNLabEndToEndTests", dependencies: ["bnlab", "BNLabCore"]),
    ],
    swiftLanguageModes: [.v6]
)
