import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The name and summary of a command that `chanjiao-service` runs.
protocol ServiceCommandName {
    static var name: String { get }
    static var abstract: String { get }
}

enum Serve: ServiceCommandName {
    static let name = "serve"
    static let abstract = "Serve the API (HOST, PORT, DATABASE_URL, CHANJIAO_ADMIN_PASSWORD)."
}

enum Migrate: ServiceCommandName {
    static let name = "migrate"
    static let abstract = "Apply sql/ migrations and load reference data (DATABASE_URL)."
}

enum SeedDemo: ServiceCommandName {
    static let name = "seed-demo"
    static let abstract = "Load the 三门峡 demo data once (CHANJIAO_DEMO_PASSWORD)."
}

enum SeedSynthetic: ServiceCommandName {
    static let name = "seed-synthetic"
    static let abstract = "Add random programs, demands and talents for benchmarks (--programs --demands --talents)."
}

/// Replaces this process with `chanjiao-service NAME ARGS…` from the same folder, so signals,
/// exit status and output are the service's own.
struct ServiceCommand<Name: ServiceCommandName>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Name.name, abstract: Name.abstract)
    }

    @Argument(parsing: .allUnrecognized, help: "Passed on to the command (see `chanjiao-service \(Name.name) --help`).")
    var arguments: [String] = []

    func run() throws {
        let binary = Self.siblingPath("chanjiao-service")
        let argv = [binary, Name.name] + arguments
        var cArguments = argv.map { strdup($0) }
        cArguments.append(nil)
        execv(binary, cArguments)
        let reason = String(cString: strerror(errno))
        throw ValidationError("cannot run \(binary): \(reason); build it with `swift build` (it is built beside chanjiao)")
    }

    /// `/proc/self/exe`'s folder, where SwiftPM puts every product of the package.
    static func siblingPath(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let own = count > 0 ? String(cString: buffer) : CommandLine.arguments[0]
        let folder = own.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (folder.isEmpty ? "." : folder) + "/" + name
    }
}
