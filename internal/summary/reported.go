package summary

import (
	"strings"
	"time"

	"dangjian/internal/date"
	"dangjian/internal/errs"
	"dangjian/internal/indicator"
)

// Reported figures live outside the platform (公务接待费用 from finance, a
// count from another system): an organisation enters one for a period with
// its evidence, and the summary uses it like any other figure, marked 填报
// in its drill-down. Their definitions are here; the store sums the entries.

// ReportedDef is one reported indicator.
type ReportedDef struct {
	Code, Name, Unit string
	Kind             indicator.Kind
	Definition       string
	LowerIsBetter    bool // a fall is good news (费用, 时限): never a weak spot
}

// ReportedPrefix starts the code of every reported indicator.
const ReportedPrefix = "reported."

// IsReported reports whether an indicator's figure is entered by hand.
func IsReported(code string) bool { return strings.HasPrefix(code, ReportedPrefix) }

const (
	counted  = "只计填报期间完全落在统计期间内的填报；同一组织的一条填报被期内另一条更长的填报覆盖时只计较长的一条（年度数取代半年数）"
	sumRule  = "期内各组织填报数之和（" + counted + "）。"
	meanRule = "期内各组织填报数的平均值（" + counted + "）。"
)

// ReportedDefs are the reported indicators.
var ReportedDefs = []ReportedDef{
	{"reported.reception_cost", "公务接待费用", "元", indicator.Amount, "财务部门提供的公务接待费用支出；" + sumRule, true},
	{"reported.funds_saved", "节约资金", "元", indicator.Amount, "财务部门核定的节约资金；" + sumRule, false},
	{"reported.doc_days", "公文平均办结时限", "个工作日", indicator.Average, "办公室统计的公文平均办结时限；" + meanRule, true},
	{"reported.documents", "印发文件数量", "件", indicator.Count, "办公室统计的印发文件数量；" + sumRule, true},
	{"reported.task_completion", "工作任务完成率", "%", indicator.Rate, "考核部门统计的工作任务完成率；" + meanRule, false},
	{"reported.books", "配备党建书籍册数", "册", indicator.Count, "党员活动室新配备的党建书籍册数；" + sumRule, false},
	{"reported.disclosed", "公开案件流程信息条数", "条", indicator.Count, "政法公开平台公开的案件流程信息条数；" + sumRule, false},
	{"reported.party_staff", "党务专职工作人员人数", "名", indicator.Count, "机关党委专职党务工作人员人数（期末填报）；" + sumRule, false},
	{"reported.online_rate", "党员线上活动参与率", "%", indicator.Rate, "线上党建平台统计的党员参与线上活动的比例；" + meanRule, false},
}

// ReportedDefOf finds a reported indicator by code.
func ReportedDefOf(code string) (ReportedDef, bool) {
	for _, d := range ReportedDefs {
		if d.Code == code {
			return d, true
		}
	}
	return ReportedDef{}, false
}

// Reported is one entry of a reported figure.
type Reported struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id"`
	OrgName   string    `json:"org_name"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	From      date.Date `json:"from"`
	To        date.Date `json:"to"`
	Value     float64   `json:"value"`
	Evidence  string    `json:"evidence"` // where the figure comes from: the document, the system, who provided it
	EnteredBy string    `json:"entered_by"`
	EnteredAt time.Time `json:"entered_at"`
	Version   int64     `json:"version"`
}

// Validate checks an entry.
func (r *Reported) Validate() error {
	var v errs.Invalid
	d, ok := ReportedDefOf(r.Code)
	if !ok {
		v.Add("code", "summary.reported_unknown")
	}
	if r.OrgID == 0 {
		v.Add("org_id", "required")
	}
	if r.From.IsZero() {
		v.Add("from", "required")
	}
	if r.To.IsZero() {
		v.Add("to", "required")
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		v.Add("to", "date.before_start")
	}
	if r.Value < 0 || r.Value > 1e12 {
		v.Add("value", "summary.reported_range")
	}
	if ok && d.Kind == indicator.Rate && r.Value > 100 {
		v.Add("value", "summary.reported_rate")
	}
	r.Evidence = strings.TrimSpace(r.Evidence)
	if r.Evidence == "" {
		v.Add("evidence", "summary.evidence_required")
	}
	v.MaxLen("evidence", r.Evidence, 500)
	if ok {
		r.Name = d.Name
	}
	return v.Err()
}
