import ArgumentParser

/// The service side of `chanjiao`: the commands that need the database and the HTTP server.
/// `chanjiao serve|migrate|seed-demo|seed-synthetic` runs this binary.
@main
struct ChanjiaoService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chanjiao-service",
        abstract: "The Chanjiao service commands (run through `chanjiao`).",
        subcommands: [Serve.self, Migrate.self, SeedDemo.self, SeedSynthetic.self])
}
