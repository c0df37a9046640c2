// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "wptsync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wptsync", targets: ["HookRunner"]),
        .executable(name: "wptsync-hook", targets: ["WPTSyncHook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries from Debian's -dev packages, found by pkg-config.
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Only libpq's header: Store loads the library when a PostgreSQL store is used (LibPQ.swift).
        .systemLibrary(name: "CPostgres", providers: [.apt(["libpq-dev"])]),

        // wptreport.json decoding with simdjson (Debian's libsimdjson-dev) behind a plain C API.
        .target(name: "CSimdJSON", linkerSettings: [.linkedLibrary("simdjson")]),
        // Pure core: message parsing, classification, configuration model, state machines. No I/O.
        .target(name: "SyncCore"),
        // Repository operations: libgit2 wrapper, Mercurial command server client.
        .target(name: "RepoOps", dependencies: ["CGit2", "CSpawn", "SyncCore"]),
        .target(name: "CSpawn"),
        // HTTP over libcurl and the remote service clients.
        .target(name: "Remote", dependencies: ["CCurl", "CSimdJSON", "SyncCore"]),
        // Local stand-ins for remote services (GitHub over a real bare git repository; more to come) for tests and `wptsync demo`.
        .target(name: "LocalServices", dependencies: ["RepoOps", "SyncCore"]),
        // The durable event journal and sync records (SQLite by default).
        .target(name: "Store", dependencies: ["SyncCore", "CSQLiteSupport", "CZlib", "CPostgres", .product(name: "GRDB", package: "GRDB.swift"),
                                      .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "CSQLiteSupport", linkerSettings: [.linkedLibrary("sqlite3")]),
        // Configuration loading, logging and hook intake: all a hook needs, without libgit2 or libcurl.
        .target(name: "HookIntake", dependencies: [
            "SyncCore", "Store",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // The application: worker, event handlers, installation.
        .target(name: "WPTSyncKit", dependencies: [
            "SyncCore", "RepoOps", "Remote", "Store", "HookIntake", "LocalServices",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `wptsync demo`: both directions end to end on local repositories and services, the webhook server included.
        .target(name: "WPTSyncDemo", dependencies: [
            "SyncCore", "RepoOps", "Remote", "Store", "HookIntake", "LocalServices", "WPTSyncKit", "WebhookService",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `wptsync serve`: GitHub's webhooks over HTTP (Hummingbird), recorded in the journal like hook events,
        // and the autoland sheriff page (Mustache). Its own target so that `wptsync-hook` never links the server.
        .target(name: "WebhookService", dependencies: [
            "SyncCore", "Store", "HookIntake", "WPTSyncKit",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `wptsync-hook`: the executable the repository hooks run; loads as little as possible. On Linux it is a
        // static executable: no dynamic loader, no shared library to map, relocate and bind at every push.
        // A build without --static-swift-stdlib (debug) names only Foundation's shared library, so its
        // static parts are named here; --gc-sections drops what the hook never calls.
        .executableTarget(name: "WPTSyncHook", dependencies: ["HookIntake"],
                          linkerSettings: [.unsafeFlags(["-static-executable", "-Xlinker", "--gc-sections",
                                                         "-lCoreFoundation", "-l_FoundationCShims", "-l_FoundationCollections",
                                                         "-l_FoundationICU", "-lstdc++", "-lm"], .when(platforms: [.linux]))]),
        // The `wptsync` executable: one file per subcommand, nothing else.
        .executableTarget(name: "HookRunner", dependencies: [
            "WPTSyncKit", "WPTSyncDemo", "HookIntake", "SyncCore", "Store", "WebhookService",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // `benchmarks/export.py` drives this; see docs/PERFORMANCE.md.
        .executableTarget(name: "ExportBenchmark", dependencies: ["RepoOps", "SyncCore"], path: "benchmarks/export-benchmark"),
        // `benchmarks/replay.py` serves its pushlog with this.
        .executableTarget(name: "PushlogServer", dependencies: ["LocalServices"], path: "benchmarks/pushlog-server"),
        // benchmarks/downstream.py's local Bugzilla and Taskcluster, which say when Bugzilla is asked.
        .executableTarget(name: "DownstreamServer", dependencies: ["LocalServices"], path: "benchmarks/downstream-server"),
        // benchmarks/worker.py's local GitHub, which says when a pull request appears.
        .executableTarget(name: "GitHubServer", dependencies: ["LocalServices"], path: "benchmarks/github-server"),
        // `benchmarks/landing.py` drives this; see docs/PERFORMANCE.md.
        .executableTarget(name: "LandingBenchmark", dependencies: ["RepoOps", "SyncCore"], path: "benchmarks/landing-benchmark"),
        // `benchmarks/metadata.py` drives this; see docs/PERFORMANCE.md.
        .executableTarget(name: "MetadataBenchmark", dependencies: ["SyncCore", "Remote"], path: "benchmarks/metadata-benchmark"),

        .target(name: "TestSupport", dependencies: ["RepoOps", "LocalServices", "Remote"], path: "Tests/TestSupport"),
        .testTarget(name: "SyncCoreTests", dependencies: ["SyncCore", "TestSupport"]),
        .testTarget(name: "RemoteTests", dependencies: ["Remote", "LocalServices", "TestSupport"]),
        .testTarget(name: "GitHubTests", dependencies: ["Remote", "LocalServices", "RepoOps", "TestSupport"]),
        .testTarget(name: "RepoOpsTests", dependencies: ["RepoOps", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(name: "WPTSyncKitTests", dependencies: ["WPTSyncKit", "HookIntake", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["HookRunner", "TestSupport", "Store", "SyncCore", "LocalServices", "Remote"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
