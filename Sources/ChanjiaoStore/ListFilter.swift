import ChanjiaoDomain
import Foundation

/// One list filter: a query parameter and the SQL predicate it binds. Every list reads its
/// filters through `SQLComposer.appendFilters`: the registry's and the workflows' alike.
struct ListFilter: Sendable {
    enum Kind: Sendable {
        case exact, prefix, uuid, region, regionAny
        case oneOf([String])
        case integer(ClosedRange<Int>)
        case arrayContains([String])
    }

    let parameter: String
    let column: String
    let kind: Kind
    /// What the value must look like, as the OpenAPI document's schema of the parameter says:
    /// nil when it does, else the message (an `exact` or `prefix` filter's own rule).
    var check: @Sendable (String) -> String? = { _ in nil }

    static func exact(_ parameter: String, _ column: String, _ check: FilterCheck) -> ListFilter {
        .init(parameter: parameter, column: column, kind: .exact, check: check.message)
    }
    static func prefix(_ parameter: String, _ column: String, _ check: FilterCheck) -> ListFilter {
        .init(parameter: parameter, column: column, kind: .prefix, check: check.message)
    }
    static func uuid(_ parameter: String, _ column: String) -> ListFilter { .init(parameter: parameter, column: column, kind: .uuid) }
    /// `411200` means the whole prefecture, `410000` the province, `411202` one county.
    static func region(_ parameter: String, _ column: String) -> ListFilter { .init(parameter: parameter, column: column, kind: .region) }
    static func regionAny(_ parameter: String, _ column: String) -> ListFilter { .init(parameter: parameter, column: column, kind: .regionAny) }
    static func oneOf<E: RawRepresentable & CaseIterable>(_ parameter: String, _ column: String, _: E.Type) -> ListFilter
    where E.RawValue == String {
        .init(parameter: parameter, column: column, kind: .oneOf(E.allCases.map(\.rawValue)))
    }
    static func integer(_ parameter: String, _ column: String, _ range: ClosedRange<Int>) -> ListFilter {
        .init(parameter: parameter, column: column, kind: .integer(range))
    }
    static func oneOf(_ parameter: String, _ column: String, _ values: [String]) -> ListFilter {
        .init(parameter: parameter, column: column, kind: .oneOf(values))
    }
    static func arrayContains<E: RawRepresentable & CaseIterable>(_ parameter: String, _ column: String, _: E.Type) -> ListFilter
    where E.RawValue == String {
        .init(parameter: parameter, column: column, kind: .arrayContains(E.allCases.map(\.rawValue)))
    }
}

/// The rule of a text filter's value, by the domain's own checks.
enum FilterCheck: Sendable {
    /// `^[0-9]{6}$`: a specialty or region code.
    case sixDigits
    /// A talent source's name (`TalentInput.isSourceName`).
    case sourceName
    /// `^[A-Z]{2,6}$`: a skill group.
    case skillGroup
    case maxLength(Int)
    case oneOf([String])

    static func oneOf<E: RawRepresentable & CaseIterable>(_: E.Type) -> FilterCheck where E.RawValue == String {
        .oneOf(E.allCases.map(\.rawValue))
    }

    func message(_ value: String) -> String? {
        switch self {
        case .sixDigits: TaxonomyCode.isSpecialty(value) ? nil : "must be 6 digits"
        case .sourceName: TalentInput.isSourceName(value) ? nil : "must be a source name: 2–64 lower-case letters, digits, '-' or '_'"
        case .skillGroup: TaxonomyCode.isSkillGroup(value) ? nil : "must be a skill group code: 2–6 capital letters"
        case .maxLength(let limit): value.count <= limit ? nil : "must have at most \(limit) characters"
        case .oneOf(let allowed): allowed.contains(value) ? nil : "must be one of: \(allowed.joined(separator: ", "))"
        }
    }
}

/// What a list does with `archived`: filter on the predicate of an archived row, ignore it (a
/// registry record that is never archived), or refuse it (the workflows' records).
enum ArchivedFilter {
    case column(String)
    case ignored
    case refused
}

