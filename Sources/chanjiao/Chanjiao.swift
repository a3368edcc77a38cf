import ArgumentParser

/// The one command. It is kept lean — the allocation solver and argument parsing, nothing
/// else — so `chanjiao alloc solve` runs without loading the server's libraries (about 10 MB
/// of resident memory). The service commands run the `chanjiao-service` binary built beside it.
@main
struct Chanjiao: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chanjiao",
        abstract: "产教融合综合服务平台 — the Chanjiao service and its tools.",
        subcommands: [
            ServiceCommand<Serve>.self, ServiceCommand<Migrate>.self, ServiceCommand<SeedDemo>.self,
            ServiceCommand<SeedSynthetic>.self, AllocCommand.self,
        ])
}
