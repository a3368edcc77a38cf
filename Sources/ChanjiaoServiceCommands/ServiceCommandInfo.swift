/// The commands `chanjiao` hands on to `chanjiao-service`, with their one-line help, so both
/// binaries show the same words. No dependencies: the lean `chanjiao` links it too.
public enum ServiceCommandInfo: String, CaseIterable, Sendable {
    case serve
    case migrate
    case seedDemo = "seed-demo"
    case seedSynthetic = "seed-synthetic"

    public var name: String { rawValue }

    public var abstract: String {
        switch self {
        case .serve: "Serve the API (HOST, PORT, DATABASE_URL, CHANJIAO_ADMIN_PASSWORD)."
        case .migrate: "Apply sql/ migrations and load reference data (DATABASE_URL)."
        case .seedDemo: "Load the 三门峡 demo data once (CHANJIAO_DEMO_PASSWORD)."
        case .seedSynthetic: "Add random programs, demands and talents for benchmarks (--programs --demands --talents)."
        }
    }
}