extension SQLComposer {
    /// Appends the predicates of the request's filters, its text search (`search`: the text
    /// column and its gram column) and `archived`, or throws one 422 naming every filter that
    /// is unknown or malformed. `list` names the records.
    mutating func appendFilters(
        _ request: ListRequest, of list: String, _ filters: [ListFilter], search: (text: String, grams: String)? = nil,
        archived: ArchivedFilter = .refused
    ) throws(Problem) {
        let known = Set(filters.map(\.parameter))
        var errors: [FieldError] = []
        for name in request.filters.keys.sorted() where !known.contains(name) {
            var others = (search == nil ? [] : ["q"]) + (request.paged ? ["limit", "after"] : [])
            if case .column = archived { others.append("archived") }
            let allowed = (filters.map(\.parameter) + others).joined(separator: ", ")
            errors.append(FieldError(field: name, message: "is not a filter of \(list); use one of: \(allowed)"))
        }
        for filter in filters {
            guard let value = request.filters[filter.parameter] else { continue }
            if let message = filter.check(value) {
                errors.append(FieldError(field: filter.parameter, message: message))
                continue
            }
            switch filter.kind {
            case .exact:
                append(" AND \(filter.column) = \(bind(value))")
            case .prefix:
                append(" AND starts_with(\(filter.column), \(bind(value)))")
            case .uuid:
                guard let id = UUID(uuidString: value) else {
                    errors.append(FieldError(field: filter.parameter, message: "must be a UUID"))
                    continue
                }
                append(" AND \(filter.column) = \(bind(id))")
            case .integer(let range):
                guard let number = Int(value), range.contains(number) else {
                    errors.append(FieldError(field: filter.parameter, message: "must be an integer from \(range.lowerBound) to \(range.upperBound)"))
                    continue
                }
                append(" AND \(filter.column) = \(bind(number))")
            case .region, .regionAny:
                if let error = regionReference(value, field: filter.parameter) {
                    errors.append(error)
                    continue
                }
                let range = RegionRange(value)
                if case .region = filter.kind, range.low == range.high {
                    append(" AND \(filter.column) = \(bind(value))")
                } else if case .region = filter.kind {
                    append(" AND \(filter.column) BETWEEN \(bind(range.low)) AND \(bind(range.high))")
                } else {
                    append(
                        " AND EXISTS (SELECT 1 FROM unnest(\(filter.column)) AS c WHERE c BETWEEN \(bind(range.low)) AND \(bind(range.high)))")
                }
            case .oneOf(let allowed), .arrayContains(let allowed):
                guard allowed.contains(value) else {
                    errors.append(FieldError(field: filter.parameter, message: "must be one of: \(allowed.joined(separator: ", "))"))
                    continue
                }
                if case .oneOf = filter.kind {
                    append(" AND \(filter.column) = \(bind(value))")
                } else {
                    append(" AND \(bind(value)) = ANY(\(filter.column))")
                }
            }
        }
        if let q = request.query {
            if let search {
                // The gram index narrows the rows; strpos keeps only true substrings.
                let needle = bind(q)
                append(" AND \(search.grams) @> search_query_grams(\(needle)) AND strpos(lower(\(search.text)), lower(\(needle))) > 0")
            } else {
                errors.append(FieldError(field: "q", message: "\(list) have no text search"))
            }
        }
        switch archived {
        case .column(let predicate): append(request.archived ? " AND \(predicate)" : " AND NOT (\(predicate))")
        case .ignored: break
        case .refused: if request.archived { errors.append(FieldError(field: "archived", message: "\(list) are not archived")) }
        }
        if !errors.isEmpty { throw Problem.invalid(errors) }
    }
}

extension SQLComposer {
    /// A region filter's code: its error when it is malformed, else nil, and the code is queued
    /// for `Store.checkReferences` (a code that names no region is a 422, not an empty list).
    mutating func regionReference(_ value: String, field: String) -> FieldError? {
        guard RegionCatalog.isWellFormed(value) else { return FieldError(field: field, message: "must be a 6-digit region code") }
        references.append(CodeReference(.region, value, field: field))
        return nil
    }
}

/// A region code as a range of county codes: 411200 covers 411200…411299, 410000 the province.
struct RegionRange {
    let low: String
    let high: String

    init(_ code: String) {
        let digits = Array(code)
        let prefix: String
        if code.hasSuffix("0000") {
            prefix = String(digits[0..<2])
        } else if code.hasSuffix("00") {
            prefix = String(digits[0..<4])
        } else {
            prefix = code
        }
        self.init(prefix: prefix)
    }

    /// Every county code starting with `prefix` ("" for all).
    init(prefix: String) {
        low = prefix.padding(toLength: 6, withPad: "0", startingAt: 0)
        high = prefix.padding(toLength: 6, withPad: "9", startingAt: 0)
    }
}
