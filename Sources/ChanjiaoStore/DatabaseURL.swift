import Foundation
import PostgresNIO

/// `postgres://user[:password]@host[:port]/database[?host=/socket/dir]` → a client configuration.
public struct DatabaseURL: Sendable, Equatable {
    public var username: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// A Unix socket directory (`?host=/path`), preferred over TCP when present.
    public var socketDirectory: String?

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text),
            ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let user = components.user, !user.isEmpty
        else { throw DatabaseURLError(text: text) }
        username = user.removingPercentEncoding ?? user
        password = components.password?.removingPercentEncoding
        host = components.host ?? "127.0.0.1"
        port = components.port ?? 5432
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : path
        socketDirectory = components.queryItems?.first(where: { $0.name == "host" })?.value
    }

    public var configuration: PostgresClient.Configuration {
        var config: PostgresClient.Configuration
        if let socketDirectory {
            config = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password,
                database: database)
        } else {
            config = .init(
                host: host, port: port, username: username, password: password, database: database, tls: .disable)
        }
        config.options.minimumConnections = 0
        config.options.maximumConnections = 20
        return config
    }

    /// The same server, another database.
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    public var isLocal: Bool {
        socketDirectory != nil || ["127.0.0.1", "localhost", "::1"].contains(host)
    }
}

public struct DatabaseURLError: Error, CustomStringConvertible {
    public var text: String
    public var description: String {
        "DATABASE_URL must look like postgres://user@127.0.0.1:5432/chanjiao (got \(text.isEmpty ? "nothing" : "something else"))"
    }
}
