import ChanjiaoConsole
import ChanjiaoDomain
import ChanjiaoMatching
import ChanjiaoStore
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// What the service needs to run; read from the environment by the `serve` command.
public struct AppConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseURL
    /// The bootstrap bureau account's password; the account is created with it when missing.
    public var adminPassword: String
    public var logLevel: Logger.Level
    /// How long a session lasts (`CHANJIAO_SESSION_TTL`, default 12 h).
    public var sessionLifetime: TimeInterval
    /// Proxies whose `X-Forwarded-For` names the client (`CHANJIAO_TRUSTED_PROXIES`; none by default).
    public var trustedProxies: [AddressRange]
    /// Browser origins allowed by CORS (`CHANJIAO_CORS_ORIGINS`; none by default).
    public var corsOrigins: [String]
    /// Addresses that may read `/metrics` without a bureau credential (`CHANJIAO_METRICS_ALLOW`).
    public var metricsAllowed: [AddressRange]
    /// "Now" for sessions, throttles and the audit; tests pin it.
    public var clock: any WallClock
    /// The region served and the certification rules (`CHANJIAO_REGION`, …).
    public var rules: CertificationRules
    /// Which addresses webhooks may reach (`CHANJIAO_WEBHOOK_ALLOW_LOOPBACK`) and their retries.
    public var webhooks: WebhookSettings

    public init(
        host: String = "127.0.0.1", port: Int = 8080, database: DatabaseURL, adminPassword: String, logLevel: Logger.Level = .info,
        sessionLifetime: TimeInterval = 12 * 3600, trustedProxies: [AddressRange] = [], corsOrigins: [String] = [],
        metricsAllowed: [AddressRange] = AddressRange.loopback, clock: any WallClock = SystemClock(),
        rules: CertificationRules = CertificationRules(), webhooks: WebhookSettings = WebhookSettings()
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.adminPassword = adminPassword
        self.logLevel = logLevel
        self.sessionLifetime = sessionLifetime
        self.trustedProxies = trustedProxies
        self.corsOrigins = corsOrigins
        self.metricsAllowed = metricsAllowed
        self.clock = clock
        self.rules = rules
        self.webhooks = webhooks
    }
}

/// Process-wide metrics: swift-metrics can be bootstrapped once per process.
enum MetricsBootstrap {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}

/// Builds exactly the application that runs: routes, middleware, the database client as a
/// service, and the start-up work (migrations, the bureau account) before the server listens.
public func buildApplication(_ configuration: AppConfiguration) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "chanjiao")
    logger.logLevel = configuration.logLevel
    let client = configuration.database.client(logger: logger)
    let store = Store(
        client: client, logger: logger, database: configuration.database, clock: configuration.clock, rules: configuration.rules)
    let files = try ProjectFiles.locate()
    PasswordRules.useCommonPasswords(try files.commonPasswords())
    let scorer = try MatchScorer(config: ScoreConfig.load(from: files.configFile("matching.json")))
    let index = MatchIndex(store: store)
    let console = try await ConsoleRenderer.load()
    let router = buildRouter(store: store, index: index, scorer: scorer, console: console, configuration: configuration)
    let migrator = try Migrator(directory: files.migrations)
    // Read now: `Bundle.module` aborts when the resource bundle is missing, and that must stop
    // a start, not a running service at its first GET /openapi.json.
    _ = OpenAPIDocument.data
    let policies = try files.rewardPolicies()
    let adminPassword = configuration.adminPassword
    let startupLogger = logger
    var app = Application(
        responder: HeadResponder(inner: router.buildResponder()),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "chanjiao"),
        services: [
            client, index, MatchRunner(store: store, scorer: scorer).worker(),
            WebhookDeliverer(store: store, settings: configuration.webhooks).worker(), RepeatingService.webhookFanOut(store),
            ChannelListener.access(store), ChannelListener.supervision(store), ChannelListener.feed(store),
            RepeatingService.housekeeping(store),
        ],
        logger: logger)
    app.beforeServerStarts {
        try await migrator.run(on: client, logger: startupLogger)
        try await Store.prepareDummyHash()
        try await store.ensureBureauAccount(username: "admin", password: adminPassword)
        try await store.ensureRewardPolicies(policies)
    }
    return app
}

/// Every route of the API, under one set of middleware: the request log, security headers,
/// the one error renderer, CORS preflights, the input screen, then authentication. Each route
/// declares its own access policy where it is registered. The console's pages and the public
/// board are routes of the same router, behind the same middleware and policies.
public func buildRouter(
    store: Store, index: MatchIndex, scorer: MatchScorer, console: ConsoleRenderer, configuration: AppConfiguration
) -> Router<AppContext> {
    let router = Router(context: AppContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: SecurityHeadersMiddleware(allowedOrigins: Set(configuration.corsOrigins)))
    router.add(middleware: ErrorMiddleware(console: console))
    router.add(middleware: CORSPreflightMiddleware(allowedOrigins: Set(configuration.corsOrigins)))
    // Its table of the operations without query parameters is read from the document once.
    router.add(middleware: InputScreenMiddleware(document: OpenAPIDocument.data))
    router.add(middleware: AuthMiddleware(store: store))
    OperationsRoutes(
        store: store, metrics: MetricsBootstrap.registry, metricsAllowed: configuration.metricsAllowed,
        trustedProxies: configuration.trustedProxies).register(on: router)
    let v1 = router.group("v1")
    let settings = AccessSettings(sessionLifetime: configuration.sessionLifetime, trustedProxies: configuration.trustedProxies)
    AccountRoutes(store: store, settings: settings).register(on: v1)
    RegistryRoutes(store: store).register(on: v1)
    ReferenceRoutes(store: store).register(on: v1)
    MatchRoutes(store: store, index: index, scorer: scorer).register(on: v1)
    MatchRunRoutes(store: store).register(on: v1)
    AdminRoutes(store: store).register(on: v1)
    CooperationRoutes(store: store).register(on: v1)
    ApplicationRoutes(store: store).register(on: v1)
    CertificationRoutes(store: store).register(on: v1)
    SupervisionRoutes(store: store).register(on: v1)
    FeedRoutes(store: store).register(on: v1)
    WebhookRoutes(store: store, policy: configuration.webhooks.policy).register(on: v1)
    ExportRoutes(store: store).register(on: v1)
    ImportRoutes(store: store).register(on: v1)
    BoardRoutes(store: store, console: console).register(on: router)
    ConsoleRoutes(store: store, console: console, settings: settings).register(on: router)
    // Last: a middleware added after every route wraps only the not-found responder.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
    return router
}
