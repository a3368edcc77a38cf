import ChanjiaoDomain

/// The overview statistics (`GET /v1/stats/overview`) as tiles for the city and bar charts by
/// county.
public struct OverviewView: Sendable {
    public var tiles: [Figure]
    public var charts: [String]
    public var asOf: String

    public init(overview: JSONValue) {
        let city = overview.at("city")
        tiles = [
            .init(label: "在册企业", value: String(city.int("enterprises"))),
            .init(label: "在册院校", value: String(city.int("colleges"))),
            .init(label: "已发布专业", value: String(city.int("programs"))),
            .init(label: "培养名额", value: String(city.int("seats"))),
            .init(label: "企业需求人数", value: String(city.int("demand_headcount"))),
            .init(label: "合作名额", value: String(city.int("cooperation_seats"))),
            .init(label: "认定申报", value: String(city.int("applications.total"))),
            .init(label: "有效认定", value: String(city.int("certifications.total"))),
            .init(label: "已发放奖励", value: ConsoleLabels.money(city.int("rewards.disbursed.amount_fen"))),
            .init(label: "待发放奖励", value: ConsoleLabels.money(city.int("rewards.pending.amount_fen") + city.int("rewards.disbursing.amount_fen"))),
        ]
        let counties = overview.at("counties").elements
        func chart(_ title: String, _ figure: (JSONValue) -> Int, money: Bool = false) -> String {
            BarChart(
                title: title,
                bars: counties.map { county in
                    let value = figure(county)
                    return .init(county.string("region_name"), value, figure: money ? ConsoleLabels.money(value) : "")
                }
            ).svg
        }
        charts = [
            chart("认定申报（件）", { $0.int("applications.total") }),
            chart("有效认定（家）", { $0.int("certifications.total") }),
            chart("企业需求人数", { $0.int("demand_headcount") }),
            chart("院校培养名额", { $0.int("seats") }),
            chart("合作名额", { $0.int("cooperation_seats") }),
            chart("已发放奖励", { $0.int("rewards.disbursed.amount_fen") }, money: true),
        ]
        asOf = overview.string("as_of")
    }

    /// The region's county names by code, from the overview document.
    public static func regionNames(_ overview: JSONValue) -> [String: String] {
        Dictionary(overview.at("counties").elements.map { ($0.string("region_code"), $0.string("region_name")) }, uniquingKeysWith: { a, _ in a })
    }
}
