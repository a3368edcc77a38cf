import ArgumentParser

/// The one executable: the service and its maintenance commands.
@main
struct Chanjiao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chanjiao",
        abstract: "产教融合综合服务平台 — the Chanjiao service and its tools.",
        subcommands: [Serve.self, Migrate.self, SeedDemo.self, SeedSynthetic.self, AllocCommand.self])
}
