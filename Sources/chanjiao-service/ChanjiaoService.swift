import ArgumentParser
import NIOCore
import NIOPosix

/// The service side of `chanjiao`: the commands that need the database and the HTTP server.
/// `chanjiao serve|migrate|seed-demo|seed-synthetic` runs this binary.
@main
struct ChanjiaoService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chanjiao-service",
        abstract: "The Chanjiao service commands (run through `chanjiao`).",
        subcommands: [Serve.self, Migrate.self, SeedDemo.self, SeedSynthetic.self])

    /// Runs Swift concurrency on NIO's event loops before anything else starts: a request
    /// handler then runs on the thread that owns its connection, with no hop between
    /// Swift's thread pool and the event loop for every request and response. Blocking work
    /// (bcrypt, the allocation solver) goes to `NIOThreadPool`.
    static func main() async {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
