import ChanjiaoDomain

/// The Chinese words the pages use for the API's codes. The codes stay what the API says; a
/// page shows the word and, where a person may need to match it to the API, the code too.
public enum ConsoleLabels {
    public static func applicationStatus(_ code: String) -> String {
        [
            "draft": "草稿", "submitted": "已提交", "county_approved": "县区已审核", "returned": "已退回",
            "recommended": "已推荐", "approved": "已认定", "rejected": "未通过", "withdrawn": "已撤回",
        ][code] ?? code
    }

    public static func rewardStatus(_ code: String) -> String {
        [
            "pending": "待发放", "disbursing": "已登记发放，待复核", "disbursed": "已发放", "cancelled": "已取消",
            "recovery_due": "待追回",
        ][code] ?? code
    }

    public static func level(_ code: String) -> String {
        ["provincial": "省级", "national": "国家级"][code] ?? code
    }

    /// 红榜 and 黑榜 are words on the page, never a colour alone.
    public static func list(_ code: String) -> String {
        ["red": "红榜", "black": "黑榜", "none": "—"][code] ?? code
    }

    public static func action(_ code: String) -> String {
        [
            "submit": "提交", "withdraw": "撤回", "county_approve": "县区审核通过", "return": "退回修改",
            "recommend": "推荐上报", "record_decision": "录入认定结果", "disburse": "登记发放", "confirm": "复核确认",
            "cancel": "取消",
        ][code] ?? code
    }

    /// The notice after a console form succeeded (`?done=`): what was done.
    public static func done(_ key: String) -> String {
        switch key {
        case "target": "目标已保存"
        case "quota": "推荐名额已保存"
        case "run": "已开始新的匹配计算"
        default: "已完成：" + action(key)
        }
    }

    public static func role(_ code: String) -> String {
        [
            "bureau": "市工信局", "county": "县区工信部门", "viewer": "只读（市直部门）", "enterprise": "企业", "college": "院校",
            "partner": "合作系统",
        ][code] ?? code
    }

    public static func cooperationForm(_ code: String) -> String {
        [
            "runs_school": "独立或作为重要举办者参与举办院校", "order_class": "订单班/共建专业/接收实习",
            "apprenticeship": "现代学徒制/企业新型学徒制", "one_plus_x": "1+X 证书试点", "curriculum": "参与专业规划、教材开发、课程设置、实习实训",
        ][code] ?? code
    }

    /// Field names of the forms, for the errors the API reports at them.
    public static func field(_ name: String) -> String {
        [
            "action": "操作", "note": "说明", "decision": "认定结果", "decision.outcome": "认定结果",
            "decision.decided_on": "认定日期", "decision.document_no": "认定文号", "paid_on": "发放日期", "voucher_no": "凭证号",
            "reason": "原因", "submitted": "申报目标", "certified": "认定目标", "deadline": "截止日期",
            "responsible": "责任人", "responsible.name": "责任人姓名", "responsible.title": "责任人职务",
            "responsible.phone": "责任人电话", "recommendations": "推荐名额", "username": "用户名", "password": "密码",
            "year": "年度", "as_of": "截至日期", "level": "级别", "status": "状态", "region_code": "县区", "scope": "范围",
            "actor": "账号（用户名或编号）", "object_type": "对象类型", "object_id": "对象编号", "from": "起始时间", "to": "截止时间",
            "after": "翻页位置", "limit": "每页条数", "group_by": "分组", "version": "版本",
        ][name] ?? name
    }

    /// The API's messages in Chinese, by their leading words; a message with details keeps the
    /// API's own text after the Chinese, and one not known here is shown as the API wrote it.
    public static func message(_ message: String) -> String {
        let known: [(String, String)] = [
            ("is required to return", "退回时必须填写说明"), ("is required", "必填"), ("must be a date YYYY-MM-DD", "须为日期（年-月-日）"),
            ("must be an integer", "须为整数"), ("must be a string", "须为文字"), ("must be true or false", "须为是或否"),
            ("must be between", "超出允许的范围"), ("must have at most", "过长"), ("must be one of", "须为下列之一"),
            ("must be a UUID", "编号格式不正确"), ("must be a mobile number", "须为 11 位手机号或带区号的固定电话"),
            ("must fall in", "须在本年度 1 月 1 日之后"), ("must be an ISO 8601 timestamp", "须为时间（如 2026-11-29T08:00:00Z）"),
            ("must be at least", "不得少于下限"), ("must be declared true", "须声明属实"),
            ("must name at least one form of cooperation", "至少选择一种合作形式"), ("is not a parameter", "不是本页的参数"),
            ("must not contain NUL or other control characters", "不能含 NUL 等控制字符"),
        ]
        for (english, chinese) in known where message.hasPrefix(english) {
            return message == english ? chinese : "\(chinese)（\(message)）"
        }
        return message
    }

    /// `¥200,000.00`, from integer fen.
    public static func money(_ fen: Int) -> String { Fen(Int64(fen)).description }

    /// A fraction in [0, 1] as a percentage with one decimal: `83.3%`.
    public static func percent(_ value: Double) -> String {
        let tenths = Int((max(0, min(1, value)) * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
