import ChanjiaoDomain

/// The public 红黑榜 board: the API's scoreboard (`GET /v1/scoreboard`) and the city's totals
/// (`GET /v1/stats/overview`), as the page and the SVG show them. Every figure is the API's.
public struct BoardView: Sendable {
    public struct County: Sendable {
        public var rank: Int
        public var regionCode: String
        public var regionName: String
        /// `red`, `black` or `none`, and its word (红榜, 黑榜, —): never the colour alone.
        public var list: String
        public var listWord: String
        /// On the red or the black list (a badge with the word).
        public var listed: Bool
        public var completion: String
        public var expected: String
        /// Bar lengths in percent of the track.
        public var completionWidth: String
        public var expectedLeft: String
        public var submitted: Int
        public var submittedTarget: Int
        public var certified: Int
        public var certifiedTarget: Int
        public var deadline: String
        public var responsibleName: String
        public var responsibleTitle: String
    }

    public var year: Int
    public var asOf: String
    public var counties: [County]
    /// `!counties.isEmpty`, stored: templates read stored members only (through Mirror).
    public private(set) var hasCounties = false
    public var redCount: Int
    public var blackCount: Int
    /// Applications of every year by stage, then certifications and rewards paid (the overview's `city`).
    public var stages: [Figure]
    public var totals: [Figure]
    public var overviewAsOf: String

    public init(scoreboard: JSONValue, overview: JSONValue) {
        year = scoreboard.int("year")
        asOf = scoreboard.string("as_of")
        counties = scoreboard.at("items").elements.map { row in
            let list = row.string("list")
            return County(
                rank: row.int("rank"), regionCode: row.string("region_code"), regionName: row.string("region_name"), list: list,
                listWord: ConsoleLabels.list(list), listed: list == "red" || list == "black", completion: ConsoleLabels.percent(row.at("completion").real),
                expected: ConsoleLabels.percent(row.at("expected").real),
                completionWidth: SVG.n(100 * min(1, max(0, row.at("completion").real))),
                expectedLeft: SVG.n(100 * min(1, max(0, row.at("expected").real))),
                submitted: row.int("submitted"), submittedTarget: row.int("submitted_target"), certified: row.int("certified"),
                certifiedTarget: row.int("certified_target"), deadline: row.string("deadline"),
                responsibleName: row.string("responsible.name"), responsibleTitle: row.string("responsible.title"))
        }
        hasCounties = !counties.isEmpty
        redCount = counties.filter { $0.list == "red" }.count
        blackCount = counties.filter { $0.list == "black" }.count
        let city = overview.at("city")
        stages = ApplicationStatus.allCases.map { status in
            let count = CertificationLevel.allCases.reduce(0) { $0 + city.int("applications.\($1.rawValue).\(status.rawValue)") }
            return Figure(label: ConsoleLabels.applicationStatus(status.rawValue), value: String(count))
        }
        totals = [
            Figure(label: "申报总数", value: String(city.int("applications.total"))),
            Figure(label: "有效认定（省级）", value: String(city.int("certifications.provincial"))),
            Figure(label: "有效认定（国家级）", value: String(city.int("certifications.national"))),
            Figure(label: "已发放奖励", value: ConsoleLabels.money(city.int("rewards.disbursed.amount_fen"))),
            Figure(label: "已发放笔数", value: String(city.int("rewards.disbursed.count"))),
        ]
        overviewAsOf = overview.string("as_of")
    }

    /// The whole board as one SVG image, for slides: title, the ranked counties with their
    /// completion bars and expected-progress marks, and the list words.
    public var svg: String {
        let (width, rowHeight, top) = (1200.0, 66.0, 110.0)
        let height = top + rowHeight * Double(max(counties.count, 1)) + 50
        let (barX, barWidth) = (520.0, 420.0)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(SVG.n(width)) \(SVG.n(height))" width="\(SVG.n(width))" \
            height="\(SVG.n(height))" role="img" aria-label="\(year) 年产教融合型企业培育红黑榜">\
            <title>\(year) 年产教融合型企业培育红黑榜（截至 \(SVG.escaped(asOf))）</title>\
            <style>text{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;fill:#1f2328}\
            .h{font-size:30px;font-weight:700}.s{font-size:16px;fill:#57606a}.c{font-size:20px}.w{font-size:20px;font-weight:700}\
            .red{fill:#c62828}.black{fill:#111}.track{fill:#eef1f4}.done{fill:#2f6fb0}.mark{stroke:#d4a017;stroke-width:3}</style>\
            <rect width="100%" height="100%" fill="#fff"/>\
            <text x="40" y="52" class="h">\(year) 年产教融合型企业培育红黑榜</text>\
            <text x="40" y="84" class="s">截至 \(SVG.escaped(asOf))（北京时间）· 红榜 \(redCount) 个 · 黑榜 \(blackCount) 个 · 黄线为应达进度</text>
            """
        if counties.isEmpty { out += "<text x=\"40\" y=\"\(SVG.n(top + 30))\" class=\"c\">本年度尚未设定县区目标</text>" }
        for (index, county) in counties.enumerated() {
            let y = top + rowHeight * Double(index)
            let completion = (Double(county.completionWidth) ?? 0) / 100
            let expected = (Double(county.expectedLeft) ?? 0) / 100
            let wordClass = county.list == "none" ? "c" : "w \(county.list)"
            out += "<text x=\"40\" y=\"\(SVG.n(y + 30))\" class=\"c\">\(county.rank)</text>"
            out += "<text x=\"80\" y=\"\(SVG.n(y + 30))\" class=\"c\">\(SVG.escaped(county.regionName))</text>"
            out += "<text x=\"80\" y=\"\(SVG.n(y + 54))\" class=\"s\">责任人 \(SVG.escaped(county.responsibleName)) \(SVG.escaped(county.responsibleTitle))</text>"
            out += "<text x=\"230\" y=\"\(SVG.n(y + 30))\" class=\"\(wordClass)\">\(SVG.escaped(county.listWord))</text>"
            out += "<text x=\"320\" y=\"\(SVG.n(y + 30))\" class=\"s\">申报 \(county.submitted)/\(county.submittedTarget) · 认定 \(county.certified)/\(county.certifiedTarget)</text>"
            out += "<rect x=\"\(SVG.n(barX))\" y=\"\(SVG.n(y + 14))\" width=\"\(SVG.n(barWidth))\" height=\"22\" class=\"track\"/>"
            out += "<rect x=\"\(SVG.n(barX))\" y=\"\(SVG.n(y + 14))\" width=\"\(SVG.n(barWidth * completion))\" height=\"22\" class=\"done\"/>"
            let markX = barX + barWidth * expected
            out += "<line x1=\"\(SVG.n(markX))\" x2=\"\(SVG.n(markX))\" y1=\"\(SVG.n(y + 8))\" y2=\"\(SVG.n(y + 42))\" class=\"mark\"/>"
            out += "<text x=\"\(SVG.n(barX + barWidth + 14))\" y=\"\(SVG.n(y + 31))\" class=\"c\">\(county.completion)</text>"
            out += "<text x=\"1060\" y=\"\(SVG.n(y + 31))\" class=\"s\">截止 \(SVG.escaped(county.deadline))</text>"
        }
        out += "<text x=\"40\" y=\"\(SVG.n(height - 18))\" class=\"s\">完成度 =（申报完成率 + 认定完成率）÷ 2；红榜：完成或领先应达进度 20% 以上；黑榜：逾期未完成或落后 20% 以上。</text>"
        return out + "</svg>"
    }
}
