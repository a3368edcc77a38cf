import ChanjiaoConsole
import ChanjiaoDomain
import Testing

@Suite struct FormFieldsTests {
    @Test func aFormBecomesTheJSONTheAPITakes() throws {
        let form = try #require(FormFields(body: "action=record_decision&decision.outcome=approved&decision.decided_on=2026-12-07&note=&version=3&n=%E7%81%B5%E5%AE%9D+%E5%B8%82&count=12&bad=1x&box=on"))
        #expect(form["n"] == "灵宝 市")
        let json = form.json([
            "action": .text, "decision.outcome": .text, "decision.decided_on": .text, "note": .text, "count": .integer, "bad": .integer,
            "box": .checkbox, "missing": .checkbox,
        ])
        #expect(json["action"] == .string("record_decision"))
        #expect(json["decision"]?["outcome"] == .string("approved"))
        #expect(json["decision"]?["decided_on"] == .string("2026-12-07"))
        #expect(json["note"] == nil, "an empty field is not sent")
        #expect(json["count"] == .int(12))
        #expect(json["bad"] == .string("1x"), "not an integer: left for the reader to report")
        #expect(json["box"] == .bool(true) && json["missing"] == .bool(false))
        // A secret is kept as typed; text is trimmed as the readers trim it.
        let spaced = try #require(FormFields(body: "p=+pass+&t=+text+"))
        #expect(spaced.json(["p": .secret, "t": .text]) == .object(["p": .string(" pass "), "t": .string("text")]))
    }

    @Test func malformedFormsAreRefused() {
        #expect(FormFields(body: "a=%E7%81") == nil, "not UTF-8")
        #expect(FormFields(body: "a=%zz") == nil, "a bad escape")
        #expect(FormFields(body: "a=1&a=2") == nil, "a field twice")
        #expect(FormFields(body: "")?.values.isEmpty == true)
    }
}

@Suite struct BoardViewTests {
    static let scoreboard: JSONValue = .object([
        "year": .int(2026), "as_of": .string("2026-12-07"),
        "items": .array([
            .object([
                "rank": .int(1), "region_code": .string("411282"), "region_name": .string("灵宝市"), "submitted": .int(3),
                "submitted_target": .int(3), "certified": .int(1), "certified_target": .int(2), "completion": .double(0.75),
                "expected": .double(0.9333), "list": .string("none"), "deadline": .string("2026-12-31"),
                "responsible": .object(["name": .string("王<强>"), "title": .string("副局长")]),
            ]),
            .object([
                "rank": .int(2), "region_code": .string("411281"), "region_name": .string("义马市"), "submitted": .int(0),
                "submitted_target": .int(2), "certified": .int(0), "certified_target": .int(1), "completion": .double(0),
                "expected": .double(1), "list": .string("black"), "deadline": .string("2026-11-30"),
                "responsible": .object(["name": .string("李"), "title": .string("局长")]),
            ]),
        ]),
    ])
    static let overview: JSONValue = .object([
        "as_of": .string("2026-12-07T01:00:00Z"),
        "city": .object([
            "applications": .object([
                "provincial": .object(["submitted": .int(2), "approved": .int(1)]), "national": .object(["submitted": .int(1)]),
                "total": .int(4),
            ]),
            "certifications": .object(["provincial": .int(1), "national": .int(0), "total": .int(1)]),
            "rewards": .object(["disbursed": .object(["count": .int(1), "amount_fen": .int(20_000_000)])]),
        ]),
    ])

    @Test func theBoardShowsTheAPIsFiguresWithWordsNotOnlyColours() {
        let board = BoardView(scoreboard: Self.scoreboard, overview: Self.overview)
        #expect(board.counties.map(\.regionName) == ["灵宝市", "义马市"])
        #expect(board.counties[0].completion == "75.0%" && board.counties[0].expected == "93.3%")
        #expect(board.counties[1].listWord == "黑榜" && board.blackCount == 1 && board.redCount == 0)
        #expect(board.stages.first { $0.label == "已提交" }?.value == "3", "both levels' submitted applications")
        #expect(board.totals.contains { $0.value == "¥200,000.00" })
        let svg = board.svg
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.contains("黑榜") && svg.contains("灵宝市") && svg.contains("75.0%"))
        #expect(svg.contains("王&lt;强&gt;") && !svg.contains("王<强>"), "text is escaped")
    }

    @Test func aBarChartScalesToItsLargestValue() {
        let svg = BarChart(title: "A & B", bars: [.init("x", 10), .init("y", 5), .init("z", 0)]).svg
        #expect(svg.contains("width=\"330\"") && svg.contains("width=\"165\"") && svg.contains("width=\"0\""))
        #expect(svg.contains("A &amp; B"))
        #expect(BarChart(title: "空", bars: []).svg.contains("暂无数据"))
    }
}

@Suite struct ConsoleLabelsTests {
    @Test func theAPIsMessagesReadInChinese() {
        #expect(ConsoleLabels.message("is required") == "必填")
        #expect(ConsoleLabels.message("must be a date YYYY-MM-DD") == "须为日期（年-月-日）")
        #expect(ConsoleLabels.message("must be between 0 and 1000") == "超出允许的范围（must be between 0 and 1000）")
        #expect(ConsoleLabels.message("something new") == "something new", "an unknown message is shown as the API wrote it")
        #expect(ConsoleLabels.field("decision.decided_on") == "认定日期")
        #expect(ConsoleLabels.money(20_000_000) == "¥200,000.00")
        #expect(ConsoleLabels.percent(2.0 / 3.0) == "66.7%" && ConsoleLabels.percent(1.5) == "100.0%")
    }
}
