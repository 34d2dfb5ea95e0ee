package app

import (
	"fmt"
	"strings"

	"dangjian/internal/indicator"
)

// IndicatorsDoc is docs/indicators.md: the catalogue with every definition,
// and every figure of the seed summaries mapped to its indicator or named as
// a gap.
func IndicatorsDoc(cat *indicator.Catalogue) string {
	var b strings.Builder
	b.WriteString("# 指标目录（由代码生成，请勿手改）\n\n")
	b.WriteString("Generated from the catalogue (`internal/indicator`, each module's set in `internal/store/indicators_*.go`)\n")
	b.WriteString("by `go test ./internal/app -run TestIndicatorsDocIsCurrent -update`.\n\n")
	b.WriteString("约定：期间含首尾两日；“期末在册”按期末当日计算；比率、占比保留一位小数；计数与金额的同比变化以百分比表示，")
	b.WriteString("比率与占比的变化以百分点表示，平均分与平均时长以其单位表示；每个指标都同时计算上年同期。\n\n")
	b.WriteString("组织生活与学习的指标口径（什么算一次活动、人次、覆盖率、补课、合规日历）详见 [events.md](events.md)。\n\n")
	module := ""
	for _, in := range cat.All() {
		if in.Module != module {
			module = in.Module
			fmt.Fprintf(&b, "## %s\n\n| 代码 | 名称 | 单位 | 类型 | 定义 |\n|---|---|---|---|---|\n", module)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", in.Code, in.Name, in.Unit, in.Kind, in.Definition)
	}
	b.WriteString("\n## 样本工作总结中的每个数字\n\n")
	seed := ""
	mapped, gaps := 0, 0
	for _, f := range SeedFigures() {
		if f.Seed != seed {
			seed = f.Seed
			fmt.Fprintf(&b, "\n### %s\n\n| 原文 | 指标 |\n|---|---|\n", seed)
		}
		if f.Code != "" {
			in, _ := cat.Lookup(f.Code)
			fmt.Fprintf(&b, "| %s | `%s` %s |\n", f.Figure, f.Code, in.Name)
			mapped++
		} else {
			fmt.Fprintf(&b, "| %s | 待建：%s |\n", f.Figure, f.Gap)
			gaps++
		}
	}
	fmt.Fprintf(&b, "\n共 %d 项：%d 项已由指标计算，%d 项待相应模块建成。\n", mapped+gaps, mapped, gaps)
	return b.String()
}
