// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "chanjiao",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "chanjiao", targets: ["chanjiao"]),
        .executable(name: "chanjiao-service", targets: ["chanjiao-service"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Pure Swift, no I/O: codes, money, workflow rules.
        .target(name: "ChanjiaoDomain", swiftSettings: strict),
        // Pure Swift, no I/O: scores, recommendations, gap analysis.
        .target(name: "ChanjiaoMatching", dependencies: ["ChanjiaoDomain"], swiftSettings: strict),
        // Pure Swift, no I/O, not even Foundation: the exact allocation solver and its file format.
        .target(name: "ChanjiaoAllocation", swiftSettings: strict),
        // PostgreSQL: migrations, repositories.
        .target(
            name: "ChanjiaoStore",
            dependencies: [
                "ChanjiaoDomain", "ChanjiaoMatching", "ChanjiaoAllocation",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Only for the pool's circuit-breaker error, which PostgresClient passes through.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strict
        ),
        // The console's pages: templates, the stylesheet, SVG charts, and what a page shows of
        // the API's documents. No I/O: the routes in ChanjiaoAPI read the store and render here.
        .target(
            name: "ChanjiaoConsole",
            dependencies: ["ChanjiaoDomain", .product(name: "Mustache", package: "swift-mustache")],
            resources: [.copy("Templates"), .copy("Static")],
            swiftSettings: strict
        ),
        // HTTP: routes, auth, problem documents, OpenAPI.
        .target(
            name: "ChanjiaoAPI",
            dependencies: [
                "ChanjiaoStore", "ChanjiaoConsole",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Webhook deliveries.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // Exports: a bounded channel between the database cursor and the response.
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ],
            resources: [.copy("openapi.json")],
            swiftSettings: strict
        ),
        // The service commands' names and help, shared by both executables.
        .target(name: "ChanjiaoServiceCommands", swiftSettings: strict),
        // The command: lean on purpose (see Sources/chanjiao/Chanjiao.swift).
        .executableTarget(
            name: "chanjiao",
            dependencies: [
                "ChanjiaoAllocation", "ChanjiaoServiceCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The service commands, which `chanjiao` runs.
        .executableTarget(
            name: "chanjiao-service",
            dependencies: [
                "ChanjiaoAPI", "ChanjiaoServiceCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "ChanjiaoDomainTests", dependencies: ["ChanjiaoDomain"], swiftSettings: strict),
        .testTarget(name: "ChanjiaoMatchingTests", dependencies: ["ChanjiaoMatching"], swiftSettings: strict),
        .testTarget(name: "ChanjiaoAllocationTests", dependencies: ["ChanjiaoAllocation"], swiftSettings: strict),
        .testTarget(name: "ChanjiaoConsoleTests", dependencies: ["ChanjiaoConsole"], swiftSettings: strict),
        .testTarget(
            name: "ChanjiaoAPITests",
            dependencies: [
                "ChanjiaoAPI", "ChanjiaoConsole",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
    ]
)
