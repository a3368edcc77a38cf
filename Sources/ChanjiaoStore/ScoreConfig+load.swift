import ChanjiaoMatching
import Foundation

extension ScoreConfig {
    /// Reads `Config/matching.json` (snake_case point values) and checks it.
    public static func load(from url: URL) throws -> ScoreConfig {
        let config = try JSONDecoder().decode(ScoreConfig.self, from: Data(contentsOf: url))
        try config.validate()
        return config
    }
}
