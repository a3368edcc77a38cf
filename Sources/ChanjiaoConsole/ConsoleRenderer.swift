import Foundation
import Mustache

/// The console's templates and stylesheet, loaded once at start from this target's resources.
/// Every page is a template that fills the layout's `content` block (`layout.mustache`).
public struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary
    /// The files of `Static/` by name (the stylesheet, the refresh script), served at
    /// `/console/static/<name>` with their media type.
    public let statics: [String: (mediaType: String, text: String)]

    public static func load() async throws -> ConsoleRenderer {
        // Read now: `Bundle.module` aborts when the resource bundle is missing, and that must
        // stop a start, not a running service at its first page.
        guard let root = Bundle.module.resourceURL else { throw ConsoleResourceError.missing("the resource bundle") }
        let library = try await MustacheLibrary(directory: root.appendingPathComponent("Templates").path)
        for name in ["layout", "board", "login", "problem"] where library.getTemplate(named: name) == nil {
            throw ConsoleResourceError.missing("the template \(name).mustache")
        }
        var statics: [String: (mediaType: String, text: String)] = [:]
        for (name, mediaType) in [("console.css", "text/css; charset=utf-8"), ("refresh.js", "text/javascript; charset=utf-8"), ("favicon.svg", "image/svg+xml")] {
            statics[name] = (mediaType, try String(contentsOf: root.appendingPathComponent("Static/\(name)"), encoding: .utf8))
        }
        return ConsoleRenderer(library: library, statics: statics)
    }

    /// `template` rendered with `model` (a struct or dictionary whose members the template names).
    public func render(_ template: String, _ model: Any) -> String {
        library.render(Self.dictionaries(model), withTemplate: template) ?? ""
    }

    /// The model as nested dictionaries and arrays, reflected once. Mustache would otherwise
    /// reflect a struct (`Mirror`, every member) for each name it looks up, at every level of
    /// the context stack: the board took 2 ms a request that way. An optional that is nil is
    /// left out, which a template reads as missing, as it would the nil.
    static func dictionaries(_ value: Any) -> Any {
        switch value {
        case let text as String: return text
        case let number as Int: return number
        case let flag as Bool: return flag
        case let dictionary as [String: Any]: return dictionary.mapValues(dictionaries)
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { dictionaries($0.value) } as Any
        case .collection, .set:
            return mirror.children.map { dictionaries($0.value) }
        case .struct, .class:
            var members: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                let member = Mirror(reflecting: child.value)
                if member.displayStyle == .optional && member.children.isEmpty { continue }
                members[label] = dictionaries(child.value)
            }
            return members
        default:
            return value
        }
    }
}

public enum ConsoleResourceError: Error, CustomStringConvertible {
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let what): "the console cannot start: \(what) is missing"
        }
    }
}
