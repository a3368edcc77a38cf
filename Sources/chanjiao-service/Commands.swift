import ArgumentParser
import ChanjiaoAPI
import ChanjiaoDomain
import ChanjiaoServiceCommands
import ChanjiaoStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Serves the HTTP API until SIGINT/SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ServiceCommandInfo.serve.name, abstract: ServiceCommandInfo.serve.abstract)

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let port = Int(environment["PORT"] ?? "8080")
        guard let port, (1...65535).contains(port) else { throw ValidationError("PORT must be a port number") }
        let adminPassword = try Environment.require(
            "CHANJIAO_ADMIN_PASSWORD", hint: "the bureau's bootstrap account 'admin' needs a password")
        // The common-password list is loaded by the service itself; length and username here.
        if let problem = PasswordRules.problem(adminPassword, username: "admin") {
            throw ValidationError("CHANJIAO_ADMIN_PASSWORD \(problem)")
        }
        let configuration = AppConfiguration(
            host: environment["HOST"] ?? "127.0.0.1", port: port, database: try Environment.database(),
            adminPassword: adminPassword, logLevel: Environment.logger("chanjiao").logLevel,
            sessionLifetime: try Environment.duration("CHANJIAO_SESSION_TTL", default: 12 * 3600),
            trustedProxies: try Environment.addresses("CHANJIAO_TRUSTED_PROXIES", default: []),
            corsOrigins: (environment["CHANJIAO_CORS_ORIGINS"] ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            metricsAllowed: try Environment.addresses("CHANJIAO_METRICS_ALLOW", default: AddressRange.loopback),
            rules: try Environment.certificationRules(),
            webhooks: WebhookSettings(policy: WebhookAddressPolicy(allowLoopback: try Environment.flag("CHANJIAO_WEBHOOK_ALLOW_LOOPBACK"))))
        let app = try await buildApplication(configuration)
        // SIGTERM asks every service to finish; one that has not within 20 s is cancelled, and
        // after 5 s more the process ends regardless: a stuck task must not keep it alive.
        var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger)
        group.maximumGracefulShutdownDuration = .seconds(20)
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
    }
}

/// Applies migrations and loads the shipped reference data.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ServiceCommandInfo.migrate.name, abstract: ServiceCommandInfo.migrate.abstract)

    func run() async throws {
        let files = try ProjectFiles.locate()
        let migrator = try Migrator(directory: files.migrations)
        try await Environment.withStore { store in
            let applied = try await migrator.run(on: store.client, logger: store.logger)
            try await store.loadReferenceData(from: files)
            print(applied.isEmpty ? "database is up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}

/// Loads the demo city's organizations, programs, demand, talents and accounts, once.
struct SeedDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ServiceCommandInfo.seedDemo.name, abstract: ServiceCommandInfo.seedDemo.abstract)

    func run() async throws {
        let password = try Environment.require("CHANJIAO_DEMO_PASSWORD", hint: "the demo accounts need a password")
        let files = try ProjectFiles.locate()
        try await Environment.withStore { store in
            try await store.loadReferenceData(from: files)
            let seeded = try await DemoSeeder(store: store, files: files).seed(password: password)
            print(seeded ? "demo data loaded" : "demo data already present")
        }
    }
}

/// Fills the database with random but plausible records for benchmarks.
struct SeedSynthetic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ServiceCommandInfo.seedSynthetic.name, abstract: ServiceCommandInfo.seedSynthetic.abstract)

    @Option(help: "Number of programs.") var programs = 30_000
    @Option(help: "Number of demands.") var demands = 100_000
    @Option(help: "Number of talents.") var talents = 10_000
    @Option(help: "Number of certification applications (with targets for every county of the province).") var applications = 0
    @Option(
        help: "Copies of the taxonomy to draw from (1: the shipped one, dense; k: about k times fewer eligible pairs), 1 to 100.")
    var taxonomyScale = 1

    func validate() throws {
        for (name, value) in [("programs", programs), ("demands", demands), ("talents", talents), ("applications", applications)] where !(0...5_000_000).contains(value) {
            throw ValidationError("--\(name) must be between 0 and 5000000")
        }
        guard SyntheticSeeder.taxonomyScales.contains(taxonomyScale) else { throw ValidationError("--taxonomy-scale must be between 1 and 100") }
    }

    func run() async throws {
        let files = try ProjectFiles.locate()
        let (programs, demands, talents, applications, scale) = (self.programs, self.demands, self.talents, self.applications, taxonomyScale)
        try await Environment.withStore { store in
            try await store.loadReferenceData(from: files)
            let start = ContinuousClock.now
            let counts = try await SyntheticSeeder(store: store).seed(
                programs: programs, demands: demands, talents: talents, applications: applications, taxonomyScale: scale)
            print(
                "added \(counts.programs) programs, \(counts.demands) demands, \(counts.talents) talents, \(applications) applications"
                    + (scale > 1 ? " over \(scale) copies of the taxonomy" : "")
                    + " in \(ContinuousClock.now - start)")
        }
    }
}
