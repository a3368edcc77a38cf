import ArgumentParser
import ChanjiaoServiceCommands

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The name and summary of a command that `chanjiao-service` runs.
protocol ServiceCommandName {
    static var command: ServiceCommandInfo { get }
}

enum Serve: ServiceCommandName { static let command = ServiceCommandInfo.serve }
enum Migrate: ServiceCommandName { static let command = ServiceCommandInfo.migrate }
enum SeedDemo: ServiceCommandName { static let command = ServiceCommandInfo.seedDemo }
enum SeedSynthetic: ServiceCommandName { static let command = ServiceCommandInfo.seedSynthetic }

/// Replaces this process with `chanjiao-service NAME ARGS…` from the same folder, so signals,
/// exit status and output are the service's own.
struct ServiceCommand<Name: ServiceCommandName>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Name.command.name, abstract: Name.command.abstract)
    }

    @Argument(parsing: .allUnrecognized, help: "Passed on to the command (see `chanjiao-service \(Name.command.name) --help`).")
    var arguments: [String] = []

    func run() throws {
        let binary = Self.siblingPath("chanjiao-service")
        let argv = [binary, Name.command.name] + arguments
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
        let own = count > 0
            ? String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let folder = own.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (folder.isEmpty ? "." : folder) + "/" + name
    }
}
